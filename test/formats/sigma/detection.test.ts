import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSigmaString } from '../../../src/formats/sigma/index.js';
import { extractIndicators, extractSearchTerms } from '../../../src/model/index.js';
import { codes, errors, logic, rule } from '../../helpers.js';

const ANY = { wildcard: 'any' };
const ONE = { wildcard: 'one' };

describe('Sigma strings: wildcards and escapes (specification examples)', () => {
  it('* and ? are wildcards', () => {
    assert.deepEqual(parseSigmaString('prog?.exe'), ['prog', ONE, '.exe']);
    assert.deepEqual(parseSigmaString('antivirus_V*.exe'), ['antivirus_V', ANY, '.exe']);
  });
  it('a backslash escapes a wildcard', () => {
    assert.deepEqual(parseSigmaString('\\*'), ['*']);
    assert.deepEqual(parseSigmaString('\\?'), ['?']);
  });
  it('a plain backslash is literal, single or double', () => {
    assert.deepEqual(parseSigmaString('C:\\Windows\\cmd.exe'), ['C:\\Windows\\cmd.exe']);
    assert.deepEqual(parseSigmaString('C:\\\\Windows'), ['C:\\Windows']);
  });
  it('\\\\* is a backslash then a wildcard; \\\\\\* a backslash and a star', () => {
    assert.deepEqual(parseSigmaString('\\\\*'), ['\\', ANY]);
    assert.deepEqual(parseSigmaString('\\\\\\*'), ['\\*']);
  });
  it('three or four backslashes are a double backslash', () => {
    assert.deepEqual(parseSigmaString('a\\\\\\b'), ['a\\\\b']);
    assert.deepEqual(parseSigmaString('a\\\\\\\\b'), ['a\\\\b']);
  });
  it('inner wildcards make a pattern; edge wildcards make affix operators', () => {
    assert.deepEqual(logic(rule("    sel:\n        Image: '*\\cmd.exe'\n    condition: sel")), { kind: 'match', field: 'Image', operator: 'endswith', values: ['\\cmd.exe'], all: false, caseSensitive: false });
    // `\*` is an escaped star: a backslash before a wildcard is written `\\*`.
    assert.deepEqual(logic(rule("    sel:\n        Image: 'C:\\Users\\*\\AppData\\*.exe'\n    condition: sel")), {
      kind: 'match', field: 'Image', operator: 'eq', values: ['C:\\Users*\\AppData*.exe'], all: false, caseSensitive: false,
    });
    assert.deepEqual(logic(rule("    sel:\n        Image: 'C:\\Users\\\\*\\AppData\\\\*.exe'\n    condition: sel")), {
      kind: 'match', field: 'Image', operator: 'wildcard', values: [{ pattern: ['C:\\Users\\', ANY, '\\AppData\\', ANY, '.exe'] }], all: false, caseSensitive: false,
    });
  });
  it('values of mixed shapes split into one match per operator', () => {
    const e = logic(rule("    sel:\n        Image:\n            - '*\\a.exe'\n            - '*\\b.exe'\n            - 'C:\\c.exe'\n    condition: sel"));
    assert.deepEqual(e, {
      kind: 'or',
      args: [
        { kind: 'match', field: 'Image', operator: 'endswith', values: ['\\a.exe', '\\b.exe'], all: false, caseSensitive: false },
        { kind: 'match', field: 'Image', operator: 'eq', values: ['C:\\c.exe'], all: false, caseSensitive: false },
      ],
    });
  });
});

describe('Sigma detection structure', () => {
  it('a map is AND, a list of maps is OR', () => {
    const and = logic(rule("    sel:\n        A: '1'\n        B: '2'\n    condition: sel")) as { kind: string };
    assert.equal(and.kind, 'and');
    const or = logic(rule("    sel:\n        - A: '1'\n        - B: '2'\n    condition: sel")) as { kind: string };
    assert.equal(or.kind, 'or');
  });
  it('keyword lists, keyword strings and keyword maps', () => {
    const list = logic(rule("    keywords:\n        - 'event::clear'\n        - 'event::drop'\n    condition: keywords"));
    assert.deepEqual(list, { kind: 'keyword', operator: 'contains', values: ['event::clear', 'event::drop'], all: false, caseSensitive: false });
    const all = logic(rule("    keywords_cmdlet:\n        '|all':\n            - 'OabVirtualDirectory'\n            - ' -ExternalUrl '\n    condition: keywords_cmdlet"));
    assert.deepEqual(all, { kind: 'keyword', operator: 'contains', values: ['OabVirtualDirectory', ' -ExternalUrl '], all: true, caseSensitive: false });
    const single = logic(rule("    kw: 'mimikatz'\n    condition: kw"));
    assert.deepEqual(single, { kind: 'keyword', operator: 'contains', values: ['mimikatz'], all: false, caseSensitive: false });
    const re = logic(rule("    kw:\n        '|re': 'a+b'\n    condition: kw")) as { operator: string };
    assert.equal(re.operator, 'regex');
  });
  it('keywords become search terms, field matches become indicators', () => {
    const r = rule("    sel:\n        Image|endswith: '\\x.exe'\n    kw:\n        - 'evil'\n    filter:\n        User: SYSTEM\n    condition: sel and kw and not filter");
    assert.deepEqual(extractSearchTerms(r).map((t) => t.term), ['evil']);
    const ind = extractIndicators(r);
    assert.deepEqual(ind.map((i) => [i.field, i.operator, i.value, i.negated]), [
      ['Image', 'endswith', '\\x.exe', false],
      ['User', 'eq', 'system', true],
    ]);
  });
  it('wrong types are positioned errors', () => {
    const nested = rule("    sel:\n        A:\n            B: c\n    condition: sel");
    assert.ok(codes(nested).includes('sigma.detection-type'));
    assert.equal(nested.diagnostics.find((d) => d.code === 'sigma.detection-type')!.line, 9);
    assert.ok(codes(rule('    sel: []\n    condition: sel')).includes('sigma.empty-detection'));
    assert.ok(codes(rule('    sel:\n        A: []\n    condition: sel')).includes('sigma.empty-values'));
    assert.ok(codes(rule('    sel:\n    condition: sel')).includes('sigma.empty-detection'));
  });
  it('values of a kind the spec forbids are findings', () => {
    assert.ok(codes(rule("    sel:\n        F:\n            - ''\n            - null\n    condition: sel")).includes('sigma.null-in-list'));
  });
  it('wildcards that should be modifiers are noted', () => {
    assert.ok(codes(rule("    sel:\n        CommandLine: '*whoami*'\n    condition: sel")).includes('sigma.wildcards-instead-of-modifier'));
    assert.ok(!codes(rule("    sel:\n        CommandLine|contains: 'whoami'\n    condition: sel")).includes('sigma.wildcards-instead-of-modifier'));
  });
  it('the seed rule parses with no findings', () => {
    const r = rule(`    selection1:
        CommandLine|contains:
            - ' tcp 139'
    selection3:
        Image|endswith: 'ngrok.exe'
        CommandLine|contains:
            - ' tcp '
    condition: 1 of selection*`);
    assert.deepEqual(errors(r), []);
  });
});
