import type { AttackIndex } from './attack-index.js';
import type { TagResolution, TagResolver, TagStatus } from './resolve.js';
import type { AttackVersion, Technique } from './types.js';

/** What coverage needs of a rule (a projection of `Rule`, so callers need not build whole rules). */
export interface CoverageRule {
  id: string;
  /** Corpus or vendor: `sigma`, `splunk`, `elastic`, ... */
  source: string;
  severity?: string;
  /** Technique ids (`T1059.001`) or tags (`attack.t1059.001`), as the rule carries them. */
  techniques: string[];
  /** Tactic shortnames (`stealth`) or tags (`attack.stealth`). */
  tactics: string[];
  dataSources?: string[];
}

export interface CoverageCell {
  tactic: string;
  techniqueId: string;
  name: string;
  isSubtechnique: boolean;
  parentId: string | undefined;
  /** Rules counted in this cell, sorted. */
  ruleIds: string[];
  count: number;
  bySource: Record<string, number>;
  bySeverity: Record<string, number>;
  /** Rules placed here through a revoked-by/deprecated relation, a retagging hint or a roll-up. */
  indirectRuleIds: string[];
  detectionStrategyIds: string[];
}

export interface CoverageRow extends CoverageCell {
  subtechniques: CoverageCell[];
  /** Distinct rules on the technique or any of its sub-techniques, in this tactic. */
  countWithSubtechniques: number;
}

export interface CoverageColumn {
  tactic: { id: string; shortname: string; name: string };
  rows: CoverageRow[];
  /** Distinct rules anywhere in the column. */
  ruleCount: number;
  /** Rules tagged with this tactic but with no technique that could be placed. */
  tacticOnlyRuleIds: string[];
}

export interface CoverageGap {
  techniqueId: string;
  name: string;
  isSubtechnique: boolean;
  parentId: string | undefined;
  tactics: string[];
  platforms: string[];
  detectionStrategies: Array<{ id: string; name: string }>;
  /** The telemetry ATT&CK's analytics for it rely on: what a new rule would need. */
  dataComponents: Array<{ id: string; name: string }>;
}

/** A rule tag coverage could not place, with the resolver's verdict. */
export interface CoverageIssue {
  ruleId: string;
  value: string;
  status: TagStatus;
  notes: string[];
  suggestion?: string;
}

export interface CoverageMatrix {
  attack: AttackVersion;
  columns: CoverageColumn[];
  gaps: CoverageGap[];
  /** Technique tags that landed nowhere (unknown, newer-than-loaded with nothing to roll up to). */
  unplaced: CoverageIssue[];
  /** Tags that were placed, but only through a relation, hint or roll-up: worth a look. */
  indirect: CoverageIssue[];
  summary: CoverageSummary;
}

export interface CoverageSummary {
  rules: number;
  /** Rules with at least one technique placed in the matrix. */
  rulesPlaced: number;
  techniquesCovered: number;
  subtechniquesCovered: number;
  /** Live techniques and sub-techniques in scope that have an ATT&CK detection strategy. */
  withDetectionStrategy: number;
  gaps: number;
  bySource: Record<string, number>;
  bySeverity: Record<string, number>;
}

export interface CoverageOptions {
  /** Keep only techniques on at least one of these platforms (ATT&CK names: `Windows`, `IaaS`). */
  platforms?: string[];
}

const NO_SEVERITY = 'unset';

/**
 * The tactic × technique (× sub-technique) matrix of rule counts, and the gaps: techniques ATT&CK
 * has a detection strategy for but no rule covers.
 *
 * Placement: each technique tag is resolved (directly, via revoked-by/deprecation, via retagging
 * hints, or rolled up from a newer sub-technique to its parent). The rule then counts under the
 * technique in the tactics the rule also names (after resolving the rule's own tactic tags, so
 * v19 `stealth` means v18 `defense-evasion`); if none of the rule's tactics fit the technique, in
 * every tactic of the technique, as ATT&CK lists it. A parent technique counts as covered when it
 * or one of its sub-techniques has a rule; a sub-technique only by its own rules.
 */
