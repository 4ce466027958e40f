import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readSigma } from '../../src/formats/sigma/index.js';
import { parseSpl, readSplunk } from '../../src/formats/splunk/index.js';
import { blankRule, type Indicator, type Rule } from '../../src/model/index.js';
import { canonicalIndicators, normalizeIndicators, type CanonicalIndicator } from '../../src/taxonomy/fields-indicators.js';
import { rule as sigmaRule, SHARED, SIGMA } from '../helpers.js';

/** The Splunk rule of seed 002, from the seed page's `logic:` field. */
function seedRule(): Rule {
  const page = readFileSync(join(SHARED, 'seeds', '002_3fbb11ab7c8e24f2.txt'), 'utf8');
  const m = /^logic: '([\s\S]*?)'\ntechniques:/m.exec(page);
  assert.ok(m, 'the seed page has a logic field');
  // A single-quoted YAML scalar: line breaks fold to spaces, '' is a quote.
  const query = m[1]!.replace(/\n/g, ' ').replace(/''/g, "'");
  const { stages } = parseSpl(query);
  const r = blankRule('splunk', { corpus: 'seed', path: '002_3fbb11ab7c8e24f2.txt' }, query, { start: 0, end: query.length });
  r.id = 'seed:002';
  r.logic = stages;
  return r;
}

function sigmaFile(rel: string): Rule {
  return readSigma(readFileSync(join(SIGMA, rel), 'utf8'), { file: rel })[0]!;
}

const fieldOf = (inds: Indicator[], source: string): string => {
  const i = inds.find((x) => x.sourceField === source);
  assert.ok(i, `an indicator on ${source}`);
  return i.field;
};

const triples = (inds: CanonicalIndicator[]): string[] => inds.map((i) => `${i.negated ? '!' : ''}${i.field} ${i.operator} ${i.value}`);

describe('seed 002: the Splunk rule and the Sigma ngrok rule meet on canonical fields', () => {
  const seed = canonicalIndicators(seedRule());
  const sigma = canonicalIndicators(sigmaFile('rules/windows/process_creation/proc_creation_win_pua_ngrok.yml'));

  it('Splunk `process` and Sigma `CommandLine` are one field: process.command_line', () => {
    assert.equal(fieldOf(seed, 'process'), 'process.command_line');
    assert.equal(fieldOf(sigma, 'CommandLine'), 'process.command_line');
  });

  it('Splunk `process_path` and Sigma `Image` are one field: process.executable', () => {
    assert.equal(fieldOf(seed, 'process_path'), 'process.executable');
    assert.equal(fieldOf(sigma, 'Image'), 'process.executable');
  });

  it('Splunk `EventCode` is event.code, like Sigma EventID', () => {
    assert.deepEqual(triples(seed.filter((i) => i.sourceField === 'EventCode')), ['event.code eq 4688']);
  });

  it('reads the literal regex on process_path as `contains ngrok.exe`; keeps the real regex on process', () => {
    const path = seed.filter((i) => i.sourceField === 'process_path');
    assert.deepEqual(triples(path), ['process.executable contains ngrok.exe']);
    assert.equal(path[0]!.regex, String.raw`(?i)ngrok\.exe`);
    assert.equal(path[0]!.caseSensitive, false);
    assert.deepEqual(seed.filter((i) => i.sourceField === 'process').map((i) => i.operator), ['regex']);
  });

  it('the seed rule and the corpus Splunk ngrok rule: Sigma Image|endswith \\ngrok.exe meets process_name=ngrok.exe', () => {
    const file = join(SHARED, 'corpora', 'splunk', 'detections', 'endpoint', 'windows_ngrok_reverse_proxy_usage.yml');
    const splunk = canonicalIndicators(readSplunk(readFileSync(file, 'utf8'), { file })[0]!);
    assert.ok(triples(splunk).includes('process.name eq ngrok.exe'), triples(splunk).join('\n'));
    const sigmaNamed = canonicalIndicators(sigmaRule(`    sel:\n        Image|endswith: '\\ngrok.exe'\n    condition: sel`));
    assert.deepEqual(triples(sigmaNamed), ['process.executable endswith \\ngrok.exe', 'process.name eq ngrok.exe']);
    // The corpus Sigma rule writes `endswith: 'ngrok.exe'` (no separator): that could be evilngrok.exe, so no name.
    assert.ok(!triples(sigma).includes('process.name eq ngrok.exe'));
  });
});

const ind = (field: string, operator: string, display: string, extra: Partial<Indicator> = {}): Indicator => {
  const caseSensitive = extra.caseSensitive ?? false;
  return { field, sourceField: field, operator, value: caseSensitive ? display : display.toLowerCase(), display, caseSensitive, negated: false, stage: 0, span: { start: 0, end: 1 }, ...extra };
};

