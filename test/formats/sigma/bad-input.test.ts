import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadRuleFile } from '../../../src/formats/load.js';
import { readSigma } from '../../../src/formats/sigma/index.js';
import { hasErrors } from '../../../src/model/index.js';
import { SIGMA, listFiles } from '../../helpers.js';

const read = (text: string) => readSigma(text, { file: 'bad.yml' });
const first = (text: string) => read(text)[0]!.diagnostics.find((d) => d.severity === 'error')!;

describe('bad input gives positioned findings, never a crash', () => {
  it('malformed YAML', () => {
    const d = first('title: x\ndetection:\n  sel:\n    - a\n   - b\n  condition: sel\n');
    assert.equal(d.code, 'sigma.yaml-syntax');
    assert.equal(d.file, 'bad.yml');
    assert.ok(d.line >= 4, `line ${d.line}`);
    const q = first("title: 'unterminated\nlogsource: {}\n");
    assert.equal(q.code, 'sigma.yaml-syntax');
  });
  it('a document that is not a map', () => {
    assert.equal(first('- just\n- a list\n').code, 'sigma.not-a-map');
    assert.equal(first('plain text\n').code, 'sigma.not-a-map');
  });
  it('wrong types in the rule', () => {
    const d = first('title: [not, a, string]\nlogsource: x\ndetection: 5\n');
    assert.ok(['sigma.attribute-type'].includes(d.code), d.code);
    const r = read('title: x\nlogsource: x\ndetection: 5\n')[0]!;
    assert.ok(r.diagnostics.filter((x) => x.code === 'sigma.attribute-type').length >= 2);
  });
  it('an unknown modifier names the modifier, line and column', () => {
    const d = first('title: x\nlogsource:\n  product: windows\ndetection:\n  sel:\n    Image|endwith: a\n  condition: sel\n');
    assert.equal(d.code, 'sigma.unknown-modifier');
    assert.deepEqual([d.line, d.column], [6, 5]);
    assert.match(d.message, /'endwith'.*did you mean 'endswith'/);
  });
  it('binary garbage', () => {
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    const r = readSigma(bytes.toString('latin1'), { file: 'garbage.bin' });
    assert.ok(r.length >= 1);
    assert.ok(hasErrors(r[0]!));
  });
  it('an empty file', () => {
    assert.equal(first('').code, 'sigma.empty-file');
    assert.equal(first('# only a comment\n').code, 'sigma.empty-file');
  });
  it('a 10 MB file is refused with a clear finding, a big valid one still parses', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ruleatlas-'));
    const big = join(dir, 'big.yml');
    const line = "        - 'x'\n";
    writeFileSync(big, 'title: big\nlogsource:\n    product: windows\ndetection:\n    sel:\n      F:\n' + line.repeat(Math.ceil((10 * 1048576) / line.length)) + '    condition: sel\n');
    const [r] = loadRuleFile(big);
    assert.equal(r!.diagnostics[0]!.code, 'file.too-large');
    assert.match(r!.diagnostics[0]!.message, /10\.0 MB/);
    const mid = join(dir, 'mid.yml');
    writeFileSync(mid, 'title: mid\nlogsource:\n    product: windows\ndetection:\n    sel:\n      F:\n' + "        - 'x'\n".repeat(50000) + '    condition: sel\n');
    assert.equal(hasErrors(loadRuleFile(mid)[0]!), false);
  });
  it('deeply nested YAML', () => {
    const deep = 'title: x\ndetection:\n  sel: ' + '['.repeat(3000) + ']'.repeat(3000) + '\n  condition: sel\n';
    const r = read(deep);
    assert.ok(hasErrors(r[0]!));
  });
  it('a missing file is a finding', () => {
    const [r] = loadRuleFile('/nonexistent/rule.yml');
    assert.equal(r!.diagnostics[0]!.code, 'file.unreadable');
  });
  it('one bad document does not lose its neighbours', () => {
    const docs = read('title: a\nlogsource:\n  product: windows\ndetection:\n  s:\n    F: 1\n  condition: s\n---\ntitle: [\n---\ntitle: c\nlogsource:\n  product: windows\ndetection:\n  s:\n    F: 1\n  condition: s\n');
    assert.equal(docs.length, 3);
    assert.deepEqual(docs.map(hasErrors), [false, true, false]);
  });
});

/** A tiny deterministic PRNG so the fuzz run is the same every time. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKENS = ['|', ':', '-', '*', '?', '\\', "'", '"', '\n', '  ', '[', ']', '{', '}', '#', '&a', '*a', '!!str ', 'not ', ' and ', ' or ', '(', ')', '1 of ', '|re', '|contains', '|all', '|base64offset', '|windash', '|cidr', '---\n', '\t', '\u0000', '%x%', '|expand'];

describe('fuzz: random mutations of real rules', () => {
  it('never throws and always reports a rule per document', () => {
    const files = listFiles(join(SIGMA, 'rules', 'windows', 'process_creation')).slice(0, 60);
    const rand = prng(20261124);
    let mutants = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (let k = 0; k < 25; k++) {
        let t = text;
        const edits = 1 + Math.floor(rand() * 4);
        for (let e = 0; e < edits; e++) {
          const at = Math.floor(rand() * t.length);
          const kind = rand();
          if (kind < 0.3) t = t.slice(0, at) + TOKENS[Math.floor(rand() * TOKENS.length)] + t.slice(at);
          else if (kind < 0.55) t = t.slice(0, at) + t.slice(at + 1 + Math.floor(rand() * 20));
          else if (kind < 0.75) t = t.slice(0, at) + String.fromCharCode(Math.floor(rand() * 0x2100)) + t.slice(at + 1);
          else if (kind < 0.9) {
            const from = Math.floor(rand() * t.length);
            t = t.slice(0, at) + t.slice(from, from + 40) + t.slice(at);
          } else t = t.slice(0, at);
        }
        const rules = readSigma(t, { file });
        assert.ok(rules.length >= 1);
        for (const r of rules) for (const d of r.diagnostics) assert.ok(d.line >= 1 && d.column >= 1, `${file}: ${d.code}`);
        mutants++;
      }
    }
    assert.equal(mutants, files.length * 25);
  });
});
