import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadRuleFile } from '../../src/formats/load.js';
import { readSplunk } from '../../src/formats/splunk/index.js';
import { lintRule } from '../../src/lint/index.js';
import { ROOT } from '../helpers.js';

const splunk = (search: string) =>
  readSplunk(`name: Test\nid: 0f000000-0000-4000-8000-000000000002\ntype: TTP\nsearch: '${search.replace(/'/g, "''")}'\ntags:\n  mitre_attack_id:\n  - T1059\n`, { file: 'inline.yml' })[0]!;
const codes = (search: string) => lintRule(splunk(search)).map((d) => d.code);

describe('lint: SPL precedence and fields outside the taxonomy', () => {
  it("flags seed 002's OR that binds tighter than the implied AND, at its line", () => {
    const d = lintRule(loadRuleFile(join(ROOT, 'test', 'fixtures', 'splunk', 'seed-002.yml'))[0]!).filter((x) => x.code === 'lint.spl-precedence');
    assert.equal(d.length, 1);
    assert.match(d[0]!.message, /"TERM\(ngrok\) OR \(TERM\(start\)/);
    assert.equal(d[0]!.severity, 'warning');
  });

  it('flags `a b OR c`, not `(a b) OR c`, `a (b OR c)`, `a AND b OR c` or a data selection before an OR', () => {
    assert.ok(codes('process_name=cmd.exe process=*whoami* OR process=*net1*').includes('lint.spl-precedence'));
    assert.ok(!codes('(process_name=cmd.exe process=*whoami*) OR process=*net1*').includes('lint.spl-precedence'));
    assert.ok(!codes('process_name=cmd.exe (process=*whoami* OR process=*net1*)').includes('lint.spl-precedence'));
    assert.ok(!codes('process_name=cmd.exe AND process=*whoami* OR process=*net1*').includes('lint.spl-precedence'));
    assert.ok(!codes('index=main sourcetype=xmlwineventlog process=*whoami* OR process=*net1*').includes('lint.spl-precedence'));
  });

  it('names fields the taxonomy does not know for the vendor, once per rule', () => {
    const d = lintRule(splunk('process_name=cmd.exe Frobnicate=1 Wibble=2')).filter((x) => x.code === 'lint.unknown-field');
    assert.equal(d.length, 1);
    assert.match(d[0]!.message, /fields Frobnicate, Wibble are not in RuleAtlas's field taxonomy for splunk/);
    assert.equal(d[0]!.severity, 'info');
    assert.deepEqual(lintRule(splunk('process_name=cmd.exe')).filter((x) => x.code === 'lint.unknown-field'), []);
  });
});
