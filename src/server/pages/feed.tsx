/** @jsxImportSource hono/jsx */
import type { CatalogSummary, RulePage } from '../data.js';
import { Pager } from './components.js';
import { Layout } from './layout.js';
import { withQuery } from './links.js';
import { ActiveFilters, FacetSidebar, RuleTable } from './rule-list.js';

/** `/`: newest and updated rules across every source, with facet filters and paging. */
export function FeedPage(props: { url: URL; params: Record<string, string | undefined>; page: number; perPage: number; result: RulePage; summary: CatalogSummary }) {
  const sort = props.params.sort ?? 'updated';
  return (
    <Layout title="Feed" nav="feed">
      <div class="cols">
        <FacetSidebar path="/" params={props.params} facets={props.result.facets} />
        <div>
          <h1>Detection feed</h1>
          <p class="muted">
            {props.summary.rules.toLocaleString('en')} rules from {props.summary.sources.map((s) => `${s.name} (${s.rules.toLocaleString('en')})`).join(', ')}
            {props.summary.ingestedAt ? ` · ingested ${props.summary.ingestedAt}` : ''}
          </p>
          <div class="filters">
            <span class="muted">Sort:</span>
            {(['updated', 'title', 'severity'] as const).map((s) =>
              s === sort ? <b>{s}</b> : <a href={withQuery('/', { ...props.params, sort: s === 'updated' ? undefined : s, page: undefined })}>{s}</a>,
            )}
          </div>
          <ActiveFilters path="/" params={props.params} />
          <RuleTable items={props.result.items} />
          <Pager url={props.url} page={props.page} pageSize={props.perPage} total={props.result.total} />
        </div>
      </div>
    </Layout>
  );
}