export function buildCoverage(
  index: AttackIndex,
  resolver: TagResolver,
  rules: readonly CoverageRule[],
  options: CoverageOptions = {},
): CoverageMatrix {
  const inScope = scopeFilter(options.platforms);
  const rulesById = new Map<string, CoverageRule>();
  const cellRules = new Map<string, Set<string>>();
  const cellIndirect = new Map<string, Set<string>>();
  const tacticOnly = new Map<string, Set<string>>();
  const unplaced: CoverageIssue[] = [];
  const indirect: CoverageIssue[] = [];
  const placedRules = new Set<string>();

  for (const rule of rules) {
    rulesById.set(rule.id, rule);
    const ruleTactics = new Set<string>();
    for (const t of rule.tactics) {
      const r = resolveAs(resolver, t, 'tactic');
      for (const id of r.loadedIds) ruleTactics.add(id);
    }
    let placedHere = false;
    for (const value of rule.techniques) {
      const r = resolveAs(resolver, value, 'technique');
      const direct = r.status === 'resolved';
      const ids = r.loadedIds.length > 0 ? r.loadedIds : r.rollupId ? [r.rollupId] : [];
      if (ids.length === 0 || r.kind !== 'technique') {
        unplaced.push(issue(rule.id, value, r));
        continue;
      }
      if (!direct) indirect.push(issue(rule.id, value, r));
      for (const id of ids) {
        const technique = index.technique(id);
        if (!technique || !inScope(technique)) continue;
        const named = technique.tactics.filter((t) => ruleTactics.has(t));
        for (const tactic of named.length > 0 ? named : technique.tactics) {
          const key = cellKey(tactic, technique.id);
          addTo(cellRules, key, rule.id);
          if (!direct) addTo(cellIndirect, key, rule.id);
          placedHere = true;
        }
      }
    }
    if (placedHere) placedRules.add(rule.id);
    else for (const t of ruleTactics) addTo(tacticOnly, t, rule.id);
  }

  const makeCell = (tactic: string, t: Technique): CoverageCell => {
    const key = cellKey(tactic, t.id);
    const ruleIds = [...(cellRules.get(key) ?? [])].sort();
    const bySource: Record<string, number> = {};
    const bySeverity: Record<string, number> = {};
    for (const id of ruleIds) {
      const rule = rulesById.get(id)!;
      bump(bySource, rule.source);
      bump(bySeverity, rule.severity ?? NO_SEVERITY);
    }
    return {
      tactic,
      techniqueId: t.id,
      name: t.name,
      isSubtechnique: t.isSubtechnique,
      parentId: t.parentId,
      ruleIds,
      count: ruleIds.length,
      bySource,
      bySeverity,
      indirectRuleIds: [...(cellIndirect.get(key) ?? [])].sort(),
      detectionStrategyIds: index.detectionStrategiesFor(t.id).map((s) => s.id),
    };
  };

  const columns: CoverageColumn[] = index.tactics().map((tactic) => {
    const rows: CoverageRow[] = [];
    const columnRules = new Set<string>();
    for (const t of index.techniquesOfTactic(tactic.shortname)) {
      if (!inScope(t)) continue;
      const cell = makeCell(tactic.shortname, t);
      const subtechniques = index
        .subtechniques(t.id)
        .filter((s) => inScope(s) && s.tactics.includes(tactic.shortname))
        .map((s) => makeCell(tactic.shortname, s));
      const withSubs = new Set(cell.ruleIds);
      for (const s of subtechniques) for (const id of s.ruleIds) withSubs.add(id);
      for (const id of withSubs) columnRules.add(id);
      rows.push({ ...cell, subtechniques, countWithSubtechniques: withSubs.size });
    }
    return {
      tactic: { id: tactic.id, shortname: tactic.shortname, name: tactic.name },
      rows,
      ruleCount: columnRules.size,
      tacticOnlyRuleIds: [...(tacticOnly.get(tactic.shortname) ?? [])].sort(),
    };
  });

  // Coverage per technique across tactics: a rule in any tactic covers the technique.
  const coveredIds = new Set<string>();
  for (const key of cellRules.keys()) coveredIds.add(key.slice(key.indexOf('|') + 1));
  const gaps: CoverageGap[] = [];
  let withStrategy = 0;
  let techniquesCovered = 0;
  let subtechniquesCovered = 0;
  for (const t of index.techniques({ subtechniques: true })) {
    if (!inScope(t)) continue;
    const covered = coveredIds.has(t.id) || (!t.isSubtechnique && t.subtechniqueIds.some((s) => coveredIds.has(s)));
    if (covered) {
      if (t.isSubtechnique) subtechniquesCovered++;
      else techniquesCovered++;
    }
    const strategies = index.detectionStrategiesFor(t.id);
    if (strategies.length === 0) continue;
    withStrategy++;
    if (covered) continue;
    gaps.push({
      techniqueId: t.id,
      name: t.name,
      isSubtechnique: t.isSubtechnique,
      parentId: t.parentId,
      tactics: t.tactics,
      platforms: t.platforms,
      detectionStrategies: strategies.map((s) => ({ id: s.id, name: s.name })),
      dataComponents: index.dataComponentsFor(t.id).map((d) => ({ id: d.id, name: d.name })),
    });
  }

  const bySource: Record<string, number> = {};
  const bySeverity: Record<string, number> = {};
  for (const rule of rules) {
    bump(bySource, rule.source);
    bump(bySeverity, rule.severity ?? NO_SEVERITY);
  }
  return {
    attack: index.version,
    columns,
    gaps,
    unplaced,
    indirect,
    summary: {
      rules: rulesById.size,
      rulesPlaced: placedRules.size,
      techniquesCovered,
      subtechniquesCovered,
      withDetectionStrategy: withStrategy,
      gaps: gaps.length,
      bySource,
      bySeverity,
    },
  };
}

/** Every cell of the matrix, technique rows followed by their sub-techniques, in matrix order. */
export function coverageCells(matrix: CoverageMatrix): CoverageCell[] {
  const out: CoverageCell[] = [];
  for (const column of matrix.columns) {
    for (const row of column.rows) {
      out.push(row);
      out.push(...row.subtechniques);
    }
  }
  return out;
}

function resolveAs(resolver: TagResolver, value: string, kind: 'technique' | 'tactic'): TagResolution {
  const v = value.trim();
  if (v.toLowerCase().startsWith('attack.')) return resolver.resolve(v);
  return kind === 'technique' ? resolver.resolveTechnique(v) : resolver.resolveTactic(v);
}

function issue(ruleId: string, value: string, r: TagResolution): CoverageIssue {
  return { ruleId, value, status: r.status, notes: r.notes, ...(r.suggestion ? { suggestion: r.suggestion } : {}) };
}

function scopeFilter(platforms: string[] | undefined): (t: Technique) => boolean {
  if (!platforms || platforms.length === 0) return () => true;
  const wanted = new Set(platforms.map((p) => p.toLowerCase()));
  return (t) => t.platforms.some((p) => wanted.has(p.toLowerCase()));
}

function cellKey(tactic: string, techniqueId: string): string {
  return `${tactic}|${techniqueId}`;
}

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}
