import { walkExpr, type Expr, type Rule, type Span, type Stage } from '../model/index.js';
import type { Report } from './checks.js';

/**
 * SPL's classic trap: in a `search`, OR binds tighter than the AND that juxtaposition implies, so
 * `a b OR c` is `a AND (b OR c)`, where authors often mean `(a b) OR c` (seed 002 does exactly
 * this). Flags an unparenthesized OR that is an operand of an implied AND. Reads the source text
 * at the nodes' spans, so it stays silent where the query is not verbatim in the file.
 */
export function checkSplPrecedence(rule: Rule, stage: Stage, report: Report): void {
  if (rule.format !== 'splunk' || stage.command !== 'search' || !stage.filter) return;
  const base = rule.bodySpan.start;
  const text = (s: Span): string => rule.body.slice(s.start - base, s.end - base);
  walkExpr(stage.filter, (node) => {
    if (node.kind !== 'and') return;
    node.args.forEach((arg, i) => {
      if (arg.kind !== 'or' || !isVerbatimOr(arg, text)) return;
      // Between this operand and its neighbours there must be no explicit AND: an implied one.
      const before = i > 0 ? text({ start: node.args[i - 1]!.span.end, end: arg.span.start }) : '';
      const after = i + 1 < node.args.length ? text({ start: arg.span.end, end: node.args[i + 1]!.span.start }) : '';
      if (/\bAND\b/.test(before) || /\bAND\b/.test(after) || (before === '' && after === '')) return;
      // `index=x sourcetype=y a OR b` (or a macro that selects the data, then an OR) is what
      // everyone means: the selection ANDed with the alternatives.
      if (node.args.every((a) => a === arg || selectsData(a))) return;
      const shown = text(arg.span).replace(/\s+/g, ' ');
      report(
        'lint.spl-precedence',
        'warning',
        `in SPL search, OR binds tighter than the implied AND: ${JSON.stringify(shown.length > 80 ? shown.slice(0, 77) + '...' : shown)} is one operand ANDed with its neighbours; if that is meant, parenthesize it, else write (… …) OR …`,
        arg.span,
      );
    });
  });
}

const SELECTORS = /^(index|sourcetype|source|eventtype|host|splunk_server)$/i;

/** A macro or an index/sourcetype/source test: the part of a search that picks the data. */
function selectsData(e: Expr): boolean {
  return e.kind === 'opaque' || (e.kind === 'match' && SELECTORS.test(e.field)) || (e.kind === 'and' && e.args.every(selectsData));
}

/** An OR written in the file as `x OR y` without enclosing parentheses. */
function isVerbatimOr(or: Expr & { kind: 'or' }, text: (s: Span) => string): boolean {
  const t = text(or.span).trim();
  if (!/\bOR\b/.test(t)) return false;
  if (!t.startsWith('(')) return true;
  // `(a) OR (b)` starts with a parenthesis but is not enclosed by one.
  let depth = 0;
  for (let i = 0; i < t.length; i++) {
    if (t[i] === '(') depth++;
    else if (t[i] === ')') {
      depth--;
      if (depth === 0 && i < t.length - 1) return true;
    }
  }
  return false;
}
