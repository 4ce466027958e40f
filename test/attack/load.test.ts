import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { indexBundle, loadAttack, loadAttackSync, type AttackIndex } from '../../src/attack/index.js';
import { BUNDLE_PATH, externalId, isLiveRaw, rawBundle } from './fixtures.js';

type Raw = ReturnType<typeof rawBundle>['objects'][number];

let index: AttackIndex;
let raw: Raw[];
let byStix: Map<string, Raw>;
let loadMs: number;

before(() => {
  const loaded = loadAttackSync(BUNDLE_PATH);
  index = loaded.index;
  loadMs = loaded.timings.totalMs;
  raw = rawBundle().objects;
  byStix = new Map(raw.map((o) => [o.id, o]));
});

/** Independent count: straight over the JSON, live objects only. */
function countRaw(type: string, filter: (o: Raw) => boolean = () => true): number {
  return raw.filter((o) => o.type === type && isLiveRaw(o) && filter(o)).length;
}

function rels(type: string): Array<{ src: Raw; dst: Raw }> {
  return raw
    .filter((o) => o.type === 'relationship' && o['relationship_type'] === type)
    .map((r) => ({ src: byStix.get(r['source_ref'] as string)!, dst: byStix.get(r['target_ref'] as string)! }));
}

describe('bundle counts', () => {
  it('matches an independent count over the JSON, and the published v18.1 numbers', () => {
    const independent = {
      tactics: countRaw('x-mitre-tactic'),
      techniques: countRaw('attack-pattern', (o) => o['x_mitre_is_subtechnique'] !== true),
      subtechniques: countRaw('attack-pattern', (o) => o['x_mitre_is_subtechnique'] === true),
      dataComponents: countRaw('x-mitre-data-component'),
      detectionStrategies: countRaw('x-mitre-detection-strategy'),
      analytics: countRaw('x-mitre-analytic'),
      groups: countRaw('intrusion-set'),
      software: countRaw('malware') + countRaw('tool'),
      mitigations: countRaw('course-of-action'),
    };
    const counts = index.counts();
    for (const [k, v] of Object.entries(independent)) assert.equal(counts[k as keyof typeof counts], v, k);
    assert.deepEqual(
      [independent.techniques, independent.subtechniques, independent.tactics, independent.dataComponents, independent.detectionStrategies, independent.analytics],
      [216, 475, 14, 106, 691, 1739],
    );
  });

  it('reads the version from the collection and the domain from the matrix', () => {
    assert.equal(index.version.attack, '18.1');
    assert.equal(index.version.domain, 'enterprise-attack');
    assert.equal(index.version.collectionName, 'Enterprise ATT&CK');
  });

  it(`loads and indexes fast (target < 1 s; asserted loosely on a shared machine)`, async (t) => {
    const { timings } = await loadAttack(BUNDLE_PATH);
    t.diagnostic(`first load ${loadMs.toFixed(0)} ms; again: read ${timings.readMs.toFixed(0)}, parse ${timings.parseMs.toFixed(0)}, index ${timings.indexMs.toFixed(0)} ms`);
    assert.ok(timings.totalMs < 3000, `load took ${timings.totalMs} ms`);
    assert.ok(timings.indexMs < 1000, `indexing took ${timings.indexMs} ms`);
  });
});

