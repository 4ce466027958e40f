/** @jsxImportSource hono/jsx */
import type { Enrichment, Provenance } from '../../enrich/index.js';
import { printExpr, type Rule } from '../../model/index.js';
import type { RuleRecord } from '../data.js';
import { Code, Empty, Panel, SeverityBadge } from './components.js';
import { coverageHref, indicatorRulesHref, ruleHref, safeExternal } from './links.js';

/** The sections of a rule page, in the order the seeds show them. */

export function ProvenanceNote(props: { p: Provenance; confidence?: string }) {
  return (
    <p class="prov">
      {props.p.kind === 'llm' ? `Written by ${props.p.model ?? 'an LLM'}${props.p.generatedAt ? ` on ${props.p.generatedAt}` : ''} from: ` : 'Deterministic, from: '}
      {props.p.facts.join('; ')}
      {props.confidence ? ` · confidence ${props.confidence}` : ''}
    </p>
  );
}

export function HypothesisSection(props: { e: Enrichment }) {
  const h = props.e.hypothesis;
  return (
    <Panel title="Hunt hypothesis" id="hypothesis">
      <p>{h.text ?? h.content.statement}</p>
      {h.content.indicators.length ? (
        <p class="muted">
          Rests on:{' '}
          {h.content.indicators.map((i, n) => (
            <>
              {n ? ', ' : ''}
              <span class="mono">
                {i.field} {i.operator} {JSON.stringify(i.value)}
              </span>
              {i.corpusCount !== undefined ? ` (${i.corpusCount} other rules)` : ''}
            </>
          ))}
        </p>
      ) : null}
      <ProvenanceNote p={h.provenance} confidence={h.confidence} />
    </Panel>
  );
}

