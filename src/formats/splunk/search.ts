import type { Expr, MatchExpr, Value } from '../../model/index.js';
import { combine, opaque, sp, type ParseContext } from './context.js';
import { isComment, isSpace, skipComment, skipGroup, skipString, unescapeBackslashes } from './text.js';
import { classifySearchValue, classifyTerm, numericLiteral, type Classified } from './values.js';

/**
 * The `search` command's language (also tstats' and mstats' `where` clauses), with Splunk's
 * precedence, which is not the usual one:
 *
 *   juxtaposition / AND  <  OR  <  NOT  <  comparison, term, ( ... )
 *
 * `a b OR c` is `a AND (b OR c)`. Operators are upper case; `and`, `or`, `not` are search terms.
 * Field names are case-sensitive, values case-insensitive (`CASE(x)` makes one case-sensitive);
 * `*` is a wildcard in every value, quoted or not.
 *
 * `f!=v` and `NOT f=v` differ: `!=` needs the field to be present (Splunk returns no event that
 * lacks the field), `NOT` keeps events without it. So `f!=v` reads as `f exists AND NOT f=v`.
 */

type Kind = 'lparen' | 'rparen' | 'string' | 'word' | 'op' | 'comma' | 'subsearch' | 'macro' | 'eof';

interface Token {
  kind: Kind;
  start: number;
  end: number;
}

const TIME_MODIFIERS = new Set(['earliest', 'latest', '_index_earliest', '_index_latest', 'starttime', 'endtime', 'starttimeu', 'endtimeu', 'daysago', 'hoursago', 'minutesago', 'timeformat']);

export interface SearchResult {
  /** Undefined when the search has no predicate (it matches every event). */
  filter?: Expr;
  /** Time-range modifiers (`earliest=-24h`): they select the time window, not events by content. */
  time?: Record<string, string>;
}

const MAX_DEPTH = 200;

