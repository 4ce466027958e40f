import { buildCoverage, toNavigatorLayer, type AttackIndex, type CoverageCell, type CoverageMatrix, type NavigatorLayer, type TagResolver } from '../../attack/index.js';
import type { CoverageRuleInfo, RuleQuery, SiteData } from '../data.js';
import { Lru } from './lru.js';

export type CoverageFilters = Omit<RuleQuery, 'offset' | 'limit' | 'sort' | 'tactic' | 'technique'>;

export interface CoverageView {
  matrix: CoverageMatrix;
  rules: Map<string, CoverageRuleInfo>;
}

/** One technique's rules, across the tactics it sits in (or one tactic), with its sub-techniques. */
export interface TechniqueDrawer {
  techniqueId: string;
  name: string;
  description: string;
  url?: string;
  tactics: string[];
  isGap: boolean;
  detectionStrategies: Array<{ id: string; name: string }>;
  groups: Array<{ techniqueId: string; name: string; rules: CoverageRuleInfo[] }>;
  total: number;
}

/**
 * Coverage matrices per filter set, built from the catalog's rules and the ATT&CK index and kept
 * until the catalog changes: building one walks every rule's tags.
 */
export class CoverageViews {
  private readonly cache = new Lru<string, CoverageView>(32);

  constructor(
    private readonly data: SiteData,
    private readonly attack: { index: AttackIndex; resolver: TagResolver },
  ) {}

  get index(): AttackIndex {
    return this.attack.index;
  }

  view(filters: CoverageFilters): CoverageView {
    const key = `${this.data.generation()}\u0000${JSON.stringify(filters)}`;
    let v = this.cache.get(key);
    if (!v) {
      const { platform, ...ruleFilters } = filters;
      const list = this.data.coverageRules(ruleFilters);
      const matrix = buildCoverage(this.attack.index, this.attack.resolver, list, platform ? { platforms: [platform] } : {});
      v = { matrix, rules: new Map(list.map((r) => [r.id, r])) };
      this.cache.set(key, v);
    }
    return v;
  }

  layer(filters: CoverageFilters): NavigatorLayer {
    const { matrix } = this.view(filters);
    const what = Object.entries(filters)
      .filter(([, v]) => v)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    return toNavigatorLayer(matrix, this.attack.index, { name: `RuleAtlas coverage${what ? ` (${what})` : ''}`, description: `Rule counts per technique from the RuleAtlas catalog${what ? `, filtered by ${what}` : ''}.`, markGaps: true });
  }

  drawer(filters: CoverageFilters, techniqueId: string, tactic?: string): TechniqueDrawer | null {
    const t = this.attack.index.technique(techniqueId);
    if (!t) return null;
    const top = t.parentId ? this.attack.index.technique(t.parentId)! : t;
    const { matrix, rules } = this.view(filters);
    const byTechnique = new Map<string, { name: string; ids: Set<string> }>();
    const add = (cell: CoverageCell): void => {
      if (t.parentId && cell.techniqueId !== t.id) return;
      const g = byTechnique.get(cell.techniqueId) ?? { name: cell.name, ids: new Set<string>() };
      for (const id of cell.ruleIds) g.ids.add(id);
      byTechnique.set(cell.techniqueId, g);
    };
    const tactics: string[] = [];
    for (const col of matrix.columns) {
      if (tactic && col.tactic.shortname !== tactic) continue;
      const row = col.rows.find((r) => r.techniqueId === top.id);
      if (!row) continue;
      tactics.push(col.tactic.name);
      add(row);
      row.subtechniques.forEach(add);
    }
    const all = new Set<string>();
    const groups = [...byTechnique.entries()]
      .filter(([, g]) => g.ids.size)
      .map(([id, g]) => {
        for (const r of g.ids) all.add(r);
        return { techniqueId: id, name: g.name, rules: [...g.ids].map((r) => rules.get(r)).filter((r): r is CoverageRuleInfo => !!r) };
      });
    return {
      techniqueId: t.id,
      name: t.name,
      description: firstSentence(t.description),
      ...(t.url ? { url: t.url } : {}),
      tactics,
      isGap: matrix.gaps.some((g) => g.techniqueId === t.id),
      detectionStrategies: this.attack.index.detectionStrategiesFor(t.id).map((s) => ({ id: s.id, name: s.name })),
      groups,
      total: all.size,
    };
  }
}

function firstSentence(text: string): string {
  const clean = text.replace(/\(Citation:[^)]*\)/g, '').replace(/\s+/g, ' ').trim();
  return clean.match(/^[^.!?]+[.!?]/)?.[0] ?? clean.slice(0, 300);
}
