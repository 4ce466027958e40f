import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { findUp } from '../find-up.js';
import { getPair, parseYamlDocuments, toPlain } from '../yaml/index.js';
import { isComment, skipComment, skipString } from './text.js';

/**
 * SPL search macros: `name` or `name(arg, ...)` between backticks, expanded textually before the
 * search is parsed, exactly as Splunk does (a macro's text is pasted in place, no parentheses
 * added, so `a `m` b` with `m` = `x OR y` reads `a x OR y b`).
 */
export interface MacroDefinition {
  name: string;
  /** Argument names, substituted where the definition says `$name$`. */
  args: string[];
  definition: string;
  description?: string;
  /** The file it was read from, or `builtin`. */
  file?: string;
}

/** Macros by key: `name` for macros without arguments, `name(N)` for N arguments (Splunk's own convention). */
export type MacroTable = Map<string, MacroDefinition>;

export function macroKey(name: string, arity: number): string {
  return arity === 0 ? name : `${name}(${arity})`;
}

/**
 * Formatting macros every Security Content search uses, with the definitions Splunk ships
 * (ES Content Update / SA-Utils). Used only when the corpus does not define them: this corpus has
 * no `drop_dm_object_name`.
 */
export const BUILTIN_MACROS: readonly MacroDefinition[] = [
  { name: 'drop_dm_object_name', args: ['object'], definition: 'rename $object$.* AS *', file: 'builtin' },
  { name: 'security_content_ctime', args: ['field'], definition: 'convert timeformat="%Y-%m-%dT%H:%M:%S" ctime($field$)', file: 'builtin' },
  { name: 'security_content_summariesonly', args: [], definition: 'summariesonly=false allow_old_summaries=true fillnull_value=null', file: 'builtin' },
];

/** Reads one macro YAML file (`name`, `definition`, optional `arguments`, `description`). */
export function readMacroFile(text: string, file: string): MacroDefinition | null {
  const doc = parseYamlDocuments(text)[0];
  if (!doc || !doc.root || doc.root.kind !== 'map' || doc.errors.length) return null;
  const name = getPair(doc.root, 'name');
  const def = getPair(doc.root, 'definition');
  if (!name?.value || name.value.kind !== 'scalar' || !def?.value || def.value.kind !== 'scalar') return null;
  const argsNode = getPair(doc.root, 'arguments');
  const args = argsNode?.value ? toPlain(argsNode.value) : [];
  const description = getPair(doc.root, 'description');
  const out: MacroDefinition = {
    name: String(name.value.value),
    args: Array.isArray(args) ? args.map(String) : [],
    definition: String(def.value.value ?? ''),
    file,
  };
  if (description?.value?.kind === 'scalar' && description.value.value !== null) out.description = String(description.value.value);
  return out;
}

/** Every macro of a Security Content `macros/` folder. */
export function loadMacros(dir: string): MacroTable {
  const table: MacroTable = new Map();
  for (const name of readdirSync(dir).sort()) {
    if (!/\.ya?ml$/.test(name)) continue;
    const file = join(dir, name);
    const m = readMacroFile(readFileSync(file, 'utf8'), file);
    if (m) table.set(macroKey(m.name, m.args.length), m);
  }
  return table;
}

const found = new Map<string, MacroTable | null>();

/**
 * The macros of the Security Content checkout a rule file belongs to: the `macros/` folder beside
 * one of the file's parent folders (`<root>/detections/endpoint/x.yml` → `<root>/macros`). Cached.
 */
export function findSplunkMacros(ruleFile: string): MacroTable | null {
  return findUp(ruleFile, found, (dir) => {
    const candidate = join(dir, 'macros');
    return existsSync(candidate) && statSync(candidate).isDirectory() ? loadMacros(candidate) : null;
  });
}

/** One backtick call found in a query or in a definition it expanded. */
export interface MacroCall {
  name: string;
  args: string[];
  /** Query offsets of the outermost call this one belongs to (backticks included). */
  start: number;
  end: number;
  /** Offsets of this call's own text in the expanded query, when it stayed there (not expanded). */
  outStart: number;
  outEnd: number;
  /**
   * `expanded` from the corpus; `builtin` from {@link BUILTIN_MACROS}; `assumed-empty` for an
   * undefined `*_filter` macro (Security Content's per-detection tuning hook, empty by convention);
   * `undefined` otherwise (kept in the text; the parser makes it opaque).
   */
  status: 'expanded' | 'builtin' | 'assumed-empty' | 'undefined';
  /** Why an `undefined` call was not expanded. */
  reason?: string;
  /** The outer macro whose definition holds this call. */
  parent?: string;
}

/** A region of the expanded text that is not the query's own text (a macro's expansion, a removed comment). */
export interface Region {
  outStart: number;
  outEnd: number;
  start: number;
  end: number;
  /** The macro expanded here; absent for a comment. */
  macro?: string;
}

export interface Expansion {
  text: string;
  regions: Region[];
  calls: MacroCall[];
}

const MAX_DEPTH = 20;
const CALL = /^\s*([\w.:-]+)\s*(?:\(([\s\S]*)\))?\s*$/;

