import { isComment, isSpace, skipComment, skipGroup, skipString, unquote } from './text.js';
import type { ParseContext } from './context.js';

/**
 * The eval expression language (`where`, `eval`, `fieldformat`, stats' `eval(...)`), with the usual
 * precedence, least binding first:
 *
 *   OR  <  XOR  <  AND  <  NOT  <  = == != < <= > >= LIKE IN  <  + - .  <  * / %  <  unary -  <  primary
 *
 * Keywords are case-insensitive. A bare name is a field (`true` too: booleans are `true()`);
 * `'quoted name'` is a field, `"text"` a string. This builds a small value-level tree;
 * `where.ts` turns it into a predicate.
 */
export type EvalNode =
  | { k: 'num'; v: number; s: number; e: number }
  | { k: 'str'; v: string; s: number; e: number }
  | { k: 'field'; name: string; s: number; e: number }
  | { k: 'call'; name: string; args: EvalNode[]; s: number; e: number }
  | { k: 'bin'; op: string; l: EvalNode; r: EvalNode; s: number; e: number }
  | { k: 'not'; a: EvalNode; s: number; e: number }
  | { k: 'neg'; a: EvalNode; s: number; e: number }
  | { k: 'in'; l: EvalNode; list: EvalNode[]; s: number; e: number }
  | { k: 'opaque'; reason: string; s: number; e: number };

type Kind = 'num' | 'str' | 'qfield' | 'ident' | 'op' | 'lparen' | 'rparen' | 'comma' | 'macro' | 'subsearch' | 'bad' | 'eof';

interface Token {
  kind: Kind;
  start: number;
  end: number;
}

export class EvalSyntaxError extends Error {
  constructor(
    message: string,
    readonly start: number,
    readonly end: number,
  ) {
    super(message);
  }
}

const OPS = ['==', '!=', '<=', '>=', '=', '<', '>', '+', '-', '*', '/', '%', '.', '!'];
const KEYWORDS = new Set(['and', 'or', 'xor', 'not', 'like', 'in']);
const LEVEL = { or: 1, xor: 2, and: 3, not: 4, cmp: 5, add: 6, mul: 7 } as const;
const MAX_DEPTH = 200;

/** A pull scanner and precedence-climbing parser over `[start, end)` of the context's text. */
export class EvalParser {
  private pos: number;
  private peeked: Token | null = null;
  private depth = 0;

  constructor(
    private readonly ctx: ParseContext,
    start: number,
    private readonly end: number,
  ) {
    this.pos = start;
  }

  get offset(): number {
    return this.peeked ? this.peeked.start : this.pos;
  }

