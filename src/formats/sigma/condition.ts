import type { DiagnosticSink, Expr, Span } from '../../model/index.js';

/**
 * The Sigma condition grammar, with the specification's precedence (least to most binding):
 * `or`, `and`, `not`, `x of`, parentheses. Keywords are case-insensitive. A scanner yields
 * (kind, start, end) tokens; a recursive-descent parser hands every node an offset span.
 */

type TokenKind = 'ident' | 'and' | 'or' | 'not' | 'of' | 'them' | 'lparen' | 'rparen' | 'pipe' | 'number' | 'all' | 'any' | 'eof' | 'bad';

interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
}

const KEYWORDS: Record<string, TokenKind> = { and: 'and', or: 'or', not: 'not', of: 'of', them: 'them', all: 'all', any: 'any' };

/** Characters of identifiers and patterns: letters, digits, `_`, `*`, `.`, `-`. */
function isWordChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 42 || code === 46 || code === 45;
}

function scan(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const code = text.charCodeAt(i);
    if (code === 32 || code === 9 || code === 10 || code === 13) {
      i++;
      continue;
    }
    const start = i;
    if (c === '(' || c === ')' || c === '|') {
      tokens.push({ kind: c === '(' ? 'lparen' : c === ')' ? 'rparen' : 'pipe', text: c, start, end: i + 1 });
      i++;
      continue;
    }
    if (isWordChar(code)) {
      while (i < text.length && isWordChar(text.charCodeAt(i))) i++;
      const word = text.slice(start, i);
      const kw = KEYWORDS[word.toLowerCase()];
      tokens.push({ kind: kw ?? (/^\d+$/.test(word) ? 'number' : 'ident'), text: word, start, end: i });
      continue;
    }
    tokens.push({ kind: 'bad', text: c, start, end: i + 1 });
    i++;
  }
  tokens.push({ kind: 'eof', text: '', start: text.length, end: text.length });
  return tokens;
}

export interface ConditionContext {
  /** Search identifiers defined in `detection`, in order, with their expressions. */
  identifiers: Map<string, Expr>;
  /** Identifiers referenced so far (to report unused ones). */
  used: Set<string>;
  sink: DiagnosticSink;
  /** Maps an offset in the condition text to an offset in the file. */
  at: (offset: number) => number;
}

export class ConditionError extends Error {
  constructor(
    message: string,
    readonly start: number,
    readonly end: number,
  ) {
    super(message);
  }
}

const MAX_DEPTH = 200;

/** Parses one condition string. Throws {@link ConditionError} with a position on a syntax error. */
export function parseCondition(text: string, ctx: ConditionContext): Expr {
  const tokens = scan(text);
  let pos = 0;
  let depth = 0;
  const peek = (): Token => tokens[pos]!;
  const next = (): Token => tokens[pos++]!;
  const span = (start: number, end: number): Span => ({ start: ctx.at(start), end: ctx.at(end) });
  const fail = (t: Token, message: string): never => {
    throw new ConditionError(message, t.start, t.end);
  };

  // Each parse step returns its node with the extent it covers in the condition text: identifier
  // nodes keep their spans in `detection`, so combinators take their spans from the tokens.
  type Parsed = { e: Expr; s: number; t: number };
  const combine = (kind: 'and' | 'or', args: Parsed[]): Parsed => {
    if (args.length === 1) return args[0]!;
    const s = args[0]!.s;
    const t = args[args.length - 1]!.t;
    return { e: { kind, args: args.map((a) => a.e), span: span(s, t) }, s, t };
  };
  const parseOr = (): Parsed => {
    const args = [parseAnd()];
    while (peek().kind === 'or') {
      next();
      args.push(parseAnd());
    }
    return combine('or', args);
  };
  const parseAnd = (): Parsed => {
    const args = [parseNot()];
    while (peek().kind === 'and') {
      next();
      args.push(parseNot());
    }
    return combine('and', args);
  };
  const parseNot = (): Parsed => {
    const t = peek();
    if (t.kind === 'not') {
      next();
      if (++depth > MAX_DEPTH) fail(t, `condition nested deeper than ${MAX_DEPTH} levels`);
      const arg = parseNot();
      depth--;
      return { e: { kind: 'not', arg: arg.e, span: span(t.start, arg.t) }, s: t.start, t: arg.t };
    }
    return parsePrimary();
  };
  const parsePrimary = (): Parsed => {
    const t = next();
    switch (t.kind) {
      case 'lparen': {
        if (++depth > MAX_DEPTH) fail(t, `condition nested deeper than ${MAX_DEPTH} levels`);
        const inner = parseOr();
        depth--;
        const close = next();
        if (close.kind !== 'rparen') fail(close, close.kind === 'eof' ? "missing ')'" : `expected ')' but found '${close.text}'`);
        return { e: inner.e, s: t.start, t: close.end };
      }
      case 'number':
      case 'all':
      case 'any': {
        const of = next();
        if (of.kind !== 'of') return fail(of, `expected 'of' after '${t.text}'`);
        if (t.kind === 'number' && t.text !== '1') fail(t, `'${t.text} of' is not defined by Sigma: use '1 of', 'any of' or 'all of'`);
        const target = next();
        const all = t.kind === 'all';
        let names: string[];
        if (target.kind === 'them') {
          names = [...ctx.identifiers.keys()].filter((n) => !n.startsWith('_'));
        } else if (target.kind === 'ident') {
          const re = globToRegExp(target.text);
          names = [...ctx.identifiers.keys()].filter((n) => re.test(n));
          if (names.length === 0) fail(target, `no search identifier matches '${target.text}'`);
        } else return fail(target, `expected a search identifier pattern or 'them' after '${t.text} of'`);
        for (const n of names) ctx.used.add(n);
        const args = names.map((n) => ctx.identifiers.get(n)!);
        if (args.length === 1) return { e: args[0]!, s: t.start, t: target.end };
        const e: Expr = { kind: all ? 'and' : 'or', args, span: span(t.start, target.end), label: `${t.text} of ${target.text}` };
        return { e, s: t.start, t: target.end };
      }
      case 'ident': {
        const expr = ctx.identifiers.get(t.text);
        if (!expr) {
          if (t.text.includes('*')) fail(t, `'${t.text}' is a pattern: use '1 of ${t.text}' or 'all of ${t.text}'`);
          fail(t, `search identifier '${t.text}' is not defined in the detection`);
        }
        ctx.used.add(t.text);
        return { e: expr!, s: t.start, t: t.end };
      }
      case 'pipe':
        return fail(t, "aggregation expressions after '|' are obsolete since Sigma 2.0: write a correlation rule instead");
      case 'eof':
        return fail(t, 'condition ends where an expression was expected');
      case 'rparen':
        return fail(t, "unexpected ')'");
      default:
        return fail(t, `unexpected '${t.text}'`);
    }
  };

  const expr = parseOr().e;
  const rest = peek();
  if (rest.kind !== 'eof') {
    if (rest.kind === 'pipe') fail(rest, "aggregation expressions after '|' are obsolete since Sigma 2.0: write a correlation rule instead");
    fail(rest, `unexpected '${rest.text}' after a complete condition`);
  }
  return expr;
}

const globCache = new Map<string, RegExp>();

/** `selection_*` → /^selection_.*$/ (only `*` is special). Cached: rules reuse a handful of patterns. */
export function globToRegExp(glob: string): RegExp {
  let re = globCache.get(glob);
  if (!re) {
    re = new RegExp('^' + glob.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
    if (globCache.size < 10000) globCache.set(glob, re);
  }
  return re;
}
