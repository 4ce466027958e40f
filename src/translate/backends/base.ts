import { printLeaf, type Expr, type Rule } from '../../model/index.js';
import type { FidelityRecorder } from '../fidelity.js';
import type { Mapped } from '../pipeline/apply.js';
import { Unsupported, type Language } from '../types.js';

export interface RenderContext {
  rule: Rule;
  rec: FidelityRecorder;
  /** Target field → type, from the pipeline. */
  types: Map<string, string>;
  source: string;
}

const PRECEDENCE = { or: 1, and: 2, not: 3, leaf: 4 } as const;

/**
 * What every query backend shares (pySigma's `TextQueryBackend`): boolean structure with the
 * language's tokens and parentheses only where precedence needs them. Backends supply leaves,
 * the query around the condition, and correlations.
 */
export abstract class Backend {
  abstract readonly language: Language;
  protected readonly andToken: string = ' and ';
  protected readonly orToken: string = ' or ';

  /** The full query (or queries) for a rule whose logic was mapped through the pipelines. */
  abstract queries(mapped: Mapped, ctx: RenderContext): string[];

  /** Negation; gets the operand unparenthesized with its precedence. */
  protected notExpr(arg: { text: string; prec: number }): string {
    return `not ${this.wrap(arg, PRECEDENCE.leaf)}`;
  }

  /** Renders a leaf; throw {@link Unsupported} when the target cannot express it. */
  protected abstract leaf(e: Exclude<Expr, { kind: 'and' | 'or' | 'not' }>, ctx: RenderContext): string;

  /** The condition as text. */
  condition(e: Expr, ctx: RenderContext): string {
    return this.render(e, ctx).text;
  }

  protected render(e: Expr, ctx: RenderContext): { text: string; prec: number } {
    switch (e.kind) {
      case 'and':
      case 'or': {
        const prec = PRECEDENCE[e.kind];
        // AND inside OR is parenthesized even where precedence allows none: easier to read and check.
        const parts = e.args.map((a) => this.wrap(this.render(a, ctx), e.kind === 'or' && a.kind === 'and' ? PRECEDENCE.leaf : prec));
        return { text: balanced(parts, e.kind === 'and' ? this.andToken : this.orToken), prec };
      }
      case 'not':
        return { text: this.notExpr(this.render(e.arg, ctx)), prec: PRECEDENCE.not };
      case 'opaque':
        throw new Unsupported(printLeaf(e), 'the rule has logic that could not be modelled');
      default: {
        const text = this.leaf(e, ctx);
        return { text, prec: this.leafPrecedence(text) };
      }
    }
  }

  /** A leaf that renders as several terms joined by or/and reports that precedence. */
  protected leafPrecedence(text: string): number {
    void text;
    return PRECEDENCE.leaf;
  }

  protected wrap(r: { text: string; prec: number }, needed: number): string {
    return r.prec < needed ? `(${r.text})` : r.text;
  }

  /** Joins alternatives of one leaf, parenthesized so the leaf stays one operand. */
  protected joinLeaf(parts: string[], all: boolean): string {
    if (parts.length === 1) return parts[0]!;
    return `(${balanced(parts, all ? this.andToken : this.orToken)})`;
  }
}

const CHUNK = 32;

/**
 * Joins many operands of one associative operator in parenthesized chunks, so a rule with hundreds
 * of values does not become a syntax tree deeper than parsers accept (Kusto refuses very deep ones).
 */
export function balanced(parts: string[], token: string): string {
  if (parts.length <= CHUNK) return parts.join(token);
  const groups: string[] = [];
  for (let i = 0; i < parts.length; i += CHUNK) groups.push(`(${parts.slice(i, i + CHUNK).join(token)})`);
  return balanced(groups, token);
}

export function unsupported(e: Expr, why: string): never {
  throw new Unsupported(printLeaf(e), why);
}
