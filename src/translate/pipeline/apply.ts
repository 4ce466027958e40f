import { isPattern, printLeaf, valueText, type Expr, type MatchExpr, type Rule, type Span, type Value } from '../../model/index.js';
import type { FidelityRecorder } from '../fidelity.js';
import { Unsupported } from '../types.js';
import type { FieldRule, Pipeline, SourceRule } from './types.js';
import { renameForSource, windowsConditions, windowsSources, type WindowsConditions } from './windows.js';

/** A rule's logic with fields renamed for a target source, and what the backend needs to render it. */
export interface Mapped {
  source: string;
  /** The index pattern to read, for targets that read indexes (ES|QL), when the pipeline sets one. */
  index?: string;
  /** The rule's logic over target fields (pipeline conditions included). */
  expr: Expr;
  /** Target field → type, when the pipeline knows it (`string`, `int`, `dynamic`, ...). */
  types: Map<string, string>;
}

/**
 * Resolves where a rule's log source lives (the first matching source rule of the first pipeline
 * that has one) and maps every field through the source's field maps, recording each decision.
 */
export function applyPipelines(rule: Rule, expr: Expr, pipelines: Pipeline[], rec: FidelityRecorder): Mapped {
  const ls = rule.logsource ?? {};
  let found: { pipeline: Pipeline; src: SourceRule } | undefined;
  const ids = requiredEventIds(expr);
  for (const pipeline of pipelines) {
    const src = pipeline.sources.find(
      (s) => matchesLogsource(s, ls) && (!s.eventIds || (ids !== null && [...ids].every((i) => s.eventIds!.includes(i)))) && (!s.windows || windowsConditions(ls) !== null),
    );
    if (src) {
      found = { pipeline, src };
      break;
    }
  }
  const lsText = Object.entries(ls).filter(([k]) => k !== 'definition').map(([k, v]) => `${k}: ${v}`).join(', ') || 'none';
  if (!found) throw new Unsupported(`logsource (${lsText})`, `has no home in ${pipelines.map((p) => p.id).join(' + ')}`);
  const { pipeline, src } = found;
  if (src.error) throw new Unsupported(`logsource (${lsText})`, src.error);
  rec.source(src.source);
  if (src.approximate) rec.approximated(`logsource (${lsText})`, src.approximate);
  const types = new Map<string, string>();
  const schema = pipelines.map((p) => p.schemas?.[src.source]).find(Boolean);
  const typeOf = (field: string): string | undefined => schema?.[field] ?? schema?.[field.split('.')[0]!];
  const mapper = new FieldMapper(pipelines, pipeline, src, rec, types, typeOf);
  const implied: Record<string, Array<string | number>> = { ...src.implied, ...(src.eventIds ? { EventID: src.eventIds } : {}) };
  let own = Object.keys(implied).length ? stripImplied(expr, implied) : expr;
  if (src.windows) {
    const sources = src.allSources ? windowsSources(ls) : [windowsConditions(ls)].filter((w): w is WindowsConditions => w !== null);
    if (!sources.length) throw new Unsupported(`logsource (${lsText})`, 'has no known Windows event log channel');
    // One condition for the whole selection: the branches are alternatives (Sysmon 1 or Security 4688).
    const texts: string[] = [];
    const branches = sources.map((w, i) => {
      const conds = conditionExpr({ Channel: w.Channel, ...(w.EventID ? { EventID: w.EventID } : {}), ...w.other }, expr.span);
      texts.push(conds.map((c) => printLeaf(c)).join(' and '));
      const logic = own && i > 0 && w.fieldMap ? renameForSource(own, w.fieldMap, rec, `${w.service} events`) : own;
      return logic ? ({ kind: 'and', args: [...conds, logic], span: expr.span } as Expr) : conds.length === 1 ? conds[0]! : ({ kind: 'and', args: conds, span: expr.span } as Expr);
    });
    rec.condition(texts.length > 1 ? texts.map((t) => `(${t})`).join(' or ') : texts[0]!);
    own = branches.length === 1 ? branches[0]! : { kind: 'or', args: branches, span: expr.span };
  }
  const mappedOwn = own ? mapper.map(own) : null;
  const conds = src.conditions ? conditionExpr(src.conditions, expr.span) : [];
  for (const c of conds) {
    rec.condition(printLeaf(c));
    types.set(c.field, typeOf(c.field) ?? (typeof c.values[0] === 'number' ? 'int' : 'string'));
  }
  const args = [...conds, ...(mappedOwn ? [mappedOwn] : [])];
  if (args.length === 0) throw new Unsupported('detection', 'nothing is left to test once the log source is selected');
  const mapped: Expr = args.length === 1 ? args[0]! : { kind: 'and', args, span: expr.span };
  return { source: src.source, ...(src.index ? { index: src.index } : {}), expr: mapped, types };
}

