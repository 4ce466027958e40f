import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { base64Offsets } from '../../../src/formats/sigma/index.js';
import { codes, errors, logic, rule } from '../../helpers.js';

const m = (field: string, operator: string, values: unknown[], extra: object = {}) => ({ kind: 'match', field, operator, values, all: false, caseSensitive: false, ...extra });

describe('Sigma modifiers', () => {
  it('plain values are case-insensitive equality; lists are any-of', () => {
    assert.deepEqual(logic(rule('    sel:\n        Image: C:\\Windows\\cmd.exe\n    condition: sel')), m('Image', 'eq', ['C:\\Windows\\cmd.exe']));
    assert.deepEqual(logic(rule('    sel:\n        EventID:\n            - 1\n            - 4688\n    condition: sel')), m('EventID', 'eq', [1, 4688]));
  });

  it('contains, startswith, endswith become affix operators', () => {
    assert.deepEqual(logic(rule("    sel:\n        CommandLine|contains: ' tcp '\n    condition: sel")), m('CommandLine', 'contains', [' tcp ']));
    assert.deepEqual(logic(rule("    sel:\n        Image|startswith: 'C:\\Temp\\'\n    condition: sel")), m('Image', 'startswith', ['C:\\Temp\\']));
    assert.deepEqual(logic(rule("    sel:\n        Image|endswith: '\\ngrok.exe'\n    condition: sel")), m('Image', 'endswith', ['\\ngrok.exe']));
  });

  it('all links the values with AND', () => {
    const e = logic(rule("    sel:\n        CommandLine|contains|all:\n            - ' start '\n            - '--all'\n    condition: sel"));
    assert.deepEqual(e, m('CommandLine', 'contains', [' start ', '--all'], { all: true }));
  });

  it('all on a single value is flagged', () => {
    assert.ok(codes(rule("    sel:\n        CommandLine|contains|all: 'x'\n    condition: sel")).includes('sigma.all-single-value'));
  });

  it('cased makes matching case-sensitive', () => {
    assert.deepEqual(logic(rule("    sel:\n        CommandLine|contains|cased: 'AbC'\n    condition: sel")), m('CommandLine', 'contains', ['AbC'], { caseSensitive: true }));
  });

  it('base64 encodes the value', () => {
    assert.deepEqual(logic(rule("    sel:\n        CommandLine|base64: 'cmd'\n    condition: sel")), m('CommandLine', 'eq', ['Y21k'], { transforms: ['base64'] }));
  });

  it('base64offset gives the three shifted encodings of the specification', () => {
    // Values from the Sigma project's documentation of base64offset for "/bin/bash".
    assert.deepEqual(base64Offsets(Buffer.from('/bin/bash')), ['L2Jpbi9iYXNo', '9iaW4vYmFza', 'vYmluL2Jhc2']);
    const e = logic(rule("    sel:\n        CommandLine|base64offset|contains: '/bin/bash'\n    condition: sel"));
    assert.deepEqual(e, m('CommandLine', 'contains', ['L2Jpbi9iYXNo', '9iaW4vYmFza', 'vYmluL2Jhc2'], { transforms: ['base64offset'] }));
  });

  it('base64offset with all keeps each value a group of alternatives', () => {
    const e = logic(rule("    sel:\n        CommandLine|base64offset|contains|all:\n            - 'ab'\n            - 'cd'\n    condition: sel")) as { kind: string; args: unknown[] };
    assert.equal(e.kind, 'and');
    assert.equal(e.args.length, 2);
    assert.deepEqual(e.args[0], m('CommandLine', 'contains', base64Offsets(Buffer.from('ab')), { transforms: ['base64offset'] }));
  });

  it('encoding a wildcard is an error, not a crash', () => {
    const r = rule("    sel:\n        CommandLine|contains|base64: 'abc'\n    condition: sel");
    assert.ok(codes(r).includes('sigma.modifier-wildcard'), codes(r).join());
  });

  it('utf16le / wide / utf16be / utf16 encode as the specification shows', () => {
    const le = logic(rule("    sel:\n        Payload|utf16le: 'cmd'\n    condition: sel")) as { values: string[] };
    assert.deepEqual([...Buffer.from(le.values[0]!, 'latin1')], [0x63, 0, 0x6d, 0, 0x64, 0]);
    const wide = logic(rule("    sel:\n        Payload|wide: 'cmd'\n    condition: sel")) as { values: string[] };
    assert.deepEqual(wide.values, le.values);
    const be = logic(rule("    sel:\n        Payload|utf16be: 'cmd'\n    condition: sel")) as { values: string[] };
    assert.deepEqual([...Buffer.from(be.values[0]!, 'latin1')], [0, 0x63, 0, 0x6d, 0, 0x64]);
    const bom = logic(rule("    sel:\n        Payload|utf16: 'cmd'\n    condition: sel")) as { values: string[] };
    assert.deepEqual([...Buffer.from(bom.values[0]!, 'latin1')], [0xff, 0xfe, 0x63, 0, 0x6d, 0, 0x64, 0]);
  });

  it('wide then base64offset encodes the UTF-16 bytes', () => {
    const e = logic(rule("    sel:\n        CommandLine|wide|base64offset|contains: 'ping'\n    condition: sel")) as { values: string[] };
    assert.deepEqual(e.values, base64Offsets(Buffer.from('ping', 'utf16le')));
  });

  it('windash expands every dash variant the specification lists, only at word starts', () => {
    const e = logic(rule("    sel:\n        CommandLine|windash|contains: ' -param-name'\n    condition: sel")) as { values: string[] };
    assert.deepEqual(e.values, [' -param-name', ' /param-name', ' \u2013param-name', ' \u2014param-name', ' \u2015param-name']);
    const two = logic(rule("    sel:\n        CommandLine|windash|contains: ' -a -b'\n    condition: sel")) as { values: string[] };
    assert.equal(two.values.length, 25);
  });

  it('re keeps the pattern and takes i, m, s flags', () => {
    assert.deepEqual(logic(rule("    sel:\n        CommandLine|re: 'a.*b'\n    condition: sel")), m('CommandLine', 'regex', ['a.*b'], { flags: '', caseSensitive: true }));
    assert.deepEqual(logic(rule("    sel:\n        CommandLine|re|i|m|s: 'a.*b'\n    condition: sel")), m('CommandLine', 'regex', ['a.*b'], { flags: 'ims', caseSensitive: false }));
    assert.ok(codes(rule("    sel:\n        CommandLine|i: 'x'\n    condition: sel")).includes('sigma.modifier-order'));
    assert.ok(codes(rule("    sel:\n        CommandLine|contains|re: 'x'\n    condition: sel")).includes('sigma.modifier-order'));
  });

  it('a regex that cannot compile is a warning', () => {
    assert.ok(codes(rule("    sel:\n        CommandLine|re: 'a(b'\n    condition: sel")).includes('sigma.regex-syntax'));
  });

  it('cidr accepts IPv4 and IPv6 networks and rejects others', () => {
    assert.deepEqual(logic(rule("    sel:\n        DestinationIp|cidr:\n            - '10.0.0.0/8'\n            - 'fe80::/10'\n    condition: sel")), m('DestinationIp', 'cidr', ['10.0.0.0/8', 'fe80::/10']));
    assert.ok(codes(rule("    sel:\n        DestinationIp|cidr: '10.0.0.300/8'\n    condition: sel")).includes('sigma.invalid-cidr'));
    assert.ok(codes(rule("    sel:\n        DestinationIp|cidr: '10.0.0.0/33'\n    condition: sel")).includes('sigma.invalid-cidr'));
    assert.ok(codes(rule("    sel:\n        DestinationIp|cidr: 'fe80:::1/64'\n    condition: sel")).includes('sigma.invalid-cidr'));
  });

  it('exists tests presence', () => {
    assert.deepEqual(logic(rule('    sel:\n        PasswordLastSet|exists: true\n    condition: sel')), { kind: 'exists', field: 'PasswordLastSet' });
    assert.deepEqual(logic(rule('    sel:\n        PasswordLastSet|exists: false\n    condition: sel')), { kind: 'not', arg: { kind: 'exists', field: 'PasswordLastSet' } });
    assert.ok(codes(rule("    sel:\n        PasswordLastSet|exists: 'maybe'\n    condition: sel")).includes('sigma.modifier-type'));
  });

  it('gt / gte / lt / lte compare numbers', () => {
    assert.deepEqual(logic(rule('    sel:\n        Count|gt: 5\n    condition: sel')), { kind: 'compare', field: 'Count', op: 'gt', value: 5 });
    assert.deepEqual(logic(rule('    sel:\n        Count|lte: 1.5\n    condition: sel')), { kind: 'compare', field: 'Count', op: 'lte', value: 1.5 });
    assert.ok(codes(rule("    sel:\n        Count|gt: 'many'\n    condition: sel")).includes('sigma.modifier-type'));
  });

  it('neq negates', () => {
    assert.deepEqual(logic(rule("    sel:\n        User|neq: 'SYSTEM'\n    condition: sel")), { kind: 'not', arg: m('User', 'eq', ['SYSTEM']) });
  });

  it('fieldref compares two fields, with affixes', () => {
    assert.deepEqual(logic(rule('    sel:\n        ParentImage|fieldref: Image\n    condition: sel')), { kind: 'fieldref', field: 'ParentImage', operator: 'eq', other: 'Image', caseSensitive: false });
    assert.deepEqual(logic(rule('    sel:\n        CommandLine|fieldref|contains: Image\n    condition: sel')), { kind: 'fieldref', field: 'CommandLine', operator: 'contains', other: 'Image', caseSensitive: false });
    assert.deepEqual(logic(rule('    sel:\n        CommandLine|fieldref|endswith: Image\n    condition: sel')), { kind: 'fieldref', field: 'CommandLine', operator: 'endswith', other: 'Image', caseSensitive: false });
    assert.deepEqual(logic(rule('    sel:\n        CommandLine|fieldref|startswith: Image\n    condition: sel')), { kind: 'fieldref', field: 'CommandLine', operator: 'startswith', other: 'Image', caseSensitive: false });
  });

  it('expand keeps placeholders by name', () => {
    const e = logic(rule("    sel:\n        User|expand: '%Administrators%'\n    condition: sel")) as { placeholders: string[]; operator: string };
    assert.deepEqual(e.placeholders, ['Administrators']);
    assert.equal(e.operator, 'wildcard');
    const plain = logic(rule("    sel:\n        User: '%Administrators%'\n    condition: sel")) as { operator: string; values: string[] };
    assert.deepEqual(plain.values, ['%Administrators%'], 'without expand a placeholder is literal');
    const escaped = logic(rule("    sel:\n        User|expand: '\\%plain%name%'\n    condition: sel")) as { placeholders: string[] };
    assert.deepEqual(escaped.placeholders, ['name']);
  });

  it('time-part modifiers compare a part of a timestamp', () => {
    assert.deepEqual(logic(rule('    sel:\n        Timestamp|hour: 3\n    condition: sel')), m('Timestamp', 'eq', [3], { part: 'hour' }));
    for (const p of ['minute', 'day', 'week', 'month', 'year']) assert.deepEqual(errors(rule(`    sel:\n        Timestamp|${p}: 3\n    condition: sel`)), []);
  });

  it('an unknown modifier is an error with a suggestion and a position', () => {
    const r = rule("    sel:\n        CommandLine|contians: 'x'\n    condition: sel");
    const d = r.diagnostics.find((x) => x.code === 'sigma.unknown-modifier')!;
    assert.match(d.message, /did you mean 'contains'/);
    assert.equal(d.line, 8);
    assert.equal(d.column, 9);
  });

  it('null and empty string values', () => {
    assert.deepEqual(logic(rule('    sel:\n        PasswordLastSet: null\n    condition: sel')), m('PasswordLastSet', 'eq', [null]));
    assert.deepEqual(logic(rule("    sel:\n        PasswordLastSet: ''\n    condition: sel")), m('PasswordLastSet', 'eq', ['']));
    assert.deepEqual(logic(rule('    sel:\n        PasswordLastSet:\n    condition: sel')), m('PasswordLastSet', 'eq', [null]));
  });

  it('numbers and booleans', () => {
    assert.deepEqual(logic(rule('    sel:\n        Enabled: true\n    condition: sel')), m('Enabled', 'eq', [true]));
    assert.deepEqual(logic(rule('    sel:\n        Port: 445\n    condition: sel')), m('Port', 'eq', [445]));
  });

  it('notes where YAML 1.1 would read a value differently', () => {
    const r = rule('    sel:\n        Enabled: yes\n    condition: sel');
    assert.deepEqual(logic(r), m('Enabled', 'eq', ['yes']));
    assert.ok(codes(r).includes('sigma.yaml11-coercion'));
    assert.ok(codes(rule('    sel:\n        Port: 0445\n    condition: sel')).includes('sigma.yaml11-coercion'));
  });
});
