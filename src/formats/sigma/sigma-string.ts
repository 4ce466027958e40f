import type { Pattern, Wildcard } from '../../model/index.js';

/**
 * A Sigma string value while modifiers work on it: literal text and typed wildcards (pySigma's
 * `SigmaString`). Placeholders (`%name%`, only with `|expand`) are kept as their own parts.
 */
export type Part = string | Wildcard | { placeholder: string };

export const ANY: Wildcard = Object.freeze({ wildcard: 'any' }) as Wildcard;
export const ONE: Wildcard = Object.freeze({ wildcard: 'one' }) as Wildcard;

/**
 * Parses Sigma's escaping: `*` and `?` are wildcards; a backslash escapes `*`, `?` and itself and
 * is literal before anything else (`\\*` is a backslash then a wildcard, `\\\*` a backslash and a
 * star, `\\\\` two backslashes).
 */
export function parseSigmaString(s: string): Part[] {
  // Most values have no special character at all.
  if (s.indexOf('*') === -1 && s.indexOf('?') === -1 && s.indexOf('\\') === -1) return s ? [s] : [];
  const parts: Part[] = [];
  let lit = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') {
      const next = s[i + 1];
      if (next === '*' || next === '?' || next === '\\') {
        lit += next;
        i++;
      } else lit += c;
    } else if (c === '*' || c === '?') {
      if (lit) parts.push(lit);
      lit = '';
      parts.push(c === '*' ? ANY : ONE);
    } else lit += c;
  }
  if (lit) parts.push(lit);
  return parts;
}

export function isWildcard(p: Part): p is Wildcard {
  return typeof p === 'object' && 'wildcard' in p;
}

export function hasSpecial(parts: Part[]): boolean {
  return parts.some((p) => typeof p !== 'string');
}

/** The literal text of parts without wildcards or placeholders. */
export function plainText(parts: Part[]): string {
  return parts.map((p) => (typeof p === 'string' ? p : '')).join('');
}

/** Merges adjacent literals and collapses runs of `*` (which match the same strings). */
export function normalizeParts(parts: Part[]): Part[] {
  if (parts.length === 1 && typeof parts[0] === 'string') return parts;
  const out: Part[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (typeof p === 'string') {
      if (p === '') continue;
      if (typeof last === 'string') out[out.length - 1] = last + p;
      else out.push(p);
    } else if (isWildcard(p) && p.wildcard === 'any' && last !== undefined && isWildcard(last) && last.wildcard === 'any') {
      continue;
    } else out.push(p);
  }
  return out;
}

/**
 * Parses a value with `%name%` placeholders (for `|expand`). A backslash before `%` makes it
 * literal, as the spec's `\\%plain%name%` example shows.
 */
export function parseWithPlaceholders(raw: string): Part[] {
  const out: Part[] = [];
  let buf = '';
  const flush = (): void => {
    if (buf) out.push(...parseSigmaString(buf));
    buf = '';
  };
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\' && raw[i + 1] === '%') {
      buf += '%';
      i++;
      continue;
    }
    if (c === '%') {
      const end = raw.indexOf('%', i + 1);
      if (end > i + 1 && /^[\w.-]+$/.test(raw.slice(i + 1, end))) {
        flush();
        out.push({ placeholder: raw.slice(i + 1, end) });
        i = end;
        continue;
      }
    }
    buf += c;
  }
  flush();
  return out;
}

export type Classified =
  | { operator: 'eq' | 'contains' | 'startswith' | 'endswith'; value: string }
  | { operator: 'wildcard'; value: Pattern };

/**
 * The cheapest operator that expresses a pattern (Hayabusa's fast_match): no wildcard is `eq`,
 * `*x` is `endswith`, `x*` `startswith`, `*x*` `contains`; anything else stays a pattern.
 */
export function classify(parts: Part[]): Classified {
  const p = normalizeParts(parts) as Array<string | Wildcard>;
  const isAny = (x: string | Wildcard | undefined): boolean => x !== undefined && typeof x !== 'string' && x.wildcard === 'any';
  if (p.length === 0) return { operator: 'eq', value: '' };
  if (p.length === 1 && typeof p[0] === 'string') return { operator: 'eq', value: p[0] };
  if (p.length === 2 && isAny(p[0]) && typeof p[1] === 'string') return { operator: 'endswith', value: p[1] };
  if (p.length === 2 && typeof p[0] === 'string' && isAny(p[1])) return { operator: 'startswith', value: p[0] };
  if (p.length === 3 && isAny(p[0]) && typeof p[1] === 'string' && isAny(p[2])) return { operator: 'contains', value: p[1] };
  return { operator: 'wildcard', value: { pattern: p } };
}
