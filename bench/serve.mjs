// bench/serve: the web app under load on loopback. Starts `ruleatlas serve` as its own process
// (so the load generator does not share its event loop), then runs autocannon with 50 connections
// against the feed, the seed 000 rule page and a search, each for a bounded time after a warm-up.
// Requests say they accept gzip, as every browser does. Prints p50/p95/p99 latency and requests/s;
// the goal is p95 under 20 ms.
// Usage: npm run build && node bench/serve.mjs [--db FILE] [--duration SECONDS] [--connections N]
/* global setTimeout, clearTimeout, fetch */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { ROOT } from './common.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const duration = Number(opt('duration', '10'));
const connections = Number(opt('connections', '50'));
const db = opt('db', undefined);
const GOAL_P95 = 20;

const TARGETS = [
  ['feed', '/'],
  ['rule page (seed 000)', '/rules/sigma:ee37eb7c-a4e7-4cd5-8fa4-efa27f1c3f31'],
  ['search', '/search?q=ngrok'],
];

const server = spawn(process.execPath, [join(ROOT, 'bin', 'ruleatlas'), 'serve', '--host', '127.0.0.1', '--port', '0', ...(db ? ['--db', db] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
const base = await new Promise((resolve, reject) => {
  let out = '';
  const timer = setTimeout(() => reject(new Error(`the server did not start in 180 s:\n${out}`)), 180_000);
  server.stdout.on('data', (d) => {
    out += d;
    process.stdout.write(d);
    const m = /listening on (http:\/\/\S+)/.exec(out);
    if (m) {
      clearTimeout(timer);
      resolve(m[1]);
    }
  });
  server.once('exit', (code) => reject(new Error(`the server exited (${code}):\n${out}`)));
});

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** One bounded run; latencies are recorded per response, since autocannon reports no p95. */
function run(url, seconds = duration) {
  return new Promise((resolve, reject) => {
    const latencies = [];
    const instance = autocannon({ url, connections, duration: seconds, pipelining: 1, headers: { 'accept-encoding': 'gzip, deflate, br' } }, (err, result) => (err ? reject(err) : resolve({ result, latencies })));
    instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  });
}

let failed = false;
try {
  console.log(`bench/serve: ${connections} connections, ${duration} s per target, ${base}`);
  for (const [name, path] of TARGETS) {
    const url = base + path;
    const probe = await fetch(url);
    if (probe.status !== 200) throw new Error(`${path}: HTTP ${probe.status}`);
    await run(url, 2); // warm-up: caches, JIT
    const { result, latencies } = await run(url);
    latencies.sort((a, b) => a - b);
    const [p50, p95, p99] = [50, 95, 99].map((p) => percentile(latencies, p));
    const errors = result.errors + result.non2xx + result.timeouts;
    const ok = p95 < GOAL_P95 && errors === 0;
    if (!ok) failed = true;
    console.log(
      `  ${name.padEnd(22)} p50 ${p50.toFixed(2).padStart(6)} ms  p95 ${p95.toFixed(2).padStart(6)} ms  p99 ${p99.toFixed(2).padStart(6)} ms  ${result.requests.average.toFixed(0).padStart(6)} req/s  ${latencies.length} requests  ${errors} errors  ${ok ? 'ok' : `goal p95 < ${GOAL_P95} ms missed`}`,
    );
  }
} finally {
  server.kill('SIGTERM');
}
process.exitCode = failed ? 1 : 0;
