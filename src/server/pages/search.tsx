/** @jsxImportSource hono/jsx */
import type { RulePage } from '../data.js';
import { Empty, Pager } from './components.js';
import { Layout } from './layout.js';
import { ActiveFilters, FacetSidebar, RuleTable } from './rule-list.js';

/** `/search?q=`: full text over titles, descriptions and indicator values, with facets. */
export function SearchPage(props: { url: URL; q: string | undefined; params: Record<string, string | undefined>; page: number; perPage: number; result: RulePage | null }) {
  return (
    <Layout title={props.q ? `Search: ${props.q}` : 'Search'} nav="search" query={props.q}>
      <div class="cols">
        {props.result ? <FacetSidebar path="/search" params={props.params} facets={props.result.facets} /> : <aside></aside>}
        <div>
          <h1>Search</h1>
          <form action="/search" method="get" class="filters">
            <input type="search" name="q" value={props.q ?? ''} placeholder="ngrok, T1572, CommandLine, lsass…" aria-label="Search terms" />
            {Object.entries(props.params)
              .filter(([k, v]) => v && k !== 'q' && k !== 'page')
              .map(([k, v]) => (
                <input type="hidden" name={k} value={v} />
              ))}
            <button type="submit" class="primary">
              Search
            </button>
          </form>
          <ActiveFilters path="/search" params={props.params} />
          {props.result ? (
            <>
              <p class="muted" id="result-count">
                {props.result.total.toLocaleString('en')} rules match
              </p>
              <RuleTable items={props.result.items} showSnippet />
              <Pager url={props.url} page={props.page} pageSize={props.perPage} total={props.result.total} />
            </>
          ) : (
            <Empty>Search rule titles, descriptions, ATT&CK ids and indicator values across every source. Words are matched as prefixes; quote a phrase to match it exactly.</Empty>
          )}
        </div>
      </div>
    </Layout>
  );
}
