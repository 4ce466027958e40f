import { badRequest } from '../http/errors.js';
import { text } from '../http/params.js';
import type { CoverageFilterOptions } from '../pages/coverage.js';
import type { CoverageFilters } from '../views/coverage-view.js';
import type { CatalogContext } from './catalog-context.js';
import type { RuleFilterValues } from './filters.js';
import { PAGING } from './filters.js';

export const SEARCH_Q = text({ max: 200 });

const FIELD = text({ max: 200, pattern: /^[^\s"'<>`]+$/, hint: 'a field name' });
const OPERATOR = text({ max: 40, pattern: /^[a-z][a-z-]*$/, hint: 'an operator such as eq, contains, regex' });

export const INDICATOR_LIST = { field: FIELD, operator: OPERATOR, q: text({ max: 200 }), ...PAGING };

/** One indicator: field and operator are required; the value may be empty (`exists`). */
export const INDICATOR_KEY = {
  field: required(FIELD, 'field'),
  operator: required(OPERATOR, 'operator'),
  value: (raw: string[] | undefined, name: string) => (raw?.length ? (text({ max: 500 })(raw, name) ?? '') : undefined),
};

function required(p: ReturnType<typeof text>, what: string) {
  return (raw: string[] | undefined, name: string): string => {
    const v = p(raw, name);
    if (v === undefined) throw badRequest('missing-parameter', `'${name}' is required: the indicator's ${what}`, { parameter: name });
    return v;
  };
}

export function coverageFilters(p: Pick<RuleFilterValues, 'source' | 'severity' | 'status' | 'platform' | 'data_source'>): CoverageFilters {
  const f: CoverageFilters = {};
  if (p.source) f.source = p.source;
  if (p.severity) f.severity = p.severity;
  if (p.status) f.status = p.status;
  if (p.platform) f.platform = p.platform;
  if (p.data_source) f.dataSource = p.data_source;
  return f;
}

export function coverageFilterOptions(ctx: CatalogContext): CoverageFilterOptions {
  const data = ctx.data();
  const platforms = new Set<string>();
  for (const t of ctx.coverageViews().index.techniques()) for (const p of t.platforms) platforms.add(p);
  const facets = data.listRules({ offset: 0, limit: 0 }).facets;
  return {
    sources: data.summary().sources.map((s) => s.name),
    platforms: [...platforms].sort(),
    dataSources: (facets.dataSource ?? []).slice(0, 60).map((f) => f.value),
  };
}
