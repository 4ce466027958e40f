import { isPattern, valueText, walkExpr, type Expr, type Value } from './expr.js';
import type { Rule } from './rule.js';
import type { Span } from './span.js';

/**
 * One thing a rule looks for: (field, operator, value). Built from every `match`, `compare` and
 * `exists` leaf of a filtering stage. The catalog counts how many rules share an indicator.
 */
export interface Indicator {
  /** The canonical field (from the taxonomy when one is given, else the field as written). */
  field: string;
  /** The field as written in the rule. */
  sourceField: string;
  /** A match operator, a comparison (`gt`, ...), `exists`, or `fieldref`. */
  operator: string;
  /** The value normalized for comparison across rules (lower case unless case-sensitive). */
  value: string;
  /** The value as the rule has it, for display. */
  display: string;
  caseSensitive: boolean;
  /** Under a `not`: something the rule excludes rather than looks for. */
  negated: boolean;
  /** The stage the indicator came from. */
  stage: number;
  span: Span;
}

/** A bare search term (a keyword over the whole event, not a field). */
export interface SearchTerm {
  stage: number;
  term: string;
  operator: string;
  negated: boolean;
  span: Span;
}

export type FieldCanonicalizer = (field: string, rule: Rule) => string;

/** Normalizes a value the way indicators compare them. */
export function normalizeValue(v: Value, caseSensitive: boolean): string {
  const text = valueText(v);
  return caseSensitive || typeof v !== 'string' && !isPattern(v) ? text : text.toLowerCase();
}

/** Every indicator of a rule's filtering stages. */
export function extractIndicators(rule: Rule, canonical: FieldCanonicalizer = (f) => f): Indicator[] {
  const out: Indicator[] = [];
  for (const stage of rule.logic) {
    if (!stage.filter) continue;
    collect(stage.filter, stage.index, rule, canonical, out);
  }
  return out;
}

function collect(expr: Expr, stage: number, rule: Rule, canonical: FieldCanonicalizer, out: Indicator[]): void {
  walkExpr(expr, (node, negated) => {
    switch (node.kind) {
      case 'match':
        for (let i = 0; i < node.values.length; i++) {
          const v = node.values[i]!;
          const original = node.original?.[i];
          out.push({
            field: canonical(node.field, rule),
            sourceField: node.field,
            operator: node.operator,
            value: normalizeValue(v, node.caseSensitive),
            display: valueText(original ?? v),
            caseSensitive: node.caseSensitive,
            negated,
            stage,
            span: node.span,
          });
        }
        break;
      case 'compare':
        out.push({
          field: canonical(node.field, rule),
          sourceField: node.field,
          operator: node.op,
          value: String(node.value),
          display: String(node.value),
          caseSensitive: false,
          negated,
          stage,
          span: node.span,
        });
        break;
      case 'exists':
        out.push({
          field: canonical(node.field, rule),
          sourceField: node.field,
          operator: 'exists',
          value: '',
          display: '',
          caseSensitive: false,
          negated,
          stage,
          span: node.span,
        });
        break;
      case 'fieldref':
        out.push({
          field: canonical(node.field, rule),
          sourceField: node.field,
          operator: `fieldref-${node.operator}`,
          value: canonical(node.other, rule),
          display: node.other,
          caseSensitive: node.caseSensitive,
          negated,
          stage,
          span: node.span,
        });
        break;
      default:
        break;
    }
  });
}

/** Every keyword (bare term) of a rule's filtering stages. */
export function extractSearchTerms(rule: Rule): SearchTerm[] {
  const out: SearchTerm[] = [];
  for (const stage of rule.logic) {
    if (!stage.filter) continue;
    walkExpr(stage.filter, (node, negated) => {
      if (node.kind !== 'keyword') return;
      for (const v of node.values) out.push({ stage: stage.index, term: valueText(v), operator: node.operator, negated, span: node.span });
    });
  }
  return out;
}
