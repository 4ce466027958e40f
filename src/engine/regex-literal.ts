/**
 * The longest run of literal characters every match of a regular expression must contain, for
 * the prefilter: `\w+`(\w+|-|.)`` needs "`", `(?i)invoke-expression\s` needs "invoke-expression".
 * Conservative: top-level alternation, lookarounds and anything unusual give no literal (null).
 */
export function requiredLiteral(source: string): string | null {
  let best = '';
  let run = '';
  const flush = (): void => {
    if (run.length > best.length) best = run;
    run = '';
  };
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '|') return null;
    if (c === '\\') {
      const n = source[i + 1];
      if (n === undefined) return null;
      if (/[^A-Za-z0-9]/.test(n)) {
        i += 2;
        i = quantified(source, i, n, (lit) => (run += lit), flush);
        continue;
      }
      // Classes (\d, \w, \s, \b ...), escapes with payloads (\x41, \u0041, \k<name>), backreferences.
      flush();
      i += 2;
      if (n === 'x') i += 2;
      else if (n === 'u') i += source[i] === '{' ? source.indexOf('}', i) + 1 - i : 4;
      else if (n === 'k' && source[i] === '<') i = source.indexOf('>', i) + 1;
      else if (n === 'c') i += 1;
      else if (n === 'p' || n === 'P') i = source[i] === '{' ? source.indexOf('}', i) + 1 : i;
      if (i <= 0) return null;
      i = skipQuantifier(source, i);
      continue;
    }
    if (c === '[') {
      flush();
      const end = classEnd(source, i);
      if (end < 0) return null;
      i = skipQuantifier(source, end);
      continue;
    }
    if (c === '(') {
      if (source.startsWith('(?=', i) || source.startsWith('(?!', i) || source.startsWith('(?<=', i) || source.startsWith('(?<!', i)) {
        flush();
        const end = groupEnd(source, i);
        if (end < 0) return null;
        i = end;
        continue;
      }
      flush();
      const end = groupEnd(source, i);
      if (end < 0) return null;
      i = skipQuantifier(source, end);
      continue;
    }
    if (c === ')' ) return null;
    if (c === '.' || c === '^' || c === '$') {
      flush();
      i = skipQuantifier(source, i + 1);
      continue;
    }
    if (c === '*' || c === '+' || c === '?' || c === '{') return null;
    i = quantified(source, i + 1, c, (lit) => (run += lit), flush);
  }
  flush();
  return best || null;
}

/** Handles a literal character followed (or not) by a quantifier; returns the next index. */
function quantified(source: string, i: number, lit: string, add: (s: string) => void, flush: () => void): number {
  const q = source[i];
  if (q === '*' || q === '?' || (q === '{' && /^\{0*(,\d*)?\}/.test(source.slice(i)))) {
    // Optional: the run stops before it.
    flush();
    return skipQuantifier(source, i);
  }
  if (q === '+' || q === '{') {
    // Required at least once: it ends the run.
    add(lit);
    flush();
    return skipQuantifier(source, i);
  }
  add(lit);
  return i;
}

function skipQuantifier(source: string, i: number): number {
  const q = source[i];
  let j = i;
  if (q === '*' || q === '+' || q === '?') j = i + 1;
  else if (q === '{') {
    const m = /^\{\d*(,\d*)?\}/.exec(source.slice(i));
    if (m) j = i + m[0].length;
  }
  if (j > i && (source[j] === '?' || source[j] === '+')) j++;
  return j;
}

function classEnd(source: string, i: number): number {
  let j = i + 1;
  if (source[j] === '^') j++;
  if (source[j] === ']') j++;
  for (; j < source.length; j++) {
    if (source[j] === '\\') j++;
    else if (source[j] === ']') return j + 1;
  }
  return -1;
}

function groupEnd(source: string, i: number): number {
  let depth = 0;
  for (let j = i; j < source.length; j++) {
    const c = source[j];
    if (c === '\\') j++;
    else if (c === '[') {
      const e = classEnd(source, j);
      if (e < 0) return -1;
      j = e - 1;
    } else if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) return j + 1;
    }
  }
  return -1;
}

/**
 * A regex that is only literal segments joined by `.*` (`\+.*\+.*\+`, `foo.*bar`), as its
 * segments; such a regex matches exactly when the segments occur in order within one line
 * (within the text with the `s` flag). Rules write these to count characters, and a
 * backtracking engine takes polynomial time on them; `indexOf` takes linear time. Null for
 * anything else, and for case-insensitive segments outside ASCII.
 */
export function literalSequence(source: string, flags: string): string[] | null {
  const segments: string[] = [];
  let cur = '';
  let i = 0;
  if (source.startsWith('.*')) i = 2;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '\\') {
      const n = source[i + 1];
      if (n === undefined || /[A-Za-z0-9]/.test(n)) return null;
      cur += n;
      i += 2;
    } else if (c === '.' && source[i + 1] === '*' && source[i + 2] !== '?' && source[i + 2] !== '+') {
      if (cur) segments.push(cur);
      cur = '';
      i += 2;
    } else if ('^$.*+?()[]{}|/'.includes(c)) return null;
    else {
      cur += c;
      i++;
    }
  }
  if (cur) segments.push(cur);
  if (segments.length < 2) return null;
  if (flags.includes('i')) {
    if (segments.some((s) => /[^ -~\t\n\r]/.test(s))) return null;
    return segments.map((s) => s.toLowerCase());
  }
  return segments;
}

const LINE_BREAK = /[\n\r\u2028\u2029]/;

/** The test for {@link literalSequence}'s segments (`lower`: the text is given lower-cased). */
export function sequenceTest(segments: readonly string[], dotAll: boolean): (s: string) => boolean {
  const inOrder = (s: string, from: number, to: number): boolean => {
    let at = from;
    for (const seg of segments) {
      const i = s.indexOf(seg, at);
      if (i < 0 || i + seg.length > to) return false;
      at = i + seg.length;
    }
    return true;
  };
  if (dotAll) return (s) => inOrder(s, 0, s.length);
  return (s) => {
    if (!LINE_BREAK.test(s)) return inOrder(s, 0, s.length);
    for (const line of s.split(/\r\n|[\n\r\u2028\u2029]/)) if (inOrder(line, 0, line.length)) return true;
    return false;
  };
}
