/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import { highlight, type HighlightLanguage } from '../highlight.js';

/** A highlighted block of code; `id` lets a copy button find it. */
export function Code(props: { text: string; lang: HighlightLanguage; id?: string; wrap?: boolean }) {
  return (
    <pre class={props.wrap ? 'code wrap' : 'code'} id={props.id}>
      <code>{highlight(props.text, props.lang).map(([cls, text]) => (cls ? <span class={cls}>{text}</span> : text))}</code>
    </pre>
  );
}

export function CopyButton(props: { target: string; label?: string }) {
  return (
    <button type="button" data-copy={props.target} title="Copy to the clipboard">
      {props.label ?? 'Copy'}
    </button>
  );
}

const SEVERITIES = new Set(['critical', 'high', 'medium', 'low', 'informational']);

export function SeverityBadge(props: { severity?: string | null }) {
  if (!props.severity) return <span class="badge">unset</span>;
  return <span class={SEVERITIES.has(props.severity) ? `badge sev-${props.severity}` : 'badge'}>{props.severity}</span>;
}

export function Badge(props: { children?: Child; title?: string }) {
  return (
    <span class="badge" title={props.title}>
      {props.children}
    </span>
  );
}

export function Panel(props: { title: string; id?: string; note?: Child; children?: Child }) {
  return (
    <section class="panel" id={props.id} aria-labelledby={props.id ? `${props.id}-h` : undefined}>
      <h2 id={props.id ? `${props.id}-h` : undefined}>
        {props.title}
        {props.note ? <small>{props.note}</small> : null}
      </h2>
      {props.children}
    </section>
  );
}

export interface TabItem {
  id: string;
  label: Child;
  panel: Child;
}

/** Tabs that work as plain sections without script (every panel but the first is hidden until a tab is clicked). */
export function Tabs(props: { label: string; items: TabItem[] }) {
  return (
    <div>
      <div class="tabs" role="tablist" aria-label={props.label}>
        {props.items.map((t, i) => (
          <button type="button" role="tab" id={`tab-${t.id}`} aria-controls={`panel-${t.id}`} aria-selected={i === 0 ? 'true' : 'false'} tabindex={i === 0 ? 0 : -1}>
            {t.label}
          </button>
        ))}
      </div>
      {props.items.map((t, i) => (
        <div class="tabpanel" role="tabpanel" id={`panel-${t.id}`} aria-labelledby={`tab-${t.id}`} hidden={i !== 0}>
          {t.panel}
        </div>
      ))}
    </div>
  );
}

export function Empty(props: { children?: Child }) {
  return <p class="empty">{props.children}</p>;
}

/** Previous/next links that keep every other parameter of the current URL. */
export function Pager(props: { url: URL; page: number; pageSize: number; total: number }) {
  const pages = Math.max(1, Math.ceil(props.total / props.pageSize));
  const link = (p: number): string => {
    const u = new URL(props.url);
    if (p <= 1) u.searchParams.delete('page');
    else u.searchParams.set('page', String(p));
    return u.pathname + u.search;
  };
  return (
    <nav class="pager" aria-label="Pages">
      {props.page > 1 ? <a href={link(props.page - 1)} rel="prev">← Previous</a> : <span class="muted">← Previous</span>}
      <span>
        Page {props.page} of {pages} · {props.total.toLocaleString('en')} total
      </span>
      {props.page < pages ? <a href={link(props.page + 1)} rel="next">Next →</a> : <span class="muted">Next →</span>}
    </nav>
  );
}

/** A finding (reader or lint) as a table row. */
export function FindingRows(props: { findings: Array<{ severity: string; code: string; message: string; line: number; column: number }> }) {
  return (
    <>
      {props.findings.map((f) => (
        <tr>
          <td class={`f-${f.severity}`}>{f.severity}</td>
          <td class="mono">{f.code}</td>
          <td>{f.message}</td>
          <td class="num mono">
            {f.line}:{f.column}
          </td>
        </tr>
      ))}
    </>
  );
}

export function Findings(props: { findings: Array<{ severity: string; code: string; message: string; line: number; column: number }> }) {
  if (!props.findings.length) return <Empty>No findings.</Empty>;
  return (
    <table class="grid">
      <thead>
        <tr>
          <th>Severity</th>
          <th>Code</th>
          <th>Message</th>
          <th class="num">Line</th>
        </tr>
      </thead>
      <tbody>
        <FindingRows findings={props.findings} />
      </tbody>
    </table>
  );
}
