// bench/hunt: every SigmaHQ Windows rule (rules/windows, and the Windows rules of
// rules-emerging-threats and rules-threat-hunting) over every .jsonl and, separately, every .evtx
// of ../shared/events/evtx-attack-samples and ../shared/events/hayabusa-sample-evtx, next to
// baselines measured in the same run: reading + JSON.parse of the same JSONL with no rules, and
// reading the same EVTX with no rules. Prints events/s, MB/s and peak memory.
// Usage: npm run build && node bench/hunt.mjs [--runs N]
import { setFlagsFromString } from 'node:v8';
// As bin/ruleatlas: the linear-time fallback must be on before any rule's RegExp is compiled.
setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');

const { join } = await import('node:path');
const { loadRuleFile } = await import('../dist/formats/load.js');
const { Hunter, RuleSet, listEventFiles, readEventFile } = await import('../dist/engine/index.js');
const { SHARED, listFiles } = await import('./common.mjs');

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;

let peakRss = 0;
const sample = () => {
  const r = process.memoryUsage().rss;
  if (r > peakRss) peakRss = r;
};

// Rules
let t = performance.now();
const ruleFiles = [
  ...listFiles(join(SHARED, 'corpora/sigma/rules/windows')),
  ...listFiles(join(SHARED, 'corpora/sigma/rules-emerging-threats')),
  ...listFiles(join(SHARED, 'corpora/sigma/rules-threat-hunting')),
];
const rules = [];
for (const f of ruleFiles) {
  for (const r of loadRuleFile(f)) {
    const inWindows = f.includes('/rules/windows/');
    if (inWindows || r.logsource?.product === 'windows' || (r.kind === 'correlation' && f.includes('windows'))) rules.push(r);
  }
}
const readMs = performance.now() - t;
t = performance.now();
const ruleSet = new RuleSet(rules);
const compileMs = performance.now() - t;
sample();
const states = { ok: 0, partial: 0, skipped: 0 };
for (const r of ruleSet.reports()) states[r.state]++;

const dirs = [join(SHARED, 'events/evtx-attack-samples'), join(SHARED, 'events/hayabusa-sample-evtx')];
const all = listEventFiles(dirs).files;
const jsonl = all.filter((f) => f.path.endsWith('.jsonl'));
const evtx = all.filter((f) => f.path.endsWith('.evtx'));
const bytesOf = (fs) => fs.reduce((n, f) => n + f.bytes, 0);

/** Reads every file through the engine's sources; with a hunter, matches every record. */
async function pass(files, hunter) {
  let events = 0;
  let hits = 0;
  for (const f of files) {
    for await (const batch of readEventFile(f.path)) {
      for (const item of batch) {
        if (!item.ok) continue;
        events++;
        if (hunter) hunter.process(item.record, () => hits++);
      }
      sample();
    }
  }
  if (hunter) hunter.finish(() => hits++);
  return { events, hits };
}

async function measure(files, withRules) {
  const times = [];
  let last;
  let cold = 0;
  for (let i = 0; i <= RUNS; i++) {
    const hunter = withRules ? new Hunter(ruleSet) : null;
    const t0 = performance.now();
    last = await pass(files, hunter);
    // Run 0 warms up: the JIT, and (with rules) the buckets and their automata, built on first use.
    if (i > 0) times.push(performance.now() - t0);
    else cold = performance.now() - t0;
  }
  times.sort((a, b) => a - b);
  return { ...last, ms: times[Math.floor(times.length / 2)], min: times[0], cold };
}

const rate = (m, ms, bytes) => `${ms.toFixed(0).padStart(6)} ms ${(m.events / (ms / 1000)).toFixed(0).padStart(8)} events/s ${(bytes / 1048576 / (ms / 1000)).toFixed(1).padStart(6)} MB/s`;
const row = (name, m, bytes) =>
  `  ${name.padEnd(40)} ${rate(m, m.ms, bytes)}${m.min !== m.ms ? `  (best ${rate(m, m.min, bytes).replace(/ +/g, ' ').trim()})` : ''}${m.hits !== undefined && name.startsWith('hunt') ? `  ${m.hits} hits` : ''}`;

console.log(`hunt: ${rules.length} Windows rules (${states.ok} full, ${states.partial} partial, ${states.skipped} skipped), ${ruleSet.items.length} compiled items; read ${readMs.toFixed(0)} ms, compiled ${compileMs.toFixed(0)} ms`);
console.log(`(median of ${RUNS} runs after a warm-up run, best in brackets; this machine's 2 cores are shared, so compare rows of one run)`);

const jBytes = bytesOf(jsonl);
const jBase = await measure(jsonl, false);
const jHunt = await measure(jsonl, true);
console.log(`JSONL: ${jsonl.length} files, ${jHunt.events} events, ${(jBytes / 1048576).toFixed(1)} MB`);
console.log(row('baseline: read + JSON.parse, no rules', jBase, jBytes));
console.log(row('hunt: read + parse + match', jHunt, jBytes));
console.log(row('hunt, first run (cold: builds buckets)', { ...jHunt, ms: jHunt.cold, min: jHunt.cold }, jBytes));
console.log(`  matching costs ${((jHunt.ms - jBase.ms) / jHunt.events * 1000).toFixed(1)} µs per event on top of reading; hunt runs at ${((jBase.ms / jHunt.ms) * 100).toFixed(0)}% of the baseline's speed`);

const eBytes = bytesOf(evtx);
const eBase = await measure(evtx, false);
const eHunt = await measure(evtx, true);
console.log(`EVTX: ${evtx.length} files, ${eHunt.events} events, ${(eBytes / 1048576).toFixed(1)} MB`);
console.log(row('baseline: EVTX reader, no rules', eBase, eBytes));
console.log(row('hunt: EVTX reader + match', eHunt, eBytes));
console.log(row('hunt, first run (buckets already built)', { ...eHunt, ms: eHunt.cold, min: eHunt.cold }, eBytes));

sample();
const maxRss = process.resourceUsage().maxRSS * 1024;
console.log(`peak memory: ${(Math.max(peakRss, maxRss) / 1048576).toFixed(0)} MB RSS (rules loaded and compiled, every bucket built); heap now ${(process.memoryUsage().heapUsed / 1048576).toFixed(0)} MB`);
