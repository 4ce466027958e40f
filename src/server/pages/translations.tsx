/** @jsxImportSource hono/jsx */
import type { Fidelity } from '../../translate/types.js';
import { queryLanguage } from '../highlight.js';
import { Code, CopyButton, Empty, Tabs } from './components.js';

/** What a translations view needs of one target's result (the converter's and the rule page's). */
export interface TranslationView {
  target: string;
  language: string;
  description: string;
  ok: boolean;
  queries: string[];
  error: string | null;
  fidelity: Fidelity;
}

function state(t: TranslationView): 'exact' | 'approx' | 'fail' {
  if (!t.ok) return 'fail';
  return t.fidelity.exact ? 'exact' : 'approx';
}

const STATE_TEXT = { exact: 'exact', approx: 'approximated', fail: 'not translated' };

/** Translations as tabs, one per target, each with the query, a copy button and its fidelity notes. */
export function Translations(props: { items: TranslationView[]; prefix: string }) {
  if (!props.items.length) return <Empty>No translation targets apply to this rule.</Empty>;
  return (
    <Tabs
      label="Translations"
      items={props.items.map((t) => {
        const s = state(t);
        const id = `${props.prefix}-${t.target}`;
        return {
          id,
          label: (
            <>
              <span class={s === 'exact' ? 'dot' : `dot ${s}`} title={STATE_TEXT[s]}></span>
              {t.target}
            </>
          ),
          panel: <TranslationPanel t={t} id={id} />,
        };
      })}
    />
  );
}

function TranslationPanel(props: { t: TranslationView; id: string }) {
  const { t } = props;
  const f = t.fidelity;
  const text = t.queries.join('\n\n');
  return (
    <div data-target={t.target}>
      <div class="copyrow">
        <span class="muted">
          {t.description} · <b class={t.ok ? (f.exact ? 'ok' : '') : 'bad'}>{STATE_TEXT[state(t)]}</b>
        </span>
        {t.ok ? <CopyButton target={`${props.id}-q`} label={`Copy ${t.language.toUpperCase()}`} /> : null}
      </div>
      {t.ok ? <Code text={text} lang={queryLanguage(t.language)} id={`${props.id}-q`} wrap /> : <p class="bad">{t.error}</p>}
      <FidelityNotes f={f} />
    </div>
  );
}

export function FidelityNotes(props: { f: Fidelity }) {
  const f = props.f;
  return (
    <div class="fidelity">
      <dl class="kv">
        {f.sources.length ? (
          <>
            <dt>Reads</dt>
            <dd class="mono">{f.sources.join(', ')}</dd>
          </>
        ) : null}
        {f.conditions.length ? (
          <>
            <dt>Log source adds</dt>
            <dd class="mono">{f.conditions.join(' and ')}</dd>
          </>
        ) : null}
        {f.fields.length ? (
          <>
            <dt>Fields</dt>
            <dd class="mono">{f.fields.map((x) => `${x.from} → ${x.to.join(' | ')}`).join(', ')}</dd>
          </>
        ) : null}
        {f.pipelines.length ? (
          <>
            <dt>Pipelines</dt>
            <dd class="mono">{f.pipelines.join(', ')}</dd>
          </>
        ) : null}
      </dl>
      <Notes title="Approximated" items={f.approximated.map((a) => `${a.what}: ${a.how}`)} />
      <Notes title="Dropped" items={f.dropped.map((a) => `${a.what}: ${a.why}`)} />
      <Notes title="Unsupported" items={f.unsupported.map((a) => `${a.what}: ${a.why}`)} />
    </div>
  );
}

function Notes(props: { title: string; items: string[] }) {
  if (!props.items.length) return null;
  return (
    <>
      <h3>{props.title}</h3>
      <ul class="notes">
        {props.items.map((x) => (
          <li>{x}</li>
        ))}
      </ul>
    </>
  );
}