export function DataSourcesSection(props: { e: Enrichment }) {
  const d = props.e.dataSources;
  return (
    <Panel title="Required data sources" id="data-sources">
      {d.content.needs.length ? (
        <ul class="plain">
          {d.content.needs.map((n) => (
            <li>
              <b>{n.source}</b>
              {n.eventIds?.length ? <span class="muted"> · events {n.eventIds.map((e) => (e.title ? `${e.id} (${e.title})` : String(e.id))).join(', ')}</span> : null}
              {n.configuration?.length ? (
                <ul class="notes">
                  {n.configuration.map((c) => (
                    <li>{c}</li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {d.content.backends.length ? (
        <table class="grid">
          <thead>
            <tr>
              <th>Backend</th>
              <th>Table / index / data model</th>
              <th>Notes</th>
            </tr>
          </thead>
          <tbody>
            {d.content.backends.map((b) => (
              <tr>
                <td>{b.target}</td>
                <td class="mono">{b.source ?? '—'}</td>
                <td>{b.note ?? (b.source ? 'Ensure this data connector is enabled' : '')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {d.content.notes.map((n) => (
        <p class="muted">{n}</p>
      ))}
      <ProvenanceNote p={d.provenance} confidence={d.confidence} />
    </Panel>
  );
}

export function EventCoverageSection(props: { record: RuleRecord; e: Enrichment }) {
  let rows = props.record.eventCoverage;
  if (!rows.length) {
    rows = props.e.dataSources.content.needs.flatMap((n) => (n.channel ? (n.eventIds ?? []).map((e) => ({ provider: n.channel!, eventId: String(e.id), ...(e.title ? { title: e.title } : {}) })) : []));
  }
  return (
    <Panel title="Event coverage" id="event-coverage">
      {rows.length ? (
        <table class="grid">
          <thead>
            <tr>
              <th>Provider</th>
              <th>Event</th>
              <th>Title</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <td>{r.provider}</td>
                <td class="nowrap">Event ID {r.eventId}</td>
                <td>{r.title ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <Empty>No event-level coverage is known for this rule's data sources.</Empty>
      )}
    </Panel>
  );
}

export function FalsePositiveSection(props: { e: Enrichment }) {
  const f = props.e.falsePositives;
  const c = f.content;
  return (
    <Panel title="False positive guidance" id="false-positives">
      {c.stated.length ? (
        <>
          <h3>The rule says</h3>
          <ul class="notes">
            {c.stated.map((s) => (
              <li>{s}</li>
            ))}
          </ul>
        </>
      ) : null}
      {c.common.length ? (
        <>
          <h3>Widely shared indicators (likely noisy)</h3>
          <ul class="notes">
            {c.common.map((x) => (
              <li>
                <span class="mono">
                  {x.field} {x.operator} {JSON.stringify(x.value)}
                </span>{' '}
                — in {x.corpusCount} other rules
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {c.benign.length ? (
        <>
          <h3>Values other rules exclude on the same fields</h3>
          <ul class="notes">
            {c.benign.map((b) => (
              <li>
                <span class="mono">{b.field}</span>: {b.values.map((v) => JSON.stringify(v)).join(', ')}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {c.suggestedFilters.length ? (
        <>
          <h3>Suggested filters</h3>
          <ul class="notes">
            {c.suggestedFilters.map((s) => (
              <li>{s}</li>
            ))}
          </ul>
        </>
      ) : null}
      <ProvenanceNote p={f.provenance} confidence={f.confidence} />
    </Panel>
  );
}

export function AttackSection(props: { e: Enrichment; rule: Rule }) {
  const a = props.e.attack;
  const c = a.content;
  return (
    <Panel title="MITRE ATT&CK context" id="attack">
      <table class="grid">
        <thead>
          <tr>
            <th>Tactic</th>
            <th>Techniques</th>
          </tr>
        </thead>
        <tbody>
          {c.tactics.map((t) => (
            <tr>
              <td>
                <a href={coverageHref({ tactic: t.shortname })}>{t.name}</a> {t.id ? <span class="muted mono">{t.id}</span> : null}
              </td>
              <td>
                {c.techniques
                  .filter((x) => x.tactics.includes(t.shortname) || x.tactics.includes(t.name.toLowerCase().replace(/\s+/g, '-')))
                  .map((x) => (
                    <div>
                      <a href={coverageHref({ technique: x.id })} class="mono">
                        {x.id}
                      </a>{' '}
                      {x.name}
                    </div>
                  ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {c.techniques.map((t) => (
        <div>
          <h3>
            {t.id} {t.name}
            {t.parent ? <span class="muted"> · sub-technique of {t.parent.id} {t.parent.name}</span> : null}
            {t.resolvedVia !== 'direct' ? <span class="muted"> · resolved via {t.resolvedVia}</span> : null}
          </h3>
          <p>{t.description}</p>
          <dl class="kv">
            {t.groups.length ? (
              <>
                <dt>Groups using it</dt>
                <dd>{t.groups.map((g) => `${g.name} (${g.id})`).join(', ')}</dd>
              </>
            ) : null}
            {t.software.length ? (
              <>
                <dt>Software using it</dt>
                <dd>{t.software.map((g) => `${g.name} (${g.id})`).join(', ')}</dd>
              </>
            ) : null}
            {t.detectionStrategies.length ? (
              <>
                <dt>Detection strategies</dt>
                <dd>{t.detectionStrategies.map((g) => `${g.name} (${g.id})`).join('; ')}</dd>
              </>
            ) : null}
            {t.dataComponents.length ? (
              <>
                <dt>Data components</dt>
                <dd>{t.dataComponents.map((g) => g.name).join(', ')}</dd>
              </>
            ) : null}
            {safeExternal(t.url ?? '') ? (
              <>
                <dt>ATT&CK</dt>
                <dd>
                  <a href={safeExternal(t.url!)!} rel="noopener noreferrer external">
                    {t.url}
                  </a>
                </dd>
              </>
            ) : null}
          </dl>
        </div>
      ))}
      {c.newerThanLoaded.length ? <p class="warnbox">Newer than the loaded ATT&CK (kept as written): {c.newerThanLoaded.join(', ')}</p> : null}
      {c.unknown.length ? <p class="warnbox">Not in ATT&CK: {c.unknown.join(', ')}</p> : null}
      {!c.tactics.length && !c.techniques.length ? <Empty>The rule carries no ATT&CK tags.</Empty> : null}
      <ProvenanceNote p={a.provenance} confidence={a.confidence} />
    </Panel>
  );
}

export function StagesSection(props: { rule: Rule }) {
  const r = props.rule;
  return (
    <Panel title="Stages and predicates" id="stages">
      {r.logic.length ? null : <Empty>The rule has no logic the readers could model (see the findings).</Empty>}
      {r.logic.map((s) => (
        <div class="stage" data-stage={s.index + 1}>
          <h3>
            Stage {s.index + 1}: {s.command} <span class="muted">({s.role})</span>
          </h3>
          <Code text={s.text} lang={r.format === 'sigma' ? 'yaml' : r.format === 'splunk' ? 'spl' : r.format === 'kql' ? 'kql' : 'text'} wrap />
          {s.filter ? <Code text={printExpr(s.filter)} lang="text" /> : null}
        </div>
      ))}
      {r.correlation ? (
        <p class="mono">
          {r.correlation.type} over {r.correlation.rules.join(', ')} by {r.correlation.groupBy.join(', ') || '(nothing)'} within {r.correlation.timespan.text}
        </p>
      ) : null}
    </Panel>
  );
}

export function IndicatorsSection(props: { record: RuleRecord }) {
  const rows = new Map<string, { field: string; canonical: string; operator: string; negated: boolean; values: RuleRecord['indicators'] }>();
  for (const i of props.record.indicators) {
    const k = `${i.sourceField}|${i.operator}|${i.negated}`;
    const row = rows.get(k) ?? { field: i.sourceField, canonical: i.field, operator: i.operator, negated: i.negated, values: [] };
    if (!row.values.some((v) => v.value === i.value)) row.values.push(i);
    rows.set(k, row);
  }
  return (
    <Panel title="Indicators" id="indicators" note="each value's count: how many other rules look for the same field, operator and value (— = only this rule)">
      {rows.size ? (
        <table class="grid ind">
          <thead>
            <tr>
              <th>Field</th>
              <th>Kind</th>
              <th>Values</th>
            </tr>
          </thead>
          <tbody>
            {[...rows.values()].map((r) => (
              <tr>
                <td class="mono">
                  {r.field}
                  {r.canonical !== r.field ? <div class="muted">{r.canonical}</div> : null}
                </td>
                <td class="mono">
                  {r.operator}
                  {r.negated ? <div class="muted">excluded</div> : null}
                </td>
                <td>
                  <ul class="vals">
                    {r.values.map((v) => (
                      <li>
                        {v.display === '' ? '(present)' : JSON.stringify(v.display)}
                        {v.corpusCount > 0 ? (
                          <a href={indicatorRulesHref({ field: v.field, operator: v.operator, value: v.value })} title={`${v.corpusCount} other rules share this indicator`} data-count={String(v.corpusCount)}>
                            {v.corpusCount}
                          </a>
                        ) : (
                          <span class="muted" title="Specific to this rule" data-count="0">
                            —
                          </span>
                        )}
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <Empty>No field predicates.</Empty>
      )}
    </Panel>
  );
}

export function SearchTermsSection(props: { record: RuleRecord }) {
  const t = props.record.searchTerms;
  return (
    <Panel title="Search terms" id="search-terms" note="bare tokens matched anywhere in the raw event, not in a field">
      {t.length ? (
        <table class="grid">
          <thead>
            <tr>
              <th class="num">Stage</th>
              <th>Term</th>
              <th>Match</th>
            </tr>
          </thead>
          <tbody>
            {t.map((x) => (
              <tr>
                <td class="num">{x.stage + 1}</td>
                <td class="mono">{x.term}</td>
                <td class="muted">
                  {x.operator}
                  {x.negated ? ', excluded' : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <Empty>No bare search terms: every predicate names a field.</Empty>
      )}
    </Panel>
  );
}

export function SimilarSection(props: { record: RuleRecord }) {
  const s = props.record.similar;
  return (
    <Panel title="Similar rules across vendors" id="similar" note="by shared indicators">
      {s.length ? (
        <table class="grid">
          <thead>
            <tr>
              <th>Rule</th>
              <th>Source</th>
              <th>Severity</th>
              <th class="num">Shared</th>
            </tr>
          </thead>
          <tbody>
            {s.map((r) => (
              <tr>
                <td>
                  <a href={ruleHref(r.id)}>{r.title}</a>
                </td>
                <td>{r.source}</td>
                <td>
                  <SeverityBadge severity={r.severity} />
                </td>
                <td class="num">{r.shared}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <Empty>No other rule shares an indicator with this one.</Empty>
      )}
    </Panel>
  );
}

export function ReferencesSection(props: { rule: Rule }) {
  const r = props.rule;
  const original = safeExternal(r.source.url ?? '');
  return (
    <Panel title="References" id="references">
      {r.references.length ? (
        <ul class="plain">
          {r.references.map((ref) => {
            const href = safeExternal(ref);
            return <li>{href ? <a href={href} rel="noopener noreferrer external">{ref}</a> : <span class="mono">{ref}</span>}</li>;
          })}
        </ul>
      ) : (
        <Empty>The rule lists no references.</Empty>
      )}
      <p class="prov">
        Original source:{' '}
        {original ? (
          <a href={original} rel="noopener noreferrer external">
            {r.source.url}
          </a>
        ) : (
          <span class="mono">{r.source.path}</span>
        )}
      </p>
    </Panel>
  );
}
