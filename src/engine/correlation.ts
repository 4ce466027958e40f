/**
 * Sigma correlation rules (specification 2.1: event_count, value_count, temporal,
 * temporal_ordered, value_sum, value_avg, value_percentile) over event time, per group-by key,
 * with bounded memory.
 *
 * Windows: conditions that can only become true as events accumulate (event_count, value_count
 * and value_sum with only `gt`/`gte`; temporal and temporal_ordered) slide: after each event the
 * group keeps the events of the last `timespan` before the newest, and fires as soon as the
 * condition holds (then starts over). Every other condition (`lt`, `lte`, `eq`, `neq`, averages,
 * percentiles) is decided on a window that opens with a group's first event and closes `timespan`
 * later, when a later event of the group arrives or at the end of the hunt.
 *
 * Memory: at most `maxGroups` groups per correlation (the least recently used is closed first)
 * and `maxEventsPerGroup` events per group (the oldest are dropped, counted for event_count).
 */
import type { ConditionOperator, Correlation } from '../model/index.js';

export interface EventRef {
  rule_id: string;
  file: string | null;
  record_id: number | null;
  timestamp: string | null;
}

export interface CorrelationLimits {
  maxGroups: number;
  maxEventsPerGroup: number;
  /** Events named in one correlation hit (the count is always complete). */
  maxListedEvents: number;
}

export const DEFAULT_LIMITS: CorrelationLimits = { maxGroups: 100_000, maxEventsPerGroup: 10_000, maxListedEvents: 100 };

export interface CorrelationInput {
  /** Index of the referenced rule in the correlation's `rules`. */
  ref: number;
  /** Event time, ms since the epoch. */
  time: number;
  /** The group-by values, in `group-by` order. */
  group: string[];
  /** The `field` values (value_* types), in `field` order; null when absent. */
  value: string[] | null;
  event: EventRef;
}

export interface CorrelationFiring {
  time: number;
  group: string[];
  /** The aggregate the condition was checked on (count, distinct count, sum, average, share in %). */
  value: number;
  /** For value_percentile: the value whose share satisfied the condition. */
  subject?: string;
  eventCount: number;
  events: EventRef[];
}

interface Entry {
  t: number;
  ref: number;
  key: string | null;
  event: EventRef;
}

interface Group {
  values: string[];
  entries: Entry[];
  /** Events dropped by the per-group cap. */
  dropped: number;
  /** Tumbling mode: when the window opened. */
  start: number;
}

const OPS: Record<ConditionOperator, (a: number, b: number) => boolean> = {
  gt: (a, b) => a > b,
  gte: (a, b) => a >= b,
  lt: (a, b) => a < b,
  lte: (a, b) => a <= b,
  eq: (a, b) => a === b,
  neq: (a, b) => a !== b,
};

export class CorrelationState {
  readonly sliding: boolean;
  private readonly spanMs: number;
  private readonly groups = new Map<string, Group>();
  /** Groups closed early because of the cap. */
  evictedGroups = 0;

  constructor(
    readonly spec: Correlation,
    private readonly limits: CorrelationLimits = DEFAULT_LIMITS,
  ) {
    this.spanMs = spec.timespan.seconds * 1000;
    const growing = spec.condition.every((c) => c.op === 'gt' || c.op === 'gte');
    this.sliding = spec.type === 'temporal' || spec.type === 'temporal_ordered' || (growing && (spec.type === 'event_count' || spec.type === 'value_count' || spec.type === 'value_sum'));
  }

  get groupCount(): number {
    return this.groups.size;
  }

  add(input: CorrelationInput): CorrelationFiring[] {
    const key = input.group.join('\u0001');
    let g = this.groups.get(key);
    if (g) {
      // Re-inserting keeps the map in least-recently-used order.
      this.groups.delete(key);
      this.groups.set(key, g);
    } else {
      g = { values: input.group, entries: [], dropped: 0, start: input.time };
      this.groups.set(key, g);
    }
    const out: CorrelationFiring[] = [];
    if (this.groups.size > this.limits.maxGroups) {
      const [oldKey, old] = this.groups.entries().next().value as [string, Group];
      this.groups.delete(oldKey);
      this.evictedGroups++;
      if (!this.sliding) this.close(old, out);
    }
    const entry: Entry = { t: input.time, ref: input.ref, key: input.value === null ? null : input.value.join('\u0001'), event: input.event };
    if (this.sliding) {
      insert(g.entries, entry);
      const newest = g.entries[g.entries.length - 1]!.t;
      let drop = 0;
      while (drop < g.entries.length && g.entries[drop]!.t < newest - this.spanMs) drop++;
      if (drop) {
        g.entries.splice(0, drop);
        g.dropped = 0;
      }
      this.cap(g);
      const fired = this.evaluate(g);
      if (fired.length) {
        out.push(...fired);
        g.entries = [];
        g.dropped = 0;
      }
      if (g.entries.length === 0) this.groups.delete(key);
    } else {
      if (g.entries.length && input.time - g.start > this.spanMs) {
        this.close(g, out);
        g.entries = [];
        g.dropped = 0;
        g.start = input.time;
      }
      if (g.entries.length === 0) g.start = input.time;
      insert(g.entries, entry);
      this.cap(g);
    }
    return out;
  }