function matchesLogsource(s: SourceRule, ls: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(s.logsource)) {
    if (v === '*') {
      if (ls[k] === undefined) return false;
      continue;
    }
    if ((ls[k] ?? '').toLowerCase() !== String(v).toLowerCase()) return false;
  }
  for (const k of s.without ?? []) if (ls[k] !== undefined) return false;
  return true;
}

/**
 * The event ids a rule's logic requires (every way to match goes through an `EventID` test), or null
 * when some way does not test it.
 */
export function requiredEventIds(e: Expr): Set<number> | null {
  switch (e.kind) {
    case 'match':
      return e.field === 'EventID' && e.operator === 'eq' && !e.all && e.values.every((v) => typeof v === 'number' || /^\d+$/.test(String(v))) ? new Set(e.values.map(Number)) : null;
    case 'and': {
      for (const a of e.args) {
        const s = requiredEventIds(a);
        if (s) return s;
      }
      return null;
    }
    case 'or': {
      const out = new Set<number>();
      for (const a of e.args) {
        const s = requiredEventIds(a);
        if (!s) return null;
        for (const x of s) out.add(x);
      }
      return out;
    }
    default:
      return null;
  }
}

/**
 * Removes field tests the chosen source already implies (`EventID`, a provider name), outside
 * negations; null when nothing else is left.
 */
function stripImplied(e: Expr, implied: Record<string, Array<string | number>>): Expr | null {
  const isImplied = (a: Expr): boolean => {
    if (a.kind !== 'match' || a.operator !== 'eq' || a.all) return false;
    const allowed = implied[a.field]?.map((x) => String(x).toLowerCase());
    return !!allowed && a.values.every((v) => allowed.includes(String(v).toLowerCase()));
  };
  if (isImplied(e)) return null;
  if (e.kind === 'and') {
    const args = e.args.map((a) => stripImplied(a, implied)).filter((a): a is Expr => a !== null);
    if (args.length === 0) return null;
    return args.length === 1 ? args[0]! : { ...e, args };
  }
  if (e.kind === 'or') {
    const args = e.args.map((a) => stripImplied(a, implied));
    // A branch reduced to nothing matches every event of the source: the whole OR does.
    if (args.some((a) => a === null)) return null;
    return { ...e, args: args as Expr[] };
  }
  return e;
}

function conditionExpr(conditions: NonNullable<SourceRule['conditions']>, span: Span): MatchExpr[] {
  return Object.entries(conditions).map(([field, v]) => {
    const values = (Array.isArray(v) ? v : [v]) as Value[];
    return { kind: 'match', field, operator: 'eq', values, all: false, caseSensitive: false, span, label: 'logsource' };
  });
}

class FieldMapper {
  constructor(
    private readonly pipelines: Pipeline[],
    private readonly pipeline: Pipeline,
    private readonly src: SourceRule,
    private readonly rec: FidelityRecorder,
    private readonly types: Map<string, string>,
    private readonly typeOf: (f: string) => string | undefined,
  ) {}

  /** The rule for a Sigma field: from the source's field maps, then the pipeline's default. */
  private ruleFor(field: string): FieldRule {
    const maps = this.src.fields ?? [];
    for (const pipe of this.pipelines) {
      for (const name of maps) {
        const m = pipe.fieldmaps[name];
        if (!m) continue;
        if (field in m) return m[field]!;
        const ci = Object.keys(m).find((k) => k.toLowerCase() === field.toLowerCase());
        if (ci) return m[ci]!;
        const prefix = Object.keys(m).find((k) => k.endsWith('.*') && field.toLowerCase().startsWith(k.slice(0, -1).toLowerCase()));
        if (prefix) return instantiate(m[prefix]!, field, field.slice(prefix.length - 1));
        const any = m['*'];
        if (any !== undefined) return instantiate(any, field, field);
      }
    }
    if (this.pipeline.unmapped === 'keep') {
      const target = (this.pipeline.unmappedTemplate ?? '{field}').replace('{field}', field);
      if (this.pipeline.unmappedType) this.types.set(target, this.pipeline.unmappedType);
      return target;
    }
    return { error: `field '${field}' has no equivalent in ${this.src.source}` };
  }

  /** Target names for a plain rename, or null when the rule needs a value transformation. */
  private names(field: string, what: string): string[] | null {
    const r = this.ruleFor(field);
    if (typeof r === 'string' || Array.isArray(r)) return this.renamed(field, typeof r === 'string' ? [r] : r);
    if ('error' in r) throw new Unsupported(what, r.error);
    if ('drop' in r) throw new Unsupported(what, `field '${field}' is dropped by the pipeline: ${r.drop}`);
    if ('field' in r) {
      if (r.values || r.valueTemplate) return null;
      const to = typeof r.field === 'string' ? [r.field] : r.field;
      if (r.type) for (const t of to) this.types.set(t, r.type);
      if (r.approximate) this.rec.approximated(`field ${field}`, r.approximate);
      return this.renamed(field, to);
    }
    return null;
  }

