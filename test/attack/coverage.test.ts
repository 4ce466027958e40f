import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  buildCoverage,
  coverageCells,
  coverageCsv,
  loadAttackSync,
  loadTagHints,
  TagResolver,
  type AttackIndex,
  type CoverageMatrix,
  type CoverageRule,
} from '../../src/attack/index.js';
import { BUNDLE_PATH, externalId, HINTS_PATH, isLiveRaw, rawBundle } from './fixtures.js';

let index: AttackIndex;
let resolver: TagResolver;
let matrix: CoverageMatrix;
/** Live technique ids with a `detects` relationship from a detection strategy, from the raw JSON. */
let withStrategy: Set<string>;

const RULES: CoverageRule[] = [
  { id: 'r1', source: 'sigma', severity: 'high', techniques: ['T1059.001'], tactics: ['execution'] },
  { id: 'r2', source: 'splunk', severity: 'medium', techniques: ['attack.t1059.001', 'T1059'], tactics: ['attack.execution'] },
  { id: 'r3', source: 'sigma', severity: 'low', techniques: ['T1078'], tactics: ['persistence'] },
  { id: 'r4', source: 'sigma', severity: 'high', techniques: ['t1078'], tactics: [] },
  { id: 'r5', source: 'sigma', severity: 'critical', techniques: ['T1685'], tactics: ['defense-impairment'] },
  { id: 'r6', source: 'elastic', severity: 'high', techniques: ['T1686.002'], tactics: ['defense-impairment'] },
  { id: 'r7', source: 'sigma', severity: 'low', techniques: ['T1059.1'], tactics: ['execution'] },
  { id: 'r8', source: 'sigma', severity: 'medium', techniques: [], tactics: ['stealth'] },
  { id: 'r9', source: 'sigma', techniques: ['T1086'], tactics: [] },
];

before(() => {
  index = loadAttackSync(BUNDLE_PATH).index;
  resolver = new TagResolver(index, loadTagHints(HINTS_PATH));
  matrix = buildCoverage(index, resolver, RULES);
  const raw = rawBundle().objects;
  const byStix = new Map(raw.map((o) => [o.id, o]));
  withStrategy = new Set(
    raw
      .filter((o) => o.type === 'relationship' && o['relationship_type'] === 'detects')
      .map((r) => byStix.get(r['target_ref'] as string)!)
      .filter((t) => t.type === 'attack-pattern' && isLiveRaw(t))
      .map((t) => externalId(t)!),
  );
});

function cell(tactic: string, id: string) {
  return coverageCells(matrix).find((c) => c.tactic === tactic && c.techniqueId === id);
}

