/** @jsxImportSource hono/jsx */
import type { FacetName, FacetValue, RuleSummary } from '../data.js';
import { Empty, SeverityBadge } from './components.js';
import { ruleHref, withQuery } from './links.js';

/** A dense table of rules: the feed's, search's and an indicator's. */
export function RuleTable(props: { items: Array<RuleSummary & { snippet?: string; shared?: number }>; showSnippet?: boolean }) {
  if (!props.items.length) return <Empty>No rules match.</Empty>;
  return (
    <table class="grid rulelist">
      <thead>
        <tr>
          <th>Rule</th>
          <th>Source</th>
          <th>Severity</th>
          <th>ATT&CK</th>
          <th>Updated</th>
        </tr>
      </thead>
      <tbody>
        {props.items.map((r) => (
          <tr data-rule={r.id}>
            <td>
              <a href={ruleHref(r.id)}>{r.title || r.id}</a>
              {props.showSnippet && r.snippet ? <div class="muted">{r.snippet}</div> : r.description ? <div class="muted">{clip(r.description, 160)}</div> : null}
            </td>
            <td>{r.source}</td>
            <td>
              <SeverityBadge severity={r.severity} />
            </td>
            <td class="mono">{r.techniques.slice(0, 4).join(' ')}{r.techniques.length > 4 ? ' …' : ''}</td>
            <td class="nowrap">{r.modified ?? r.date ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function clip(s: string, n: number): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? one.slice(0, n - 1) + '…' : one;
}

const FACET_TITLES: Record<FacetName, string> = { source: 'Source', severity: 'Severity', status: 'Status', tactic: 'Tactic', technique: 'Technique', platform: 'Platform', dataSource: 'Data source' };
const PARAM: Record<FacetName, string> = { source: 'source', severity: 'severity', status: 'status', tactic: 'tactic', technique: 'technique', platform: 'platform', dataSource: 'data_source' };

/** Facet counts as links that toggle a filter, keeping the others (and dropping the page). */
export function FacetSidebar(props: { path: string; params: Record<string, string | undefined>; facets: Partial<Record<FacetName, FacetValue[]>> }) {
  return (
    <aside class="facets" aria-label="Filters">
      {(Object.keys(FACET_TITLES) as FacetName[])
        .filter((f) => props.facets[f]?.length)
        .map((f) => {
          const param = PARAM[f];
          const active = props.params[param];
          return (
            <section data-facet={param}>
              <h3>{FACET_TITLES[f]}</h3>
              <ul>
                {props.facets[f]!.slice(0, 12).map((v) => {
                  const on = active !== undefined && active.toLowerCase() === v.value.toLowerCase();
                  return (
                    <li>
                      <a class={on ? 'on' : undefined} href={withQuery(props.path, { ...props.params, [param]: on ? undefined : v.value, page: undefined })}>
                        {on ? '✓ ' : ''}
                        {v.value}
                      </a>
                      <span>{v.count.toLocaleString('en')}</span>
                    </li>
                  );
                })}
              </ul>
            </section>
          );
        })}
    </aside>
  );
}

/** The active filters as removable chips. */
export function ActiveFilters(props: { path: string; params: Record<string, string | undefined> }) {
  const active = Object.entries(props.params).filter(([k, v]) => v && k !== 'q' && k !== 'page' && k !== 'sort');
  if (!active.length) return null;
  return (
    <div class="filters">
      {active.map(([k, v]) => (
        <a class="badge" href={withQuery(props.path, { ...props.params, [k]: undefined, page: undefined })} title="Remove this filter">
          {k.replace('_', ' ')}: {v} ✕
        </a>
      ))}
      <a href={withQuery(props.path, props.params.q ? { q: props.params.q } : {})}>clear all</a>
    </div>
  );
}