/** Parses the search language in `[start, end)` of the context's text. Never throws. */
export function parseSearchExpr(ctx: ParseContext, start: number, end: number): SearchResult {
  const src = ctx.src;
  let pos = start;
  let peeked: Token | null = null;
  let depth = 0;
  const time: Record<string, string> = {};

  const scan = (): Token => {
    let i = pos;
    for (;;) {
      while (i < end && (isSpace(src.charCodeAt(i)) || src.charCodeAt(i) === 0x2c)) {
        // A comma outside a value list separates terms like a space.
        i++;
      }
      if (i < end && isComment(src, i)) i = skipComment(src, i, end);
      else break;
    }
    if (i >= end) return { kind: 'eof', start: end, end };
    const c = src[i]!;
    if (c === '(') return { kind: 'lparen', start: i, end: i + 1 };
    if (c === ')') return { kind: 'rparen', start: i, end: i + 1 };
    if (c === '"') return { kind: 'string', start: i, end: skipString(src, i, end) };
    if (c === '[') {
      const g = skipGroup(src, i, end);
      return { kind: 'subsearch', start: i, end: g === -1 ? end : g };
    }
    if (c === '`' && ctx.calls.has(i)) return { kind: 'macro', start: i, end: ctx.calls.get(i)!.outEnd };
    if (c === '!' && src[i + 1] === '=') return { kind: 'op', start: i, end: i + 2 };
    if (c === '=' || c === '<' || c === '>') return { kind: 'op', start: i, end: i + (src[i + 1] === '=' ? 2 : 1) };
    let j = i;
    while (j < end) {
      const d = src[j]!;
      if (isSpace(d.charCodeAt(0)) || d === '(' || d === ')' || d === '"' || d === '=' || d === '<' || d === '>' || d === ',' || d === '[') break;
      if (d === '!' && src[j + 1] === '=') break;
      if (d === '`' && ctx.calls.has(j)) break;
      if (d === '\\') j++;
      j++;
    }
    return { kind: 'word', start: i, end: Math.min(j, end) };
  };
  const peek = (): Token => (peeked ??= scan());
  const next = (): Token => {
    const t = peek();
    peeked = null;
    pos = t.end;
    return t;
  };
  const text = (t: Token): string => src.slice(t.start, t.end);
  const isWord = (t: Token, w: string): boolean => t.kind === 'word' && text(t) === w;

  /** A value after an operator: a quoted string, TERM()/CASE(), or a run up to a space or an unbalanced `)`. */
  const scanValue = (): { raw: string; start: number; end: number; quoted: boolean; cased: boolean } => {
    let i = pos;
    while (i < end && isSpace(src.charCodeAt(i))) i++;
    if (src[i] === '"') {
      const e = skipString(src, i, end);
      pos = e;
      return { raw: src.slice(i, e), start: i, end: e, quoted: true, cased: false };
    }
    const directive = /^(TERM|CASE)\(/i.exec(src.slice(i, i + 5));
    if (directive) {
      const close = src.indexOf(')', i + 5);
      if (close !== -1 && close < end) {
        pos = close + 1;
        const inner = src.slice(i + 5, close).trim();
        return { raw: inner, start: i, end: close + 1, quoted: inner.startsWith('"'), cased: directive[1]!.toUpperCase() === 'CASE' };
      }
    }
    let j = i;
    let parens = 0;
    while (j < end) {
      const d = src[j]!;
      if (isSpace(d.charCodeAt(0))) break;
      if (d === '(') parens++;
      else if (d === ')') {
        if (parens === 0) break;
        parens--;
      } else if (d === '`' && ctx.calls.has(j)) break;
      if (d === '\\') j++;
      j++;
    }
    j = Math.min(j, end);
    pos = j;
    return { raw: src.slice(i, j), start: i, end: j, quoted: false, cased: false };
  };

  const valueText = (raw: string, quoted: boolean): string => unescapeBackslashes(quoted ? stripQuotes(raw) : raw);

  const fieldMatch = (field: string, c: Classified, cased: boolean, s: number, e: number): Expr => {
    if (c.operator === 'exists') return { kind: 'exists', field, span: sp(s, e) };
    return match(field, c.operator, [c.value], cased, s, e);
  };

  const comparison = (fieldTok: Token): Expr | null => {
    const field = fieldTok.kind === 'string' ? valueText(text(fieldTok), true) : text(fieldTok);
    const op = text(next());
    const v = scanValue();
    const s = fieldTok.start;
    const e = v.end;
    const value = valueText(v.raw, v.quoted);
    if (v.end === v.start && op !== '=' && op !== '!=') {
      ctx.report('warning', 'spl.search-syntax', `'${field}${op}' has no value`, s, e);
      return opaque('comparison without a value', ctx.text(s, e), s, e);
    }
    if (TIME_MODIFIERS.has(field.toLowerCase()) && op === '=') {
      time[field] = value;
      return null;
    }
    if (op === '=' || op === '!=') {
      const c = classifySearchValue(value);
      const m = fieldMatch(field, c, v.cased, s, e);
      if (op === '=') return m;
      // `f!=v`: only events that have the field (see the module comment).
      return { kind: 'and', args: [{ kind: 'exists', field, span: sp(s, fieldTok.end) }, { kind: 'not', arg: m, span: sp(s, e) }], span: sp(s, e), label: '!=' };
    }
    const n = numericLiteral(value);
    if (n === null) return opaque(`'${op}' on the text '${value}': Splunk compares text lexicographically`, ctx.text(s, e), s, e);
    const cmp = op === '<' ? 'lt' : op === '<=' ? 'lte' : op === '>' ? 'gt' : 'gte';
    return { kind: 'compare', field, op: cmp, value: n, span: sp(s, e) };
  };

  /** `field IN (v, ...)`: one match per operator, any of. */
  const inList = (fieldTok: Token): Expr => {
    const field = fieldTok.kind === 'string' ? valueText(text(fieldTok), true) : text(fieldTok);
    next(); // IN
    const open = next();
    if (open.kind !== 'lparen') {
      ctx.report('warning', 'spl.search-syntax', `expected '(' after IN`, open.start, open.end);
      return opaque('IN without a value list', ctx.text(fieldTok.start, open.end), fieldTok.start, open.end);
    }
    const values: Array<{ c: Classified; cased: boolean }> = [];
    let close = open.end;
    for (;;) {
      const t = peek();
      if (t.kind === 'rparen') {
        close = next().end;
        break;
      }
      if (t.kind === 'eof') {
        ctx.report('warning', 'spl.search-syntax', `missing ')' closing the IN list`, open.start, open.end);
        close = t.end;
        break;
      }
      if (t.kind === 'string' || t.kind === 'word') {
        const v = scanValueList();
        values.push({ c: classifySearchValue(valueText(v.raw, v.quoted)), cased: v.cased });
        continue;
      }
      next();
      ctx.report('warning', 'spl.search-syntax', `unexpected '${text(t)}' in an IN list`, t.start, t.end);
    }
    const s = fieldTok.start;
    if (values.length === 0) return opaque('empty IN list', ctx.text(s, close), s, close);
    if (values.some((v) => v.c.operator === 'exists')) return { kind: 'exists', field, span: sp(s, close) };
    const groups = new Map<string, { op: MatchExpr['operator']; values: Value[]; cased: boolean }>();
    for (const v of values) {
      if (v.c.operator === 'exists') continue;
      const key = `${v.c.operator}/${v.cased}`;
      const g = groups.get(key) ?? { op: v.c.operator, values: [], cased: v.cased };
      g.values.push(v.c.value);
      groups.set(key, g);
    }
    const args = [...groups.values()].map((g) => match(field, g.op, g.values, g.cased, s, close));
    return combine('or', args, s, close)!;
  };

  /** One value of an IN list: a string, TERM()/CASE(), or a run up to a space, comma or `)`. */
  const scanValueList = (): { raw: string; quoted: boolean; cased: boolean } => {
    const t = peek();
    if (t.kind === 'string') {
      next();
      return { raw: text(t), quoted: true, cased: false };
    }
    next();
    const w = text(t);
    if (/^(TERM|CASE)$/i.test(w) && peek().kind === 'lparen' && peek().start === t.end) {
      next();
      const inner = peek();
      next();
      if (peek().kind === 'rparen') next();
      return { raw: text(inner), quoted: inner.kind === 'string', cased: w.toUpperCase() === 'CASE' };
    }
    return { raw: w, quoted: false, cased: false };
  };

  const directive = (t: Token): Expr => {
    const name = text(t).toUpperCase();
    next(); // (
    const close = src.indexOf(')', pos);
    const stop = close === -1 || close >= end ? end : close;
    const raw = src.slice(pos, stop).trim();
    pos = Math.min(stop + 1, end);
    peeked = null;
    const s = t.start;
    const e = pos;
    const inner = unescapeBackslashes(raw.startsWith('"') ? stripQuotes(raw) : raw);
    const label = `${name}()`;
    // TERM(field=value): the indexed key=value pair, i.e. the field has that value.
    const kv = name === 'TERM' ? /^([A-Za-z_][\w.]*)=([^=]+)$/.exec(inner) : null;
    if (kv) {
      const c = classifySearchValue(kv[2]!);
      return { ...fieldMatch(kv[1]!, c, false, s, e), label };
    }
    const term = classifyTerm(inner);
    return { kind: 'keyword', operator: term.operator, values: [term.value], all: false, caseSensitive: name === 'CASE', span: sp(s, e), label };
  };

  const keyword = (t: Token): Expr => {
    const quoted = t.kind === 'string';
    const raw = text(t);
    if (quoted && !raw.endsWith('"')) ctx.report('warning', 'spl.search-syntax', 'unterminated quoted string', t.start, t.end);
    if (!quoted && /^(and|or|not)$/i.test(raw) && raw !== raw.toUpperCase()) {
      ctx.report('warning', 'spl.lowercase-operator', `'${raw}' is a search term here: SPL's boolean operators are upper case (${raw.toUpperCase()})`, t.start, t.end);
    }
    const term = classifyTerm(valueText(raw, quoted));
    return { kind: 'keyword', operator: term.operator, values: [term.value], all: false, caseSensitive: false, span: sp(t.start, t.end) };
  };

  const primary = (): Expr | null => {
    const t = peek();
    switch (t.kind) {
      case 'lparen': {
        next();
        if (++depth > MAX_DEPTH) {
          ctx.report('error', 'spl.search-syntax', `search nested deeper than ${MAX_DEPTH} levels`, t.start, t.end);
          pos = end;
          peeked = null;
          return opaque('nesting too deep', ctx.text(t.start, end), t.start, end);
        }
        const inner = andSeq();
        depth--;
        const close = peek();
        if (close.kind === 'rparen') next();
        else ctx.report('warning', 'spl.search-syntax', "missing ')'", t.start, t.end);
        if (!inner) return null;
        return inner.kind === 'and' || inner.kind === 'or' ? { ...inner, span: sp(t.start, close.kind === 'rparen' ? close.end : inner.span.end) } : inner;
      }
      case 'subsearch':
        next();
        return opaque('subsearch: its results become search terms only when the search runs', ctx.text(t.start, t.end), t.start, t.end);
      case 'macro': {
        next();
        const call = ctx.calls.get(t.start)!;
        if (call.status === 'assumed-empty') return null;
        return opaque(call.reason ?? `macro \`${call.name}\` is not defined`, ctx.text(t.start, t.end), t.start, t.end);
      }
      case 'word':
      case 'string': {
        next();
        const after = peek();
        if (after.kind === 'op') return comparison(t);
        if (after.kind === 'word' && /^in$/i.test(text(after))) {
          // `f IN (...)` — lookahead: IN followed by '('.
          const save = pos;
          next();
          const open = peek();
          pos = save;
          peeked = after;
          if (open.kind === 'lparen') return inList(t);
        }
        if (t.kind === 'word' && /^(TERM|CASE)$/i.test(text(t)) && after.kind === 'lparen' && after.start === t.end) {
          peeked = null;
          pos = t.end;
          return directive({ ...t });
        }
        return keyword(t);
      }
      case 'op': {
        next();
        ctx.report('warning', 'spl.search-syntax', `'${text(t)}' without a field before it`, t.start, t.end);
        return opaque('operator without a field', text(t), t.start, t.end);
      }
      default:
        return null;
    }
  };

  const notExpr = (): Expr | null => {
    const t = peek();
    if (isWord(t, 'NOT')) {
      next();
      if (++depth > MAX_DEPTH) return opaque('nesting too deep', ctx.text(t.start, end), t.start, end);
      const arg = notExpr();
      depth--;
      if (!arg) {
        ctx.report('warning', 'spl.search-syntax', "'NOT' with nothing after it", t.start, t.end);
        return null;
      }
      return { kind: 'not', arg, span: sp(t.start, arg.span.end) };
    }
    return primary();
  };

  const orExpr = (): Expr | null => {
    const first = notExpr();
    const args: Expr[] = first ? [first] : [];
    while (isWord(peek(), 'OR')) {
      const op = next();
      const more = notExpr();
      if (more) args.push(more);
      else ctx.report('warning', 'spl.search-syntax', "'OR' with nothing after it", op.start, op.end);
    }
    if (args.length === 0) return null;
    return combine('or', args, args[0]!.span.start, args[args.length - 1]!.span.end)!;
  };

  /** Terms side by side (or joined by AND) until `)` or the end. */
  const andSeq = (): Expr | undefined => {
    const args: Expr[] = [];
    for (;;) {
      const t = peek();
      if (t.kind === 'eof' || t.kind === 'rparen') break;
      if (isWord(t, 'AND')) {
        next();
        continue;
      }
      if (isWord(t, 'OR')) {
        next();
        ctx.report('warning', 'spl.search-syntax', "'OR' with nothing before it", t.start, t.end);
        continue;
      }
      const before = pos;
      const e = orExpr();
      if (e) args.push(e);
      if (pos === before && peeked === t) {
        // No progress: skip the token so a bad input cannot loop.
        next();
      }
    }
    if (args.length === 0) return undefined;
    return combine('and', args, args[0]!.span.start, args[args.length - 1]!.span.end);
  };

  let filter: Expr | undefined;
  const parts: Expr[] = [];
  for (;;) {
    const e = andSeq();
    if (e) parts.push(e);
    const t = peek();
    if (t.kind === 'eof') break;
    next();
    ctx.report('warning', 'spl.search-syntax', "unbalanced ')'", t.start, t.end);
  }
  if (parts.length) filter = combine('and', parts.flatMap((p) => (p.kind === 'and' && parts.length > 1 ? p.args : [p])), parts[0]!.span.start, parts[parts.length - 1]!.span.end);
  const out: SearchResult = {};
  if (filter) out.filter = filter;
  if (Object.keys(time).length) out.time = time;
  return out;
}

function match(field: string, operator: MatchExpr['operator'], values: Value[], caseSensitive: boolean, s: number, e: number): MatchExpr {
  return { kind: 'match', field, operator, values, all: false, caseSensitive, span: sp(s, e) };
}

function stripQuotes(raw: string): string {
  if (raw.length >= 2 && raw.endsWith('"')) return raw.slice(1, -1);
  return raw.slice(1);
}
