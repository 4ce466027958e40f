// bench/sigma-parse: the whole Sigma corpus through the Sigma reader (YAML with positions,
// detection → IR, conditions, validators), next to baselines measured in the same run on the
// same in-memory texts: a plain `yaml` parse (the baseline) and a plain js-yaml load.
// Usage: npm run build && node bench/sigma-parse.mjs
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsyaml from 'js-yaml';
import { parseAllDocuments } from 'yaml';
import { readSigma } from '../dist/formats/sigma/index.js';
import { SHARED, listFiles, measure } from './common.mjs';

const dirs = ['rules', 'rules-emerging-threats', 'rules-threat-hunting', 'rules-placeholder', 'rules-compliance', 'deprecated'];
const files = dirs.flatMap((d) => listFiles(join(SHARED, 'corpora', 'sigma', d)));
const texts = files.map((f) => readFileSync(f, 'utf8'));
const mb = texts.reduce((n, t) => n + Buffer.byteLength(t), 0) / 1048576;

let rules = 0;
const ours = measure(() => {
  rules = 0;
  for (let i = 0; i < texts.length; i++) rules += readSigma(texts[i], { file: files[i] }).length;
});
const yamlBase = measure(() => {
  for (const t of texts) parseAllDocuments(t, { uniqueKeys: false });
}, { runs: 3 });
const jsyamlBase = measure(() => {
  for (const t of texts) jsyaml.loadAll(t, () => {}, { schema: jsyaml.CORE_SCHEMA, json: true });
});

const row = (name, m) => `${name.padEnd(44)} ${m.median.toFixed(0).padStart(6)} ms  ${(rules / (m.median / 1000)).toFixed(0).padStart(8)} rules/s  ${(mb / (m.median / 1000)).toFixed(1).padStart(6)} MB/s`;
console.log(`sigma-parse: ${files.length} files, ${rules} rules, ${mb.toFixed(1)} MB (median of 5 runs after a warm-up)`);
console.log(row('RuleAtlas readSigma (full IR + validators)', ours));
console.log(row('baseline: yaml parseAllDocuments', yamlBase));
console.log(row('baseline: js-yaml loadAll (values only)', jsyamlBase));
console.log(`ratio: RuleAtlas takes ${(ours.median / yamlBase.median).toFixed(2)}x the time of a plain yaml parse`);
