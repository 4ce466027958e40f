// bench/convert: the SigmaHQ corpus (3,780 rules, parsed once) through every target, rules/s per
// target and all targets together; next to the parse itself as a baseline measured in the same run.
// Usage: npm run build && node bench/convert.mjs
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSigma } from '../dist/formats/sigma/index.js';
import { convert } from '../dist/translate/convert.js';
import { targets } from '../dist/translate/targets.js';
import { SHARED, listFiles, measure } from './common.mjs';

const dirs = ['rules', 'rules-emerging-threats', 'rules-threat-hunting', 'rules-placeholder', 'rules-compliance'];
const files = dirs.flatMap((d) => listFiles(join(SHARED, 'corpora', 'sigma', d)));
const texts = files.map((f) => readFileSync(f, 'utf8'));
let rules = [];
const parse = measure(() => {
  rules = [];
  for (let i = 0; i < texts.length; i++) rules.push(...readSigma(texts[i], { file: files[i] }));
}, { runs: 3 });

console.log(`convert: ${rules.length} rules; parsing them takes ${parse.median.toFixed(0)} ms (baseline)`);
let total = 0;
for (const t of targets()) {
  let ok = 0;
  const m = measure(() => {
    ok = 0;
    for (const r of rules) if (convert(r, t.name).ok) ok++;
  }, { runs: 3 });
  total += m.median;
  console.log(`  ${t.name.padEnd(13)} ${m.median.toFixed(0).padStart(5)} ms  ${(rules.length / (m.median / 1000)).toFixed(0).padStart(7)} rules/s  ${ok} converted`);
}
console.log(`all ${targets().length} targets: ${total.toFixed(0)} ms of conversion (goal < 1500 ms), ${(total / parse.median).toFixed(1)}x the parse`);
