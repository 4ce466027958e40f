import { parseSpl } from '../../../src/formats/splunk/index.js';
import type { MacroTable } from '../../../src/formats/splunk/index.js';
import type { Diagnostic, Stage } from '../../../src/model/index.js';
import { strip } from '../../helpers.js';

/** Parses inline SPL. */
export function spl(query: string, macros?: MacroTable): { stages: Stage[]; diagnostics: Diagnostic[] } {
  return parseSpl(query, macros ? { macros } : {});
}

/** The filter of stage `i` of a query, spans and labels stripped. */
export function filterOf(query: string, i = 0, macros?: MacroTable): unknown {
  const f = spl(query, macros).stages[i]?.filter;
  return f ? strip(f) : undefined;
}

/** The filter of `search <expr>` (the first stage), stripped. */
export function search(expr: string): unknown {
  return filterOf(expr);
}

/** The filter of `| where <expr>`'s stage, stripped. */
export function where(expr: string): unknown {
  return filterOf(`| where ${expr}`);
}

export function codes(query: string): string[] {
  return spl(query).diagnostics.map((d) => d.code);
}

export function macroTable(defs: Record<string, string | { args: string[]; definition: string }>): MacroTable {
  const t: MacroTable = new Map();
  for (const [name, d] of Object.entries(defs)) {
    const def = typeof d === 'string' ? { name, args: [], definition: d } : { name, ...d };
    t.set(def.args.length ? `${name}(${def.args.length})` : name, def);
  }
  return t;
}

// Small constructors for expected trees (spans and labels are stripped before comparing).
export const m = (field: string, operator: string, values: unknown[], caseSensitive = false): unknown => ({ kind: 'match', field, operator, values, all: false, caseSensitive });
export const kw = (value: unknown, operator = 'contains', caseSensitive = false): unknown => ({ kind: 'keyword', operator, values: [value], all: false, caseSensitive });
export const and = (...args: unknown[]): unknown => ({ kind: 'and', args });
export const or = (...args: unknown[]): unknown => ({ kind: 'or', args });
export const not = (arg: unknown): unknown => ({ kind: 'not', arg });
export const exists = (field: string): unknown => ({ kind: 'exists', field });
export const cmp = (field: string, op: string, value: number): unknown => ({ kind: 'compare', field, op, value });
export const any = { wildcard: 'any' };
export const one = { wildcard: 'one' };
