/**
 * Rules compiled for hunting and indexed by log source.
 *
 * Each detection rule is compiled once per concrete source of its logsource (process_creation is
 * Sysmon 1 and Security 4688, each with its own field names). Every compiled item is indexed by
 * channel and EventID: the source's, narrowed by `EventID` / `Channel` tests the rule itself
 * requires (a `service: security` rule that tests `EventID: 4624` only meets 4624 events). An
 * event then only meets the items of its (channel, EventID) bucket, and within the bucket the
 * literal prefilter picks the few worth running.
 */
import { walkExpr, type Correlation, type Expr, type Rule, type Severity, type Span } from '../model/index.js';
import { logsourceTaxonomy, type ChannelSource, type LogsourceTaxonomy } from '../taxonomy/logsources.js';
import { compileExpr, type CompileEnv, type Pred } from './compile.js';
import type { AhoCorasick } from './aho-corasick.js';
import { FieldRegistry } from './fields.js';
import { lengthCost, offeredLiterals, Prefilter, requiredAtoms, type Atoms, type LiteralCost } from './prefilter.js';

export const LEVELS: readonly Severity[] = ['informational', 'low', 'medium', 'high', 'critical'];

export function levelRank(level: string | undefined): number {
  return level ? LEVELS.indexOf(level as Severity) : -1;
}

export type RuleState = 'ok' | 'partial' | 'skipped';

/** What became of a rule: runs fully, runs with parts that cannot match, or does not run. */
export interface RuleReport {
  id: string;
  title: string;
  file: string;
  kind: Rule['kind'];
  state: RuleState;
  reasons: string[];
  /** The channels/EventIDs it was indexed under (`Security:4688`, `*:*` for any). */
  sources: string[];
}

export interface LoadedRule {
  index: number;
  rule: Rule;
  report: RuleReport;
  /** Whether the rule's own hits are output (not when only a correlation's building block, or below --min-level). */
  emit: boolean;
  /** Correlations fed by this rule: (correlation index, position in its `rules`). */
  feeds: Array<{ corr: number; ref: number }>;
}

/** Group-by and value fields of one correlation, read for one compiled item. */
export interface ItemFeed {
  corr: number;
  ref: number;
  group: number[];
  value: number[];
}

export interface CompiledItem {
  id: number;
  rule: LoadedRule;
  /** The expression compiled: the rule's, with its source's conditions and filters ANDed. */
  expr: Expr;
  pred: Pred;
  /** The prefilter's necessary literals (null: always runs). */
  atoms: Atoms;
  source: ChannelSource | null;
  /** Fields the rule matches on (outside `not`), to show in a hit: (Sigma name, slot). */
  fields: Array<[string, number]>;
  feeds: ItemFeed[];
}

export interface LoadedCorrelation {
  index: number;
  loaded: LoadedRule;
  spec: Correlation;
  /** The rules listed in `rules`, resolved (null when not among the loaded rules). */
  refs: Array<LoadedRule | null>;
}

export class Bucket {
  readonly prefilter: Prefilter;
  constructor(
    readonly items: CompiledItem[],
    automata?: Map<string, AhoCorasick>,
  ) {
    this.prefilter = new Prefilter(
      items.map((i) => i.atoms),
      automata,
    );
  }
}

export interface RuleSetOptions {
  /** Rules below this level produce no output of their own (they still feed correlations). */
  minLevel?: Severity;
  taxonomy?: LogsourceTaxonomy;
  /** Disables the literal prefilter (for tests that compare with and without it). */
  prefilter?: boolean;
}

const ANY_CHANNEL = '';
const ANY_ID = -1;

export class RuleSet {
  readonly rules: LoadedRule[] = [];
  readonly items: CompiledItem[] = [];
  readonly correlations: LoadedCorrelation[] = [];
  readonly fields: FieldRegistry;
  private readonly index = new Map<string, Map<number, CompiledItem[]>>();
  private readonly buckets = new Map<string | null, Map<number, Bucket>>();
  private readonly usePrefilter: boolean;
  private readonly automata = new Map<string, AhoCorasick>();
  private readonly slotFns: Array<(field: string) => number> = [];

