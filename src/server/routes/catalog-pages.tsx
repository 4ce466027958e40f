/** @jsxImportSource hono/jsx */
import type { Hono } from 'hono';
import { notFound } from '../http/errors.js';
import { parseParams, ruleId, text } from '../http/params.js';
import { CoveragePage, Drawer } from '../pages/coverage.js';
import { FeedPage } from '../pages/feed.js';
import { IndicatorRulesPage, IndicatorsPage } from '../pages/indicators.js';
import { RulePage } from '../pages/rule.js';
import { SearchPage } from '../pages/search.js';
import type { CatalogContext } from './catalog-context.js';
import { coverageFilterOptions, coverageFilters, INDICATOR_KEY, INDICATOR_LIST, SEARCH_Q } from './catalog-params.js';
import { filterParams, PAGING, RULE_FILTERS, ruleQuery, SORT } from './filters.js';

/** The catalog's pages. Unknown query parameters are ignored here (links from elsewhere add them); known ones are validated. */
export function catalogPages(app: Hono, ctx: CatalogContext): void {
  const lenient = { strict: false };

  app.get('/', (c) => {
    const url = new URL(c.req.url);
    const p = parseParams(url, { ...RULE_FILTERS, ...PAGING, ...SORT }, lenient);
    const data = ctx.data();
    const result = data.listRules(ruleQuery(p));
    return c.html(<FeedPage url={url} params={{ ...filterParams(p), sort: p.sort }} page={p.page} perPage={p.per_page} result={result} summary={data.summary()} />);
  });

  app.get('/rules/:id{.+}', (c) => {
    const id = ruleId(c.req.param('id'));
    const record = ctx.data().rule(id);
    if (!record) throw notFound(`the rule ${id}`);
    return c.html(<RulePage view={ctx.ruleViews().view(record, ctx.generation())} />);
  });

  app.get('/search', (c) => {
    const url = new URL(c.req.url);
    const p = parseParams(url, { q: SEARCH_Q, ...RULE_FILTERS, ...PAGING }, lenient);
    const result = p.q ? ctx.data().search({ ...ruleQuery(p), text: p.q }) : null;
    return c.html(<SearchPage url={url} q={p.q} params={{ q: p.q, ...filterParams(p) }} page={p.page} perPage={p.per_page} result={result} />);
  });

  app.get('/indicators', (c) => {
    const url = new URL(c.req.url);
    const p = parseParams(url, INDICATOR_LIST, lenient);
    const result = ctx.data().indicators({ ...(p.field ? { field: p.field } : {}), ...(p.operator ? { operator: p.operator } : {}), ...(p.q ? { text: p.q } : {}), offset: (p.page - 1) * p.per_page, limit: p.per_page });
    return c.html(<IndicatorsPage url={url} params={{ field: p.field, operator: p.operator, q: p.q }} page={p.page} perPage={p.per_page} result={result} />);
  });

  app.get('/indicators/rules', (c) => {
    const url = new URL(c.req.url);
    const p = parseParams(url, { ...INDICATOR_KEY, ...PAGING }, lenient);
    const key = { field: p.field, operator: p.operator, value: p.value ?? '' };
    const result = ctx.data().indicatorRules(key, (p.page - 1) * p.per_page, p.per_page);
    return c.html(<IndicatorRulesPage url={url} keyOf={key} page={p.page} perPage={p.per_page} result={result} />);
  });

  app.get('/coverage', (c) => {
    const url = new URL(c.req.url);
    const p = parseParams(url, { ...RULE_FILTERS }, lenient);
    const views = ctx.coverageViews();
    const filters = coverageFilters(p);
    const drawer = p.technique ? views.drawer(filters, p.technique, p.tactic) : null;
    return c.html(<CoveragePage params={filterParams(p)} view={views.view(filters)} options={coverageFilterOptions(ctx)} drawer={drawer} />);
  });

  app.get('/coverage/drawer', (c) => {
    const p = parseParams(new URL(c.req.url), { ...RULE_FILTERS, technique: text({ pattern: /^T\d{4}(\.\d{3})?$/i, hint: 'a technique id such as T1059' }) }, lenient);
    if (!p.technique) throw notFound('the technique');
    const d = ctx.coverageViews().drawer(coverageFilters(p), p.technique, p.tactic);
    if (!d) throw notFound(`the technique ${p.technique}`);
    const { technique: _t, tactic: _a, ...keep } = filterParams(p);
    return c.html(<Drawer d={d} keep={keep} />);
  });
}