describe('techniques and tactics', () => {
  it('finds techniques case-insensitively, with the slash form of the ATT&CK site', () => {
    for (const id of ['T1059.001', 't1059.001', 'T1059/001', ' t1059.001 ']) assert.equal(index.technique(id)?.name, 'PowerShell', id);
    const ps = index.technique('T1059.001')!;
    assert.equal(ps.isSubtechnique, true);
    assert.equal(ps.parentId, 'T1059');
    assert.deepEqual(ps.tactics, ['execution']);
    assert.equal(ps.url, 'https://attack.mitre.org/techniques/T1059/001');
    assert.equal(index.technique('T0000'), undefined);
  });

  it('links every sub-technique to the parent its subtechnique-of relationship names', () => {
    const expected = new Map<string, string>();
    for (const { src, dst } of rels('subtechnique-of')) expected.set(externalId(src)!, externalId(dst)!);
    assert.ok(expected.size > 400);
    for (const [sub, parent] of expected) assert.equal(index.technique(sub)?.parentId, parent, sub);
    const liveSubs = raw.filter((o) => o.type === 'attack-pattern' && isLiveRaw(o) && externalId(o)!.startsWith('T1059.'));
    assert.deepEqual(
      index.subtechniques('t1059').map((t) => t.id),
      liveSubs.map((o) => externalId(o)!).sort(),
    );
  });

  it('orders tactics as the matrix does and maps kill-chain phases to them', () => {
    const tactics = index.tactics();
    assert.equal(tactics.length, 14);
    assert.equal(tactics[0]!.shortname, 'reconnaissance');
    assert.equal(tactics[13]!.shortname, 'impact');
    assert.equal(index.tactic('TA0011')?.shortname, 'command-and-control');
    assert.equal(index.tactic('Command-And-Control')?.id, 'TA0011');
    assert.equal(index.tactic('stealth'), undefined);
    // T1078 Valid Accounts sits in four tactics, listed in matrix order.
    assert.deepEqual(index.technique('T1078')!.tactics, ['initial-access', 'persistence', 'privilege-escalation', 'defense-evasion']);
    const independent = raw.filter(
      (o) =>
        o.type === 'attack-pattern' &&
        isLiveRaw(o) &&
        o['x_mitre_is_subtechnique'] !== true &&
        (o['kill_chain_phases'] as Array<{ phase_name: string }>).some((p) => p.phase_name === 'credential-access'),
    );
    assert.deepEqual(
      index.techniquesOfTactic('TA0006').map((t) => t.id),
      independent.map((o) => externalId(o)!).sort(),
    );
  });

  it('follows revoked-by chains and keeps deprecation notices', () => {
    assert.deepEqual(index.revocationChain('T1073'), ['T1073', 'T1574.002', 'T1574.001']);
    assert.equal(index.technique('T1086')!.revokedById, 'T1059.001');
    const scripting = index.technique('T1064')!;
    assert.equal(scripting.deprecated, true);
    assert.deepEqual(scripting.deprecationSuggestions, ['T1059']);
    assert.ok(!index.techniques().some((t) => t.revoked || t.deprecated));
  });
});

describe('relationships', () => {
  it('answers groupsUsing / softwareUsing / mitigationsFor like a direct scan of the relationships', () => {
    for (const technique of ['T1059.001', 'T1566.001', 'T1003', 'T1021.002']) {
      const scan = (srcTypes: string[], relType: string) =>
        rels(relType)
          .filter(({ src, dst }) => srcTypes.includes(src.type) && externalId(dst) === technique && isLiveRaw(src))
          .map(({ src }) => externalId(src)!)
          .sort();
      assert.deepEqual(index.groupsUsing(technique).map((g) => g.id), [...new Set(scan(['intrusion-set'], 'uses'))], technique);
      assert.deepEqual(index.softwareUsing(technique).map((s) => s.id), [...new Set(scan(['malware', 'tool'], 'uses'))], technique);
      assert.deepEqual(index.mitigationsFor(technique).map((m) => m.id), [...new Set(scan(['course-of-action'], 'mitigates'))], technique);
    }
    assert.ok(index.groupsUsing('T1059.001').some((g) => g.id === 'G0016'), 'APT29 uses PowerShell');
    assert.ok(index.groupsUsing('T1059', { subtechniques: true }).length > index.groupsUsing('T1059').length);
  });

  it('links detection strategies → analytics → data components to techniques as the raw objects do', () => {
    // Independent walk over the raw JSON for every live technique.
    const analyticsByStrategy = new Map<string, string[]>();
    for (const o of raw) if (o.type === 'x-mitre-detection-strategy') analyticsByStrategy.set(o.id, o['x_mitre_analytic_refs'] as string[]);
    const expected = new Map<string, Set<string>>();
    for (const { src, dst } of rels('detects')) {
      if (src.type !== 'x-mitre-detection-strategy') continue;
      const set = expected.get(externalId(dst)!) ?? new Set<string>();
      for (const a of analyticsByStrategy.get(src.id)!) {
        for (const l of (byStix.get(a)!['x_mitre_log_source_references'] as Array<{ x_mitre_data_component_ref: string }> | undefined) ?? []) {
          set.add(externalId(byStix.get(l.x_mitre_data_component_ref)!)!);
        }
      }
      expected.set(externalId(dst)!, set);
    }
    const live = index.techniques({ subtechniques: true });
    assert.equal(live.length, 691);
    let withComponents = 0;
    for (const t of live) {
      assert.equal(index.detectionStrategiesFor(t.id).length, 1, `${t.id} has one strategy in v18.1`);
      const got = index.dataComponentsFor(t.id).map((d) => d.id);
      assert.deepEqual(got, [...(expected.get(t.id) ?? [])].sort(), t.id);
      if (got.length > 0) withComponents++;
    }
    assert.ok(withComponents > 600);
    const ps = index.detectionStrategiesFor('T1059.001')[0]!;
    assert.match(ps.id, /^DET\d{4}$/);
    assert.deepEqual(ps.techniqueIds, ['T1059.001']);
    assert.ok(index.analyticsFor('T1059.001').every((a) => a.strategyId === ps.id));
    assert.ok(index.dataComponentsFor('T1059.001').some((d) => d.name === 'Process Creation'));
  });
});

