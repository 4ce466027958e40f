// npm run bench: every benchmark, one after another, each in its own process (they measure
// start-up and memory too). Usage: npm run build && node bench/run.mjs [name...]
import { spawnSync } from 'node:child_process';
import { ROOT } from './common.mjs';

const ALL = [
  ['sigma-parse', ['bench/sigma-parse.mjs']],
  ['convert', ['bench/convert.mjs']],
  ['evtx-parse', ['--import', 'tsx', 'bench/evtx-parse.ts']],
  ['hunt', ['bench/hunt.mjs']],
  ['ingest', ['bench/ingest.mjs']],
  ['serve', ['bench/serve.mjs']],
];
const wanted = process.argv.slice(2);
let failed = 0;
for (const [name, args] of ALL) {
  if (wanted.length && !wanted.includes(name)) continue;
  console.log(`\n== bench/${name}`);
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