  private scan(): Token {
    const src = this.ctx.src;
    const end = this.end;
    let i = this.pos;
    for (;;) {
      while (i < end && isSpace(src.charCodeAt(i))) i++;
      if (i < end && isComment(src, i)) i = skipComment(src, i, end);
      else break;
    }
    if (i >= end) return { kind: 'eof', start: end, end };
    const c = src[i]!;
    if (c === '(') return { kind: 'lparen', start: i, end: i + 1 };
    if (c === ')') return { kind: 'rparen', start: i, end: i + 1 };
    if (c === ',') return { kind: 'comma', start: i, end: i + 1 };
    if (c === '"') return { kind: 'str', start: i, end: skipString(src, i, end) };
    if (c === "'") {
      let j = i + 1;
      while (j < end && src[j] !== "'") j += src[j] === '\\' ? 2 : 1;
      return { kind: 'qfield', start: i, end: Math.min(j + 1, end) };
    }
    if (c === '[') {
      const g = skipGroup(src, i, end);
      return { kind: 'subsearch', start: i, end: g === -1 ? end : g };
    }
    if (c === '`' && this.ctx.calls.has(i)) return { kind: 'macro', start: i, end: this.ctx.calls.get(i)!.outEnd };
    const num = /^(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?/.exec(src.slice(i, Math.min(end, i + 40)));
    if (num && !/[A-Za-z_]/.test(src[i + num[0].length] ?? '')) return { kind: 'num', start: i, end: i + num[0].length };
    if (/[A-Za-z_@${]/.test(c) || src.startsWith('<<', i)) {
      // Names may hold dots (`Processes.process`), `::`, and foreach templates (`<<FIELD>>`).
      let j = i;
      while (j < end) {
        if (src.startsWith('<<', j) || src.startsWith('>>', j)) j += 2;
        else if (/[\w:@${}]/.test(src[j]!)) j++;
        // A dot joins name parts; before anything else it is the concatenation operator.
        else if (src[j] === '.' && /[\w{<$@]/.test(src[j + 1] ?? '')) j++;
        else break;
      }
      return { kind: 'ident', start: i, end: j };
    }
    for (const op of OPS) if (src.startsWith(op, i)) return { kind: 'op', start: i, end: i + op.length };
    return { kind: 'bad', start: i, end: i + 1 };
  }

  peek(): Token {
    return (this.peeked ??= this.scan());
  }

  next(): Token {
    const t = this.peek();
    this.peeked = null;
    this.pos = t.end;
    return t;
  }

  text(t: Token): string {
    return this.ctx.src.slice(t.start, t.end);
  }

  private kw(t: Token): string | null {
    if (t.kind !== 'ident') return null;
    const w = this.text(t).toLowerCase();
    return KEYWORDS.has(w) ? w : null;
  }

  private fail(t: Token, message: string): never {
    throw new EvalSyntaxError(message, t.start, t.end);
  }

  /** A whole expression; throws {@link EvalSyntaxError}. */
  parseExpr(): EvalNode {
    return this.binary(LEVEL.or);
  }

  /**
   * The target of an eval assignment (`name =`): any run of characters up to `=`, since eval
   * accepts names there that it would read as arithmetic elsewhere (`feature_-value=`).
   */
  assignmentTarget(): { name: string; start: number; end: number } | null {
    const src = this.ctx.src;
    let i = this.peeked ? this.peeked.start : this.pos;
    while (i < this.end && isSpace(src.charCodeAt(i))) i++;
    const m = /^('[^']*'|"[^"]*"|[^\s=,'"()]+)\s*=(?!=)/.exec(src.slice(i, this.end));
    if (!m) return null;
    const raw = m[1]!;
    this.peeked = null;
    this.pos = i + m[0].length;
    return { name: /^['"]/.test(raw) ? raw.slice(1, -1) : raw, start: i, end: i + raw.length };
  }

  /** Whether only `eof` is left. */
  atEnd(): boolean {
    return this.peek().kind === 'eof';
  }

  expect(kind: Kind, what: string): Token {
    const t = this.peek();
    if (t.kind !== kind) this.fail(t, `expected ${what} but found ${t.kind === 'eof' ? 'the end' : `'${this.text(t)}'`}`);
    return this.next();
  }

  private opAt(level: number): string | null {
    const t = this.peek();
    const k = this.kw(t);
    switch (level) {
      case LEVEL.or:
        return k === 'or' ? 'or' : null;
      case LEVEL.xor:
        return k === 'xor' ? 'xor' : null;
      case LEVEL.and:
        return k === 'and' ? 'and' : null;
      case LEVEL.cmp:
        if (k === 'like' || k === 'in') return k;
        if (k === 'not') return null;
        if (t.kind === 'op' && ['=', '==', '!=', '<', '<=', '>', '>='].includes(this.text(t))) return this.text(t);
        return null;
      case LEVEL.add:
        return t.kind === 'op' && ['+', '-', '.'].includes(this.text(t)) ? this.text(t) : null;
      case LEVEL.mul:
        return t.kind === 'op' && ['*', '/', '%'].includes(this.text(t)) ? this.text(t) : null;
      default:
        return null;
    }
  }

  private binary(level: number): EvalNode {
    if (level === LEVEL.not) {
      const t = this.peek();
      if (this.kw(t) === 'not' || (t.kind === 'op' && this.text(t) === '!')) {
        this.next();
        if (++this.depth > MAX_DEPTH) this.fail(t, `expression nested deeper than ${MAX_DEPTH} levels`);
        const a = this.binary(LEVEL.not);
        this.depth--;
        return { k: 'not', a, s: t.start, e: a.e };
      }
      return this.binary(LEVEL.cmp);
    }
    if (level > LEVEL.mul) return this.unary();
    let l = this.binary(level + 1);
    for (;;) {
      const op = this.opAt(level);
      if (!op) return l;
      this.next();
      if (op === 'in') {
        this.expect('lparen', "'(' after IN");
        const list = this.args();
        const close = this.expect('rparen', "')'");
        l = { k: 'in', l, list, s: l.s, e: close.end };
        continue;
      }
      const r = this.binary(level + 1);
      l = { k: 'bin', op, l, r, s: l.s, e: r.e };
    }
  }

  private unary(): EvalNode {
    const t = this.peek();
    if (t.kind === 'op' && (this.text(t) === '-' || this.text(t) === '+')) {
      this.next();
      if (++this.depth > MAX_DEPTH) this.fail(t, `expression nested deeper than ${MAX_DEPTH} levels`);
      const a = this.unary();
      this.depth--;
      if (this.text(t) === '+') return a;
      return a.k === 'num' ? { ...a, v: -a.v, s: t.start } : { k: 'neg', a, s: t.start, e: a.e };
    }
    return this.primary();
  }

  private args(): EvalNode[] {
    const out: EvalNode[] = [];
    if (this.peek().kind === 'rparen') return out;
    for (;;) {
      out.push(this.parseExpr());
      if (this.peek().kind !== 'comma') return out;
      this.next();
    }
  }

  private primary(): EvalNode {
    const t = this.next();
    const src = this.ctx.src;
    switch (t.kind) {
      case 'num':
        return { k: 'num', v: Number(this.text(t)), s: t.start, e: t.end };
      case 'str':
        if (!this.text(t).endsWith('"') || t.end - t.start < 2) this.fail(t, 'unterminated string');
        return { k: 'str', v: unquote(this.text(t)), s: t.start, e: t.end };
      case 'qfield':
        if (t.end - t.start < 2 || src[t.end - 1] !== "'") this.fail(t, 'unterminated quoted field name');
        return { k: 'field', name: src.slice(t.start + 1, t.end - 1).replace(/\\(.)/g, '$1'), s: t.start, e: t.end };
      case 'ident': {
        const name = this.text(t);
        // `LIKE (f, "x")` with a space is still a call; only the boolean keywords cannot be called.
        if (this.peek().kind === 'lparen' && !/^(and|or|xor|not)$/i.test(name)) {
          this.next();
          if (++this.depth > MAX_DEPTH) this.fail(t, `expression nested deeper than ${MAX_DEPTH} levels`);
          const args = this.args();
          this.depth--;
          const close = this.expect('rparen', `')' closing ${name}(`);
          return { k: 'call', name: name.toLowerCase(), args, s: t.start, e: close.end };
        }
        if (KEYWORDS.has(name.toLowerCase())) this.fail(t, `'${name}' where a value was expected`);
        return { k: 'field', name, s: t.start, e: t.end };
      }
      case 'lparen': {
        if (++this.depth > MAX_DEPTH) this.fail(t, `expression nested deeper than ${MAX_DEPTH} levels`);
        const inner = this.parseExpr();
        this.depth--;
        const close = this.expect('rparen', "')'");
        return { ...inner, s: t.start, e: close.end };
      }
      case 'macro': {
        const call = this.ctx.calls.get(t.start)!;
        return { k: 'opaque', reason: call.reason ?? `macro \`${call.name}\` is not defined`, s: t.start, e: t.end };
      }
      case 'subsearch':
        return { k: 'opaque', reason: 'subsearch: its results are only known when the search runs', s: t.start, e: t.end };
      case 'eof':
        return this.fail(t, 'the expression ends where a value was expected');
      default:
        return this.fail(t, `unexpected '${this.text(t)}'`);
    }
  }
}
