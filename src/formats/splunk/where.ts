import { translateRegex, type Expr, type MatchExpr, type Value } from '../../model/index.js';
import { opaque, sp, type ParseContext } from './context.js';
import { EvalParser, EvalSyntaxError, type EvalNode } from './eval.js';
import { parseSearchExpr } from './search.js';
import { classifyLike } from './values.js';

/**
 * Turns an eval expression used as a predicate (`where`, `searchmatch`) into an {@link Expr}.
 *
 * Semantics kept from SPL:
 * - Comparisons are case-sensitive (`lower(f)` / `upper(f)` make them case-insensitive);
 *   `*` is a literal character (only like() has wildcards: `%` and `_`).
 * - A comparison with an absent (null) field is not true: `f!=v` needs `f` (`f exists AND NOT f=v`),
 *   as in the search language. `NOT` over it is a plain negation.
 * - A bare name on the right is a field (`where a=b` compares two fields).
 * What has no equivalent in the IR (arithmetic, len(), field-to-field ordering, time functions)
 * becomes `opaque` with the reason.
 */
export function parseWhere(ctx: ParseContext, start: number, end: number): Expr | undefined {
  const p = new EvalParser(ctx, start, end);
  if (p.atEnd()) return undefined;
  let node: EvalNode;
  try {
    node = p.parseExpr();
    if (!p.atEnd()) {
      const t = p.peek();
      throw new EvalSyntaxError(`unexpected '${p.text(t)}' after a complete expression`, t.start, t.end);
    }
  } catch (e) {
    if (!(e instanceof EvalSyntaxError)) throw e;
    ctx.report('error', 'spl.eval-syntax', e.message, e.start, e.end);
    return opaque(`syntax error: ${e.message}`, ctx.text(start, end).trim(), start, end);
  }
  return predicate(ctx, node);
}

/** The predicate an eval node stands for. */
export function predicate(ctx: ParseContext, n: EvalNode): Expr {
  const text = (): string => ctx.text(n.s, n.e);
  switch (n.k) {
    case 'bin':
      switch (n.op) {
        case 'and':
        case 'or': {
          const args: Expr[] = [];
          const collect = (m: EvalNode): void => {
            if (m.k === 'bin' && m.op === n.op && !parenthesized(ctx, m)) {
              collect(m.l);
              collect(m.r);
            } else args.push(predicate(ctx, m));
          };
          collect(n.l);
          collect(n.r);
          return { kind: n.op, args, span: sp(n.s, n.e) };
        }
        case 'xor': {
          const l = predicate(ctx, n.l);
          const r = predicate(ctx, n.r);
          const s = sp(n.s, n.e);
          return { kind: 'or', args: [{ kind: 'and', args: [l, { kind: 'not', arg: r, span: r.span }], span: s }, { kind: 'and', args: [{ kind: 'not', arg: l, span: l.span }, r], span: s }], span: s, label: 'XOR' };
        }
        case 'like':
          return like(ctx, n, n.l, n.r);
        default:
          return comparison(ctx, n, n.op, n.l, n.r);
      }
    case 'not':
      return { kind: 'not', arg: predicate(ctx, n.a), span: sp(n.s, n.e) };
    case 'in':
      return inList(ctx, n, n.l, n.list);
    case 'call':
      return call(ctx, n);
    case 'opaque':
      return opaque(n.reason, text(), n.s, n.e);
    case 'field':
      return opaque(`the field '${n.name}' used as a condition (true when it holds a true value)`, text(), n.s, n.e);
    default:
      return opaque('a value where a condition was expected', text(), n.s, n.e);
  }
}

function parenthesized(ctx: ParseContext, n: EvalNode): boolean {
  return ctx.src[n.s] === '(' && ctx.src[n.e - 1] === ')' && n.k === 'bin';
}

/** What a comparison tests: a field, possibly case-folded. */
interface Subject {
  field: string;
  caseSensitive: boolean;
  /** `lower` / `upper`: the field's text was folded to this case before comparing. */
  fold?: 'lower' | 'upper';
  /** Numeric conversion (tonumber) does not change what is compared. */
}

function subject(n: EvalNode): Subject | null {
  if (n.k === 'field') return { field: n.name, caseSensitive: true };
  if (n.k === 'call' && n.args.length === 1 && n.args[0]!.k === 'field') {
    const field = n.args[0]!.name;
    if (n.name === 'lower' || n.name === 'upper') return { field, caseSensitive: false, fold: n.name };
    if (n.name === 'tonumber' || n.name === 'tostring') return { field, caseSensitive: true };
  }
  return null;
}

function literal(n: EvalNode): string | number | null {
  if (n.k === 'str') return n.v;
  if (n.k === 'num') return n.v;
  return null;
}

const FLIP: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '=': '=', '==': '==', '!=': '!=' };

