import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readSigma } from '../../src/formats/sigma/index.js';
import { alternatives, lintRule } from '../../src/lint/index.js';
import { loadRuleFile } from '../../src/formats/load.js';
import { ROOT, rule } from '../helpers.js';

const FIX = join(ROOT, 'test', 'fixtures', 'lint');
const lint = (name: string) => {
  const r = readSigma(readFileSync(join(FIX, name), 'utf8'), { file: join(FIX, name) })[0]!;
  return lintRule(r);
};
const codes = (name: string) => lint(name).map((d) => d.code);

describe('lint over the intermediate form', () => {
  it("flags seed 002's over-broad alternative \\.exe\\s+ and names it", () => {
    const d = lint('over_broad_regex.yml').filter((x) => x.code === 'lint.regex-over-broad');
    assert.equal(d.length, 1);
    assert.match(d[0]!.message, /alternative \/\\\.exe\\s\+\//);
    assert.equal(d[0]!.severity, 'warning');
    assert.equal(d[0]!.line, 9);
  });

  it("flags the over-broad alternative in seed 002's own SPL", () => {
    const d = lintRule(loadRuleFile(join(ROOT, 'test', 'fixtures', 'splunk', 'seed-002.yml'))[0]!).filter((x) => x.code === 'lint.regex-over-broad');
    assert.equal(d.length, 1);
    assert.match(d[0]!.message, /alternative \/\\\.exe\\s\+\/ of process regex/);
  });

  it('flags a regex with an empty alternative', () => {
    assert.ok(codes('regex_matches_everything.yml').includes('lint.regex-matches-everything'));
  });

  it('flags conditions that can never be true', () => {
    const d = lint('never_true.yml').filter((x) => x.code === 'lint.never-true');
    assert.ok(d.some((x) => /OriginalFileName must equal powershell\.exe and cmd\.exe/.test(x.message)), d.map((x) => x.message).join('\n'));
    assert.ok(d.some((x) => /and its negation/.test(x.message)), d.map((x) => x.message).join('\n'));
    assert.ok(lint('impossible_range.yml').some((x) => x.code === 'lint.never-true' && /LogonType must be above/.test(x.message)));
  });

  it('flags shadowed and redundant predicates', () => {
    const d = lint('shadowed.yml');
    assert.ok(d.some((x) => x.code === 'lint.shadowed' && /rundll32\.exe/.test(x.message)), d.map((x) => x.message).join('\n'));
    assert.ok(d.some((x) => x.code === 'lint.redundant' && /javascript:/.test(x.message)), d.map((x) => x.message).join('\n'));
  });

  it('flags weak standalone patterns', () => {
    const c = codes('weak_keyword.yml');
    assert.ok(c.includes('lint.keyword-too-short'));
    assert.ok(c.includes('lint.value-too-short'));
  });

  it('flags case-sensitive regexes on Windows paths', () => {
    assert.ok(codes('case_sensitive_path_regex.yml').includes('lint.regex-case-sensitive'));
  });

  it('says nothing about a careful rule', () => {
    assert.deepEqual(lint('clean.yml'), []);
  });

  it('does not flag a short value that other values of an all-of list narrow', () => {
    const r = rule("    s:\n        ScriptBlockText|contains|all:\n            - 'New-PSDrive'\n            - '$'\n    condition: s");
    assert.deepEqual(lintRule(r).filter((d) => d.code === 'lint.value-too-short'), []);
  });

  it('splits regex alternatives, descending into whole groups only', () => {
    assert.deepEqual(alternatives('(a|(b|c))'), ['a', 'b', 'c']);
    assert.deepEqual(alternatives('x(a|b)'), ['x(a|b)']);
    assert.deepEqual(alternatives('[|]|\\|'), ['[|]', '\\|']);
    assert.deepEqual(alternatives('(?:ab|cd)|e'), ['ab', 'cd', 'e']);
  });
});
