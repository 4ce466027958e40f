/**
 * String tests chosen at compile time (Hayabusa's fast_match): equality through a set, prefixes
 * and suffixes through per-length sets when there are many, substrings through Aho-Corasick when
 * there are many, wildcard patterns as anchored literal segments, and a backtracking-free glob
 * matcher only when a pattern has `?`. Case-insensitive tests receive lower-cased text and were
 * built from lower-cased values, so no test lower-cases anything while matching.
 */
import type { Pattern, Wildcard } from '../model/index.js';
import { AhoCorasick } from './aho-corasick.js';

export type StrTest = (s: string) => boolean;

/** Above these counts, a set or an automaton beats a loop of `startsWith` / `includes`. */
const AFFIX_SET_MIN = 6;
const AC_MIN = 4;

export function eqTest(values: readonly string[]): StrTest {
  if (values.length === 1) {
    const v = values[0]!;
    return (s) => s === v;
  }
  const set = new Set(values);
  return (s) => set.has(s);
}

export function startsTest(values: readonly string[]): StrTest {
  if (values.length === 1) {
    const v = values[0]!;
    return (s) => s.startsWith(v);
  }
  if (values.length < AFFIX_SET_MIN) return (s) => values.some((v) => s.startsWith(v));
  const byLength = affixSets(values);
  return (s) => {
    for (const [len, set] of byLength) if (len <= s.length && set.has(s.slice(0, len))) return true;
    return false;
  };
}

export function endsTest(values: readonly string[]): StrTest {
  if (values.length === 1) {
    const v = values[0]!;
    return (s) => s.endsWith(v);
  }
  if (values.length < AFFIX_SET_MIN) return (s) => values.some((v) => s.endsWith(v));
  const byLength = affixSets(values);
  return (s) => {
    for (const [len, set] of byLength) if (len <= s.length && set.has(s.slice(s.length - len))) return true;
    return false;
  };
}

export function containsTest(values: readonly string[]): StrTest {
  if (values.length === 1) {
    const v = values[0]!;
    return (s) => s.includes(v);
  }
  if (values.length < AC_MIN) return (s) => values.some((v) => s.includes(v));
  // Built on first use: behind the prefilter, most rules' automata are never needed.
  let ac: AhoCorasick | undefined;
  return (s) => (ac ??= new AhoCorasick(values)).some(s);
}

/** Every value must be a substring (`|contains|all`). */
export function containsAllTest(values: readonly string[]): StrTest {
  if (values.length < AC_MIN) return (s) => values.every((v) => s.includes(v));
  const unique = [...new Set(values)];
  let ac: AhoCorasick | undefined;
  const seen = new Uint8Array(unique.length);
  return (s) => {
    seen.fill(0);
    let found = 0;
    (ac ??= new AhoCorasick(unique)).forEach(s, (p) => {
      if (!seen[p]) {
        seen[p] = 1;
        found++;
      }
    });
    return found === unique.length;
  };
}

function affixSets(values: readonly string[]): Array<[number, Set<string>]> {
  const m = new Map<number, Set<string>>();
  for (const v of values) {
    let set = m.get(v.length);
    if (!set) m.set(v.length, (set = new Set()));
    set.add(v);
  }
  return [...m.entries()].sort((a, b) => a[0] - b[0]);
}

type Token = string | Wildcard;

/** Merges adjacent literals and runs of `*`, lower-casing literals when asked. */
export function normalizePattern(p: Pattern, lower: boolean): Token[] {
  const out: Token[] = [];
  for (const part of p.pattern) {
    if (typeof part === 'string') {
      if (part === '') continue;
      const text = lower ? part.toLowerCase() : part;
      const last = out[out.length - 1];
      if (typeof last === 'string') out[out.length - 1] = last + text;
      else out.push(text);
    } else {
      const last = out[out.length - 1];
      if (part.wildcard === 'any' && typeof last === 'object' && last.wildcard === 'any') continue;
      out.push(part);
    }
  }
  return out;
}

/** A test for a whole-field wildcard pattern. */
export function patternTest(p: Pattern, lower: boolean): StrTest {
  const tokens = normalizePattern(p, lower);
  if (tokens.some((t) => typeof t === 'object' && t.wildcard === 'one')) return globTest(tokens);
  // Only `*`: literal segments, the first anchored at the start and the last at the end.
  if (tokens.length === 0) return (s) => s === '';
  const startsAny = typeof tokens[0] !== 'string';
  const endsAny = typeof tokens[tokens.length - 1] !== 'string';
  const segs = tokens.filter((t): t is string => typeof t === 'string');
  if (segs.length === 0) return () => true;
  if (segs.length === 1 && !startsAny && !endsAny) {
    const v = segs[0]!;
    return (s) => s === v;
  }
  const head = startsAny ? '' : segs.shift()!;
  const tail = endsAny || segs.length === 0 ? '' : segs.pop()!;
  const minLength = head.length + tail.length + segs.reduce((n, x) => n + x.length, 0);
  if (segs.length === 0) return (s) => s.length >= minLength && s.startsWith(head) && s.endsWith(tail);
  if (segs.length === 1 && !head && !tail) {
    const v = segs[0]!;
    return (s) => s.includes(v);
  }
  return (s) => {
    if (s.length < minLength || !s.startsWith(head) || !s.endsWith(tail)) return false;
    let at = head.length;
    const limit = s.length - tail.length;
    for (const seg of segs) {
      const i = s.indexOf(seg, at);
      if (i < 0 || i + seg.length > limit) return false;
      at = i + seg.length;
    }
    return true;
  };
}

/**
 * `*` and `?` over code units, by the classic two-pointer method: on a mismatch, retry from the
 * last `*` one character further. Worst case O(text × pattern), never exponential.
 */
function globTest(tokens: Token[]): StrTest {
  // Flatten to code units: -1 is `*`, -2 is `?`.
  const pat: number[] = [];
  for (const t of tokens) {
    if (typeof t === 'string') for (let i = 0; i < t.length; i++) pat.push(t.charCodeAt(i));
    else pat.push(t.wildcard === 'any' ? -1 : -2);
  }
  const m = pat.length;
  return (s) => {
    let i = 0;
    let j = 0;
    let star = -1;
    let mark = 0;
    while (i < s.length) {
      const pj = j < m ? pat[j]! : -3;
      if (pj === -2 || pj === s.charCodeAt(i)) {
        i++;
        j++;
      } else if (pj === -1) {
        star = j++;
        mark = i;
      } else if (star >= 0) {
        j = star + 1;
        i = ++mark;
      } else return false;
    }
    while (j < m && pat[j] === -1) j++;
    return j === m;
  };
}

/** The longest literal run of a pattern (what the prefilter can look for), lower-cased if asked. */
export function longestLiteral(p: Pattern, lower: boolean): string {
  let best = '';
  for (const t of normalizePattern(p, lower)) if (typeof t === 'string' && t.length > best.length) best = t;
  return best;
}