  constructor(input: readonly Rule[], options: RuleSetOptions = {}) {
    const taxonomy = options.taxonomy ?? logsourceTaxonomy();
    this.fields = new FieldRegistry(taxonomy);
    this.usePrefilter = options.prefilter !== false;
    const minRank = options.minLevel ? levelRank(options.minLevel) : -1;
    for (const rule of input) {
      const report: RuleReport = { id: rule.id, title: rule.title, file: rule.source.path, kind: rule.kind, state: 'ok', reasons: [], sources: [] };
      this.rules.push({ index: this.rules.length, rule, report, emit: levelRank(rule.severity) >= minRank, feeds: [] });
    }
    const byRef = this.refIndex();
    const filters = this.filtersByTarget(byRef);
    for (const lr of this.rules) {
      if (lr.rule.kind === 'detection') this.compileDetection(lr, filters.get(lr.index) ?? [], taxonomy);
    }
    if (this.usePrefilter) this.chooseAtoms();
    for (const lr of this.rules) if (lr.rule.kind === 'correlation') this.loadCorrelation(lr, byRef);
    // A rule used only as a correlation's building block is not output, unless a correlation says `generate: true`.
    for (const lr of this.rules) {
      if (lr.feeds.length && !lr.feeds.some((f) => this.correlations[f.corr]!.spec.generate)) lr.emit = false;
    }
    this.wireFeeds();
  }

  /** Rules by native id and by name, for correlation and filter references. */
  private refIndex(): Map<string, LoadedRule> {
    const m = new Map<string, LoadedRule>();
    for (const lr of this.rules) {
      if (lr.rule.nativeId) m.set(lr.rule.nativeId, lr);
      if (lr.rule.name && !m.has(lr.rule.name)) m.set(lr.rule.name, lr);
    }
    return m;
  }

  /** Sigma meta filters: each narrows the rules it lists with its own condition (ANDed). */
  private filtersByTarget(byRef: Map<string, LoadedRule>): Map<number, Expr[]> {
    const out = new Map<number, Expr[]>();
    for (const lr of this.rules) {
      if (lr.rule.kind !== 'filter') continue;
      const expr = lr.rule.logic[0]?.filter;
      if (!expr || !lr.rule.filter) {
        skip(lr.report, 'the filter has no usable condition');
        continue;
      }
      const missing: string[] = [];
      for (const ref of lr.rule.filter.rules) {
        const target = byRef.get(ref);
        if (!target) missing.push(ref);
        else out.set(target.index, [...(out.get(target.index) ?? []), expr]);
      }
      if (missing.length) note(lr.report, 'partial', `filter names rules that are not loaded: ${missing.join(', ')}`);
      lr.report.sources = ['(applied to the rules it lists)'];
    }
    return out;
  }

  private compileDetection(lr: LoadedRule, filters: Expr[], taxonomy: LogsourceTaxonomy): void {
    const rule = lr.rule;
    const base = rule.logic.find((s) => s.filter)?.filter;
    if (!base) {
      const err = rule.diagnostics.find((d) => d.severity === 'error');
      skip(lr.report, err ? `not readable: ${err.message}` : 'no detection logic');
      return;
    }
    const expr: Expr = filters.length ? { kind: 'and', args: [base, ...filters], span: base.span } : base;
    const res = taxonomy.resolve(rule.logsource);
    if (res.status === 'unmapped' || res.status === 'no-channel') {
      skip(lr.report, `logsource not on Windows event logs: ${res.reason}`);
      return;
    }
    const sources: Array<ChannelSource | null> = res.status === 'product' ? [null] : res.sources;
    const outcomes = sources.map((source) => this.compileItem(lr, expr, source));
    if (outcomes.includes('indexed')) return;
    skip(lr.report, outcomes.includes('never') ? 'the detection can never match: it hinges on parts that cannot be evaluated' : 'the detection cannot match any event of its log source (its EventID or Channel tests exclude them all)');
  }

