import { attackTagCheck } from '../../src/attack/locate.js';
import { readSigma as readSigmaForLint } from '../../src/formats/sigma/index.js';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import {
  countByStatus,
  loadAttackSync,
  loadTagHints,
  parseTagHints,
  primaryOlderTechnique,
  TagResolver,
  validTacticShortnames,
  type AttackIndex,
  type TagHints,
  type TagResolution,
} from '../../src/attack/index.js';
import { BUNDLE_PATH, externalId, HINTS_PATH, rawBundle, readSigmaTags, SIGMA_LAYER_PATH } from './fixtures.js';

let index: AttackIndex;
let hints: TagHints;
let resolver: TagResolver;
/** Technique ids present in the bundle in any state, read straight from the JSON. */
let bundleTechniqueIds: Set<string>;

before(() => {
  index = loadAttackSync(BUNDLE_PATH).index;
  hints = loadTagHints(HINTS_PATH);
  resolver = new TagResolver(index, hints);
  bundleTechniqueIds = new Set(
    rawBundle()
      .objects.filter((o) => o.type === 'attack-pattern')
      .map((o) => externalId(o)!),
  );
});

const SIGMA_FOLDERS = ['rules', 'rules-emerging-threats', 'rules-threat-hunting', 'rules-placeholder', 'rules-compliance', 'deprecated'];

function sigmaAttackTags(folders: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const folder of folders) {
    for (const rule of readSigmaTags(folder)) {
      for (const tag of rule.tags) if (tag.startsWith('attack.')) counts.set(tag, (counts.get(tag) ?? 0) + 1);
    }
  }
  return counts;
}

describe('the retagging hint file', () => {
  it('is indexed both ways, candidates ranked by file count', () => {
    assert.deepEqual(hints.techniqueToOlder.get('T1685')!.slice(0, 2), [
      { id: 'T1562.001', files: 131 },
      { id: 'T1562', files: 28 },
    ]);
    assert.deepEqual(
      hints.techniqueToNewer.get('T1562.004')!.map((c) => c.id),
      ['T1686.003', 'T1686', 'T1686.001'],
    );
    assert.deepEqual(
      hints.tacticToNewer.get('defense-evasion')!.map((c) => c.id),
      ['stealth', 'defense-impairment', 'execution'],
    );
    assert.deepEqual(hints.tacticToOlder.get('stealth'), [{ id: 'defense-evasion', files: 1094 }]);
  });

  it('breaks ties towards a candidate no other newer id already claims', () => {
    // T1690: T1562.001 and T1562.003 both at 1 file; T1562.001 is T1685's (131 files).
    assert.equal(primaryOlderTechnique(hints, 'T1690')?.id, 'T1562.003');
    assert.equal(primaryOlderTechnique(hints, 'T1685')?.id, 'T1562.001');
    assert.equal(primaryOlderTechnique(hints, 'T9999'), undefined);
  });

  it('rejects a file of the wrong shape', () => {
    assert.throws(() => parseTagHints({ technique_pairs: {} }), /technique_pairs must be an array/);
    assert.throws(() => parseTagHints({ tactic_pairs: [{ v18: 'x' }] }), /needs string v18 and v19/);
  });
});

