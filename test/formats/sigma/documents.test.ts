import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTimespan, readSigma } from '../../../src/formats/sigma/index.js';
import { codes, errors } from '../../helpers.js';

const read = (text: string) => readSigma(text, { file: 'doc.yml' });

const BASE = `title: Failed logon
name: failed_logon
id: 5638f7c0-ac70-491d-8465-2a65075e0d86
logsource:
    product: windows
    service: security
detection:
    selection:
        EventID: 4625
    condition: selection
`;

describe('Sigma correlation rules', () => {
  for (const [type, cond] of [
    ['event_count', '    condition:\n        gte: 100'],
    ['value_count', '    condition:\n        field: User\n        gte: 100'],
    ['temporal', ''],
    ['temporal_ordered', ''],
    ['value_sum', '    condition:\n        field: bytes_sent\n        gt: 1000000'],
    ['value_avg', '    condition:\n        field: BytesOut\n        gt: 500'],
    ['value_percentile', '    condition:\n        field: image\n        lte: 1'],
  ] as const) {
    it(`${type} with group-by, timespan and condition`, () => {
      const docs = read(`${BASE}---
title: Many failed logons
id: 0e95725d-7320-415d-80f7-004da920fc11
correlation:
    type: ${type}
    rules:
        - failed_logon
        - 5638f7c0-ac70-491d-8465-2a65075e0d86
    group-by:
        - ComputerName
    timespan: 1h
${cond}
level: high
`);
      assert.equal(docs.length, 2);
      const c = docs[1]!;
      assert.deepEqual(errors(c), []);
      assert.equal(c.kind, 'correlation');
      assert.equal(c.correlation!.type, type);
      assert.deepEqual(c.correlation!.groupBy, ['ComputerName']);
      assert.equal(c.correlation!.timespan.seconds, 3600);
      assert.equal(c.logic[0]!.role, 'correlate');
      assert.equal(c.source.document, 1);
      assert.equal(docs[0]!.kind, 'detection');
    });
  }

  it('aliases and generate', () => {
    const [c] = read(`title: x
correlation:
    type: temporal
    rules: [internal_error, new_network_connection]
    group-by: [ip]
    timespan: 10s
    aliases:
        ip:
            internal_error: destination.ip
            new_network_connection: source.ip
    generate: true
`);
    assert.deepEqual(errors(c!), []);
    assert.deepEqual(c!.correlation!.aliases, { ip: { internal_error: 'destination.ip', new_network_connection: 'source.ip' } });
    assert.equal(c!.correlation!.generate, true);
  });

  it('reports what is missing or wrong', () => {
    const bad = (body: string) => codes(read(`title: x\ncorrelation:\n${body}`)[0]!);
    assert.ok(bad('    type: event_count\n    rules: [a]\n    timespan: 1h').includes('sigma.correlation'), 'missing condition');
    assert.ok(bad('    type: value_count\n    rules: [a]\n    timespan: 1h\n    condition:\n        gte: 3').includes('sigma.correlation'), 'missing field');
    assert.ok(bad('    type: evnt_count\n    rules: [a]\n    timespan: 1h').includes('sigma.correlation'));
    assert.ok(bad('    type: event_count\n    rules: [a]\n    timespan: an hour\n    condition:\n        gte: 1').includes('sigma.correlation'));
    assert.match(read('title: x\ncorrelation:\n    type: evnt_count\n    rules: [a]\n    timespan: 1h')[0]!.diagnostics[0]!.message, /did you mean 'event_count'/);
  });

  it('timespans', () => {
    assert.equal(parseTimespan('90m'), 5400);
    assert.equal(parseTimespan('1d'), 86400);
    assert.equal(parseTimespan('5x'), null);
  });
});

describe('Sigma filters', () => {
  it('reads the specification example', () => {
    const [f] = read(`title: Filter Administrator account
description: The valid administrator account start with adm_
logsource:
    category: process_creation
    product: windows
filter:
    rules:
        - 6f3e2987-db24-4c78-a860-b4f4095a7095 # Data Compressed - rar.exe
        - df0841c0-9846-4e9f-ad8a-7df91571771b # Login on jump host
    selection:
        User|startswith: 'adm_'
    condition: selection
`);
    assert.deepEqual(errors(f!), []);
    assert.equal(f!.kind, 'filter');
    assert.deepEqual(f!.filter!.rules, ['6f3e2987-db24-4c78-a860-b4f4095a7095', 'df0841c0-9846-4e9f-ad8a-7df91571771b']);
    assert.equal(f!.logic[0]!.filter!.kind, 'match');
  });
  it('a filter without rules is an error', () => {
    assert.ok(codes(read('title: f\nlogsource:\n    product: windows\nfilter:\n    selection:\n        User: x\n    condition: selection\n')[0]!).includes('sigma.filter'));
  });
});

describe('Sigma documents and metadata', () => {
  it('multi-document files give one rule per document, positions per document', () => {
    const docs = read(`${BASE}---\n${BASE.replace('5638f7c0-ac70-491d-8465-2a65075e0d86', '00000000-0000-4000-8000-000000000000').replace('EventID: 4625', 'EventID|contians: 4625')}`);
    assert.equal(docs.length, 2);
    const d = docs[1]!.diagnostics.find((x) => x.code === 'sigma.unknown-modifier')!;
    assert.equal(d.line, 20);
  });
  it('missing required attributes', () => {
    const [r] = read('id: x\n');
    assert.ok(codes(r!).includes('sigma.missing-attribute'));
    const [r2] = read('title: t\nlogsource:\n    product: windows\n');
    assert.ok(errors(r2!).some((e) => e.includes("'detection'")));
  });
  it('metadata with the wrong types or values are findings', () => {
    const [r] = read(`title: t\nid: not-a-uuid\nstatus: nope\nlevel: severe\ndate: 2021/05/14\ntags:\n    - attack.comand-and-control\n    - attack.t1059.1\n    - Attack.T1059\n    - attack.t1572\n    - attack.t1572\nlogsource:\n    product: windows\ndetection:\n    s:\n        F: x\n    condition: s\n`);
    const c = codes(r!);
    for (const code of ['sigma.id-format', 'sigma.status', 'sigma.level', 'sigma.date-format', 'sigma.attack-tag', 'sigma.tag-format', 'sigma.duplicate-tag']) assert.ok(c.includes(code), code);
    assert.ok(r!.diagnostics.some((d) => d.message.includes("did you mean 'attack.command-and-control'")));
    assert.deepEqual(errors(r!), []);
  });
  it('accepts the ATT&CK v19 tactics Sigma uses', () => {
    const [r] = read(`title: t\ntags:\n    - attack.stealth\n    - attack.defense-impairment\n    - attack.t1685\nlogsource:\n    product: windows\ndetection:\n    s:\n        F: x\n    condition: s\n`);
    assert.ok(!codes(r!).includes('sigma.attack-tag'));
    assert.deepEqual(r!.attack.tactics, ['stealth', 'defense-impairment']);
    assert.deepEqual(r!.attack.techniques, ['T1685']);
  });
});