describe('literal regexes become affix indicators', () => {
  const norm = (re: string, caseSensitive = true): string[] => triples(normalizeIndicators([ind('process.command_line', 'regex', re, { caseSensitive, value: re })]));
  it('maps anchors to operators', () => {
    assert.deepEqual(norm(String.raw`(?i)ngrok\.exe`), ['process.command_line contains ngrok.exe']);
    assert.deepEqual(norm(String.raw`\\ngrok\.exe$`, false), ['process.command_line endswith \\ngrok.exe']);
    assert.deepEqual(norm(String.raw`^C:\\Windows\\`, false), ['process.command_line startswith c:\\windows\\']);
    assert.deepEqual(norm('^whoami$', false), ['process.command_line eq whoami']);
    assert.deepEqual(norm(String.raw`.*\\Program Files.*`, false), ['process.command_line contains \\program files']);
  });
  it('keeps case when the regex is case-sensitive', () => {
    assert.deepEqual(norm('Invoke-Mimikatz'), ['process.command_line contains Invoke-Mimikatz']);
  });
  it('splits top-level alternatives of literals into one indicator each', () => {
    assert.deepEqual(norm('(?i)(mimikatz|sekurlsa::logonpasswords)'), ['process.command_line contains mimikatz', 'process.command_line contains sekurlsa::logonpasswords']);
  });
  it('leaves real regexes alone', () => {
    for (const re of [String.raw`tcp\s+445`, 'a.b', '(?i)a|b.*c', '[a-z]+\\.exe', 'ab?c', '^.*x', 'a|', '(?m)^x$', String.raw`\d{3}`]) {
      assert.deepEqual(norm(re).map((t) => t.split(' ')[1]), ['regex'], re);
    }
  });
});

describe('a path suffix also names the file', () => {
  const norm = (field: string, op: string, v: string, extra: Partial<Indicator> = {}): string[] => triples(normalizeIndicators([ind(field, op, v, extra)]));
  it('endswith \\name on a path field adds name eq', () => {
    assert.deepEqual(norm('process.executable', 'endswith', '\\Rundll32.exe'), ['process.executable endswith \\rundll32.exe', 'process.name eq rundll32.exe']);
    assert.deepEqual(norm('process.parent.executable', 'endswith', '/bash'), ['process.parent.executable endswith /bash', 'process.parent.name eq bash']);
    assert.deepEqual(norm('file.path', 'endswith', '\\lsass.dmp'), ['file.path endswith \\lsass.dmp', 'file.name eq lsass.dmp']);
    assert.deepEqual(norm('dll.path', 'endswith', '\\dbghelp.dll'), ['dll.path endswith \\dbghelp.dll', 'dll.name eq dbghelp.dll']);
  });
  it('eq with a full path adds the last component', () => {
    assert.deepEqual(norm('process.executable', 'eq', 'C:\\Windows\\System32\\cmd.exe'), ['process.executable eq c:\\windows\\system32\\cmd.exe', 'process.name eq cmd.exe']);
  });
  it('not for a partial name, a directory suffix, wildcards or other operators', () => {
    assert.deepEqual(norm('process.executable', 'endswith', 'grok.exe'), ['process.executable endswith grok.exe']);
    assert.deepEqual(norm('process.executable', 'endswith', '\\Temp\\x.exe'), ['process.executable endswith \\temp\\x.exe']);
    assert.deepEqual(norm('process.executable', 'endswith', '\\*.exe'), ['process.executable endswith \\*.exe']);
    assert.deepEqual(norm('process.executable', 'contains', '\\x.exe'), ['process.executable contains \\x.exe']);
    assert.deepEqual(norm('process.command_line', 'endswith', '\\x.exe'), ['process.command_line endswith \\x.exe']);
  });
  it('keeps negation and case, and never duplicates an indicator the rule has', () => {
    const out = normalizeIndicators([ind('process.executable', 'endswith', '\\X.exe', { negated: true, caseSensitive: true }), ind('process.name', 'eq', 'X.exe', { negated: true, caseSensitive: true })]);
    assert.deepEqual(triples(out), ['!process.executable endswith \\X.exe', '!process.name eq X.exe']);
  });
});

describe('a hash list names each hash', () => {
  const sha = 'A'.repeat(64);
  it('SHA256=<64 hex> in Sysmon Hashes is process.hash.sha256', () => {
    const out = normalizeIndicators([ind('process.hashes', 'contains', `SHA256=${sha}`)]);
    assert.deepEqual(triples(out), [`process.hashes contains sha256=${sha.toLowerCase()}`, `process.hash.sha256 eq ${sha.toLowerCase()}`]);
    assert.equal((out[1] as CanonicalIndicator).derived, 'hash-from-list');
    assert.deepEqual(triples(normalizeIndicators([ind('dll.hashes', 'contains', `IMPHASH=${'b'.repeat(32)}`)])).at(-1), `dll.pe.imphash eq ${'b'.repeat(32)}`);
  });
  it('not when the length does not fit the algorithm', () => {
    assert.equal(normalizeIndicators([ind('process.hashes', 'contains', 'MD5=ABC')]).length, 1);
    assert.equal(normalizeIndicators([ind('process.hashes', 'contains', `MD5=${sha}`)]).length, 1);
  });
  it('works end to end from a Sigma rule', () => {
    const r = sigmaRule(`    sel:\n        Hashes|contains: 'SHA256=${sha}'\n    condition: sel`);
    assert.ok(triples(canonicalIndicators(r)).includes(`process.hash.sha256 eq ${sha.toLowerCase()}`));
  });
});

describe('an argument is text of the command line', () => {
  it('process.args eq X also yields process.command_line contains X', () => {
    const out = normalizeIndicators([ind('process.args', 'eq', '-EncodedCommand'), ind('process.parent.args', 'eq', '/c')]);
    assert.deepEqual(triples(out), ['process.args eq -encodedcommand', 'process.parent.args eq /c', 'process.command_line contains -encodedcommand', 'process.parent.command_line contains /c']);
    assert.equal((out[2] as CanonicalIndicator).derived, 'arg-in-command-line');
  });
  it('not for other operators', () => {
    assert.equal(normalizeIndicators([ind('process.args', 'startswith', '-enc')]).length, 1);
  });
});