  private renamed(field: string, to: string[]): string[] {
    if (this.pipeline.checkColumns) to = to.map((t) => this.column(field, t));
    this.rec.field(field, to);
    for (const t of to) if (!this.types.has(t)) {
      const ty = this.typeOf(t);
      if (ty) this.types.set(t, ty);
    }
    return to;
  }

  /** The schema's own spelling of a target column; fails when the source has no such column. */
  private column(sigmaField: string, target: string): string {
    const cols = this.columns();
    if (!cols) return target;
    const [root, ...rest] = target.split('.');
    if (cols.has(root!)) return target;
    const ci = [...cols.keys()].find((c) => c.toLowerCase() === root!.toLowerCase());
    if (ci) return [ci, ...rest].join('.');
    throw new Unsupported(`field ${sigmaField}`, `${this.src.source} has no column '${root}'`);
  }

  private columnCache: Map<string, string> | null | undefined;

  private columns(): Map<string, string> | null {
    if (this.columnCache !== undefined) return this.columnCache;
    const schema = this.pipelines.map((p) => p.schemas?.[this.src.source]).find(Boolean);
    this.columnCache = schema ? new Map(Object.entries(schema)) : null;
    return this.columnCache;
  }

  map(e: Expr): Expr {
    switch (e.kind) {
      case 'and':
      case 'or':
        return { ...e, args: e.args.map((a) => this.map(a)) };
      case 'not':
        return { ...e, arg: this.map(e.arg) };
      case 'keyword':
      case 'opaque':
        return e;
      case 'exists':
      case 'compare': {
        const r = this.ruleFor(e.field);
        // A field whose values are translated still exists under its target name.
        if (e.kind === 'exists' && typeof r === 'object' && !Array.isArray(r) && 'field' in r && (r.values || r.valueTemplate) && typeof r.field === 'string') return { ...e, field: r.field };
        const to = this.names(e.field, printLeaf(e));
        if (!to) throw new Unsupported(printLeaf(e), `field '${e.field}' needs a value transformation that '${e.kind}' cannot take`);
        return anyOf(to.map((f) => ({ ...e, field: f })), e.span);
      }
      case 'fieldref': {
        const to = this.names(e.field, printLeaf(e));
        const other = this.names(e.other, printLeaf(e));
        if (!to || !other || to.length !== 1 || other.length !== 1) throw new Unsupported(printLeaf(e), 'field references need a one-to-one field mapping');
        return { ...e, field: to[0]!, other: other[0]! };
      }
      case 'match': {
        const to = this.names(e.field, printLeaf(e));
        if (!to) return this.transformValues(e, this.ruleFor(e.field));
        if (to.length > 1 && e.all && e.values.length > 1) {
          // Every value must match, each in any of the target fields.
          return { kind: 'and', args: e.values.map((v) => anyOf(to.map((f) => ({ ...e, field: f, values: [v], all: false })), e.span)), span: e.span };
        }
        return anyOf(to.map((f) => ({ ...e, field: f })), e.span);
      }
    }
  }

  private transformValues(e: MatchExpr, r: FieldRule): Expr {
    if (typeof r === 'object' && !Array.isArray(r) && 'field' in r && r.values) return this.valueMap(e, r as { field: string; values: Record<string, string | string[]>; approximate?: string });
    if (typeof r === 'object' && !Array.isArray(r) && 'field' in r && r.valueTemplate) {
      const template = r.valueTemplate;
      if (e.operator !== 'eq' || e.values.some((v) => typeof v !== 'string' && typeof v !== 'number')) throw new Unsupported(printLeaf(e), `only plain values of ${e.field} can be written as ${template}`);
      const to = r.field as string;
      this.rec.field(e.field, [to]);
      return { ...e, field: to, values: e.values.map((v) => template.replace('{value}', String(v))) };
    }
    if (typeof r === 'object' && !Array.isArray(r) && 'hashes' in r) return this.hashes(e, r.hashes, r.approximate);
    if (typeof r === 'object' && !Array.isArray(r) && 'user' in r) return this.user(e, r);
    throw new Unsupported(printLeaf(e), 'unsupported field rule');
  }