describe('coverage matrix', () => {
  it('counts rules per tactic × technique, by source and severity', () => {
    const ps = cell('execution', 'T1059.001')!;
    assert.deepEqual(ps.ruleIds, ['r1', 'r2', 'r9']);
    assert.deepEqual(ps.bySource, { sigma: 2, splunk: 1 });
    assert.deepEqual(ps.bySeverity, { high: 1, medium: 1, unset: 1 });
    assert.deepEqual(ps.indirectRuleIds, ['r9'], 'T1086 is revoked by T1059.001');
    const row = matrix.columns.find((c) => c.tactic.shortname === 'execution')!.rows.find((r) => r.techniqueId === 'T1059')!;
    assert.equal(row.count, 1);
    assert.equal(row.countWithSubtechniques, 3);
    assert.ok(row.subtechniques.some((s) => s.techniqueId === 'T1059.001'));
  });

  it("places a rule only in the technique's tactics the rule names, else in all of them", () => {
    assert.deepEqual(cell('persistence', 'T1078')!.ruleIds, ['r3', 'r4']);
    for (const tactic of ['initial-access', 'privilege-escalation', 'defense-evasion']) {
      assert.deepEqual(cell(tactic, 'T1078')!.ruleIds, ['r4'], tactic);
    }
  });

  it('places v19 tags through the hints and roll-ups, and reports them', () => {
    assert.deepEqual(cell('defense-evasion', 'T1562.001')!.ruleIds, ['r5']);
    assert.deepEqual(cell('defense-evasion', 'T1562.004')!.indirectRuleIds, ['r6']);
    assert.deepEqual(
      matrix.indirect.map((i) => `${i.ruleId}:${i.value}:${i.status}`).sort(),
      ['r5:T1685:resolved-via-hint', 'r6:T1686.002:newer-than-loaded', 'r9:T1086:resolved-via-relation'],
    );
    assert.deepEqual(matrix.unplaced.map((i) => [i.ruleId, i.value, i.status, i.suggestion]), [['r7', 'T1059.1', 'unknown', 'attack.t1059.001']]);
    const evasion = matrix.columns.find((c) => c.tactic.shortname === 'defense-evasion')!;
    assert.deepEqual(evasion.tacticOnlyRuleIds, ['r8'], 'stealth means defense-evasion in v18');
  });

  it('lists as gaps exactly the techniques with a detection strategy and no rule', () => {
    assert.equal(withStrategy.size, 691);
    // Covered by hand: the rules above touch these; T1562 is covered through its sub-techniques.
    const covered = ['T1059', 'T1059.001', 'T1078', 'T1562', 'T1562.001', 'T1562.004'];
    const expected = [...withStrategy].filter((id) => !covered.includes(id)).sort();
    assert.deepEqual(matrix.gaps.map((g) => g.techniqueId).sort(), expected);
    const gap = matrix.gaps.find((g) => g.techniqueId === 'T1059.003')!;
    assert.match(gap.detectionStrategies[0]!.id, /^DET\d{4}$/);
    assert.ok(gap.dataComponents.length > 0);
    assert.deepEqual(
      { rules: matrix.summary.rules, placed: matrix.summary.rulesPlaced, techniques: matrix.summary.techniquesCovered, subs: matrix.summary.subtechniquesCovered },
      { rules: 9, placed: 7, techniques: 3, subs: 3 },
    );
  });

  it('restricts the matrix and gaps to the requested platforms', () => {
    const cloud = buildCoverage(index, resolver, RULES, { platforms: ['IaaS'] });
    assert.ok(cloud.gaps.length > 0 && cloud.gaps.every((g) => g.platforms.includes('IaaS')));
    assert.equal(
      coverageCells(cloud).find((c) => c.techniqueId === 'T1059.001'),
      undefined,
      'PowerShell is Windows only',
    );
    assert.deepEqual(coverageCells(cloud).find((c) => c.tactic === 'persistence' && c.techniqueId === 'T1078')?.ruleIds, ['r3', 'r4']);
  });

  it('is a pure function of its inputs', () => {
    const again = buildCoverage(index, resolver, RULES);
    assert.deepEqual(again, matrix);
    const fewer = buildCoverage(index, resolver, RULES.slice(0, 1));
    assert.equal(fewer.summary.rules, 1);
    assert.deepEqual(cell('execution', 'T1059.001')!.ruleIds, ['r1', 'r2', 'r9'], 'earlier result untouched');
  });
});

/** RFC 4180 reader, written for the test. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  assert.equal(field, '', 'file ends with CRLF');
  return rows;
}

describe('coverage CSV', () => {
  it('has one line per cell and the counts of the matrix', () => {
    const rows = parseCsv(coverageCsv(matrix));
    const [header, ...body] = rows;
    assert.equal(body.length, coverageCells(matrix).length);
    assert.ok(body.every((r) => r.length === header!.length));
    const col = (name: string) => header!.indexOf(name);
    assert.ok(col('source:splunk') > 0 && col('severity:critical') > 0);
    const ps = body.find((r) => r[col('tactic')] === 'execution' && r[col('technique_id')] === 'T1059.001')!;
    assert.equal(ps[col('rules')], '3');
    assert.equal(ps[col('source:sigma')], '2');
    assert.equal(ps[col('gap')], 'false');
    assert.equal(ps[col('is_subtechnique')], 'true');
    const parent = body.find((r) => r[col('tactic')] === 'execution' && r[col('technique_id')] === 'T1059')!;
    assert.equal(parent[col('rules_with_subtechniques')], '3');
    const gap = body.find((r) => r[col('technique_id')] === 'T1059.003')!;
    assert.equal(gap[col('gap')], 'true');
  });

  it('quotes fields with commas and quotes', () => {
    const odd = buildCoverage(index, resolver, [
      { id: 'x', source: 'vendor, inc', techniques: ['T1059.001'], tactics: [] },
      { id: 'y', source: 'say "hi"', techniques: ['T1059.001'], tactics: [] },
    ]);
    const [header, ...body] = parseCsv(coverageCsv(odd));
    assert.ok(body.every((r) => r.length === header!.length));
    const ps = body.find((r) => r[2] === 'T1059.001')!;
    assert.equal(ps[header!.indexOf('source:vendor, inc')], '1');
    assert.equal(ps[header!.indexOf('source:say "hi"')], '1');
  });
});