  /** Decides every open window (end of the hunt). */
  flush(): CorrelationFiring[] {
    const out: CorrelationFiring[] = [];
    if (!this.sliding) for (const g of this.groups.values()) this.close(g, out);
    this.groups.clear();
    return out;
  }

  private close(g: Group, out: CorrelationFiring[]): void {
    if (g.entries.length) out.push(...this.evaluate(g));
  }

  private cap(g: Group): void {
    const over = g.entries.length - this.limits.maxEventsPerGroup;
    if (over > 0) {
      g.entries.splice(0, over);
      g.dropped += over;
    }
  }

  private holds(v: number): boolean {
    return !Number.isNaN(v) && this.spec.condition.every((c) => OPS[c.op](v, c.value));
  }

  private evaluate(g: Group): CorrelationFiring[] {
    const es = g.entries;
    const fire = (value: number, used: Entry[] = es, subject?: string): CorrelationFiring => {
      const f: CorrelationFiring = {
        time: used.reduce((m, e) => Math.max(m, e.t), -Infinity),
        group: g.values,
        value,
        eventCount: used.length + (used === es ? g.dropped : 0),
        events: used.slice(-this.limits.maxListedEvents).map((e) => e.event),
      };
      if (subject !== undefined) f.subject = subject;
      return f;
    };
    switch (this.spec.type) {
      case 'event_count': {
        const n = es.length + g.dropped;
        return this.holds(n) ? [fire(n)] : [];
      }
      case 'value_count': {
        const distinct = new Set<string>();
        for (const e of es) if (e.key !== null) distinct.add(e.key);
        return this.holds(distinct.size) ? [fire(distinct.size)] : [];
      }
      case 'value_sum':
      case 'value_avg': {
        let sum = 0;
        let n = 0;
        for (const e of es) {
          const x = e.key === null ? NaN : Number(e.key);
          if (e.key !== null && e.key.trim() !== '' && Number.isFinite(x)) {
            sum += x;
            n++;
          }
        }
        if (n === 0) return [];
        const v = this.spec.type === 'value_sum' ? sum : sum / n;
        return this.holds(v) ? [fire(v)] : [];
      }
      case 'value_percentile': {
        // The share (in %) of the window's events that carry each value: `lte: 1` finds values
        // seen in at most 1% of the group's events.
        const counts = new Map<string, Entry[]>();
        let n = 0;
        for (const e of es) {
          if (e.key === null) continue;
          n++;
          const list = counts.get(e.key);
          if (list) list.push(e);
          else counts.set(e.key, [e]);
        }
        const out: CorrelationFiring[] = [];
        for (const [k, list] of counts) {
          const share = (list.length / n) * 100;
          if (this.holds(share)) out.push(fire(share, list, k.split('\u0001').join(', ')));
        }
        return out;
      }
      case 'temporal': {
        const seen = new Set<number>();
        for (const e of es) seen.add(e.ref);
        const ok = this.spec.condition.length ? this.holds(seen.size) : seen.size === this.spec.rules.length;
        return ok ? [fire(seen.size)] : [];
      }
      case 'temporal_ordered': {
        // The referenced rules must fire in the order listed: find them as a subsequence in time order.
        const chain: Entry[] = [];
        for (const e of es) {
          if (e.ref === chain.length) chain.push(e);
          if (chain.length === this.spec.rules.length) break;
        }
        if (chain.length < this.spec.rules.length) return [];
        return [fire(chain.length, chain)];
      }
    }
  }
}

function insert(list: Entry[], e: Entry): void {
  if (list.length === 0 || list[list.length - 1]!.t <= e.t) {
    list.push(e);
    return;
  }
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.t <= e.t) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, e);
}
