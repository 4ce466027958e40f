import { extractSearchTerms } from '../model/index.js';
import type {
  CatalogSummary,
  CoverageRuleInfo,
  FacetName,
  FacetValue,
  IndicatorKey,
  IndicatorPage,
  IndicatorQuery,
  RulePage,
  RuleQuery,
  RuleRecord,
  RuleSummary,
  SiteData,
} from '../server/data.js';
import { FACETS } from '../server/data.js';
import { ruleIndicators } from './indicators.js';
import type { CatalogStore } from './store.js';

/** Indicators shared by more rules than this are too common to make two rules "similar". */
const SIMILAR_MAX_SHARED = 300;

type Filters = Omit<RuleQuery, 'offset' | 'limit' | 'sort'>;

const FILTER_FACETS: Array<[keyof Filters, FacetName]> = [
  ['source', 'source'],
  ['severity', 'severity'],
  ['status', 'status'],
  ['tactic', 'tactic'],
  ['platform', 'platform'],
  ['dataSource', 'dataSource'],
];

/**
 * The web app's view of the catalog, over the SQLite store. Statements are prepared once; the
 * store is opened read-only by `serve`, and an ingest running beside it is seen at its commits.
 */
export function storeSiteData(store: CatalogStore): SiteData {
  const db = store.db;
  const cache = new Map<string, unknown>();
  let cachedGeneration = '';
  /** Results that depend only on the catalog's content, dropped when it changes. */
  const memo = <T>(key: string, make: () => T): T => {
    const g = generation();
    if (g !== cachedGeneration) {
      cache.clear();
      cachedGeneration = g;
    }
    if (!cache.has(key)) cache.set(key, make());
    return cache.get(key) as T;
  };
  const generation = (): string => store.meta('generation') ?? 'empty';

  /** SQL selecting the ids of rules that pass the filters, with its parameters. */
  const filtered = (q: Filters): { sql: string; params: unknown[] } => {
    const where: string[] = [];
    const params: unknown[] = [];
    for (const [key, facet] of FILTER_FACETS) {
      const v = q[key];
      if (!v) continue;
      where.push('id IN (SELECT rule_id FROM rule_facets WHERE facet = ? AND value = ?)');
      params.push(facet, v);
    }
    if (q.technique) {
      // A technique filter takes its sub-techniques along.
      where.push("id IN (SELECT rule_id FROM rule_facets WHERE facet = 'technique' AND (value = ? OR value LIKE ? ESCAPE '\\'))");
      params.push(q.technique, `${q.technique.replace(/[\\%_]/g, (c) => '\\' + c)}.%`);
    }
    return { sql: `SELECT id FROM rules${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`, params };
  };

  const ORDER: Record<string, string> = {
    updated: 'updated IS NULL, updated DESC, id',
    title: 'title COLLATE NOCASE, id',
    severity: 'severity_rank DESC, updated DESC, id',
  };

  const summaries = (ids: string[]): RuleSummary[] => {
    if (ids.length === 0) return [];
    const rows = db.prepare(`SELECT id, summary FROM rules WHERE id IN (${ids.map(() => '?').join(',')})`).all(...ids) as Array<{ id: string; summary: string }>;
    const byId = new Map(rows.map((r) => [r.id, JSON.parse(r.summary) as RuleSummary]));
    return ids.map((id) => byId.get(id)).filter((s): s is RuleSummary => s !== undefined);
  };

  const facets = (idsSql: { sql: string; params: unknown[] }): Partial<Record<FacetName, FacetValue[]>> =>
    memo(`facets:${idsSql.sql}:${JSON.stringify(idsSql.params)}`, () => {
      const rows = db
        .prepare(`SELECT facet, value, count(*) AS n FROM rule_facets WHERE rule_id IN (${idsSql.sql}) GROUP BY facet, value ORDER BY n DESC, value`)
        .all(...idsSql.params) as Array<{ facet: FacetName; value: string; n: number }>;
      const out: Partial<Record<FacetName, FacetValue[]>> = {};
      for (const f of FACETS) out[f] = [];
      for (const r of rows) out[r.facet]?.push({ value: r.value, count: r.n });
      return out;
    });

  const count = (idsSql: { sql: string; params: unknown[] }): number =>
    memo(`count:${idsSql.sql}:${JSON.stringify(idsSql.params)}`, () => (db.prepare(`SELECT count(*) AS n FROM (${idsSql.sql})`).get(...idsSql.params) as { n: number }).n);

  const ftsQuery = (text: string): string | null => {
    // Each word a quoted prefix term: user text never reaches FTS5's query syntax.
    const words = text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];
    return words.length ? words.slice(0, 12).map((w) => `"${w}"*`).join(' ') : null;
  };

  return {
    generation,

    summary(): CatalogSummary {
      return memo('summary', () => {
        const sources = store.sources();
        const newest = sources.map((s) => s.ingested_at).sort().pop();
        return { rules: sources.reduce((n, s) => n + s.rules, 0), sources: sources.map((s) => ({ name: s.name, rules: s.rules })), ...(newest ? { ingestedAt: newest } : {}) };
      });
    },

    listRules(q: RuleQuery): RulePage {
      const f = filtered(q);
      const ids = (db.prepare(`${f.sql} ORDER BY ${ORDER[q.sort ?? 'updated']} LIMIT ? OFFSET ?`).all(...f.params, q.limit, q.offset) as Array<{ id: string }>).map((r) => r.id);
      return { total: count(f), items: summaries(ids), facets: facets(f) };
    },

    search(q: RuleQuery & { text: string }): RulePage {
      const match = ftsQuery(q.text);
      if (!match) return { total: 0, items: [], facets: {} };
      const f = filtered(q);
      const hits = { sql: `SELECT id FROM rules_fts WHERE rules_fts MATCH ? AND id IN (${f.sql})`, params: [match, ...f.params] };
      const rows = db
        .prepare(`SELECT id, snippet(rules_fts, -1, '«', '»', '…', 12) AS snippet FROM rules_fts WHERE rules_fts MATCH ? AND id IN (${f.sql}) ORDER BY bm25(rules_fts, 0, 10, 3, 2, 1) LIMIT ? OFFSET ?`)
        .all(match, ...f.params, q.limit, q.offset) as Array<{ id: string; snippet: string }>;
      const snippets = new Map(rows.map((r) => [r.id, r.snippet]));
      return {
        total: count(hits),
        items: summaries(rows.map((r) => r.id)).map((s) => ({ ...s, ...(snippets.get(s.id) ? { snippet: snippets.get(s.id)! } : {}) })),
        facets: facets(hits),
      };
    },

    rule(id: string): RuleRecord | null {
      const stored = store.rule(id);
      if (!stored) return null;
      const own = db.prepare('SELECT i.field, i.operator, i.value, i.negated, c.rules FROM indicators i LEFT JOIN indicator_counts c USING (field, operator, value, negated) WHERE i.rule_id = ?').all(id) as Array<{ field: string; operator: string; value: string; negated: number; rules: number | null }>;
      const counts = new Map(own.map((r) => [`${r.negated}\u0000${r.field}\u0000${r.operator}\u0000${r.value}`, r.rules ?? 1]));
      // The IR gives the indicators with spans; the store gives their counts.
      const indicators = ruleIndicators(stored.rule).map((i) => ({ ...i, corpusCount: Math.max(0, (counts.get(`${i.negated ? 1 : 0}\u0000${i.field}\u0000${i.operator}\u0000${i.value}`) ?? 1) - 1) }));
      const similarRows = db
        .prepare(
          `SELECT o.rule_id AS id, count(DISTINCT o.field || char(0) || o.operator || char(0) || o.value) AS shared
           FROM indicators i JOIN indicator_counts c USING (field, operator, value, negated)
           JOIN indicators o ON o.field = i.field AND o.operator = i.operator AND o.value = i.value AND o.negated = 0
           WHERE i.rule_id = ? AND i.negated = 0 AND c.rules <= ? AND o.rule_id != ?
           GROUP BY o.rule_id ORDER BY shared DESC, o.rule_id LIMIT 10`,
        )
        .all(id, SIMILAR_MAX_SHARED, id) as Array<{ id: string; shared: number }>;
      const shared = new Map(similarRows.map((r) => [r.id, r.shared]));
      return {
        rule: stored.rule,
        summary: stored.summary,
        indicators,
        searchTerms: extractSearchTerms(stored.rule),
        similar: summaries(similarRows.map((r) => r.id)).map((s) => ({ ...s, shared: shared.get(s.id) ?? 0 })),
        eventCoverage: stored.coverage,
        enrichment: stored.enrichment,
      };
    },

    indicators(q: IndicatorQuery): IndicatorPage {
      const where: string[] = ['negated = 0'];
      const params: unknown[] = [];
      if (q.field) {
        where.push('field = ?');
        params.push(q.field);
      }
      if (q.operator) {
        where.push('operator = ?');
        params.push(q.operator);
      }
      if (q.text) {
        where.push("instr(value, ?) > 0");
        params.push(q.text.toLowerCase());
      }
      const w = where.join(' AND ');
      const total = memo(`ind-total:${w}:${JSON.stringify(params)}`, () => (db.prepare(`SELECT count(*) AS n FROM indicator_counts WHERE ${w}`).get(...params) as { n: number }).n);
      const items = (db.prepare(`SELECT field, operator, value, display, rules, sources FROM indicator_counts WHERE ${w} ORDER BY rules DESC, value LIMIT ? OFFSET ?`).all(...params, q.limit, q.offset) as Array<{ field: string; operator: string; value: string; display: string; rules: number; sources: string }>).map(
        (r) => ({ field: r.field, operator: r.operator, value: r.value, display: r.display, rules: r.rules, sources: r.sources.split(',').sort() }),
      );
      const facet = (col: 'field' | 'operator'): FacetValue[] =>
        memo(`ind-facet:${col}`, () => (db.prepare(`SELECT ${col} AS value, count(*) AS count FROM indicator_counts WHERE negated = 0 GROUP BY ${col} ORDER BY count DESC, value LIMIT 200`).all() as FacetValue[]));
      return { total, items, fields: facet('field'), operators: facet('operator') };
    },

    indicatorRules(key: IndicatorKey, offset: number, limit: number) {
      const args = [key.field, key.operator, key.value];
      const total = (db.prepare('SELECT count(DISTINCT rule_id) AS n FROM indicators WHERE field = ? AND operator = ? AND value = ? AND negated = 0').get(...args) as { n: number }).n;
      const ids = (db.prepare('SELECT DISTINCT rule_id AS id FROM indicators WHERE field = ? AND operator = ? AND value = ? AND negated = 0 ORDER BY rule_id LIMIT ? OFFSET ?').all(...args, limit, offset) as Array<{ id: string }>).map((r) => r.id);
      return { total, items: summaries(ids) };
    },

    coverageRules(q: Filters): CoverageRuleInfo[] {
      const f = filtered(q);
      return memo(`coverage:${JSON.stringify(f)}`, () =>
        (db.prepare(`SELECT summary FROM rules WHERE id IN (${f.sql})`).all(...f.params) as Array<{ summary: string }>).map((r) => {
          const s = JSON.parse(r.summary) as RuleSummary;
          return { id: s.id, title: s.title, source: s.source, ...(s.severity ? { severity: s.severity } : {}), techniques: s.techniques, tactics: s.tactics, dataSources: s.dataSources };
        }),
      );
    },
  };
}
