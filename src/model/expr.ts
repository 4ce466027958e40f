import type { Span } from './span.js';

/**
 * The logic IR: one boolean expression language every reader produces and every backend, the
 * matcher, the indicator index and the linter consume. Nothing here knows a vendor's syntax.
 *
 * Semantics, shared by every consumer:
 * - A `match` tests one field against values with one operator. `all: false` means any value
 *   matches (OR); `all: true` means every value must match (AND). An absent field never matches.
 * - String comparison is case-insensitive unless `caseSensitive` (Sigma's default; `|cased`
 *   turns it on). Regular expressions are case-sensitive unless their flags say `i`.
 * - Values are already transformed: encodings (`base64`, `utf16le`, ...) and `windash` have been
 *   applied by the reader, which records what it did in `transforms` so a report can say so.
 * - Wildcards are typed ({@link Pattern}), never `*` characters inside a string, so no consumer
 *   re-parses escapes. A string value is always literal text.
 */
export type Expr =
  | AndExpr
  | OrExpr
  | NotExpr
  | MatchExpr
  | KeywordExpr
  | ExistsExpr
  | CompareExpr
  | FieldRefExpr
  | OpaqueExpr;

export type ExprKind = Expr['kind'];

interface NodeBase {
  /** Where the node came from in the file text. */
  span: Span;
  /**
   * The name that produced this node in the source, when there is one: a Sigma search identifier
   * (`selection_img`), a KQL `let` name, an SPL macro. Used to explain and to lint.
   */
  label?: string;
}

export interface AndExpr extends NodeBase {
  kind: 'and';
  args: Expr[];
}

export interface OrExpr extends NodeBase {
  kind: 'or';
  args: Expr[];
}

export interface NotExpr extends NodeBase {
  kind: 'not';
  arg: Expr;
}

/**
 * How a value is compared with a field.
 * - `eq`: the whole field equals the value (numbers, booleans and `null` only ever use `eq`;
 *   `null` means the field is absent or null).
 * - `contains` / `startswith` / `endswith`: literal substring / prefix / suffix.
 * - `wildcard`: the value is a {@link Pattern} that must match the whole field.
 * - `regex`: the value is a regular expression (PCRE flavour as Sigma defines it), unanchored.
 * - `cidr`: the value is an IPv4 or IPv6 network in CIDR notation.
 */
export type MatchOperator = 'eq' | 'contains' | 'startswith' | 'endswith' | 'wildcard' | 'regex' | 'cidr';

export const MATCH_OPERATORS: readonly MatchOperator[] = ['eq', 'contains', 'startswith', 'endswith', 'wildcard', 'regex', 'cidr'];

/** A wildcard inside a pattern: `any` is `*` (zero or more characters), `one` is `?` (exactly one). */
export interface Wildcard {
  wildcard: 'any' | 'one';
}

/** A string with typed wildcards, matched against the whole field. */
export interface Pattern {
  pattern: Array<string | Wildcard>;
}

export type Value = string | number | boolean | null | Pattern;

/** Value transformations a reader applied before the values reached the IR (Sigma modifiers). */
export type ValueTransform =
  | 'base64'
  | 'base64offset'
  | 'utf16le'
  | 'utf16be'
  | 'utf16'
  | 'windash'
  | 'expand';

/** Parts of a timestamp a comparison can apply to (Sigma 2.1 time modifiers). */
export type TimePart = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';

export interface MatchExpr extends NodeBase {
  kind: 'match';
  field: string;
  operator: MatchOperator;
  /** Never empty. */
  values: Value[];
  /** true: every value must match (AND); false: any value (OR). */
  all: boolean;
  caseSensitive: boolean;
  /** Regex flags, for `regex` only: any of `i`, `m`, `s`. */
  flags?: string;
  /** Transforms applied to produce `values`, in order, and the values before them. */
  transforms?: ValueTransform[];
  original?: Value[];
  /** Compare only this part of a timestamp field. */
  part?: TimePart;
  /** Placeholder names (`%Administrators%`) the values still contain, for `expand`. */
  placeholders?: string[];
}

/**
 * A search over the whole event rather than a field (Sigma keywords, SPL bare terms, kuery free
 * text). `contains` by default: the value may appear anywhere in the event text.
 */
export interface KeywordExpr extends NodeBase {
  kind: 'keyword';
  operator: 'contains' | 'wildcard' | 'regex' | 'eq' | 'startswith' | 'endswith';
  values: Value[];
  all: boolean;
  caseSensitive: boolean;
  flags?: string;
  transforms?: ValueTransform[];
  original?: Value[];
}

/** The field is present in the event (whatever its value, even empty or null). */
export interface ExistsExpr extends NodeBase {
  kind: 'exists';
  field: string;
}

export type CompareOperator = 'gt' | 'gte' | 'lt' | 'lte';

/** Numeric (or, with `part`, timestamp-part) comparison. */
export interface CompareExpr extends NodeBase {
  kind: 'compare';
  field: string;
  op: CompareOperator;
  value: number;
  part?: TimePart;
}

/** Compares a field with another field of the same event. */
export interface FieldRefExpr extends NodeBase {
  kind: 'fieldref';
  field: string;
  operator: 'eq' | 'contains' | 'startswith' | 'endswith';
  other: string;
  caseSensitive: boolean;
}

/**
 * Logic that cannot be modelled (a lookup, a subsearch, an ML job, a construct the reader does not
 * understand). Kept with its text and the reason so nothing is silently dropped; consumers treat it
 * as unknown (the matcher cannot evaluate it; a backend reports it unsupported).
 */
export interface OpaqueExpr extends NodeBase {
  kind: 'opaque';
  text: string;
  reason: string;
}

export function isPattern(v: Value): v is Pattern {
  return typeof v === 'object' && v !== null && 'pattern' in v;
}

/** Visits every node depth-first, parents before children. `negated` is true under an odd number of `not`s. */
export function walkExpr(expr: Expr, visit: (node: Expr, negated: boolean, depth: number) => void, negated = false, depth = 0): void {
  visit(expr, negated, depth);
  switch (expr.kind) {
    case 'and':
    case 'or':
      for (const a of expr.args) walkExpr(a, visit, negated, depth + 1);
      break;
    case 'not':
      walkExpr(expr.arg, visit, !negated, depth + 1);
      break;
    default:
      break;
  }
}

/** Renders a pattern back to Sigma-style text (`*` / `?`, with `\` escapes) for display. */
export function patternText(p: Pattern): string {
  let out = '';
  for (const part of p.pattern) {
    if (typeof part === 'string') out += part.replace(/[\\*?]/g, (c) => '\\' + c);
    else out += part.wildcard === 'any' ? '*' : '?';
  }
  return out;
}

/** A value as readable text: strings as they are, patterns with their wildcards, null as `null`. */
export function valueText(v: Value): string {
  if (v === null) return 'null';
  if (isPattern(v)) return patternText(v);
  return String(v);
}

/** The number of nodes in an expression. */
export function exprSize(expr: Expr): number {
  let n = 0;
  walkExpr(expr, () => n++);
  return n;
}
