import type { AttackIndex } from './attack-index.js';
import type { CoverageCell, CoverageMatrix } from './coverage.js';

/**
 * ATT&CK Navigator layer, format 4.5 (mitre-attack/attack-navigator, layers/spec/v4.5). Only the
 * properties RuleAtlas writes are typed; all others keep their Navigator defaults.
 */
export interface NavigatorLayer {
  name: string;
  versions: { attack?: string; navigator: string; layer: '4.5' };
  domain: 'enterprise-attack' | 'mobile-attack' | 'ics-attack';
  description: string;
  filters: { platforms: string[] };
  sorting: 0 | 1 | 2 | 3;
  layout: {
    layout: 'side' | 'flat' | 'mini';
    showID: boolean;
    showName: boolean;
    showAggregateScores: boolean;
    countUnscored: boolean;
    aggregateFunction: 'average' | 'min' | 'max' | 'sum';
    expandedSubtechniques: 'none' | 'all' | 'annotated';
  };
  hideDisabled: boolean;
  techniques: NavigatorTechnique[];
  gradient: { colors: string[]; minValue: number; maxValue: number };
  legendItems: Array<{ label: string; color: string }>;
  metadata: NavigatorMetadata[];
  links: NavigatorLink[];
  showTacticRowBackground: boolean;
  tacticRowBackground: string;
  selectTechniquesAcrossTactics: boolean;
  selectSubtechniquesWithParent: boolean;
  selectVisibleTechniques: boolean;
}

export type NavigatorMetadata = { name: string; value: string } | { divider: true };
export type NavigatorLink = { label: string; url: string } | { divider: true };

export interface NavigatorTechnique {
  techniqueID: string;
  tactic: string;
  /** Absent = unscored (a parent shown only so its covered sub-techniques are expanded). */
  score?: number;
  color?: string;
  comment: string;
  enabled: boolean;
  metadata: NavigatorMetadata[];
  links: NavigatorLink[];
  showSubtechniques: boolean;
}

export interface NavigatorOptions {
  name?: string;
  description?: string;
  /** Platform filter; defaults to every platform of the loaded bundle's techniques. */
  platforms?: string[];
  /** Navigator version written into `versions.navigator`; the 4.5 format needs at least 4.9.0. */
  navigatorVersion?: string;
  /** Also write uncovered techniques that have a detection strategy, with score 0. */
  markGaps?: boolean;
  /** How many rule ids to list in each technique's metadata (default 10). */
  ruleIdsPerTechnique?: number;
}

/** Few → many rules. Gaps get an explicit colour outside the gradient, so 1 rule never reads as 0. */
const GRADIENT = ['#ffe766', '#8ec843'];
const GAP_COLOR = '#ff6666';

/**
 * A Navigator layer whose scores are rule counts per (technique, tactic) cell. The gradient's top
 * is the 90th percentile of the scores rather than the maximum: one technique with 150 rules
 * would otherwise paint every other covered technique the same pale colour.
 */