  /** Values translated one by one into the target's vocabulary (`Initiated: 'true'` → `NetworkDirection == "Outbound"`). */
  private valueMap(e: MatchExpr, r: { field: string; values: Record<string, string | string[]>; approximate?: string }): Expr {
    if (e.operator !== 'eq') throw new Unsupported(printLeaf(e), `only equality can be translated through the value map of ${e.field}`);
    const out: string[] = [];
    for (const v of e.values) {
      const key = Object.keys(r.values).find((k) => k.toLowerCase() === String(v).toLowerCase());
      if (key === undefined) throw new Unsupported(printLeaf(e), `value '${valueText(v)}' of ${e.field} has no equivalent in ${r.field} (known: ${Object.keys(r.values).join(', ')})`);
      const mapped = r.values[key]!;
      out.push(...(Array.isArray(mapped) ? mapped : [mapped]));
    }
    this.rec.field(e.field, [r.field]);
    if (r.approximate) this.rec.approximated(`${e.field} values`, r.approximate);
    const typ = this.typeOf(r.field);
    if (typ) this.types.set(r.field, typ);
    if (e.all && e.values.length > 1) throw new Unsupported(printLeaf(e), 'all-of over translated values');
    return { kind: 'match', field: r.field, operator: 'eq', values: [...new Set(out)], all: false, caseSensitive: false, span: e.span };
  }

  /** `Hashes|contains: 'SHA256=ab..'` → `SHA256 == "ab.."`; a bare hash → any of the hash fields. */
  private hashes(e: MatchExpr, fields: Record<string, string>, note?: string): Expr {
    if (e.operator === 'regex' || e.operator === 'cidr') throw new Unsupported(printLeaf(e), `${e.operator} on the combined Hashes field cannot be split per algorithm`);
    const parts: Expr[] = [];
    for (const v of e.values) {
      const text = typeof v === 'string' ? v : isPattern(v) ? valueText(v) : String(v);
      const m = /^\*?([A-Za-z0-9]+)=([0-9A-Fa-f]+)\*?$/.exec(text);
      if (m && fields[m[1]!.toUpperCase()]) {
        const f = fields[m[1]!.toUpperCase()]!;
        this.rec.field(`Hashes (${m[1]!.toUpperCase()})`, [f]);
        parts.push({ kind: 'match', field: f, operator: 'eq', values: [m[2]!], all: false, caseSensitive: false, span: e.span });
      } else if (/^[0-9A-Fa-f]{32,128}$/.test(text)) {
        const fs = Object.values(fields);
        this.rec.field('Hashes', fs);
        parts.push(anyOf(fs.map((f) => ({ kind: 'match', field: f, operator: 'eq', values: [text], all: false, caseSensitive: false, span: e.span }) as MatchExpr), e.span));
      } else throw new Unsupported(printLeaf(e), `hash value '${text}' names no algorithm this source has (${Object.keys(fields).join(', ')})`);
    }
    if (note) this.rec.approximated('Hashes', note);
    else this.rec.approximated('Hashes', `the combined Sigma Hashes field is split into per-algorithm fields (${Object.values(fields).join(', ')}), matched whole`);
    return e.all ? { kind: 'and', args: parts, span: e.span } : anyOf(parts, e.span);
  }

  /** `User: 'DOMAIN\\name'` → the user field on `name` (and the domain field, when the source has one). */
  private user(e: MatchExpr, r: { user: string; domain?: string; approximate?: string }): Expr {
    const parts: Expr[] = [];
    for (const v of e.values) {
      if (typeof v !== 'string' || !v.includes('\\') || e.operator === 'regex') {
        parts.push({ ...e, field: r.user, values: [v] });
        continue;
      }
      const i = v.lastIndexOf('\\');
      const user: MatchExpr = { ...e, field: r.user, values: [v.slice(i + 1)] };
      if (e.operator === 'contains' || e.operator === 'endswith') {
        parts.push(user);
        continue;
      }
      if (r.domain && e.operator === 'eq') parts.push({ kind: 'and', args: [{ ...e, field: r.domain, values: [v.slice(0, i)] }, user], span: e.span });
      else parts.push(user);
    }
    this.rec.field('User', [r.user, ...(r.domain ? [r.domain] : [])]);
    this.rec.approximated('User', r.approximate ?? `DOMAIN\\user values are matched on ${r.user}${r.domain ? ` and ${r.domain}` : ' (user part only)'}`);
    return e.all ? { kind: 'and', args: parts, span: e.span } : anyOf(parts, e.span);
  }
}

/** A `'*'` or `prefix.*` field map entry applied to a field name (`RawEventData.{field}`, `RequestParameters.{rest}`). */
function instantiate(r: FieldRule, field: string, rest: string): FieldRule {
  const fill = (t: string): string => t.replace('{field}', field).replace('{rest}', rest);
  if (typeof r === 'string') return fill(r);
  if (typeof r === 'object' && !Array.isArray(r) && 'field' in r && typeof r.field === 'string') return { ...r, field: fill(r.field) };
  return r;
}

/** A field mapped to several target fields: the value may be in any of them. */
function anyOf(args: Expr[], span: Span): Expr {
  return args.length === 1 ? args[0]! : { kind: 'or', args, span };
}
