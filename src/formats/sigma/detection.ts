import type { DiagnosticSink, Expr, KeywordExpr, MatchExpr, Span, Value } from '../../model/index.js';
import { describeNode, keyText, yaml11Reading, type YNode, type YScalar } from '../yaml/index.js';
import { translateRegex } from '../../model/regex.js';
import { closest } from '../../model/suggest.js';
import { MODIFIERS, MODIFIER_NAMES, ModifierError, type Groups, type ItemState, type Val } from './modifiers.js';
import { classify, isWildcard, normalizeParts, parseSigmaString, type Part } from './sigma-string.js';

/**
 * Turns one search identifier of a Sigma `detection` section into an {@link Expr}: maps are AND,
 * lists of maps OR, value lists OR (AND with `|all`), plain lists and strings are keywords.
 */
export function searchIdentifierExpr(name: string, node: YNode | null, nameSpan: Span, sink: DiagnosticSink): Expr {
  const expr = identifierBody(node, nameSpan, sink, name);
  return { ...expr, label: name };
}

function identifierBody(node: YNode | null, nameSpan: Span, sink: DiagnosticSink, name: string): Expr {
  if (node === null || (node.kind === 'scalar' && node.value === null)) {
    sink.error('sigma.empty-detection', `search identifier '${name}' is empty`, node ?? nameSpan);
    return opaque(node ? spanOf(node) : nameSpan, '', `search identifier '${name}' is empty`);
  }
  if (node.kind === 'map') return mapExpr(node, sink);
  if (node.kind === 'seq') {
    if (node.items.length === 0) {
      sink.error('sigma.empty-detection', `search identifier '${name}' is an empty list`, node);
      return opaque(spanOf(node), '', 'empty list');
    }
    // A list of plain values is one keyword search; maps inside it are alternatives.
    const scalars = node.items.filter((i): i is YScalar => i !== null && i.kind === 'scalar');
    const others = node.items.filter((i) => i === null || i.kind !== 'scalar');
    const args: Expr[] = [];
    if (scalars.length) args.push(itemExpr(null, [], scalars.length === node.items.length ? node : null, scalars, spanOf(node), sink));
    for (const o of others) {
      if (o && o.kind === 'map') args.push(mapExpr(o, sink));
      else {
        sink.error('sigma.detection-type', `a list inside search identifier '${name}' holds ${describeNode(o)}; expected maps or plain values`, o ?? node);
        args.push(opaque(o ? spanOf(o) : spanOf(node), '', 'nested list'));
      }
    }
    return args.length === 1 ? args[0]! : { kind: 'or', args, span: spanOf(node) };
  }
  return itemExpr(null, [], node, [node], spanOf(node), sink);
}

function mapExpr(node: Extract<YNode, { kind: 'map' }>, sink: DiagnosticSink): Expr {
  const args: Expr[] = [];
  if (node.pairs.length === 0) {
    sink.error('sigma.empty-detection', 'an empty map in a detection', node);
    return opaque(spanOf(node), '', 'empty map');
  }
  for (const pair of node.pairs) {
    const key = keyText(pair);
    const [field, ...mods] = key.split('|');
    const keySpan = spanOf(pair.key);
    const value = pair.value;
    let values: Array<YNode | null>;
    if (value === null) values = [null];
    else if (value.kind === 'seq') values = value.items;
    else values = [value];
    const itemSpan = { start: keySpan.start, end: value ? value.end : keySpan.end };
    args.push(itemExpr(field === '' ? null : field!, mods, value, values, itemSpan, sink, keySpan));
  }
  return args.length === 1 ? args[0]! : { kind: 'and', args, span: spanOf(node) };
}

/** One detection item: a field (or keywords, when `field` is null) with modifiers and values. */
function itemExpr(
  field: string | null,
  mods: string[],
  valueNode: YNode | null,
  values: Array<YNode | null>,
  span: Span,
  sink: DiagnosticSink,
  keySpan: Span = span,
): Expr {
  const fieldText = field ?? 'keywords';
  if (values.length === 0) {
    sink.error('sigma.empty-values', `'${fieldText}' has an empty list of values`, valueNode ?? keySpan);
    return opaque(span, '', 'empty value list');
  }
  const groups: Groups = [];
  for (const v of values) {
    const val = scalarVal(v, fieldText, sink);
    if (!val) return opaque(span, '', 'value of an unsupported type');
    groups.push([val]);
  }
  const state: ItemState = { field, groups, all: false, cased: false, negate: false, transforms: [], applied: [] };
  for (const mod of mods) {
    if (mod === '') {
      sink.warning('sigma.empty-modifier', `empty modifier in '${[field ?? '', ...mods].join('|')}'`, keySpan);
      continue;
    }
    const step = MODIFIERS[mod];
    if (!step) {
      const hint = closest(mod, MODIFIER_NAMES);
      sink.error('sigma.unknown-modifier', `unknown modifier '${mod}'${hint ? ` (did you mean '${hint}'?)` : ''}`, keySpan);
      return opaque(span, '', `unknown modifier '${mod}'`);
    }
    try {
      step(state, mod);
    } catch (e) {
      if (!(e instanceof ModifierError)) throw e;
      sink.error(e.code, e.message, keySpan);
      return opaque(span, '', e.message);
    }
    state.applied.push(mod);
  }
  if (state.all && values.length === 1 && !(field === null)) {
    sink.warning('sigma.all-single-value', `'|all' on a single value of '${fieldText}' has no effect`, keySpan);
  }
  if (values.length > 1 && state.groups.some((g) => g.some((v) => v.t === 'null'))) {
    sink.warning('sigma.null-in-list', `null inside a list of values of '${fieldText}': put 'null' in its own search identifier`, valueNode ?? keySpan);
  }
  const expr = buildExpr(state, span, mods, sink, keySpan);
  return state.negate ? { kind: 'not', arg: expr, span } : expr;
}