export function toNavigatorLayer(matrix: CoverageMatrix, index: AttackIndex, options: NavigatorOptions = {}): NavigatorLayer {
  const perTechnique = options.ruleIdsPerTechnique ?? 10;
  const gapIds = new Set(matrix.gaps.map((g) => g.techniqueId));
  const techniques: NavigatorTechnique[] = [];
  for (const column of matrix.columns) {
    for (const row of column.rows) {
      const coveredSubs = row.subtechniques.filter((s) => s.count > 0);
      if (row.count > 0) {
        techniques.push(entry(row, index, perTechnique, coveredSubs.length > 0));
      } else if (coveredSubs.length > 0) {
        // Unscored, only so the Navigator opens the technique on its covered sub-techniques.
        techniques.push({
          techniqueID: row.techniqueId,
          tactic: row.tactic,
          comment: `${row.countWithSubtechniques} ${plural(row.countWithSubtechniques, 'rule')} on sub-techniques`,
          enabled: true,
          metadata: [],
          links: techniqueLinks(row.techniqueId, index),
          showSubtechniques: true,
        });
      } else if (options.markGaps && gapIds.has(row.techniqueId)) {
        techniques.push(gapEntry(row, index));
      }
      for (const sub of row.subtechniques) {
        if (sub.count > 0) techniques.push(entry(sub, index, perTechnique, false));
        else if (options.markGaps && gapIds.has(sub.techniqueId)) techniques.push(gapEntry(sub, index));
      }
    }
  }

  const scores = techniques.map((t) => t.score).filter((s): s is number => s !== undefined && s > 0);
  const top = Math.max(2, percentile(scores, 0.9));
  const version = index.version;
  const attackMajor = version.attack?.split('.')[0];
  const summary = matrix.summary;
  const metadata: NavigatorMetadata[] = [
    { name: 'generator', value: 'RuleAtlas' },
    { name: 'ATT&CK bundle', value: `${version.collectionName ?? 'ATT&CK'} ${version.attack ?? ''}`.trim() },
    { name: 'rules', value: String(summary.rules) },
    { name: 'rules placed', value: String(summary.rulesPlaced) },
    { name: 'techniques covered', value: String(summary.techniquesCovered) },
    { name: 'sub-techniques covered', value: String(summary.subtechniquesCovered) },
    { name: 'gaps (detection strategy, no rule)', value: String(summary.gaps) },
    { divider: true },
    ...Object.entries(summary.bySource)
      .sort()
      .map(([k, v]) => ({ name: `source: ${k}`, value: String(v) })),
  ];
  if (matrix.unplaced.length > 0) metadata.push({ name: 'tags not placed', value: String(matrix.unplaced.length) });
  if (matrix.indirect.length > 0) metadata.push({ name: 'tags placed via relation or hint', value: String(matrix.indirect.length) });

  return {
    name: options.name ?? 'RuleAtlas rule coverage',
    versions: { ...(attackMajor ? { attack: attackMajor } : {}), navigator: options.navigatorVersion ?? '5.2.0', layer: '4.5' },
    domain: asDomain(version.domain),
    description:
      options.description ??
      `Rule counts per technique over ${summary.rules} rules (${Object.keys(summary.bySource).sort().join(', ') || 'no sources'}); ` +
        `ATT&CK ${version.attack ?? ''}`.trim(),
    filters: { platforms: options.platforms ?? index.platforms() },
    sorting: 3,
    layout: {
      layout: 'side',
      showID: true,
      showName: true,
      showAggregateScores: true,
      countUnscored: false,
      aggregateFunction: 'sum',
      expandedSubtechniques: 'annotated',
    },
    hideDisabled: false,
    techniques,
    gradient: { colors: [...GRADIENT], minValue: 0, maxValue: top },
    legendItems: [
      ...(options.markGaps ? [{ label: 'no rule (ATT&CK has a detection strategy)', color: GAP_COLOR }] : []),
      { label: '1 rule', color: GRADIENT[0]! },
      { label: `${top}+ rules`, color: GRADIENT[1]! },
    ],
    metadata,
    links: [],
    showTacticRowBackground: false,
    tacticRowBackground: '#dddddd',
    selectTechniquesAcrossTactics: true,
    selectSubtechniquesWithParent: false,
    selectVisibleTechniques: false,
  };
}

function entry(cell: CoverageCell, index: AttackIndex, perTechnique: number, showSubtechniques: boolean): NavigatorTechnique {
  const sources = Object.entries(cell.bySource).sort();
  const severities = Object.entries(cell.bySeverity).sort();
  const metadata: NavigatorMetadata[] = [
    ...sources.map(([k, v]) => ({ name: `source: ${k}`, value: String(v) })),
    { divider: true },
    ...severities.map(([k, v]) => ({ name: `severity: ${k}`, value: String(v) })),
  ];
  if (cell.indirectRuleIds.length > 0) {
    metadata.push({ divider: true }, { name: 'placed via relation or hint', value: String(cell.indirectRuleIds.length) });
  }
  if (perTechnique > 0) {
    metadata.push({ divider: true });
    for (const id of cell.ruleIds.slice(0, perTechnique)) metadata.push({ name: 'rule', value: id });
    if (cell.ruleIds.length > perTechnique) metadata.push({ name: 'more rules', value: String(cell.ruleIds.length - perTechnique) });
  }
  return {
    techniqueID: cell.techniqueId,
    tactic: cell.tactic,
    score: cell.count,
    comment:
      `${cell.count} ${plural(cell.count, 'rule')} (` +
      sources.map(([k, v]) => `${k} ${v}`).join(', ') +
      '; ' +
      severities.map(([k, v]) => `${k} ${v}`).join(', ') +
      ')',
    enabled: true,
    metadata,
    links: techniqueLinks(cell.techniqueId, index),
    showSubtechniques,
  };
}

function gapEntry(cell: CoverageCell, index: AttackIndex): NavigatorTechnique {
  const components = index.dataComponentsFor(cell.techniqueId).map((d) => d.name);
  return {
    techniqueID: cell.techniqueId,
    tactic: cell.tactic,
    score: 0,
    color: GAP_COLOR,
    comment: `no rule; ATT&CK detection strategy ${cell.detectionStrategyIds.join(', ')}` + (components.length ? ` needs ${components.join(', ')}` : ''),
    enabled: true,
    metadata: cell.detectionStrategyIds.map((id) => ({ name: 'detection strategy', value: id })),
    links: techniqueLinks(cell.techniqueId, index),
    showSubtechniques: false,
  };
}

function techniqueLinks(techniqueId: string, index: AttackIndex): NavigatorLink[] {
  const links: NavigatorLink[] = [];
  const url = index.technique(techniqueId)?.url;
  if (url) links.push({ label: `ATT&CK ${techniqueId}`, url });
  for (const s of index.detectionStrategiesFor(techniqueId)) {
    if (s.url) links.push({ label: `${s.id} ${s.name}`, url: s.url });
  }
  return links;
}

function asDomain(domain: string | undefined): NavigatorLayer['domain'] {
  return domain === 'mobile-attack' || domain === 'ics-attack' ? domain : 'enterprise-attack';
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1) + 0.5))]!;
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}