describe('tag resolution over the Sigma corpus (ATT&CK v19 tags on a v18.1 bundle)', () => {
  it('resolves or flags every attack.* tag in every rule folder: none unknown', (t) => {
    const tags = sigmaAttackTags(SIGMA_FOLDERS);
    assert.ok(tags.size > 450, `only ${tags.size} distinct tags read`);
    const results = [...tags.keys()].map((t) => resolver.resolve(t));
    const unknown = results.filter((r) => r.status === 'unknown' || r.status === 'not-attack');
    assert.deepEqual(unknown.map((r) => r.tag), []);
    const counts = countByStatus(results);
    t.diagnostic(`distinct sigma attack tags: ${JSON.stringify(counts)}`);
    assert.ok(counts['resolved-via-hint'] > 0 && counts['newer-than-loaded'] > 0 && counts['resolved-via-relation'] > 0);
  });

  it('never resolves a technique the bundle lacks as if it were loaded', () => {
    const tags = sigmaAttackTags(SIGMA_FOLDERS);
    const techniqueIds = [...tags.keys()].filter((t) => /^attack\.t\d{4}/.test(t)).map((t) => t.slice(7).toUpperCase());
    const missing = techniqueIds.filter((id) => !bundleTechniqueIds.has(id));
    // v19 adds T1685, T1686, T1689, T1690 and sub-techniques; the corpus uses a dozen of them.
    assert.ok(missing.length >= 10, missing.join(' '));
    for (const id of missing) {
      const r = resolver.resolve(`attack.${id.toLowerCase()}`);
      assert.ok(r.status === 'resolved-via-hint' || r.status === 'newer-than-loaded', `${id}: ${r.status}`);
      assert.equal(r.newerThanLoaded, true, id);
      assert.ok(r.notes.length > 0, id);
    }
    for (const id of techniqueIds.filter((x) => bundleTechniqueIds.has(x))) {
      assert.equal(resolver.resolve(`attack.${id.toLowerCase()}`).newerThanLoaded, false, id);
    }
  });

  it("accepts every technique and tactic of Sigma's own ATT&CK 19.1 Navigator layer", () => {
    const layer = JSON.parse(readFileSync(SIGMA_LAYER_PATH, 'utf8')) as { versions: { attack: string }; techniques: Array<{ techniqueID: string; tactic: string }> };
    assert.equal(layer.versions.attack, '19.1');
    const valid = new Set(validTacticShortnames(index, hints));
    for (const t of layer.techniques) {
      assert.ok(valid.has(t.tactic), t.tactic);
      const r = resolver.resolveTechnique(t.techniqueID);
      assert.notEqual(r.status, 'unknown', t.techniqueID);
      assert.ok(r.loadedIds.length > 0 || r.rollupId !== undefined, `${t.techniqueID} has no loaded counterpart`);
    }
  });

  it('maps the v19 ids as the hint file and the bundle say', () => {
    const expectHint = (tag: string, primary: string) => {
      const r = resolver.resolve(tag);
      assert.equal(r.status, 'resolved-via-hint', tag);
      assert.equal(r.via?.relation, 'hint', tag);
      assert.deepEqual(r.loadedIds, [primary], tag);
      assert.equal(r.object?.id, index.technique(primary)?.id ?? index.tactic(primary)?.id, tag);
    };
    expectHint('attack.t1685', 'T1562.001');
    expectHint('attack.t1685.005', 'T1070.001');
    expectHint('attack.t1686.003', 'T1562.004');
    expectHint('attack.t1689', 'T1562.010');
    expectHint('attack.stealth', 'defense-evasion');
    expectHint('attack.defense-impairment', 'defense-evasion');

    const t1685 = resolver.resolve('attack.t1685');
    assert.ok(t1685.via?.relation === 'hint' && t1685.via.candidates.length === 7);

    // In the corpus but not in the hint file: flagged, rolled up through its parent's hint.
    const sub = resolver.resolve('attack.t1686.002');
    assert.equal(sub.status, 'newer-than-loaded');
    assert.equal(sub.rollupId, 'T1562.004');
    assert.deepEqual(sub.loadedIds, []);
  });

  it('resolves loaded objects directly, revoked and deprecated ones through their relations', () => {
    const check = (tag: string, status: TagResolution['status'], id: string | undefined, relation?: string) => {
      const r = resolver.resolve(tag);
      assert.equal(r.status, status, tag);
      assert.equal(r.object?.id, id, tag);
      assert.equal(r.via?.relation, relation, tag);
    };
    check('attack.t1059.001', 'resolved', 'T1059.001');
    check('ATTACK.T1059.001', 'resolved', 'T1059.001');
    check('attack.command-and-control', 'resolved', 'TA0011');
    check('attack.g0016', 'resolved', 'G0016');
    check('attack.s0002', 'resolved', 'S0002');
    check('attack.m1038', 'resolved', 'M1038');
    check('attack.t1086', 'resolved-via-relation', 'T1059.001', 'revoked-by');
    check('attack.g0118', 'resolved-via-relation', 'G0016', 'revoked-by');
    check('attack.t1064', 'resolved-via-relation', 'T1059', 'deprecated');
    check('attack.ds0005', 'resolved-via-relation', 'DS0005', 'deprecated');
    check('attack.defense_evasion', 'resolved', 'TA0005', 'legacy-spelling');
    assert.deepEqual(resolver.resolve('attack.t1175').loadedIds, ['T1021.003', 'T1559.001']);
    assert.deepEqual(resolver.resolve('attack.t1073').via, { relation: 'revoked-by', chain: ['T1073', 'T1574.002', 'T1574.001'] });
    // Loaded, but retired by the newer version: the resolution says so.
    assert.equal(resolver.resolve('attack.t1562.001').newerEquivalents?.[0]?.id, 'T1685');
    assert.equal(resolver.resolve('car.2016-04-005').status, 'not-attack');
  });
});

