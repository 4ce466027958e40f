import { badRequest } from './errors.js';

/**
 * Query-parameter validation: each route declares its parameters once (name → parser), and a
 * request gets typed values or a 400 that names the parameter and what it accepts. API routes
 * refuse parameters they do not declare, so a misspelt filter never silently matches everything.
 */
export type Param<T> = (raw: string[] | undefined, name: string) => T;

export type ParamSpec = Record<string, Param<unknown>>;
export type Parsed<S extends ParamSpec> = { [K in keyof S]: ReturnType<S[K]> };

const MAX_PARAM_LENGTH = 500;

export function parseParams<S extends ParamSpec>(url: URL, spec: S, options: { strict: boolean }): Parsed<S> {
  const grouped = new Map<string, string[]>();
  for (const [k, v] of url.searchParams) {
    if (!(k in spec)) {
      if (options.strict) throw badRequest('unknown-parameter', `unknown query parameter '${k}' (this endpoint takes ${Object.keys(spec).join(', ') || 'none'})`, { parameter: k });
      continue;
    }
    if (v.length > MAX_PARAM_LENGTH) throw badRequest('invalid-parameter', `'${k}' is longer than ${MAX_PARAM_LENGTH} characters`, { parameter: k });
    const list = grouped.get(k) ?? [];
    list.push(v);
    grouped.set(k, list);
  }
  const out: Record<string, unknown> = {};
  for (const [name, parse] of Object.entries(spec)) out[name] = parse(grouped.get(name), name);
  return out as Parsed<S>;
}

function single(raw: string[] | undefined, name: string): string | undefined {
  if (!raw) return undefined;
  if (raw.length > 1) throw badRequest('invalid-parameter', `'${name}' is given ${raw.length} times; give it once`, { parameter: name });
  return raw[0] === '' ? undefined : raw[0];
}

export function int(options: { min: number; max: number; default: number }): Param<number> {
  return (raw, name) => {
    const v = single(raw, name);
    if (v === undefined) return options.default;
    if (!/^\d{1,9}$/.test(v)) throw badRequest('invalid-parameter', `'${name}' must be a whole number from ${options.min} to ${options.max}`, { parameter: name, value: v });
    const n = Number(v);
    if (n < options.min || n > options.max) throw badRequest('invalid-parameter', `'${name}' must be from ${options.min} to ${options.max}`, { parameter: name, value: v });
    return n;
  };
}

export function text(options: { max?: number; pattern?: RegExp; hint?: string } = {}): Param<string | undefined> {
  return (raw, name) => {
    const v = single(raw, name)?.trim();
    if (v === undefined || v === '') return undefined;
    if (options.max !== undefined && v.length > options.max) throw badRequest('invalid-parameter', `'${name}' is longer than ${options.max} characters`, { parameter: name });
    if (hasControlChars(v)) throw badRequest('invalid-parameter', `'${name}' contains control characters`, { parameter: name });
    if (options.pattern && !options.pattern.test(v)) throw badRequest('invalid-parameter', `'${name}' must be ${options.hint ?? `like ${options.pattern}`}`, { parameter: name, value: v });
    return v;
  };
}

export function oneOf<T extends string>(values: readonly T[]): Param<T | undefined> {
  return (raw, name) => {
    const v = single(raw, name);
    if (v === undefined) return undefined;
    if (!(values as readonly string[]).includes(v)) throw badRequest('invalid-parameter', `'${name}' must be one of ${values.join(', ')}`, { parameter: name, value: v });
    return v as T;
  };
}

export function withDefault<T>(param: Param<T | undefined>, fallback: T): Param<T> {
  return (raw, name) => param(raw, name) ?? fallback;
}

export function flag(): Param<boolean> {
  return (raw, name) => {
    const v = single(raw, name);
    if (v === undefined) return false;
    if (v === '1' || v === 'true') return true;
    if (v === '0' || v === 'false') return false;
    throw badRequest('invalid-parameter', `'${name}' must be true or false`, { parameter: name, value: v });
  };
}

/** ATT&CK technique (`T1059`, `T1059.001`) or tactic id/shortname, upper-cased ids. */
export const TECHNIQUE = /^T\d{4}(\.\d{3})?$/i;
export const TACTIC = /^(TA\d{4}|[a-z][a-z-]{1,40})$/i;

/** Rule ids are `<source>:<native id>`: the source is a corpus folder name, the rest opaque text. */
const RULE_ID = /^[a-z][a-z0-9_-]{0,31}:.{1,400}$/s;

function hasControlChars(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/**
 * Validates a rule id from a URL. Ids are keys into the store, never file paths, but an id that
 * looks like a path walk (`..` segments, backslashes) is refused outright rather than looked up.
 */
export function ruleId(value: string): string {
  if (!RULE_ID.test(value) || hasControlChars(value)) throw badRequest('invalid-rule-id', 'a rule id is <source>:<native id>, e.g. sigma:ee37eb7c-a4e7-4cd5-8fa4-efa27f1c3f31', { value: value.slice(0, 100) });
  if (/(^|[/:\\])\.\.([/\\]|$)/.test(value) || value.includes('\\')) throw badRequest('invalid-rule-id', 'a rule id cannot contain path segments like ".."', { value: value.slice(0, 100) });
  return value;
}
