/**
 * The hunt loop: each event goes to its (channel, EventID) bucket, the prefilter picks the rules
 * worth running, their predicates run, and hits come out; hits of correlation building blocks
 * feed the correlations, whose own hits come out too (and feed correlations of correlations).
 */
import type { Rule, Severity } from '../model/index.js';
import { CorrelationState, DEFAULT_LIMITS, type CorrelationFiring, type CorrelationLimits, type EventRef } from './correlation.js';
import { EventView, parseTime, type SourceRecord } from './event.js';
import { MatchContext } from './fields.js';
import { RuleSet, type CompiledItem, type LoadedCorrelation, type RuleSetOptions } from './ruleset.js';

/** One output line. The first eight keys are the stable interface; the rest may grow. */
export interface Hit {
  rule_id: string;
  rule_title: string;
  level: Severity | null;
  file: string | null;
  record_id: number | null;
  timestamp: string | null;
  channel: string | null;
  event_id: number | null;
  /** The fields the rule matched on (those it tests outside `not`), with the event's values; group-by values for correlations. */
  fields: Record<string, unknown>;
  kind: 'detection' | 'correlation';
  computer: string | null;
  correlation?: {
    type: string;
    timespan: string;
    group: Record<string, string>;
    /** The aggregate the condition held on. */
    value: number;
    subject?: string;
    event_count: number;
    /** The events joined (at most `maxListedEvents`, the latest). */
    events: EventRef[];
  };
}

export interface HuntOptions extends RuleSetOptions {
  /** Only events at or after this time (ISO text or ms). */
  from?: string | number;
  /** Only events at or before this time. */
  to?: string | number;
  limits?: Partial<CorrelationLimits>;
}

export interface HuntStats {
  events: number;
  /** Events outside --from/--to, or without a time when a range was asked for. */
  outOfRange: number;
  /** Predicate runs (after the prefilter). */
  evaluations: number;
  hits: number;
  correlationHits: number;
  /** Events a correlation could not use because they carry no time. */
  untimed: number;
}

function toMs(t: string | number | undefined, what: string): number | undefined {
  if (t === undefined) return undefined;
  const ms = typeof t === 'number' ? t : parseTime(t);
  if (Number.isNaN(ms)) throw new Error(`${what}: '${t}' is not a time (use ISO 8601, e.g. 2024-05-01T12:00:00Z)`);
  return ms;
}

export class Hunter {
  readonly ruleSet: RuleSet;
  readonly stats: HuntStats = { events: 0, outOfRange: 0, evaluations: 0, hits: 0, correlationHits: 0, untimed: 0 };
  private readonly ctx: MatchContext;
  private readonly from: number | undefined;
  private readonly to: number | undefined;
  private readonly states: CorrelationState[];
  private buffer = new Int32Array(64);
  /** Per rule: the last event it hit, so one event hits a rule once even through two sources. */
  private readonly lastHit: Float64Array;

  constructor(rules: readonly Rule[] | RuleSet, options: HuntOptions = {}) {
    this.ruleSet = rules instanceof RuleSet ? rules : new RuleSet(rules, options);
    this.ctx = new MatchContext(this.ruleSet.fields);
    this.from = toMs(options.from, '--from');
    this.to = toMs(options.to, '--to');
    const limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.states = this.ruleSet.correlations.map((c) => new CorrelationState(c.spec, limits));
    this.lastHit = new Float64Array(this.ruleSet.rules.length).fill(-1);
  }

  /** Matches one record; hits go to `emit` in rule order. */
  process(record: SourceRecord, emit: (hit: Hit) => void): void {
    const view = new EventView(record.event, record);
    const n = this.stats.events++;
    if (this.from !== undefined || this.to !== undefined) {
      const t = view.time();
      if (Number.isNaN(t) || (this.from !== undefined && t < this.from) || (this.to !== undefined && t > this.to)) {
        this.stats.outOfRange++;
        return;
      }
    }
    const bucket = this.ruleSet.bucket(view.channel, view.eventId);
    const items = bucket.items;
    if (items.length === 0) return;
    const ctx = this.ctx;
    ctx.reset(view);
    if (this.buffer.length < items.length) this.buffer = new Int32Array(items.length);
    const count = bucket.prefilter.candidates(ctx, this.buffer);
    this.stats.evaluations += count;
    for (let k = 0; k < count; k++) {
      const item = items[this.buffer[k]!]!;
      if (!item.pred(ctx)) continue;
      const r = item.rule.index;
      if (this.lastHit[r] === n) continue;
      this.lastHit[r] = n;
      this.onMatch(item, view, emit);
    }
  }

