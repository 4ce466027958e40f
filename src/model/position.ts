import { LineTable, type LineColumn, type Span } from './span.js';
import type { Rule } from './rule.js';

/**
 * Line and column of a span in a rule's file, computed from the rule's own body (rules do not
 * carry the whole file): for checks that run after reading, such as the linter.
 */
export function rulePosition(rule: Rule, span: Span): LineColumn {
  const local = new LineTable(rule.body).at(Math.max(0, Math.min(span.start - rule.bodySpan.start, rule.body.length)));
  return { line: local.line + (rule.bodyLine ?? 1) - 1, column: local.column };
}
