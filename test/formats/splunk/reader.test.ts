import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readSplunk, riskScore, riskSeverity } from '../../../src/formats/splunk/index.js';
import { walkExpr, type Expr, type Rule } from '../../../src/model/index.js';
import { macroTable } from './helpers.js';

const DETECTION = `name: Test Detection
id: 11111111-2222-4333-8444-555555555555
version: 3
date: '2024-10-17'
author: A. Author, Splunk
status: production
type: TTP
data_source:
- Sysmon EventID 1
- Windows Event Log Security 4688
description: Finds things.
search: '| tstats count from datamodel=Endpoint.Processes where Processes.process_name=cmd.exe
  Processes.process="*/c*" by Processes.dest | \`drop_dm_object_name(Processes)\`
  | where process!="x" | \`test_detection_filter\`'
how_to_implement: Ingest process data.
known_false_positives: Administrators.
references:
- https://example.com/a
tags:
  analytic_story:
  - Story One
  asset_type: Endpoint
  confidence: 80
  impact: 70
  message: Something on $dest$
  mitre_attack_id:
  - T1059.003
  - t1059
  - TA0002
  cve:
  - CVE-2023-1234
  observable:
  - name: dest
    type: Hostname
  product:
  - Splunk Enterprise
  required_fields:
  - Processes.dest
  risk_score: 56
  security_domain: endpoint
tests:
- name: True Positive Test
`;

function read(text: string, file = 'detections/endpoint/test.yml'): Rule {
  return readSplunk(text, { file })[0]!;
}

function leaves(r: Rule): Expr[] {
  const out: Expr[] = [];
  for (const s of r.logic) if (s.filter) walkExpr(s.filter, (n) => { if (n.kind === 'match' || n.kind === 'exists' || n.kind === 'opaque') out.push(n); });
  return out;
}

describe('Splunk reader: Security Content metadata', () => {
  const r = read(DETECTION);

  it('reads the attributes', () => {
    assert.equal(r.id, 'splunk:11111111-2222-4333-8444-555555555555');
    assert.equal(r.nativeId, '11111111-2222-4333-8444-555555555555');
    assert.equal(r.format, 'splunk');
    assert.equal(r.title, 'Test Detection');
    assert.equal(r.author, 'A. Author, Splunk');
    assert.equal(r.date, '2024-10-17');
    assert.equal(r.status, 'production');
    assert.equal(r.description, 'Finds things.');
    assert.deepEqual(r.dataSources, ['Sysmon EventID 1', 'Windows Event Log Security 4688']);
    assert.deepEqual(r.references, ['https://example.com/a']);
    assert.deepEqual(r.falsePositives, ['Administrators.']);
  });

  it('reads ATT&CK techniques (upper-cased, deduplicated) and flags what is not a technique id', () => {
    assert.deepEqual(r.attack.techniques, ['T1059.003', 'T1059']);
    assert.ok(r.diagnostics.some((d) => d.code === 'splunk.attack-id' && d.message.includes('TA0002')));
    assert.deepEqual(r.tags, ['attack.t1059.003', 'attack.t1059', 'analytic_story:Story One', 'cve.2023-1234']);
  });

  it('keeps how_to_implement, type, stories, required fields and the rest in custom', () => {
    const c = r.custom!;
    assert.equal(c.how_to_implement, 'Ingest process data.');
    assert.equal(c.type, 'TTP');
    assert.equal(c.version, 3);
    assert.deepEqual(c.analytic_story, ['Story One']);
    assert.deepEqual((c.tags as Record<string, unknown>).required_fields, ['Processes.dest']);
    assert.deepEqual((c.tags as Record<string, unknown>).asset_type, 'Endpoint');
    assert.ok(Array.isArray(c.tests));
  });

  it('derives severity from confidence × impact', () => {
    assert.equal(r.custom!.risk_score, 56);
    assert.equal(r.severity, 'medium');
    assert.equal(r.diagnostics.filter((d) => d.code === 'splunk.risk-score').length, 0);
  });

  it('maps risk scores to severities at contentctl thresholds', () => {
    assert.deepEqual([0, 20, 21, 40, 41, 60, 61, 80, 81, 100].map(riskSeverity), ['informational', 'informational', 'low', 'low', 'medium', 'medium', 'high', 'high', 'critical', 'critical']);
    assert.equal(riskScore(75, 75), 56);
    assert.equal(riskScore(50, 50), 25);
  });

  it('warns when the stated risk_score disagrees, and follows the computed one', () => {
    const w = read(DETECTION.replace('risk_score: 56', 'risk_score: 90'));
    const d = w.diagnostics.find((x) => x.code === 'splunk.risk-score')!;
    assert.match(d.message, /risk_score is 90 but confidence × impact \/ 100 is 56/);
    assert.equal(w.severity, 'medium');
  });

  it('parses the search with spans into the file, through YAML folding and quotes', () => {
    assert.deepEqual(r.logic.map((s) => s.command), ['tstats', 'rename', 'where', 'macro']);
    const texts = leaves(r).map((n) => DETECTION.slice(n.span.start, n.span.end));
    assert.deepEqual(texts, ['Processes.process_name=cmd.exe', 'Processes.process="*/c*"', 'process', 'process!="x"']);
    assert.equal(DETECTION.slice(r.logic[1]!.span.start, r.logic[1]!.span.end), '`drop_dm_object_name(Processes)`');
    assert.equal(r.logic[2]!.text, 'where process!="x"');
    // In where, 'x' is a field name: the comparison is between two fields.
    const q = read(DETECTION.replace('process!="x"', "process!=''x''")).logic[2]!.filter!;
    assert.equal(q.kind === 'and' && q.args[2]!.kind === 'not' && q.args[2]!.arg.kind, 'fieldref');
  });

  it('expands the macros it is given', () => {
    const withMacro = readSplunk(DETECTION.replace('Processes.process_name=cmd.exe', '`process_cmd`'), { file: 'x.yml', macros: macroTable({ process_cmd: '(Processes.process_name=cmd.exe OR Processes.original_file_name=Cmd.Exe)' }) })[0]!;
    const f = withMacro.logic[0]!.filter!;
    assert.equal(f.kind, 'and');
    if (f.kind === 'and') assert.equal(f.args[0]!.label, 'process_cmd');
  });

  it('stamps provenance and a link upstream', () => {
    const p = readSplunk(DETECTION, { file: '/abs/detections/endpoint/test.yml', source: { corpus: 'splunk', repository: 'splunk/security_content', commit: 'abc123', path: 'detections/endpoint/test.yml', license: 'Apache-2.0' } })[0]!;
    assert.equal(p.source.url, 'https://github.com/splunk/security_content/blob/abc123/detections/endpoint/test.yml');
    assert.equal(p.source.license, 'Apache-2.0');
    assert.equal(p.body, DETECTION);
  });

  it('uses the id prefix', () => {
    assert.equal(readSplunk(DETECTION, { file: 'x.yml', idPrefix: 'escu' })[0]!.id, 'escu:11111111-2222-4333-8444-555555555555');
  });
});

