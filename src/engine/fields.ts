/**
 * Field access, decided once per (field, log source) and cached per event.
 *
 * A Sigma field name is looked up in the event's payload (EventData / UserData, or the top level
 * of a flat event), then in System (`EventID`, `Channel`, `Provider_Name`, ... through the
 * taxonomy's paths), then in the payload ignoring case and spaces (`ThreatName` finds Defender's `Threat Name`). Fields that are System properties by
 * definition (`EventID`, `Channel`, `Provider_Name`, `EventRecordID`) read System first. When the
 * rule's log source is an equivalent source with other names (Security 4688 for
 * process_creation), the alias replaces the name: `Image` reads `NewProcessName`.
 *
 * Every distinct accessor gets a slot; {@link MatchContext} caches each slot's value, its text and
 * its lower-cased text for the current event, so fifty rules testing `CommandLine` resolve and
 * lower-case it once.
 */
import type { FieldAlias, LogsourceTaxonomy, SystemField } from '../taxonomy/logsources.js';
import { textOf, type EventView } from './event.js';

export type Getter = (v: EventView) => unknown;

function walk(o: Record<string, unknown>, path: readonly string[]): unknown {
  let x: unknown = o;
  for (const k of path) {
    if (typeof x !== 'object' || x === null) return undefined;
    x = (x as Record<string, unknown>)[k];
  }
  return x;
}

function norm(x: unknown): unknown {
  if (typeof x !== 'object' || x === null) return x;
  if (Array.isArray(x)) return x.map(textOf);
  return textOf(x);
}

/** `toString`, `constructor`, ... are not fields, whatever the prototype says. */
function own(x: unknown): boolean {
  return x !== undefined && typeof x !== 'function';
}

export function plainGetter(name: string, sys: SystemField | undefined): Getter {
  const path = sys?.path;
  const first = sys?.first === true;
  const flatKeys = sys?.flat ?? [];
  return (v) => {
    let x: unknown;
    if (v.nested) {
      const s = v.system;
      if (first && path && s !== null) {
        x = walk(s, path);
        if (x !== undefined) return norm(x);
      }
      const d = v.data;
      if (d !== null) {
        x = d[name];
        if (own(x)) return norm(x);
      }
      if (s !== null) {
        if (path && !first) {
          x = walk(s, path);
          if (x !== undefined) return norm(x);
        }
        x = s[name];
        if (own(x)) return norm(x);
      }
    } else {
      const d = v.data;
      if (d !== null) {
        x = d[name];
        if (own(x)) return norm(x);
        for (const k of flatKeys) {
          x = d[k];
          if (own(x)) return norm(x);
        }
      }
    }
    x = v.looseField(name);
    return x === undefined ? undefined : norm(x);
  };
}

function aliasGetter(alias: FieldAlias, taxonomy: LogsourceTaxonomy): Getter {
  const base = plainGetter(alias.field, taxonomy.systemField(alias.field));
  const values = alias.values;
  if (alias.transform === 'hex') {
    return (v) => {
      const x = base(v);
      if (typeof x === 'string' && /^0x[0-9a-f]+$/i.test(x)) return parseInt(x, 16);
      return x;
    };
  }
  if (values) {
    const upper = new Map(Object.entries(values).map(([k, val]) => [k.toUpperCase(), val]));
    return (v) => {
      const x = base(v);
      return typeof x === 'string' ? (upper.get(x.toUpperCase()) ?? x) : x;
    };
  }
  return base;
}

export class FieldRegistry {
  private readonly byKey = new Map<string, number>();
  readonly getters: Getter[] = [];
  /** The Sigma field name each slot stands for (for output). */
  readonly names: string[] = [];

  constructor(private readonly taxonomy: LogsourceTaxonomy) {}

  /**
   * The slot of a Sigma field, read through `alias` when the log source names it differently.
   * `aliasKey` identifies the alias (its field map) so equal accessors share a slot.
   */
  slot(name: string, alias?: FieldAlias, aliasKey?: string): number {
    const key = alias ? `${name}\u0000${aliasKey ?? alias.field}` : name;
    let s = this.byKey.get(key);
    if (s === undefined) {
      s = this.getters.length;
      this.byKey.set(key, s);
      this.getters.push(alias ? aliasGetter(alias, this.taxonomy) : plainGetter(name, this.taxonomy.systemField(name)));
      this.names.push(name);
    }
    return s;
  }

  get size(): number {
    return this.getters.length;
  }
}

export type Text = string | string[] | null;

function toText(x: unknown): Text {
  if (x === undefined || x === null) return null;
  if (typeof x === 'string') return x;
  if (typeof x === 'number' || typeof x === 'boolean' || typeof x === 'bigint') return String(x);
  if (Array.isArray(x)) {
    const out: string[] = [];
    for (const e of x) {
      const t = toText(e);
      if (typeof t === 'string') out.push(t);
      else if (t) out.push(...t);
    }
    return out;
  }
  return JSON.stringify(x);
}

function lowerText(t: Text): Text {
  if (t === null) return null;
  if (typeof t === 'string') return t.toLowerCase();
  return t.map((s) => s.toLowerCase());
}

/**
 * The current event and per-slot caches, stamped with a generation number so moving to the
 * next event invalidates everything in O(1).
 */
export class MatchContext {
  view!: EventView;
  private gen = 0;
  private vStamp = new Int32Array(0);
  private tStamp = new Int32Array(0);
  private lStamp = new Int32Array(0);
  private vals: unknown[] = [];
  private texts: Text[] = [];
  private lows: Text[] = [];

  constructor(private readonly fields: FieldRegistry) {}

  reset(view: EventView): void {
    this.view = view;
    this.gen++;
    if (this.vStamp.length < this.fields.size) {
      const n = this.fields.size + 16;
      this.vStamp = new Int32Array(n);
      this.tStamp = new Int32Array(n);
      this.lStamp = new Int32Array(n);
      this.gen = 1;
    }
  }

  /** The raw value (`undefined` when absent). */
  value(slot: number): unknown {
    if (this.vStamp[slot] === this.gen) return this.vals[slot];
    this.vStamp[slot] = this.gen;
    return (this.vals[slot] = this.fields.getters[slot]!(this.view));
  }

  /** The value as text (numbers as written by `String`), a list for multi-valued fields, null when absent or null. */
  text(slot: number): Text {
    if (this.tStamp[slot] === this.gen) return this.texts[slot]!;
    this.tStamp[slot] = this.gen;
    return (this.texts[slot] = toText(this.value(slot)));
  }

  lower(slot: number): Text {
    if (this.lStamp[slot] === this.gen) return this.lows[slot]!;
    this.lStamp[slot] = this.gen;
    return (this.lows[slot] = lowerText(this.text(slot)));
  }
}
