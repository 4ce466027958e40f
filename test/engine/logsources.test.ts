import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { loadRuleFile } from '../../src/formats/load.js';
import { LogsourceTaxonomy, logsourceTaxonomy } from '../../src/taxonomy/logsources.js';
import { SHARED, SIGMA, SIGMA_RULE_DIRS, listFiles } from '../helpers.js';

const tax = logsourceTaxonomy();

interface ThorSource {
  category?: string;
  product?: string;
  service?: string;
  conditions?: Record<string, unknown>;
  rewrite?: { product: string; service: string };
  sources?: string[];
  fieldmappings?: Record<string, string>;
}

describe('logsource taxonomy', () => {
  it('maps process_creation to Sysmon 1 and Security 4688 with the 4688 field names', () => {
    const r = tax.resolve({ category: 'process_creation', product: 'windows' });
    assert.equal(r.status, 'mapped');
    assert.deepEqual(
      r.sources.map((s) => [s.channels, s.eventIds]),
      [
        [['Microsoft-Windows-Sysmon/Operational'], [1]],
        [['Security'], [4688]],
      ],
    );
    assert.equal(r.sources[1]!.fieldMap!.Image!.field, 'NewProcessName');
    assert.equal(r.sources[1]!.fieldMap!.ParentImage!.field, 'ParentProcessName');
    assert.equal(r.sources[1]!.fieldMap!.User!.fidelity, 'approximate');
  });

  it('services map to channels, categories narrow by service, unknown things say why', () => {
    assert.deepEqual(tax.resolve({ product: 'windows', service: 'security' }).sources[0]!.channels, ['Security']);
    assert.deepEqual(tax.resolve({ product: 'windows', service: 'sysmon' }).sources[0]!.channels, ['Microsoft-Windows-Sysmon/Operational']);
    assert.deepEqual(tax.resolve({ product: 'windows', service: 'powershell-classic' }).sources[0]!.channels, ['Windows PowerShell']);
    assert.deepEqual(tax.resolve({ product: 'windows', service: 'microsoft-servicebus-client' }).sources[0]!.channels, ['Microsoft-ServiceBus-Client/Admin', 'Microsoft-ServiceBus-Client/Operational']);
    const only4688 = tax.resolve({ category: 'process_creation', product: 'windows', service: 'security' });
    assert.deepEqual(only4688.sources.map((s) => s.eventIds), [[4688]]);
    assert.equal(tax.resolve({ product: 'windows' }).status, 'product');
    assert.equal(tax.resolve({ product: 'linux', service: 'auth' }).status, 'unmapped');
    assert.equal(tax.resolve({ product: 'windows', category: 'file_access' }).status, 'no-channel');
    assert.equal(tax.resolve({ category: 'antivirus' }).sources[0]!.fieldMap!.Signature!.field, 'ThreatName');
  });

  it('titles common events', () => {
    assert.equal(tax.eventTitle('Security', 4688), 'A new process has been created.');
    assert.equal(tax.eventTitle('security', '4624'), 'An account was successfully logged on.');
    assert.equal(tax.eventTitle('Microsoft-Windows-Sysmon/Operational', 1), 'Process creation');
    assert.equal(tax.eventTitle('Microsoft-Windows-Sysmon/Operational', 13), 'Registry value set');
    assert.equal(tax.eventTitle('System', 7045), 'A service was installed in the system.');
    assert.equal(tax.eventTitle('Security', 99999), undefined);
  });

  it('agrees with thor.yml, the mapping the regression ground truth was made with', () => {
    for (const file of [join(SHARED, 'events', 'sigma-regression', 'thor.yml'), join(SIGMA, 'tests', 'thor.yml')]) {
      const thor = parse(readFileSync(file, 'utf8')) as { logsources: Record<string, ThorSource> };
      let checked = 0;
      for (const [name, ls] of Object.entries(thor.logsources)) {
        if (ls.sources && ls.service && ls.product === 'windows') {
          const r = tax.resolve({ product: 'windows', service: ls.service });
          const channels = ls.sources.map((s) => s.replace(/^WinEventLog:/, ''));
          assert.deepEqual(r.sources[0]?.channels, channels, `${name}: service ${ls.service}`);
          checked++;
        } else if (ls.category && ls.rewrite && ls.conditions && 'EventID' in ls.conditions) {
          const ids = ([] as unknown[]).concat(ls.conditions.EventID).map(Number);
          const r = tax.resolve({ category: ls.category, product: 'windows' });
          const match = r.sources.find((s) => s.service === ls.rewrite!.service && ids.every((id) => s.eventIds?.includes(id)));
          assert.ok(match, `${name}: ${ls.category} → ${ls.rewrite.service} ${ids}`);
          for (const [k, v] of Object.entries(ls.conditions)) if (k !== 'EventID') assert.ok(match.conditions?.[k]?.includes(String(v)), `${name}: condition ${k}`);
          for (const [from, to] of Object.entries(ls.fieldmappings ?? {})) assert.equal(match.fieldMap?.[from]?.field, to, `${name}: field ${from}`);
          checked++;
        }
      }
      assert.ok(checked > 80, `${checked} thor.yml entries checked`);
    }
  });

  it('covers every Windows logsource the Sigma corpus uses', () => {
    const unmapped = new Map<string, number>();
    const noChannel = new Set<string>();
    let windows = 0;
    for (const d of [...SIGMA_RULE_DIRS, 'deprecated']) {
      for (const f of listFiles(join(SIGMA, d))) {
        for (const r of loadRuleFile(f)) {
          const ls = r.logsource;
          if (!ls || ls.product !== 'windows') continue;
          windows++;
          const res = tax.resolve(ls);
          const key = `${ls.category ?? ''}/${ls.service ?? ''}`;
          if (res.status === 'unmapped') unmapped.set(key, (unmapped.get(key) ?? 0) + 1);
          if (res.status === 'no-channel') noChannel.add(key);
        }
      }
    }
    assert.ok(windows > 2500);
    assert.deepEqual([...unmapped], []);
    // ETW-only telemetry, kept in the data with a note.
    assert.deepEqual([...noChannel].sort(), ['file_access/', 'file_rename/']);
  });

  it('rejects malformed data with the entry named', () => {
    assert.throws(() => new LogsourceTaxonomy({ products: {}, fieldMaps: { m: { Image: { field: 'x', fidelity: 'maybe' } } }, valueMaps: {}, systemFields: {}, events: {} }), /fieldMaps\.m\.Image\.fidelity/);
    assert.throws(() => new LogsourceTaxonomy({ products: { windows: { services: {}, categories: { c: { sources: [{ service: 'nope', eventIds: [1] }] } } } }, fieldMaps: {}, valueMaps: {}, systemFields: {}, events: {} }), /category c/);
  });
});