/**
 * Expands every macro call of `query` (recursively, arguments substituted), removes ```comments```,
 * and records where each expansion came from so spans can point at the call site.
 */
export function expandMacros(query: string, table: MacroTable | null | undefined): Expansion {
  const regions: Region[] = [];
  const calls: MacroCall[] = [];
  let out = '';
  let copyFrom = 0;
  let i = 0;
  const n = query.length;
  while (i < n) {
    const c = query.charCodeAt(i);
    if (c === 0x5c) {
      i += 2;
      continue;
    }
    if (c === 0x22) {
      i = skipString(query, i);
      continue;
    }
    if (c !== 0x60) {
      i++;
      continue;
    }
    out += query.slice(copyFrom, i);
    if (isComment(query, i)) {
      const end = skipComment(query, i);
      regions.push({ outStart: out.length, outEnd: out.length + 1, start: i, end });
      out += ' ';
      i = copyFrom = end;
      continue;
    }
    const close = query.indexOf('`', i + 1);
    if (close === -1) {
      copyFrom = i;
      i++;
      continue;
    }
    const end = close + 1;
    const res = resolveCall(query.slice(i + 1, close), table, [], i, end, calls, out.length);
    if (res === null) out += query.slice(i, end);
    else {
      regions.push({ outStart: out.length, outEnd: out.length + res.length, start: i, end, macro: query.slice(i + 1, close).trim().replace(/\s*\([\s\S]*$/, '') });
      out += res;
    }
    i = copyFrom = end;
  }
  out += query.slice(copyFrom);
  return { text: out, regions, calls };
}

/**
 * The expansion of one call, or null when it stays in the text (undefined, malformed, recursive).
 * `outBase` is where the call's text starts in the final expanded query.
 */
function resolveCall(
  inner: string,
  table: MacroTable | null | undefined,
  stack: string[],
  start: number,
  end: number,
  calls: MacroCall[],
  outBase: number,
): string | null {
  const m = CALL.exec(inner);
  const record = (name: string, args: string[], status: MacroCall['status'], reason?: string): void => {
    const call: MacroCall = { name, args, start, end, outStart: outBase, outEnd: outBase + inner.length + 2, status };
    if (reason) call.reason = reason;
    if (stack.length) call.parent = stack[stack.length - 1]!;
    calls.push(call);
  };
  if (!m) {
    record(inner.trim(), [], 'undefined', `\`${inner.trim()}\` is not a macro call (a name with optional (arguments))`);
    return null;
  }
  const name = m[1]!;
  const args = m[2] === undefined ? [] : splitArgs(m[2]);
  const key = macroKey(name, args.length);
  let def = table?.get(key);
  let status: MacroCall['status'] = 'expanded';
  if (!def) {
    def = BUILTIN_MACROS.find((b) => macroKey(b.name, b.args.length) === key);
    status = 'builtin';
  }
  if (!def) {
    if (name.endsWith('_filter')) {
      record(name, args, 'assumed-empty');
      return null;
    }
    const other = table ? [...table.values()].find((d) => d.name === name) : undefined;
    record(name, args, 'undefined', other ? `macro \`${name}\` takes ${other.args.length} argument(s), called with ${args.length}` : `macro \`${name}\` is not defined`);
    return null;
  }
  if (stack.includes(key) || stack.length >= MAX_DEPTH) {
    record(name, args, 'undefined', `macro \`${name}\` expands into itself`);
    return null;
  }
  record(name, args, status);
  let body = def.definition;
  if (def.args.length) body = body.replace(/\$(\w+)\$/g, (all, a: string) => {
    const k = def!.args.indexOf(a);
    return k === -1 ? all : args[k]!;
  });
  return expandNested(body, table, [...stack, key], start, end, calls, outBase);
}

function expandNested(body: string, table: MacroTable | null | undefined, stack: string[], start: number, end: number, calls: MacroCall[], outBase: number): string {
  let out = '';
  let copyFrom = 0;
  let i = 0;
  while (i < body.length) {
    const c = body.charCodeAt(i);
    if (c === 0x5c) {
      i += 2;
      continue;
    }
    if (c === 0x22) {
      i = skipString(body, i);
      continue;
    }
    if (c !== 0x60) {
      i++;
      continue;
    }
    out += body.slice(copyFrom, i);
    if (isComment(body, i)) {
      out += ' ';
      i = copyFrom = skipComment(body, i);
      continue;
    }
    const close = body.indexOf('`', i + 1);
    if (close === -1) {
      copyFrom = i;
      i++;
      continue;
    }
    const res = resolveCall(body.slice(i + 1, close), table, stack, start, end, calls, outBase + out.length);
    out += res ?? body.slice(i, close + 1);
    i = copyFrom = close + 1;
  }
  return out + body.slice(copyFrom);
}

/** Splits macro arguments at top-level commas (quotes and brackets protect commas). */
export function splitArgs(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') i = skipString(text, i) - 1;
    else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      out.push(text.slice(from, i).trim());
      from = i + 1;
    }
  }
  out.push(text.slice(from).trim());
  return out;
}
