import type { ParseContext } from './context.js';
import { isComment, isSpace, skipComment, skipGroup, skipString, unescapeBackslashes } from './text.js';

/**
 * Command arguments as words, the way SPL's argument parser sees them: a word runs to a space or
 * a top-level comma; quotes and brackets inside it are kept whole (`values(x) as "a b"`,
 * `count(eval(x="y"))`); adjacent quoted and plain parts join (`"Web".*` is `Web.*`).
 */
export interface ArgToken {
  kind: 'word' | 'comma' | 'subsearch' | 'macro';
  start: number;
  end: number;
  /** The source text. */
  raw: string;
  /** The text with quotes removed and escapes applied. */
  value: string;
  /** For `key=value` words: the key (as written) and the value (unquoted). */
  key?: string;
  kv?: string;
}

export function argTokens(ctx: ParseContext, start: number, end: number): ArgToken[] {
  const src = ctx.src;
  const out: ArgToken[] = [];
  let i = start;
  while (i < end) {
    const c = src.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === 0x60 && isComment(src, i)) {
      i = skipComment(src, i, end);
      continue;
    }
    if (c === 0x2c) {
      out.push({ kind: 'comma', start: i, end: i + 1, raw: ',', value: ',' });
      i++;
      continue;
    }
    if (c === 0x5b) {
      const g = skipGroup(src, i, end);
      const e = g === -1 ? end : g;
      out.push({ kind: 'subsearch', start: i, end: e, raw: src.slice(i, e), value: src.slice(i, e) });
      i = e;
      continue;
    }
    if (c === 0x60 && ctx.calls.has(i)) {
      const e = ctx.calls.get(i)!.outEnd;
      out.push({ kind: 'macro', start: i, end: e, raw: src.slice(i, e), value: src.slice(i, e) });
      i = e;
      continue;
    }
    const s = i;
    let value = '';
    let key: string | undefined;
    let kvStart = -1;
    // Plain characters are copied in runs, from `run` to the current position.
    let run = i;
    while (i < end) {
      const d = src.charCodeAt(i);
      // `[` always opens a subsearch, even glued to a word (`type=inner[| tstats ...]`).
      if (isSpace(d) || d === 0x2c || d === 0x5b) break;
      if (d === 0x22) {
        const e = skipString(src, i, end);
        value += src.slice(run, i) + unescapeBackslashes(src.slice(i + 1, src.charCodeAt(e - 1) === 0x22 && e - 1 > i ? e - 1 : e));
        i = run = e;
        continue;
      }
      if (d === 0x5c) {
        i += 2;
        continue;
      }
      if (d === 0x28) {
        const g = skipGroup(src, i, end);
        i = g === -1 ? i + 1 : g;
        continue;
      }
      if (d === 0x3d /* = */ && key === undefined && i > s && src.charCodeAt(i - 1) !== 0x21 && src.charCodeAt(i - 1) !== 0x3c && src.charCodeAt(i - 1) !== 0x3e) {
        value += src.slice(run, i);
        key = value;
        value += '=';
        i++;
        run = i;
        kvStart = value.length;
        continue;
      }
      i++;
    }
    i = Math.min(i, end);
    value += src.slice(run, i);
    const tok: ArgToken = { kind: 'word', start: s, end: i, raw: src.slice(s, i), value };
    if (key !== undefined) {
      tok.key = key;
      tok.kv = value.slice(kvStart);
    }
    out.push(tok);
  }
  return out;
}

/** Whether a token is the (case-insensitive) keyword `w`. */
export function isKw(t: ArgToken | undefined, w: string): boolean {
  return !!t && t.kind === 'word' && t.key === undefined && t.raw.toLowerCase() === w;
}

/** Field names of a list (`a, b c`), skipping commas. */
export function fieldList(tokens: ArgToken[]): string[] {
  return tokens.filter((t) => t.kind === 'word').map((t) => t.value);
}
