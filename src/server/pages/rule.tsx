/** @jsxImportSource hono/jsx */
import { bodyLanguage } from '../highlight.js';
import type { RuleView } from '../views/rule-view.js';
import { Badge, Code, CopyButton, Findings, Panel, SeverityBadge } from './components.js';
import { Layout } from './layout.js';
import { coverageHref, feedHref, safeExternal } from './links.js';
import { AttackSection, DataSourcesSection, EventCoverageSection, FalsePositiveSection, HypothesisSection, IndicatorsSection, ReferencesSection, SearchTermsSection, SimilarSection, StagesSection } from './rule-sections.js';
import { Translations } from './translations.js';

const FORMAT_NAMES: Record<string, string> = { sigma: 'Sigma', splunk: 'Splunk', kql: 'Sentinel', elastic: 'Elastic', yaral: 'Chronicle YARA-L' };

/** One rule: what it detects and how, its query for every SIEM, and where it came from. */
export function RulePage(props: { view: RuleView }) {
  const { record, enrichment: e } = props.view;
  const r = record.rule;
  const original = safeExternal(r.source.url ?? '');
  const conf = e.confidence.content;
  return (
    <Layout title={r.title || r.id} nav="feed">
      <div class="crumbs">
        <a href="/">← Back to the feed</a>
        <a href={coverageHref({ technique: r.attack.techniques[0] })}>Coverage →</a>
      </div>
      <article data-rule={r.id}>
        <h1>{r.title || '(untitled rule)'}</h1>
        <div class="meta" id="summary">
          <a href={feedHref({ source: r.source.corpus })}>
            <Badge title="source">{r.source.corpus}</Badge>
          </a>
          <SeverityBadge severity={r.severity} />
          {r.source.repository ? <Badge title="repository">{r.source.repository}</Badge> : null}
          {r.status ? <Badge title="status">{r.status}</Badge> : null}
          {r.attack.techniques.map((t) => (
            <a href={coverageHref({ technique: t })} class="mono">
              {t}
            </a>
          ))}
          {props.view.targetTables.map((t) => (
            <span class="badge mono" title={`reads (${t.target})`}>
              {t.source}
            </span>
          ))}
        </div>
        {r.description ? <p>{r.description}</p> : null}
        <p class="warnbox">
          This rule was pulled from an open-source repository and enriched by RuleAtlas from the facts named under each section. Validate it in a test environment before deploying to production.
        </p>
        <Panel title="Provenance" id="provenance">
          <dl class="kv">
            <dt>Rule id</dt>
            <dd class="mono">{r.id}</dd>
            <dt>Source</dt>
            <dd>
              {r.source.corpus}
              {r.source.repository ? ` · ${r.source.repository}` : ''}
            </dd>
            <dt>Path</dt>
            <dd class="mono">{r.source.path}</dd>
            <dt>Commit</dt>
            <dd class="mono">{r.source.commit ?? 'unknown'}</dd>
            <dt>License</dt>
            <dd>{r.source.license ?? 'unknown'}</dd>
            <dt>Retrieved</dt>
            <dd>{r.source.retrievedAt ?? 'unknown'}</dd>
            <dt>Author</dt>
            <dd>{r.author ?? 'unknown'}</dd>
            <dt>Dates</dt>
            <dd>
              {r.date ?? '?'}
              {r.modified ? ` · modified ${r.modified}` : ''}
            </dd>
            <dt>Confidence</dt>
            <dd>
              <b id="confidence">{conf.level}</b> <span class="muted">— {conf.reasons.join('; ')}</span>
            </dd>
          </dl>
          {original ? (
            <p>
              <a href={original} rel="noopener noreferrer external">
                View the original rule{r.source.repository ? ` at ${r.source.repository}` : ''} →
              </a>
            </p>
          ) : null}
        </Panel>
        <HypothesisSection e={e} />
        <Panel title="Detection rule" id="detection">
          <div class="copyrow">
            <h3>{FORMAT_NAMES[r.format] ?? r.format} (original)</h3>
            <CopyButton target="rule-body" />
          </div>
          <Code text={r.body} lang={bodyLanguage(r.format)} id="rule-body" />
          <h3>{r.format === 'sigma' ? 'Translations' : 'Query'}</h3>
          <Translations items={props.view.translations} prefix="t" />
        </Panel>
        <div class="cols2">
          <DataSourcesSection e={e} />
          <EventCoverageSection record={record} e={e} />
        </div>
        <FalsePositiveSection e={e} />
        <AttackSection e={e} rule={r} />
        <StagesSection rule={r} />
        <IndicatorsSection record={record} />
        <SearchTermsSection record={record} />
        <SimilarSection record={record} />
        <Panel title="Lint findings" id="findings" note={`${props.view.findings.length}`}>
          <Findings findings={props.view.findings} />
        </Panel>
        <ReferencesSection rule={r} />
      </article>
    </Layout>
  );
}