function scalarVal(node: YNode | null, field: string, sink: DiagnosticSink): Val | null {
  if (node === null) return { t: 'null' };
  if (node.kind !== 'scalar') {
    sink.error('sigma.detection-type', `value of '${field}' is ${describeNode(node)}; expected a string, number, boolean or null`, node);
    return null;
  }
  const v = node.value;
  if (node.style === 'plain' && node.raw !== undefined) {
    const y11 = yaml11Reading(node.raw);
    if (y11) sink.info('sigma.yaml11-coercion', `'${node.raw}' is read as the string '${node.raw}' (YAML 1.2); YAML 1.1 readers such as pySigma read ${y11}. Quote it to make the intent explicit`, node);
  }
  if (v === null) return { t: 'null' };
  if (typeof v === 'boolean') return { t: 'bool', b: v };
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return { t: 'str', parts: [node.raw ?? String(v)], binary: false, raw: node.raw ?? String(v) };
    return { t: 'num', n: v, raw: node.raw ?? String(v) };
  }
  return { t: 'str', parts: parseSigmaString(v), binary: false, raw: v };
}

// ---- building the expression --------------------------------------------------------------

type Leaf = { key: string; make: (values: Value[], all: boolean) => Expr; value?: Value };

function buildExpr(s: ItemState, span: Span, mods: string[], sink: DiagnosticSink, keySpan: Span): Expr {
  const origin = s.transforms.length ? { transforms: [...new Set(s.transforms)] } : {};
  const leafOf = (v: Val): Leaf => leaf(v, s, span, mods, origin, sink, keySpan);
  const combine = (leaves: Leaf[], all: boolean): Expr => {
    // Values that share an operator become one match with a value list.
    const buckets = new Map<string, Leaf[]>();
    for (const l of leaves) {
      const b = buckets.get(l.key);
      if (b) b.push(l);
      else buckets.set(l.key, [l]);
    }
    const args: Expr[] = [];
    for (const b of buckets.values()) {
      if (b[0]!.value === undefined) for (const l of b) args.push(l.make([], all));
      else args.push(b[0]!.make(dedupe(b.map((l) => l.value!)), all));
    }
    if (args.length === 1) return args[0]!;
    return { kind: all ? 'and' : 'or', args, span };
  };
  if (!s.all || s.groups.every((g) => g.length === 1)) {
    return combine(
      s.groups.flatMap((g) => g.map(leafOf)),
      s.all,
    );
  }
  // `|all` with expansions: every original value must match, through any of its variants.
  const args = s.groups.map((g) => combine(g.map(leafOf), false));
  return args.length === 1 ? args[0]! : { kind: 'and', args, span };
}

function dedupe(values: Value[]): Value[] {
  if (values.length < 2) return values;
  const seen = new Set<string>();
  const out: Value[] = [];
  for (const v of values) {
    const k = typeof v === 'string' ? 's' + v : v !== null && typeof v === 'object' ? 'p' + JSON.stringify(v) : typeof v + String(v);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(v);
  }
  return out;
}