describe('Splunk reader: where the query sits in the YAML', () => {
  const spanText = (yaml: string): string => {
    const r = read(yaml);
    const leaf = leaves(r)[0]!;
    return yaml.slice(leaf.span.start, leaf.span.end);
  };
  it('maps a plain scalar', () => assert.equal(spanText('name: x\nid: y\nsearch: index=main a=1\n'), 'index=main'));
  it('maps a double-quoted scalar with escapes', () => assert.equal(spanText('name: x\nid: y\nsearch: "b=\\"q\\" a=1"\n'), 'b=\\"q\\"'));
  it('maps a double-quoted scalar folded over lines', () => assert.equal(spanText('name: x\nid: y\nsearch: "index=main\n  a=1 b=2"\n').length, 'index=main'.length));
  it('maps a literal block', () => {
    const yaml = 'name: x\nid: y\nsearch: |\n  index=main\n  | where a=1\n';
    const r = read(yaml);
    assert.deepEqual(leaves(r).map((n) => yaml.slice(n.span.start, n.span.end)), ['index=main', 'a=1']);
  });
  it('maps a folded block', () => {
    const yaml = 'name: x\nid: y\nsearch: >-\n  index=main\n  a=1\n';
    assert.deepEqual(leaves(read(yaml)).map((n) => yaml.slice(n.span.start, n.span.end)), ['index=main', 'a=1']);
  });
});

describe('Splunk reader: bad input', () => {
  const cases: Array<[string, string, string]> = [
    ['not YAML', 'name: [unclosed\nsearch: x', 'splunk.yaml-syntax'],
    ['a list', '- a\n- b\n', 'splunk.not-a-map'],
    ['no search', 'name: x\nid: y\n', 'splunk.missing-search'],
    ['search not a string', 'name: x\nid: y\nsearch:\n  a: 1\n', 'splunk.attribute-type'],
    ['empty search', "name: x\nid: y\nsearch: ''\n", 'spl.empty-search'],
    ['blank search', "name: x\nid: y\nsearch: '  '\n", 'spl.empty-search'],
    ['another language', 'title: x\nid: y\nlogic_format: KQL\nlogic: SecurityEvent\n', 'splunk.not-spl'],
    ['empty file', '', 'splunk.empty-file'],
    ['binary', 'name: x\u0000', 'splunk.binary-file'],
    ['no name', 'id: y\nsearch: a\n', 'splunk.missing-attribute'],
  ];
  for (const [what, text, code] of cases) {
    it(`gives a positioned finding for ${what}`, () => {
      const rules = readSplunk(text, { file: 'bad.yml' });
      assert.ok(rules.length >= 1);
      const d = rules[0]!.diagnostics.find((x) => x.code === code);
      assert.ok(d, `${code} in ${JSON.stringify(rules[0]!.diagnostics.map((x) => x.code))}`);
      assert.ok(d.line >= 1 && d.column >= 1);
      assert.equal(d.file, 'bad.yml');
    });
  }

  it('reads every document of a multi-document file', () => {
    const rules = readSplunk('name: a\nid: 1\nsearch: x=1\n---\nname: b\nid: 2\nsearch: y=2\n', { file: 'multi.yml' });
    assert.deepEqual(rules.map((r) => r.id), ['splunk:1', 'splunk:2']);
    assert.equal(rules[1]!.source.document, 1);
  });

  it('never throws on mangled searches', () => {
    for (const q of ['|', '| |', '[', '`', '```', '| tstats where by from', '| where (', '| eval =', '| rename as', '| lookup', '| join [', '"', "'", '| regex', '| rex', '\\']) {
      const r = read(`name: x\nid: y\nsearch: ${JSON.stringify(q)}\n`);
      for (const d of r.diagnostics) assert.ok(d.line >= 1 && d.column >= 1, q);
    }
  });
});
