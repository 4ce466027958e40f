/**
 * Scanning primitives shared by the SPL scanners. Every function works on the whole (macro-expanded)
 * query with offsets, never on substrings, so the nodes built from them keep exact spans.
 */

/** Index just past the double-quoted string opening at `i` (backslash escapes the next character). */
export function skipString(s: string, i: number, end = s.length): number {
  let j = i + 1;
  while (j < end) {
    const c = s.charCodeAt(j);
    if (c === 0x5c /* \ */) j += 2;
    else if (c === 0x22 /* " */) return j + 1;
    else j++;
  }
  return end;
}

/** Whether the string opening at `i` is closed before `end`. */
export function stringClosed(s: string, i: number, end = s.length): boolean {
  const j = skipString(s, i, end);
  return j <= end && s.charCodeAt(j - 1) === 0x22 && j - 1 > i && !escapedAt(s, i + 1, j - 1);
}

function escapedAt(s: string, from: number, at: number): boolean {
  let n = 0;
  for (let k = at - 1; k >= from && s.charCodeAt(k) === 0x5c; k--) n++;
  return n % 2 === 1;
}

/** Index just past a ```comment``` opening at `i` (SPL comments are triple backticks). */
export function skipComment(s: string, i: number, end = s.length): number {
  const close = s.indexOf('```', i + 3);
  return close === -1 || close + 3 > end ? end : close + 3;
}

export function isComment(s: string, i: number): boolean {
  return s.startsWith('```', i);
}

/**
 * Index just past the bracket group opening at `i` (`(`, `[`), skipping strings and nested groups
 * of either kind. Returns -1 when the group is not closed before `end`.
 */
export function skipGroup(s: string, i: number, end = s.length): number {
  const stack: number[] = [];
  let j = i;
  while (j < end) {
    const c = s.charCodeAt(j);
    if (c === 0x5c /* \ */) {
      j += 2;
      continue;
    }
    if (c === 0x22) {
      j = skipString(s, j, end);
      continue;
    }
    if (c === 0x60 && isComment(s, j)) {
      j = skipComment(s, j, end);
      continue;
    }
    if (c === 0x28 || c === 0x5b) stack.push(c === 0x28 ? 0x29 : 0x5d);
    else if (c === 0x29 || c === 0x5d) {
      // A stray closer of the other kind inside a group is text (regexes in unquoted values).
      if (stack[stack.length - 1] === c) stack.pop();
      if (stack.length === 0) return j + 1;
    }
    j++;
  }
  return -1;
}

/** A [start, end) range of the query. */
export interface Range {
  start: number;
  end: number;
}

/**
 * Splits `[start, end)` at top-level `|`: not inside quotes, comments, `[...]` subsearches or
 * parentheses. Ranges are not trimmed.
 */
export function splitPipes(s: string, start: number, end: number): Range[] {
  const out: Range[] = [];
  let from = start;
  let j = start;
  while (j < end) {
    const c = s.charCodeAt(j);
    // Outside a string a backslash escapes the next character (`*\"privileged\":true*`).
    if (c === 0x5c) j += 2;
    else if (c === 0x22) j = skipString(s, j, end);
    else if (c === 0x60 && isComment(s, j)) j = skipComment(s, j, end);
    else if (c === 0x28 || c === 0x5b) {
      // An unclosed bracket is text: the pipes after it still split stages.
      const g = skipGroup(s, j, end);
      j = g === -1 ? j + 1 : g;
    } else if (c === 0x7c /* | */) {
      out.push({ start: from, end: j });
      from = ++j;
    } else j++;
  }
  out.push({ start: from, end: Math.max(from, end) });
  return out;
}

export function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** Skips whitespace and ```comments```. */
export function skipBlank(s: string, i: number, end: number): number {
  let j = i;
  while (j < end) {
    const c = s.charCodeAt(j);
    if (isSpace(c)) j++;
    else if (c === 0x60 && isComment(s, j)) j = skipComment(s, j, end);
    else break;
  }
  return j;
}

/** Trims whitespace and comments from both ends of a range. */
export function trimRange(s: string, r: Range): Range {
  const start = skipBlank(s, r.start, r.end);
  let end = r.end;
  for (;;) {
    while (end > start && isSpace(s.charCodeAt(end - 1))) end--;
    // A trailing comment: find its opening ``` (comments do not nest).
    if (end - start >= 6 && s.startsWith('```', end - 3)) {
      const open = s.lastIndexOf('```', end - 4);
      if (open >= start) {
        end = open;
        continue;
      }
    }
    return { start, end };
  }
}

/**
 * The value of a double-quoted SPL string (`raw` includes the quotes): `\\` is a backslash, `\"` a
 * quote; any other backslash stays as written (`"C:\Windows"` is the path it looks like).
 */
export function unquote(raw: string): string {
  const inner = raw.length >= 2 && raw.endsWith('"') && !rawEndsEscaped(raw) ? raw.slice(1, -1) : raw.slice(1);
  return unescapeBackslashes(inner);
}

function rawEndsEscaped(raw: string): boolean {
  let n = 0;
  for (let k = raw.length - 2; k >= 1 && raw.charCodeAt(k) === 0x5c; k--) n++;
  return n % 2 === 1;
}

export function unescapeBackslashes(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\([\\"])/g, '$1');
}
