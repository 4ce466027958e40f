/** @jsxImportSource hono/jsx */
import type { ConvertResult } from '../convert/service.js';
import { Findings, Empty, Code } from './components.js';
import { Layout } from './layout.js';
import { Translations } from './translations.js';

export interface Refusal {
  status: number;
  code: string;
  message: string;
}

/** The converter: the rule on the left, every target on the right; the URL holds the rule. */
export function ConverterPage(props: { text: string; result: ConvertResult | null; refusal: Refusal | null; notice?: string }) {
  return (
    <Layout title="Converter" nav="convert" scripts={['converter.js']}>
      <h1>Sigma converter</h1>
      <p class="muted">
        Paste a Sigma rule: it is read, linted and translated into every target as you type, each with a fidelity report of what was mapped, approximated or left out. The address bar always
        holds a link to what you see.
      </p>
      {props.notice ? <p class="warnbox">{props.notice}</p> : null}
      <div class="converter">
        <form id="convert-form" method="post" action="/convert">
          <label for="rule" class="muted">
            Sigma rule (YAML)
          </label>
          {/* The parser drops a newline right after <textarea>: one is added so the text stays exact. */}
          <textarea id="rule" name="rule" spellcheck={false} autocomplete="off" autocapitalize="off">
            {'\n' + props.text}
          </textarea>
          <div class="copyrow">
            <span id="convert-status" class="status" role="status" aria-live="polite">
              {props.result ? `Translated in ${props.result.elapsedMs} ms` : ''}
            </span>
            <button type="submit" class="primary">
              Translate
            </button>
          </div>
        </form>
        <div id="results" data-state={props.refusal ? 'refused' : 'ok'}>
          <ConvertResults result={props.result} refusal={props.refusal} />
        </div>
      </div>
    </Layout>
  );
}

/** The right-hand side; also served alone as the fragment the page script swaps in. */
export function ConvertResults(props: { result: ConvertResult | null; refusal: Refusal | null }) {
  if (props.refusal) {
    return (
      <section class="panel" data-refusal={props.refusal.code}>
        <h2>Not translated</h2>
        <p class="bad">{props.refusal.message}</p>
        <p class="muted mono">
          {props.refusal.status} {props.refusal.code}
        </p>
      </section>
    );
  }
  if (!props.result || !props.result.rules.length) return <Empty>Paste a rule to see its translations.</Empty>;
  const many = props.result.rules.length > 1;
  return (
    <>
      {props.result.rules.map((r, i) => (
        <section class="panel" data-rule={r.id}>
          <h2>
            {many ? `Document ${i + 1}: ` : ''}
            {r.title || '(untitled)'} <small>{r.kind}</small>
          </h2>
          {r.parsed ? null : <p class="bad">The rule did not parse; fix the errors below to translate it.</p>}
          {r.parsed ? <Translations items={r.translations} prefix={`r${i}`} /> : null}
          <h3>Findings ({r.findings.length})</h3>
          <Findings findings={r.findings} />
          {r.stages.some((s) => s.predicates) ? (
            <>
              <h3>Predicates</h3>
              {r.stages
                .filter((s) => s.predicates)
                .map((s) => (
                  <Code text={s.predicates} lang="text" />
                ))}
            </>
          ) : null}
        </section>
      ))}
    </>
  );
}
