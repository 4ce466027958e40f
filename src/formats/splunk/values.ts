import type { MatchOperator, Pattern, Value, Wildcard } from '../../model/index.js';

/** A value with its operator, after reading wildcards. `exists` is a bare `*` (any value). */
export type Classified = { operator: Exclude<MatchOperator, 'regex' | 'cidr'>; value: Value } | { operator: 'exists' };

const ANY: Wildcard = { wildcard: 'any' };
const ONE: Wildcard = { wildcard: 'one' };

/** Decimal integers become numbers (as Sigma's YAML does), so `EventCode=4688` is one indicator across formats. */
export function scalarValue(text: string): string | number {
  return /^-?(0|[1-9]\d{0,14})$/.test(text) ? Number(text) : text;
}

/**
 * Splits text on wildcard characters into a typed pattern; `wild` says which characters are
 * wildcards and what they mean (`*` in search, `%` and `_` in like()). `escape` marks characters
 * that are literal (like()'s `\%`).
 */
export function toParts(text: string, wild: Record<string, Wildcard>, escape = false): Array<string | Wildcard> {
  if (!escape && !Object.keys(wild).some((w) => text.includes(w))) return text ? [text] : [];
  const parts: Array<string | Wildcard> = [];
  let lit = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (escape && c === '\\' && i + 1 < text.length && wild[text[i + 1]!]) {
      lit += text[++i]!;
      continue;
    }
    const w = wild[c];
    if (w) {
      if (lit) parts.push(lit);
      lit = '';
      // `**` is one `*`.
      const prev = parts[parts.length - 1];
      if (!(w === ANY && typeof prev === 'object' && prev.wildcard === 'any')) parts.push(w);
    } else lit += c;
  }
  if (lit) parts.push(lit);
  return parts;
}

/**
 * The operator and value for a list of parts matched against a whole field: wildcards only at the
 * ends become `contains` / `startswith` / `endswith`, none `eq`, anything else a `wildcard` pattern.
 */
export function classifyParts(parts: Array<string | Wildcard>, numeric = true): Classified {
  const anyAt = (k: number): boolean => {
    const p = parts[k];
    return typeof p === 'object' && p.wildcard === 'any';
  };
  if (parts.length === 0) return { operator: 'eq', value: '' };
  if (parts.every((p) => typeof p === 'object' && p.wildcard === 'any')) return { operator: 'exists' };
  const lead = anyAt(0);
  const trail = anyAt(parts.length - 1);
  const inner = parts.slice(lead ? 1 : 0, trail ? parts.length - 1 : parts.length);
  if (inner.length === 1 && typeof inner[0] === 'string') {
    const text = inner[0];
    if (lead && trail) return { operator: 'contains', value: text };
    if (lead) return { operator: 'endswith', value: text };
    if (trail) return { operator: 'startswith', value: text };
    return { operator: 'eq', value: numeric ? scalarValue(text) : text };
  }
  const pattern: Pattern = { pattern: parts };
  return { operator: 'wildcard', value: pattern };
}

/** A search-language value (`*` is the only wildcard; SPL has no single-character wildcard). */
export function classifySearchValue(text: string): Classified {
  return classifyParts(toParts(text, { '*': ANY }));
}

/** A like() pattern: `%` any run, `_` one character, `\%` / `\_` literal. Never numeric. */
export function classifyLike(text: string): Classified {
  return classifyParts(toParts(text, { '%': ANY, _: ONE }, true), false);
}

/**
 * A bare search term over the whole event: Splunk matches indexed terms, which RuleAtlas reads as
 * "the text occurs in the event", so wildcards at the ends add nothing; inner ones make a pattern
 * open at both ends.
 */
export function classifyTerm(text: string): { operator: 'contains' | 'wildcard'; value: Value } {
  const parts = toParts(text, { '*': ANY });
  while (parts.length && typeof parts[0] === 'object') parts.shift();
  while (parts.length && typeof parts[parts.length - 1] === 'object') parts.pop();
  if (parts.length === 0) return { operator: 'wildcard', value: { pattern: [ANY] } };
  if (parts.length === 1) return { operator: 'contains', value: parts[0] as string };
  return { operator: 'wildcard', value: { pattern: [ANY, ...parts, ANY] } };
}

/** Whether text is a number SPL would compare numerically. */
export function numericLiteral(text: string): number | null {
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(text)) return null;
  return Number(text);
}