  /** Compiles and indexes the rule for one source; says why not when it could not. */
  private compileItem(lr: LoadedRule, ruleExpr: Expr, source: ChannelSource | null): 'indexed' | 'never' | 'excluded' {
    const fieldMap = source?.fieldMap;
    const mapId = source?.fieldMapId;
    const slot = (field: string): number => {
      const alias = fieldMap?.[field];
      return alias ? this.fields.slot(field, alias, `${mapId}:${field}`) : this.fields.slot(field);
    };
    const env: CompileEnv = {
      slot,
      note: (kind, reason) => note(lr.report, kind === 'opaque' ? 'partial' : 'ok', reason),
    };
    for (const [field, alias] of Object.entries(fieldMap ?? {})) {
      if (alias.fidelity === 'approximate' && usesField(ruleExpr, field)) note(lr.report, 'ok', `${field} read from ${alias.field} on ${source!.channels.join('/')} (approximate: ${alias.note ?? 'values differ'})`);
    }
    let expr = ruleExpr;
    if (source?.conditions) {
      const span: Span = ruleExpr.span;
      const conds: Expr[] = Object.entries(source.conditions).map(([field, values]) => ({ kind: 'match', field, operator: 'eq', values: [...values], all: false, caseSensitive: false, span }));
      expr = { kind: 'and', args: [...conds, ruleExpr], span };
    }
    let eventIds: Set<number> | null = source?.eventIds ? new Set(source.eventIds) : null;
    const fromExpr = requiredValues(expr, 'EventID', (v) => {
      const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
      return Number.isInteger(n) ? n : null;
    });
    if (fromExpr) eventIds = eventIds ? new Set([...eventIds].filter((x) => fromExpr.has(x))) : fromExpr;
    let channels: Set<string> | null = source ? new Set(source.channels.map((c) => c.toLowerCase())) : null;
    const chFromExpr = requiredValues(expr, 'Channel', (v) => (typeof v === 'string' ? v.toLowerCase() : null));
    if (chFromExpr) channels = channels ? new Set([...channels].filter((x) => chFromExpr.has(x))) : chFromExpr;
    if ((eventIds && eventIds.size === 0) || (channels && channels.size === 0)) return 'excluded';
    const compiled = compileExpr(expr, env);
    if (compiled.constant === false) return 'never';
    const item: CompiledItem = {
      id: this.items.length,
      rule: lr,
      expr,
      pred: compiled.pred,
      atoms: null,
      source,
      fields: (testedFields(ruleExpr, true).length ? testedFields(ruleExpr, true) : testedFields(ruleExpr)).map((f) => [f, slot(f)]),
      feeds: [],
    };
    this.items.push(item);
    this.slotFns.push(slot);
    for (const ch of channels ?? [ANY_CHANNEL]) {
      let byId = this.index.get(ch);
      if (!byId) this.index.set(ch, (byId = new Map()));
      for (const id of eventIds ?? [ANY_ID]) {
        const list = byId.get(id);
        if (list) list.push(item);
        else byId.set(id, [item]);
        lr.report.sources.push(`${ch || '*'}:${id === ANY_ID ? '*' : id}`);
      }
    }
    return 'indexed';
  }

  /**
   * The prefilter literals of every item, preferring literals few rules use: the many rules that
   * test `Image|endswith: \\cmd.exe` say it is common, and their rarer literals filter better.
   */
  private chooseAtoms(): void {
    const df = new Map<string, number>();
    for (const item of this.items) for (const lit of offeredLiterals(item.expr)) df.set(lit, (df.get(lit) ?? 0) + 1);
    const cost: LiteralCost = (lit) => lengthCost(lit) * 4 + (df.get(lit) ?? 1);
    this.items.forEach((item, i) => (item.atoms = requiredAtoms(item.expr, this.slotFns[i]!, cost)));
  }

  private loadCorrelation(lr: LoadedRule, byRef: Map<string, LoadedRule>): void {
    const spec = lr.rule.correlation;
    if (!spec) {
      const err = lr.rule.diagnostics.find((d) => d.severity === 'error');
      skip(lr.report, err ? `not readable: ${err.message}` : 'no correlation section');
      return;
    }
    const index = this.correlations.length;
    const refs = spec.rules.map((r) => byRef.get(r) ?? null);
    const missing = spec.rules.filter((_, i) => !refs[i]);
    if (missing.length) note(lr.report, missing.length === spec.rules.length ? 'skipped' : 'partial', `correlation names rules that are not loaded: ${missing.join(', ')}`);
    if (spec.timespan.seconds <= 0) {
      skip(lr.report, 'correlation has no usable timespan');
      return;
    }
    this.correlations.push({ index, loaded: lr, spec, refs });
    refs.forEach((r, ref) => r?.feeds.push({ corr: index, ref }));
    lr.report.sources = ['(correlation)'];
  }