  /** Decides the correlation windows still open; call once at the end. */
  finish(emit: (hit: Hit) => void): void {
    this.states.forEach((s, i) => {
      for (const f of s.flush()) this.onFiring(this.ruleSet.correlations[i]!, f, emit, 0);
    });
  }

  private onMatch(item: CompiledItem, view: EventView, emit: (hit: Hit) => void): void {
    const rule = item.rule.rule;
    const ctx = this.ctx;
    if (item.rule.emit) {
      const fields: Record<string, unknown> = {};
      for (const [name, slot] of item.fields) {
        const v = ctx.value(slot);
        if (v !== undefined) fields[name] = v;
      }
      this.stats.hits++;
      emit({
        rule_id: rule.id,
        rule_title: rule.title,
        level: rule.severity ?? null,
        file: view.record.file,
        record_id: view.recordId(),
        timestamp: view.timestamp(),
        channel: view.channel,
        event_id: view.eventId,
        fields,
        kind: 'detection',
        computer: computerOf(view),
      });
    }
    if (item.feeds.length === 0) return;
    const time = view.time();
    if (Number.isNaN(time)) {
      this.stats.untimed++;
      return;
    }
    const ref: EventRef = { rule_id: rule.id, file: view.record.file, record_id: view.recordId(), timestamp: view.timestamp() };
    for (const feed of item.feeds) {
      const group: string[] = [];
      let complete = true;
      for (const slot of feed.group) {
        const t = ctx.text(slot);
        if (t === null) {
          complete = false;
          break;
        }
        group.push(typeof t === 'string' ? t : t.join(', '));
      }
      // Like `stats ... by` in the SIEMs, an event without a group-by field joins no group.
      if (!complete) continue;
      const value = feed.value.length ? feed.value.map((s) => ctx.text(s)) : null;
      const values = value && value.every((v) => v !== null) ? value.map((v) => (typeof v === 'string' ? v : v!.join(', '))) : null;
      const corr = this.ruleSet.correlations[feed.corr]!;
      for (const f of this.states[feed.corr]!.add({ ref: feed.ref, time, group, value: values, event: ref })) this.onFiring(corr, f, emit, 0);
    }
  }

  private onFiring(corr: LoadedCorrelation, f: CorrelationFiring, emit: (hit: Hit) => void, depth: number): void {
    const rule = corr.loaded.rule;
    const spec = corr.spec;
    const group: Record<string, string> = {};
    spec.groupBy.forEach((g, i) => (group[g] = f.group[i]!));
    const timestamp = Number.isFinite(f.time) ? new Date(f.time).toISOString() : null;
    if (corr.loaded.emit) {
      this.stats.correlationHits++;
      const fields: Record<string, unknown> = { ...group };
      if (f.subject !== undefined && spec.field) fields[spec.field.join(',')] = f.subject;
      const hit: Hit = {
        rule_id: rule.id,
        rule_title: rule.title,
        level: rule.severity ?? null,
        file: null,
        record_id: null,
        timestamp,
        channel: null,
        event_id: null,
        fields,
        kind: 'correlation',
        computer: null,
        correlation: { type: spec.type, timespan: spec.timespan.text, group, value: f.value, event_count: f.eventCount, events: f.events },
      };
      if (f.subject !== undefined) hit.correlation!.subject = f.subject;
      emit(hit);
    }
    // Correlations of correlations: the firing is an event of the rule it came from.
    if (depth > 8) return;
    for (const feed of corr.loaded.feeds) {
      const next = this.ruleSet.correlations[feed.corr]!;
      const names = [next.spec.rules[feed.ref]!, rule.name, rule.nativeId].filter((x): x is string => !!x);
      const read = (field: string): string | null => {
        const alias = next.spec.aliases?.[field];
        const name = alias ? (names.map((n) => alias[n]).find((x) => x) ?? field) : field;
        return group[name] ?? (f.subject !== undefined && spec.field?.join(',') === name ? f.subject : null);
      };
      const g = next.spec.groupBy.map(read);
      if (g.some((x) => x === null)) continue;
      const value = next.spec.field ? next.spec.field.map(read) : null;
      const ref: EventRef = { rule_id: rule.id, file: null, record_id: null, timestamp };
      const fired = this.states[feed.corr]!.add({ ref: feed.ref, time: f.time, group: g as string[], value: value && value.every((v) => v !== null) ? (value as string[]) : null, event: ref });
      for (const x of fired) this.onFiring(next, x, emit, depth + 1);
    }
  }
}

function computerOf(view: EventView): string | null {
  const c = view.system ? view.system.Computer : view.data ? (view.data.Computer ?? view.data.Hostname ?? view.data.ComputerName) : undefined;
  return typeof c === 'string' ? c : null;
}
