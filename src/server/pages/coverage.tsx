/** @jsxImportSource hono/jsx */
import type { CoverageRow } from '../../attack/index.js';
import type { CoverageView, TechniqueDrawer } from '../views/coverage-view.js';
import { Empty, SeverityBadge } from './components.js';
import { Layout } from './layout.js';
import { coverageHref, ruleHref, safeExternal, withQuery } from './links.js';

/** 0 → h0; then one heat level per doubling, so 1 rule and 150 rules both read at a glance. */
export function heatClass(count: number): string {
  if (count <= 0) return 'h0';
  return `h${Math.min(7, 1 + Math.floor(Math.log2(count)))}`;
}

export interface CoverageFilterOptions {
  sources: string[];
  platforms: string[];
  dataSources: string[];
}

/** `/coverage`: the ATT&CK matrix as a heatmap of rule counts, with filters and a technique drawer. */
export function CoveragePage(props: { params: Record<string, string | undefined>; view: CoverageView; options: CoverageFilterOptions; drawer: TechniqueDrawer | null }) {
  const { matrix } = props.view;
  const s = matrix.summary;
  const p = props.params;
  const keep = { source: p.source, severity: p.severity, status: p.status, platform: p.platform, data_source: p.data_source };
  const select = (name: string, label: string, values: string[]) => (
    <label>
      {label}
      <select name={name}>
        <option value="">any</option>
        {values.map((v) => (
          <option value={v} selected={p[name] === v}>
            {v}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <Layout title="Coverage" nav="coverage" scripts={['coverage.js']}>
      <h1>ATT&CK coverage</h1>
      <p class="muted">
        Rules per technique (a technique's count includes its sub-techniques), ATT&CK {matrix.attack.attack ?? ''} Enterprise. Gaps are techniques ATT&CK has a detection strategy for but no rule
        covers.
      </p>
      <form class="filters" method="get" action="/coverage" id="coverage-filters">
        {select('source', 'Source', props.options.sources)}
        {select('severity', 'Severity', ['informational', 'low', 'medium', 'high', 'critical'])}
        {select('platform', 'Platform', props.options.platforms)}
        {select('data_source', 'Data source', props.options.dataSources)}
        <button type="submit" class="primary">
          Apply
        </button>
        <label>
          Find technique
          <input type="search" id="find" placeholder="T1059, powershell…" />
        </label>
        <label>
          Min rules
          <input type="number" id="min" min="0" value="0" class="narrow" />
        </label>
        <span class="muted">
          <b id="shown"></b> cells shown
        </span>
        <span class="legend" aria-hidden="true">
          0 <i class="h0"></i>
          <i class="h1"></i>
          <i class="h2"></i>
          <i class="h3"></i>
          <i class="h4"></i>
          <i class="h5"></i>
          <i class="h6"></i>
          <i class="h7"></i> 64+
        </span>
      </form>
      <div class="panel">
        <span class="stat">
          <b id="rules-placed">{s.rulesPlaced.toLocaleString('en')}</b>
          <span>rules placed of {s.rules.toLocaleString('en')}</span>
        </span>
        <span class="stat">
          <b>{s.techniquesCovered}</b>
          <span>techniques covered</span>
        </span>
        <span class="stat">
          <b>{s.subtechniquesCovered}</b>
          <span>sub-techniques covered</span>
        </span>
        <span class="stat">
          <b>{s.gaps}</b>
          <span>gaps with a detection strategy</span>
        </span>
        <span class="stat">
          <a class="button" href={withQuery('/api/coverage/layer', { ...keep, download: '1' })} download="ruleatlas-layer.json" id="layer-download">
            Navigator layer
          </a>
        </span>
        <span class="stat">
          <a class="button" href={withQuery('/api/coverage/csv', keep)} download="ruleatlas-coverage.csv">
            CSV
          </a>
        </span>
      </div>
      <div class="matrix" id="matrix">
        {matrix.columns.map((col) => (
          <div class="col" data-tactic={col.tactic.shortname}>
            <div class="tactic">
              {col.tactic.name}
              <small>
                {col.tactic.id} · {col.ruleCount} rules
              </small>
            </div>
            {col.rows.map((row) => (
              <Cell row={row} tactic={col.tactic.shortname} keep={keep} selected={props.drawer?.techniqueId === row.techniqueId} />
            ))}
          </div>
        ))}
      </div>
      <aside class="drawer" id="drawer" hidden={!props.drawer} aria-label="Technique">
        {props.drawer ? <Drawer d={props.drawer} keep={keep} /> : null}
      </aside>
    </Layout>
  );
}

function Cell(props: { row: CoverageRow; tactic: string; keep: Record<string, string | undefined>; selected: boolean }) {
  const r = props.row;
  const n = r.countWithSubtechniques;
  const text = `${r.techniqueId} ${r.name} ${r.subtechniques.map((s) => `${s.techniqueId} ${s.name}`).join(' ')}`.toLowerCase();
  return (
    <a
      class={`cell ${heatClass(n)}${props.selected ? ' sel' : ''}`}
      href={coverageHref({ ...props.keep, technique: r.techniqueId, tactic: props.tactic })}
      data-technique={r.techniqueId}
      data-count={String(n)}
      data-text={text}
      title={`${r.techniqueId} ${r.name}: ${n} rules`}
    >
      <span>{r.name}</span>
      <b>{n}</b>
    </a>
  );
}

/** The drawer's content; also served alone at /coverage/drawer for the page script. */
export function Drawer(props: { d: TechniqueDrawer; keep: Record<string, string | undefined> }) {
  const d = props.d;
  const url = safeExternal(d.url ?? '');
  return (
    <div data-drawer={d.techniqueId}>
      <a class="close button" href={coverageHref(props.keep)} aria-label="Close">
        ✕
      </a>
      <h2>
        <span class="mono">{d.techniqueId}</span> {d.name}
      </h2>
      <p class="muted">
        {d.tactics.join(', ')} · {d.total} rules
        {url ? (
          <>
            {' · '}
            <a href={url} rel="noopener noreferrer external">
              ATT&CK page
            </a>
          </>
        ) : null}
      </p>
      <p>{d.description}</p>
      {d.isGap ? <p class="warnbox">A gap: ATT&CK has a detection strategy for this technique but no rule here covers it.</p> : null}
      {d.detectionStrategies.length ? (
        <p class="muted">Detection strategies: {d.detectionStrategies.map((s) => `${s.name} (${s.id})`).join('; ')}</p>
      ) : null}
      {d.groups.length ? null : <Empty>No rules with the current filters.</Empty>}
      {d.groups.map((g) => (
        <section>
          <h3>
            <span class="mono">{g.techniqueId}</span> {g.name} <span class="muted">· {g.rules.length}</span>
          </h3>
          <ul class="plain">
            {g.rules.slice(0, 200).map((r) => (
              <li>
                <SeverityBadge severity={r.severity} /> <a href={ruleHref(r.id)}>{r.title || r.id}</a> <span class="muted">{r.source}</span>
              </li>
            ))}
            {g.rules.length > 200 ? <li class="muted">… and {g.rules.length - 200} more</li> : null}
          </ul>
        </section>
      ))}
      <p>
        <a href={withQuery('/', { ...props.keep, technique: d.techniqueId })}>Open these rules in the feed →</a>
      </p>
    </div>
  );
}