  /** The group-by and value fields of each correlation, as slots of each feeding item's log source. */
  private wireFeeds(): void {
    for (const item of this.items) {
      for (const f of item.rule.feeds) {
        const c = this.correlations[f.corr]!;
        const fieldMap = item.source?.fieldMap;
        const slot = (field: string): number => {
          const alias = fieldMap?.[field];
          return alias ? this.fields.slot(field, alias, `${item.source!.fieldMapId}:${field}`) : this.fields.slot(field);
        };
        const names = [c.spec.rules[f.ref]!, item.rule.rule.name, item.rule.rule.nativeId].filter((x): x is string => !!x);
        const aliased = (field: string): string => {
          const a = c.spec.aliases?.[field];
          if (!a) return field;
          for (const n of names) if (a[n]) return a[n];
          return field;
        };
        item.feeds.push({ corr: f.corr, ref: f.ref, group: c.spec.groupBy.map((g) => slot(aliased(g))), value: (c.spec.field ?? []).map((v) => slot(aliased(v))) });
      }
    }
  }

  /** The items an event of this channel and EventID can meet (cached per pair). */
  bucket(channel: string | null, eventId: number | null): Bucket {
    let byId = this.buckets.get(channel);
    if (!byId) this.buckets.set(channel, (byId = new Map()));
    const id = eventId ?? ANY_ID;
    let b = byId.get(id);
    if (!b) {
      const lists: CompiledItem[][] = [];
      const add = (ch: string, eid: number): void => {
        const l = this.index.get(ch)?.get(eid);
        if (l) lists.push(l);
      };
      const ch = channel?.toLowerCase();
      for (const c of ch === undefined || ch === ANY_CHANNEL ? [ANY_CHANNEL] : [ch, ANY_CHANNEL]) {
        if (id !== ANY_ID) add(c, id);
        add(c, ANY_ID);
      }
      const items = [...new Set(lists.flat())].sort((x, y) => x.id - y.id);
      b = new Bucket(items, this.automata);
      byId.set(id, b);
    }
    return b;
  }

  /** Rule reports, for the summary. */
  reports(): RuleReport[] {
    return this.rules.map((r) => r.report);
  }
}

function intersect<T>(a: Set<T>, b: Set<T>): Set<T> {
  const out = new Set<T>();
  for (const x of a) if (b.has(x)) out.add(x);
  return out;
}

function skip(r: RuleReport, reason: string): void {
  r.state = 'skipped';
  r.reasons.push(reason);
}

function note(r: RuleReport, state: RuleState, reason: string): void {
  if (state === 'skipped' || (state === 'partial' && r.state === 'ok')) r.state = state;
  if (!r.reasons.includes(reason)) r.reasons.push(reason);
}

function usesField(e: Expr, field: string): boolean {
  return testedFields(e).includes(field);
}

/** Fields the expression reads, in first-use order; `positive`: only outside `not` (what a hit matched on). */
export function testedFields(e: Expr, positive = false): string[] {
  const out = new Set<string>();
  walkExpr(e, (n, negated) => {
    if (positive && negated) return;
    if (n.kind === 'match' || n.kind === 'exists' || n.kind === 'compare') out.add(n.field);
    else if (n.kind === 'fieldref') {
      out.add(n.field);
      out.add(n.other);
    }
  });
  return [...out];
}

/**
 * Values a field must take for the expression to hold (from positive `eq` tests on it), or null
 * when the expression does not restrict the field. `and` intersects, `or` unites.
 */
export function requiredValues<T>(e: Expr, field: string, conv: (v: unknown) => T | null): Set<T> | null {
  switch (e.kind) {
    case 'match': {
      if (e.field !== field || e.operator !== 'eq' || e.part || (e.all && e.values.length > 1)) return null;
      const out = new Set<T>();
      for (const v of e.values) {
        const c = conv(v);
        if (c === null) return null;
        out.add(c);
      }
      return out;
    }
    case 'and': {
      let acc: Set<T> | null = null;
      for (const a of e.args) {
        const s = requiredValues(a, field, conv);
        if (s) acc = acc ? intersect(acc, s) : s;
      }
      return acc;
    }
    case 'or': {
      const acc = new Set<T>();
      for (const a of e.args) {
        const s = requiredValues(a, field, conv);
        if (!s) return null;
        for (const x of s) acc.add(x);
      }
      return acc;
    }
    case 'opaque':
      return new Set();
    default:
      return null;
  }
}
