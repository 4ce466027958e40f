import { summarizeRule } from '../../src/catalog/summary.js';
import { extractIndicators, extractSearchTerms, type Rule } from '../../src/model/index.js';
import type { FacetName, FacetValue, IndicatorKey, RuleQuery, RuleRecord, RuleSummary, SiteData } from '../../src/server/data.js';

/**
 * A test double of the catalog: the port over a handful of rules held in memory, so route and
 * page tests need no store on disk. Counts and facets are computed the plain way.
 */
export function memoryData(rules: Rule[], generation = 'g1'): SiteData & { rules: Rule[] } {
  const summaries = new Map(rules.map((r) => [r.id, summarizeRule(r)]));
  const indicators = new Map(rules.map((r) => [r.id, extractIndicators(r)]));
  const key = (i: IndicatorKey): string => `${i.field}\u0000${i.operator}\u0000${i.value}`;
  const holders = new Map<string, Set<string>>();
  for (const [id, list] of indicators) for (const i of list) (holders.get(key(i)) ?? holders.set(key(i), new Set()).get(key(i))!).add(id);

  const matches = (s: RuleSummary, q: Partial<RuleQuery>): boolean =>
    (!q.source || s.source === q.source) &&
    (!q.severity || s.severity === q.severity) &&
    (!q.status || s.status === q.status) &&
    (!q.tactic || s.tactics.includes(q.tactic)) &&
    (!q.technique || s.techniques.some((t) => t === q.technique || t.startsWith(`${q.technique}.`))) &&
    (!q.platform || s.platforms.includes(q.platform)) &&
    (!q.dataSource || s.dataSources.includes(q.dataSource));

  const facets = (list: RuleSummary[]): Partial<Record<FacetName, FacetValue[]>> => {
    const out: Partial<Record<FacetName, FacetValue[]>> = {};
    const pick: Record<FacetName, (s: RuleSummary) => string[]> = {
      source: (s) => [s.source],
      severity: (s) => (s.severity ? [s.severity] : []),
      status: (s) => (s.status ? [s.status] : []),
      tactic: (s) => s.tactics,
      technique: (s) => s.techniques,
      platform: (s) => s.platforms,
      dataSource: (s) => s.dataSources,
    };
    for (const [name, get] of Object.entries(pick) as Array<[FacetName, (s: RuleSummary) => string[]]>) {
      const counts = new Map<string, number>();
      for (const s of list) for (const v of new Set(get(s))) counts.set(v, (counts.get(v) ?? 0) + 1);
      out[name] = [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
    }
    return out;
  };

  const page = (list: RuleSummary[], q: RuleQuery) => ({ total: list.length, items: list.slice(q.offset, q.offset + q.limit), facets: facets(list) });
  const newest = (a: RuleSummary, b: RuleSummary): number => (b.modified ?? b.date ?? '').localeCompare(a.modified ?? a.date ?? '') || a.id.localeCompare(b.id);

  return {
    rules,
    generation: () => generation,
    summary: () => {
      const counts = new Map<string, number>();
      for (const r of rules) counts.set(r.source.corpus, (counts.get(r.source.corpus) ?? 0) + 1);
      return { rules: rules.length, sources: [...counts].map(([name, n]) => ({ name, rules: n })) };
    },
    listRules: (q) => page([...summaries.values()].filter((s) => matches(s, q)).sort(newest), q),
    search: (q) => {
      const words = q.text.toLowerCase().split(/\s+/).filter(Boolean);
      const hit = (r: Rule): boolean => words.every((w) => `${r.title} ${r.description ?? ''} ${r.attack.techniques.join(' ')} ${indicators.get(r.id)!.map((i) => i.value).join(' ')}`.toLowerCase().includes(w));
      return page(rules.filter(hit).map((r) => summaries.get(r.id)!).filter((s) => matches(s, q)), q);
    },
    rule: (id) => {
      const rule = rules.find((r) => r.id === id);
      if (!rule) return null;
      const own = indicators.get(id)!;
      const shared = new Map<string, number>();
      for (const i of own) for (const other of holders.get(key(i)) ?? []) if (other !== id) shared.set(other, (shared.get(other) ?? 0) + 1);
      const record: RuleRecord = {
        rule,
        summary: summaries.get(id)!,
        indicators: own.map((i) => ({ ...i, corpusCount: (holders.get(key(i))?.size ?? 1) - 1 })),
        searchTerms: extractSearchTerms(rule),
        similar: [...shared].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([other, n]) => ({ ...summaries.get(other)!, shared: n })),
        eventCoverage: [],
        enrichment: null,
      };
      return record;
    },
    indicators: (q) => {
      const all = [...holders].map(([k, ids]) => {
        const [field, operator, value] = k.split('\u0000') as [string, string, string];
        const first = [...indicators.values()].flat().find((i) => i.field === field && i.operator === operator && i.value === value)!;
        return { field, operator, value, display: first.display, rules: ids.size, sources: [...new Set([...ids].map((id) => summaries.get(id)!.source))] };
      });
      const list = all.filter((i) => (!q.field || i.field === q.field) && (!q.operator || i.operator === q.operator) && (!q.text || i.value.includes(q.text.toLowerCase()))).sort((a, b) => b.rules - a.rules || a.value.localeCompare(b.value));
      const count = (get: (i: (typeof all)[number]) => string) => {
        const m = new Map<string, number>();
        for (const i of all) m.set(get(i), (m.get(get(i)) ?? 0) + 1);
        return [...m].map(([value, n]) => ({ value, count: n })).sort((a, b) => b.count - a.count);
      };
      return { total: list.length, items: list.slice(q.offset, q.offset + q.limit), fields: count((i) => i.field), operators: count((i) => i.operator) };
    },
    indicatorRules: (k, offset, limit) => {
      const ids = [...(holders.get(key(k)) ?? [])].sort();
      return { total: ids.length, items: ids.slice(offset, offset + limit).map((id) => summaries.get(id)!) };
    },
    coverageRules: (q) =>
      [...summaries.values()].filter((s) => matches(s, q)).map((s) => ({ id: s.id, title: s.title, source: s.source, ...(s.severity ? { severity: s.severity } : {}), techniques: s.techniques, tactics: s.tactics, dataSources: s.dataSources })),
  };
}