function leaf(v: Val, s: ItemState, span: Span, mods: string[], origin: { transforms?: MatchExpr['transforms'] }, sink: DiagnosticSink, keySpan: Span): Leaf {
  const field = s.field;
  const modText = mods.filter(Boolean);
  const match = (operator: MatchExpr['operator'], extra: Partial<MatchExpr> = {}) => (values: Value[], all: boolean): Expr => {
    if (field === null) return keyword(operator, values, all, s.cased || extra.caseSensitive === true, span, extra, origin);
    return { kind: 'match', field, operator, values, all, caseSensitive: s.cased, span, ...origin, ...extra };
  };
  switch (v.t) {
    case 'str': {
      const placeholders = v.parts.filter((p): p is { placeholder: string } => typeof p === 'object' && 'placeholder' in p).map((p) => p.placeholder);
      const parts: Part[] = v.parts.map((p) => (typeof p === 'object' && 'placeholder' in p ? { wildcard: 'any' as const } : p));
      const c = classify(normalizeParts(parts));
      const extra: Partial<MatchExpr> = placeholders.length ? { placeholders } : {};
      return { key: `s:${c.operator}:${placeholders.join(',')}`, value: c.value, make: match(c.operator, extra) };
    }
    case 'num':
      return { key: 'n:eq', value: v.n, make: match('eq') };
    case 'bool':
      return { key: 'b:eq', value: v.b, make: match('eq') };
    case 'null':
      return { key: 'null', value: null, make: match('eq') };
    case 're': {
      checkRegex(v.src, v.flags, sink, keySpan);
      const extra: Partial<MatchExpr> = { flags: v.flags, caseSensitive: !v.flags.includes('i') };
      return { key: `re:${v.flags}`, value: v.src, make: match('regex', extra) };
    }
    case 'cidr':
      return { key: 'cidr', value: v.net, make: match('cidr') };
    case 'part':
      return { key: `part:${v.part}`, value: v.n, make: match('eq', { part: v.part }) };
    case 'cmp': {
      const partMod = modText.find((m) => ['minute', 'hour', 'day', 'week', 'month', 'year'].includes(m));
      return {
        key: `cmp:${v.op}:${v.n}`,
        make: () => ({ kind: 'compare', field: field ?? '', op: v.op, value: v.n, span, ...(partMod ? { part: partMod as MatchExpr['part'] } : {}) }),
      };
    }
    case 'exists':
      return {
        key: `exists:${v.b}`,
        make: () => {
          const e: Expr = { kind: 'exists', field: field ?? '', span };
          return v.b ? e : { kind: 'not', arg: e, span };
        },
      };
    case 'fieldref': {
      // `starts` means a wildcard at the start: the value must be at the end (endswith), and the reverse.
      const operator = v.starts && v.ends ? 'contains' : v.starts ? 'endswith' : v.ends ? 'startswith' : 'eq';
      return { key: `ref:${v.field}:${operator}`, make: () => ({ kind: 'fieldref', field: field ?? '', operator, other: v.field, caseSensitive: s.cased, span }) };
    }
  }
}

function keyword(
  operator: MatchExpr['operator'],
  values: Value[],
  all: boolean,
  caseSensitive: boolean,
  span: Span,
  extra: Partial<MatchExpr>,
  origin: { transforms?: MatchExpr['transforms'] },
): KeywordExpr {
  // A keyword is searched anywhere in the event: `foo`, `*foo` and `*foo*` all mean "contains foo".
  let op: KeywordExpr['operator'];
  let vals: Value[] = values;
  switch (operator) {
    case 'regex':
      op = 'regex';
      break;
    case 'eq':
    case 'contains':
    case 'startswith':
    case 'endswith':
      op = 'contains';
      vals = values.map((v) => (v === null ? '' : typeof v === 'object' ? v : String(v)));
      break;
    case 'wildcard':
      op = 'wildcard';
      vals = values.map((v) => (typeof v === 'object' && v !== null && 'pattern' in v ? trimAny(v.pattern) : v));
      break;
    default:
      op = 'contains';
  }
  const k: KeywordExpr = { kind: 'keyword', operator: op, values: vals, all, caseSensitive, span, ...origin };
  if (extra.flags) k.flags = extra.flags;
  if (op === 'regex') k.caseSensitive = !(extra.flags ?? '').includes('i');
  return k;
}

function trimAny(pattern: Array<string | { wildcard: 'any' | 'one' }>): Value {
  const p = [...pattern];
  while (p.length && isWildcard(p[0] as Part) && (p[0] as { wildcard: string }).wildcard === 'any') p.shift();
  while (p.length && isWildcard(p[p.length - 1] as Part) && (p[p.length - 1] as { wildcard: string }).wildcard === 'any') p.pop();
  if (p.length === 1 && typeof p[0] === 'string') return p[0];
  return { pattern: [{ wildcard: 'any' }, ...p, { wildcard: 'any' }] };
}

/** Sigma regexes are PCRE; say so when one cannot run here (the matcher would skip it). */
function checkRegex(src: string, flags: string, sink: DiagnosticSink, at: Span): void {
  const r = translateRegex(src, flags);
  if (!r.ok) sink.warning('sigma.regex-syntax', `regular expression cannot be compiled: ${r.error}`, at);
}

function opaque(span: Span, text: string, reason: string): Expr {
  return { kind: 'opaque', text, reason, span };
}

export function spanOf(n: { start: number; end: number }): Span {
  return { start: n.start, end: n.end };
}
