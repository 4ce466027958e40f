// bench/ingest: `ruleatlas ingest` of every corpus in ../shared/corpora into a fresh store, then
// again with nothing changed (must be a no-op), as users run it (the compiled CLI in its own
// process). Baseline measured in the same run: reading every rule file and parsing its YAML with
// js-yaml (TOML and YARA-L files are only read), i.e. the least any ingest must do.
// Goal: a fresh ingest under 15 s on the 2-core reference machine.
// Usage: npm run build && node bench/ingest.mjs [--runs N]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsyaml from 'js-yaml';
import { scanCorpora } from '../dist/catalog/corpora.js';
import { ROOT, SHARED } from './common.mjs';

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] || 2);
const corpora = join(SHARED, 'corpora');
const GOAL_MS = 15_000;

const scan = scanCorpora(corpora);
const files = scan.corpora.flatMap((c) => c.files.map((f) => f.path));
const t0 = performance.now();
for (const f of files) {
  const text = readFileSync(f, 'utf8');
  if (/\.ya?ml$/.test(f)) {
    try {
      jsyaml.loadAll(text);
    } catch {
      // broken YAML is the readers' business
    }
  }
}
const baseline = performance.now() - t0;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fresh = [];
const again = [];
let summary;
for (let i = 0; i < runs; i++) {
  const dir = mkdtempSync(join(tmpdir(), 'ruleatlas-bench-ingest-'));
  const db = join(dir, 'atlas.db');
  const run = () => {
    const t = performance.now();
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'ruleatlas'), 'ingest', '--corpora', corpora, '--db', db, '--json'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`ingest failed: ${r.stderr}`);
    return { ms: performance.now() - t, summary: JSON.parse(r.stdout) };
  };
  const a = run();
  fresh.push(a.ms);
  summary = a.summary;
  const b = run();
  if (!b.summary.noop) throw new Error('the second ingest was not a no-op');
  again.push(b.ms);
  rmSync(dir, { recursive: true, force: true });
}

console.log(`ingest: ${summary.rules} rules, ${summary.indicators} indicators from ${summary.sources.length} sources (${files.length} files)`);
for (const s of summary.sources) console.log(`  ${s.name.padEnd(10)} ${String(s.rules).padStart(5)} rules  ${String(s.parsed).padStart(5)} parsed  ${String(s.opaque).padStart(4)} with an opaque part  read in ${(s.ms / 1000).toFixed(1)} s`);
for (const s of summary.skipped) console.log(`  skipped ${s.name}: ${s.reason}`);
console.log(`  baseline (read + js-yaml every file)  ${baseline.toFixed(0).padStart(6)} ms`);
console.log(`  fresh ingest (median of ${runs})          ${median(fresh).toFixed(0).padStart(6)} ms  ${(median(fresh) / baseline).toFixed(1)}x baseline  goal < ${GOAL_MS} ms: ${median(fresh) < GOAL_MS ? 'met' : 'NOT MET'}`);
console.log(`  second run, nothing changed            ${median(again).toFixed(0).padStart(6)} ms  (no-op)`);
