/** @jsxImportSource hono/jsx */
import type { IndicatorKey, IndicatorPage, RuleSummary } from '../data.js';
import { Empty, Pager } from './components.js';
import { Layout } from './layout.js';
import { indicatorRulesHref, withQuery } from './links.js';
import { RuleTable } from './rule-list.js';

/** `/indicators`: the most shared indicators, by field and operator. */
export function IndicatorsPage(props: { url: URL; params: Record<string, string | undefined>; page: number; perPage: number; result: IndicatorPage }) {
  const r = props.result;
  const facet = (name: 'field' | 'operator', values: IndicatorPage['fields']) => (
    <section data-facet={name}>
      <h3>{name === 'field' ? 'Field' : 'Operator'}</h3>
      <ul>
        {values.slice(0, 25).map((v) => {
          const on = props.params[name] === v.value;
          return (
            <li>
              <a class={on ? 'on' : undefined} href={withQuery('/indicators', { ...props.params, [name]: on ? undefined : v.value, page: undefined })}>
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
  return (
    <Layout title="Indicators" nav="indicators">
      <div class="cols">
        <aside class="facets" aria-label="Filters">
          {facet('field', r.fields)}
          {facet('operator', r.operators)}
        </aside>
        <div>
          <h1>Indicator explorer</h1>
          <p class="muted">
            An indicator is a (field, operator, value) a rule looks for; fields are canonical across vendors, so Sigma's CommandLine, Splunk's Processes.process and Defender's ProcessCommandLine
            meet. Sorted by how many rules share each.
          </p>
          <form action="/indicators" method="get" class="filters">
            <input type="search" name="q" value={props.params.q ?? ''} placeholder="Value contains…" aria-label="Value contains" />
            {props.params.field ? <input type="hidden" name="field" value={props.params.field} /> : null}
            {props.params.operator ? <input type="hidden" name="operator" value={props.params.operator} /> : null}
            <button type="submit">Filter</button>
          </form>
          {r.items.length ? (
            <table class="grid" id="indicator-table">
              <thead>
                <tr>
                  <th>Field</th>
                  <th>Operator</th>
                  <th>Value</th>
                  <th>Sources</th>
                  <th class="num">Rules</th>
                </tr>
              </thead>
              <tbody>
                {r.items.map((i) => (
                  <tr>
                    <td class="mono">{i.field}</td>
                    <td class="mono">{i.operator}</td>
                    <td class="mono">{i.display === '' ? '(present)' : JSON.stringify(i.display)}</td>
                    <td>{i.sources.join(', ')}</td>
                    <td class="num">
                      <a href={indicatorRulesHref(i)}>{i.rules}</a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <Empty>No indicators match.</Empty>
          )}
          <Pager url={props.url} page={props.page} pageSize={props.perPage} total={r.total} />
        </div>
      </div>
    </Layout>
  );
}

/** `/indicators/rules`: the rules that share one indicator. */
export function IndicatorRulesPage(props: { url: URL; keyOf: IndicatorKey; page: number; perPage: number; result: { total: number; items: RuleSummary[] } }) {
  const k = props.keyOf;
  return (
    <Layout title={`Rules with ${k.field} ${k.operator} ${k.value}`} nav="indicators">
      <div class="crumbs">
        <a href={withQuery('/indicators', { field: k.field })}>← Indicators on {k.field}</a>
      </div>
      <h1>
        <span class="mono">
          {k.field} {k.operator} {k.value === '' ? '' : JSON.stringify(k.value)}
        </span>
      </h1>
      <p class="muted" id="result-count">
        {props.result.total.toLocaleString('en')} rules look for this indicator
      </p>
      <RuleTable items={props.result.items} />
      <Pager url={props.url} page={props.page} pageSize={props.perPage} total={props.result.total} />
    </Layout>
  );
}