describe('misspelled and invalid tags', () => {
  const unknown = (tag: string, suggestion: string | undefined) => {
    const r = resolver.resolve(tag);
    assert.equal(r.status, 'unknown', tag);
    assert.equal(r.suggestion, suggestion, tag);
  };

  it('flags them unknown with the closest valid tag', () => {
    unknown('attack.t1059.1', 'attack.t1059.001');
    unknown('attack.t1059-001', 'attack.t1059.001');
    unknown('attack.comand-and-control', 'attack.command-and-control');
    unknown('attack.lateral_movment', 'attack.lateral-movement');
    unknown('attack.defense-impairmnt', 'attack.defense-impairment');
    unknown('attack.steath', 'attack.stealth');
    unknown('attack.g16', 'attack.g0016');
    unknown('attack.t1059.099', 'attack.t1059.009');
    unknown('attack.t9999', undefined);
    unknown('attack.ds9999', undefined);
  });

  it('tells a plausible newer id from a typo by the bundle id range', () => {
    const sub = resolver.resolve('attack.t1059.014');
    assert.equal(sub.status, 'newer-than-loaded');
    assert.equal(sub.rollupId, 'T1059');
    assert.equal(resolver.resolve('attack.t1700').status, 'newer-than-loaded');
    assert.equal(resolver.resolve('attack.t1800').status, 'unknown');
    assert.equal(resolver.resolve('attack.g1060').status, 'newer-than-loaded');
    assert.equal(resolver.resolve('attack.t1064.001').status, 'unknown', 'deprecated parents get no new sub-techniques');
  });
});

describe('without the hint file', () => {
  it('still flags v19 techniques as newer, and calls v19 tactics unknown rather than dropping them', () => {
    const bare = new TagResolver(index);
    const t = bare.resolve('attack.t1685');
    assert.equal(t.status, 'newer-than-loaded');
    assert.equal(t.newerThanLoaded, true);
    assert.equal(bare.resolve('attack.stealth').status, 'unknown');
    assert.deepEqual(validTacticShortnames(index), index.tactics().map((x) => x.shortname));
  });
});

describe('valid tactic shortnames', () => {
  it('are the bundle tactics in matrix order followed by the v19 ones', () => {
    const names = resolver.validTacticShortnames();
    assert.equal(names.length, 16);
    assert.deepEqual(names.slice(0, 3), ['reconnaissance', 'resource-development', 'initial-access']);
    assert.deepEqual(names.slice(14), ['stealth', 'defense-impairment']);
  });
});

describe('ATT&CK tag checks in the Sigma validators', () => {
  it('flags revoked, unknown and newer tags with the bundle loaded', async () => {
    const { TagResolver: Resolver, loadAttackSync: load, loadTagHints: hints } = await import('../../src/attack/index.js');
    const { join: j } = await import('node:path');
    const { SHARED: shared } = await import('../helpers.js');
    const resolver = new Resolver(load(j(shared, 'attack', 'enterprise-attack.json')).index, hints(j(shared, 'attack', 'sigma-v18-to-v19-tag-changes.json')));
    const text = 'title: t\ntags:\n    - attack.t1086\n    - attack.t9999\n    - attack.t1686.002\n    - attack.t1059.001\nlogsource:\n    product: windows\ndetection:\n    s:\n        F: x\n    condition: s\n';
    const [r] = readSigmaForLint(text, { file: 't.yml', validation: { attackTag: attackTagCheck(resolver) } });
    const msgs = r!.diagnostics.filter((d) => d.code === 'sigma.attack-tag').map((d) => `${d.line} ${d.message}`);
    assert.ok(msgs.some((m) => m.startsWith('3 ') && /revoked.*T1059\.001/.test(m)), msgs.join('\n'));
    assert.ok(msgs.some((m) => m.startsWith('4 ') && /not in ATT&CK/.test(m)), msgs.join('\n'));
    assert.ok(msgs.some((m) => m.startsWith('5 ') && /newer than the loaded ATT&CK/.test(m)), msgs.join('\n'));
    assert.ok(!msgs.some((m) => m.startsWith('6 ')), msgs.join('\n'));
  });
});