function comparison(ctx: ParseContext, n: EvalNode, op: string, l: EvalNode, r: EvalNode): Expr {
  const s = n.s;
  const e = n.e;
  const text = ctx.text(s, e);
  // Literal on the left: read it the other way round.
  if (literal(l) !== null && literal(r) === null && FLIP[op]) return comparison(ctx, n, FLIP[op]!, r, l);
  if (l.k === 'call' && l.name === 'coalesce' && l.args.length >= 2 && l.args.every((a) => a.k === 'field') && (op === '=' || op === '==')) {
    return coalesceEq(ctx, n, l.args as Array<Extract<EvalNode, { k: 'field' }>>, r);
  }
  const subj = subject(l);
  if (!subj) return opaque(`comparison of a computed value (${describe(l)})`, text, s, e);
  const value = literal(r);
  if (op === '=' || op === '==' || op === '!=') {
    let m: Expr;
    if (value !== null) {
      if (typeof value === 'string' && subj.fold && value !== (subj.fold === 'lower' ? value.toLowerCase() : value.toUpperCase())) {
        ctx.report('warning', 'spl.case-mismatch', `${subj.fold}(${subj.field}) is compared with "${value}", which is not ${subj.fold} case: never true`, s, e);
        return opaque(`${subj.fold}() compared with text that is not ${subj.fold} case: never true`, text, s, e);
      }
      if (typeof value === 'string' && value.includes('*') && !subj.fold) {
        ctx.report('info', 'spl.where-wildcard', `in where/eval, '*' is a literal character: use like(${subj.field}, "...%") or the search command for a wildcard`, r.s, r.e);
      }
      m = matchOf(subj.field, 'eq', [value], subj.caseSensitive, s, e);
    } else if (r.k === 'field' && !subj.fold) {
      m = { kind: 'fieldref', field: subj.field, operator: 'eq', other: r.name, caseSensitive: true, span: sp(s, e) };
    } else if (subj.fold && subject(r)?.fold === subj.fold) {
      // lower(a) = lower(b): the two fields equal, ignoring case.
      m = { kind: 'fieldref', field: subj.field, operator: 'eq', other: subject(r)!.field, caseSensitive: false, span: sp(s, e) };
    } else if (r.k === 'call' && r.name === 'null' && r.args.length === 0) {
      return op === '!=' ? { kind: 'exists', field: subj.field, span: sp(s, e) } : { kind: 'not', arg: { kind: 'exists', field: subj.field, span: sp(s, e) }, span: sp(s, e) };
    } else return opaque(`comparison with a computed value (${describe(r)})`, text, s, e);
    if (op !== '!=') return m;
    const exists: Expr[] = [{ kind: 'exists', field: subj.field, span: sp(l.s, l.e) }];
    if (m.kind === 'fieldref') exists.push({ kind: 'exists', field: m.other, span: sp(r.s, r.e) });
    return { kind: 'and', args: [...exists, { kind: 'not', arg: m, span: sp(s, e) }], span: sp(s, e), label: '!=' };
  }
  if (typeof value === 'number' && !subj.fold) {
    const cmp = op === '<' ? 'lt' : op === '<=' ? 'lte' : op === '>' ? 'gt' : 'gte';
    return { kind: 'compare', field: subj.field, op: cmp, value, span: sp(s, e) };
  }
  if (r.k === 'field') return opaque(`'${op}' between two fields: the IR compares a field with constants only`, text, s, e);
  if (typeof value === 'string') return opaque(`'${op}' on text: compared lexicographically`, text, s, e);
  return opaque(`'${op}' with a computed value (${describe(r)})`, text, s, e);
}

/** `coalesce(a, b) = v` is `a = v OR (a absent AND b = v)`, and so on down the list. */
function coalesceEq(ctx: ParseContext, n: EvalNode, fields: Array<Extract<EvalNode, { k: 'field' }>>, r: EvalNode): Expr {
  const value = literal(r);
  if (value === null) return opaque('coalesce() compared with a computed value', ctx.text(n.s, n.e), n.s, n.e);
  const s = sp(n.s, n.e);
  const alts: Expr[] = [];
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const m = matchOf(f.name, 'eq', [value], true, f.s, f.e);
    const absent: Expr[] = fields.slice(0, i).map((p) => ({ kind: 'not', arg: { kind: 'exists', field: p.name, span: sp(p.s, p.e) }, span: sp(p.s, p.e) }));
    alts.push(absent.length ? { kind: 'and', args: [...absent, m], span: s } : m);
  }
  return { kind: 'or', args: alts, span: s, label: 'coalesce()' };
}

function like(ctx: ParseContext, n: EvalNode, l: EvalNode, r: EvalNode): Expr {
  const subj = subject(l);
  const text = ctx.text(n.s, n.e);
  if (!subj) return opaque(`like() on a computed value (${describe(l)})`, text, n.s, n.e);
  if (r.k !== 'str') return opaque('like() with a pattern that is not a string', text, n.s, n.e);
  const c = classifyLike(r.v);
  if (c.operator === 'exists') return { kind: 'exists', field: subj.field, span: sp(n.s, n.e) };
  return matchOf(subj.field, c.operator, [c.value], subj.caseSensitive, n.s, n.e);
}