describe('indexBundle on hand-made bundles', () => {
  const ap = (id: string, ext: string, extra: Record<string, unknown> = {}) => ({
    type: 'attack-pattern',
    id,
    name: ext,
    external_references: [{ source_name: 'mitre-attack', external_id: ext }],
    kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'execution' }],
    ...extra,
  });
  const tactic = {
    type: 'x-mitre-tactic',
    id: 'x-mitre-tactic--1',
    name: 'Execution',
    x_mitre_shortname: 'execution',
    external_references: [{ source_name: 'mitre-attack', external_id: 'TA0002' }],
  };
  const rel = (id: string, type: string, src: string, dst: string, extra: Record<string, unknown> = {}) => ({
    type: 'relationship',
    id,
    relationship_type: type,
    source_ref: src,
    target_ref: dst,
    ...extra,
  });

  it('ignores relationships ATT&CK has retired and falls back to the id prefix for parents', () => {
    const idx = indexBundle({
      type: 'bundle',
      id: 'bundle--x',
      objects: [
        tactic,
        ap('attack-pattern--p', 'T9000'),
        ap('attack-pattern--s', 'T9000.001', { x_mitre_is_subtechnique: true }),
        { type: 'intrusion-set', id: 'intrusion-set--g', name: 'G', external_references: [{ source_name: 'mitre-attack', external_id: 'G9000' }] },
        rel('relationship--1', 'uses', 'intrusion-set--g', 'attack-pattern--p', { x_mitre_deprecated: true }),
      ],
    });
    assert.deepEqual(idx.groupsUsing('T9000'), []);
    assert.equal(idx.technique('T9000.001')?.parentId, 'T9000');
    assert.deepEqual(idx.subtechniques('T9000').map((t) => t.id), ['T9000.001']);
  });

  it('reads pre-v18 data-component detects relationships', () => {
    const idx = indexBundle({
      type: 'bundle',
      id: 'bundle--y',
      objects: [
        tactic,
        ap('attack-pattern--p', 'T9000'),
        { type: 'x-mitre-data-component', id: 'x-mitre-data-component--d', name: 'Process Creation', external_references: [{ source_name: 'mitre-attack', external_id: 'DC0032' }] },
        rel('relationship--1', 'detects', 'x-mitre-data-component--d', 'attack-pattern--p'),
      ],
    });
    assert.deepEqual(idx.dataComponentsFor('T9000').map((d) => d.id), ['DC0032']);
  });

  it('rejects what is not a bundle', () => {
    assert.throws(() => indexBundle({ objects: [] }), /not a STIX bundle/);
    assert.throws(() => indexBundle([]), /not a STIX bundle/);
    assert.throws(() => indexBundle({ type: 'bundle', objects: [{ id: 'x' }] }), /no type or id/);
  });
});
