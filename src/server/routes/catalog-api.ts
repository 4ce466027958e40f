import type { Context, Hono } from 'hono';
import { coverageCsv } from '../../attack/index.js';
import { badRequest, notFound } from '../http/errors.js';
import { flag, parseParams, ruleId } from '../http/params.js';
import { withQuery } from '../pages/links.js';
import type { CatalogContext } from './catalog-context.js';
import { coverageFilters, INDICATOR_KEY, INDICATOR_LIST, SEARCH_Q } from './catalog-params.js';
import { PAGING, RULE_FILTERS, ruleQuery, SORT } from './filters.js';

const strict = { strict: true };

/** JSON under /api/ for the catalog: every parameter validated, unknown ones refused, lists paged. */
export function catalogApi(app: Hono, ctx: CatalogContext): void {
  app.get('/api/status', (c) => {
    const attack = ctx.hasData ? ctx.attack() : null;
    return c.json({
      catalog: ctx.hasData ? ctx.data().summary() : null,
      generation: ctx.generation(),
      attack: attack ? attack.index.version : null,
    });
  });

  app.get('/api/rules', (c) => {
    const p = parseParams(new URL(c.req.url), { ...RULE_FILTERS, ...PAGING, ...SORT }, strict);
    const r = ctx.data().listRules(ruleQuery(p));
    return c.json(paged(c, p.page, p.per_page, r.total, { items: r.items, facets: r.facets }));
  });

  app.get('/api/rules/:id{.+}', (c) => {
    parseParams(new URL(c.req.url), {}, strict);
    const id = ruleId(c.req.param('id'));
    const record = ctx.data().rule(id);
    if (!record) throw notFound(`the rule ${id}`);
    const v = ctx.ruleViews().view(record, ctx.generation());
    return c.json({
      id,
      summary: record.summary,
      rule: record.rule,
      indicators: record.indicators,
      searchTerms: record.searchTerms,
      similar: record.similar,
      eventCoverage: record.eventCoverage,
      enrichment: v.enrichment,
      translations: v.translations,
      findings: v.findings,
      links: { page: `/rules/${encodeURIComponent(id)}` },
    });
  });

  app.get('/api/search', (c) => {
    const p = parseParams(new URL(c.req.url), { q: SEARCH_Q, ...RULE_FILTERS, ...PAGING }, strict);
    if (!p.q) throw badRequest('missing-parameter', "'q' is required: the words to search for", { parameter: 'q' });
    const r = ctx.data().search({ ...ruleQuery(p), text: p.q });
    return c.json(paged(c, p.page, p.per_page, r.total, { q: p.q, items: r.items, facets: r.facets }));
  });

  app.get('/api/indicators', (c) => {
    const p = parseParams(new URL(c.req.url), INDICATOR_LIST, strict);
    const r = ctx.data().indicators({ ...(p.field ? { field: p.field } : {}), ...(p.operator ? { operator: p.operator } : {}), ...(p.q ? { text: p.q } : {}), offset: (p.page - 1) * p.per_page, limit: p.per_page });
    return c.json(paged(c, p.page, p.per_page, r.total, { items: r.items, fields: r.fields, operators: r.operators }));
  });

  app.get('/api/indicators/rules', (c) => {
    const p = parseParams(new URL(c.req.url), { ...INDICATOR_KEY, ...PAGING }, strict);
    const key = { field: p.field, operator: p.operator, value: p.value ?? '' };
    const r = ctx.data().indicatorRules(key, (p.page - 1) * p.per_page, p.per_page);
    return c.json(paged(c, p.page, p.per_page, r.total, { indicator: key, items: r.items }));
  });

  const COVERAGE = { source: RULE_FILTERS.source, severity: RULE_FILTERS.severity, status: RULE_FILTERS.status, platform: RULE_FILTERS.platform, data_source: RULE_FILTERS.data_source };

  app.get('/api/coverage', (c) => {
    const p = parseParams(new URL(c.req.url), COVERAGE, strict);
    return c.json(ctx.coverageViews().view(coverageFilters(p)).matrix);
  });

  app.get('/api/coverage/layer', (c) => {
    const p = parseParams(new URL(c.req.url), { ...COVERAGE, download: flag() }, strict);
    const layer = ctx.coverageViews().layer(coverageFilters(p));
    if (p.download) c.header('Content-Disposition', 'attachment; filename="ruleatlas-layer.json"');
    return c.json(layer);
  });

  app.get('/api/coverage/csv', (c) => {
    const p = parseParams(new URL(c.req.url), COVERAGE, strict);
    const csv = coverageCsv(ctx.coverageViews().view(coverageFilters(p)).matrix);
    return c.body(csv, 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="ruleatlas-coverage.csv"' });
  });
}

/** The paging envelope: totals and links to the neighbouring pages. */
function paged<T extends object>(c: Context, page: number, perPage: number, total: number, body: T) {
  const pages = Math.max(1, Math.ceil(total / perPage));
  const url = new URL(c.req.url);
  const link = (n: number): string => {
    const params = Object.fromEntries(url.searchParams);
    return withQuery(url.pathname, { ...params, page: n });
  };
  return { total, page, per_page: perPage, pages, next: page < pages ? link(page + 1) : null, prev: page > 1 ? link(page - 1) : null, ...body };
}