function inList(ctx: ParseContext, n: EvalNode, l: EvalNode, list: EvalNode[]): Expr {
  const subj = subject(l);
  const text = ctx.text(n.s, n.e);
  if (!subj) return opaque(`IN on a computed value (${describe(l)})`, text, n.s, n.e);
  const values: Value[] = [];
  const others: Expr[] = [];
  for (const v of list) {
    const lit = literal(v);
    if (lit !== null) values.push(lit);
    else if (v.k === 'field' && !subj.fold) others.push({ kind: 'fieldref', field: subj.field, operator: 'eq', other: v.name, caseSensitive: true, span: sp(v.s, v.e) });
    else return opaque(`IN with a computed value (${describe(v)})`, text, n.s, n.e);
  }
  const args: Expr[] = [];
  if (values.length) args.push(matchOf(subj.field, 'eq', values, subj.caseSensitive, n.s, n.e));
  args.push(...others);
  return args.length === 1 ? args[0]! : { kind: 'or', args, span: sp(n.s, n.e) };
}

const TRUE_FNS = new Set(['true']);

function call(ctx: ParseContext, n: Extract<EvalNode, { k: 'call' }>): Expr {
  const text = ctx.text(n.s, n.e);
  const a = n.args;
  switch (n.name) {
    case 'match': {
      if (a.length !== 2) break;
      const subj = subject(a[0]!);
      if (!subj) return opaque(`match() on a computed value (${describe(a[0]!)})`, text, n.s, n.e);
      if (a[1]!.k !== 'str') return opaque('match() with a regular expression that is not a string', text, n.s, n.e);
      const re = a[1]!.v;
      const t = translateRegex(re);
      if (!t.ok) ctx.report('warning', 'spl.regex-syntax', `regular expression cannot be compiled: ${t.error}`, a[1]!.s, a[1]!.e);
      const m = matchOf(subj.field, 'regex', [re], true, n.s, n.e);
      if (subj.fold) m.flags = 'i';
      return m;
    }
    case 'like':
      if (a.length === 2) return like(ctx, n, a[0]!, a[1]!);
      break;
    case 'isnull':
    case 'isnotnull': {
      if (a.length !== 1) break;
      const subj = subject(a[0]!);
      if (!subj) return opaque(`${n.name}() on a computed value (${describe(a[0]!)})`, text, n.s, n.e);
      const ex: Expr = { kind: 'exists', field: subj.field, span: sp(n.s, n.e) };
      return n.name === 'isnotnull' ? ex : { kind: 'not', arg: ex, span: sp(n.s, n.e) };
    }
    case 'cidrmatch': {
      if (a.length !== 2) break;
      const subj = subject(a[1]!);
      if (a[0]!.k !== 'str' || !subj) return opaque('cidrmatch() with a computed network or value', text, n.s, n.e);
      return matchOf(subj.field, 'cidr', [a[0]!.v], false, n.s, n.e);
    }
    case 'in':
      if (a.length >= 2) return inList(ctx, n, a[0]!, a.slice(1));
      break;
    case 'searchmatch': {
      if (a.length !== 1 || a[0]!.k !== 'str') break;
      const str = a[0]!;
      const raw = ctx.text(str.s, str.e);
      if (raw.includes('\\')) return opaque('searchmatch() with escapes in its search string', text, n.s, n.e);
      const inner = parseSearchExpr(ctx, str.s + 1, str.e - 1).filter;
      if (!inner) return { kind: 'keyword', operator: 'wildcard', values: [{ pattern: [{ wildcard: 'any' }] }], all: false, caseSensitive: false, span: sp(n.s, n.e), label: 'searchmatch()' };
      return { ...inner, label: 'searchmatch()' };
    }
    case 'if':
      return opaque('if() used as a condition', text, n.s, n.e);
    default:
      if (TRUE_FNS.has(n.name) && a.length === 0) return opaque('the constant true()', text, n.s, n.e);
      return opaque(`${n.name}() used as a condition`, text, n.s, n.e);
  }
  ctx.report('warning', 'spl.eval-arity', `${n.name}() called with ${a.length} argument(s)`, n.s, n.e);
  return opaque(`${n.name}() with ${a.length} argument(s)`, text, n.s, n.e);
}

function matchOf(field: string, operator: MatchExpr['operator'], values: Value[], caseSensitive: boolean, s: number, e: number): MatchExpr {
  return { kind: 'match', field, operator, values, all: false, caseSensitive, span: sp(s, e) };
}

function describe(n: EvalNode): string {
  switch (n.k) {
    case 'call':
      return `${n.name}()`;
    case 'bin':
      return `'${n.op}' arithmetic`;
    case 'neg':
      return 'a negation';
    case 'field':
      return `the field ${n.name}`;
    case 'opaque':
      return n.reason;
    default:
      return 'a literal';
  }
}
