/**
 * One event as the matcher sees it, whatever shape it came in:
 * - nested, as EVTX readers print it (Chainsaw, Hayabusa, our src/evtx):
 *   `{"Event": {"System": {...}, "EventData": {...} | "UserData": {"<Name>": {...}}}}`;
 * - flat, as exported by Winlogbeat-less pipelines and OTRF datasets: every field at the top
 *   level (`Channel`, `EventID`, `Hostname`, `Image`, ...).
 */

/** A record as an event source yields it. */
export interface SourceRecord {
  file: string;
  /** EventRecordID (EVTX), or the 1-based position in a JSON file when the event has none. */
  recordId: number | null;
  /** The source's own time for the record (the EVTX record header), if any. */
  timestamp: string | null;
  event: unknown;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** XML text nodes come as `{"#text": ..., "#attributes": ...}`; a field's value is its text. */
export function textOf(v: unknown): unknown {
  if (isObj(v) && '#text' in v) return v['#text'];
  return v;
}

const FLAT_TIME_KEYS = ['@timestamp', 'TimeCreated', 'timestamp', 'EventTime', 'UtcTime'];

export class EventView {
  readonly nested: boolean;
  /** EventData, the record of UserData, or (flat) the event itself. */
  readonly data: Obj | null;
  readonly system: Obj | null;
  readonly channel: string | null;
  readonly eventId: number | null;
  private lowerKeys: Map<string, string> | undefined;
  private parsedTime: number | undefined;
  private keywordList: string[] | undefined;
  private keywordLower: string[] | undefined;

  constructor(
    readonly raw: unknown,
    readonly record: SourceRecord,
  ) {
    const ev = isObj(raw) ? (raw.Event as unknown) : undefined;
    if (isObj(ev) && (isObj(ev.System) || 'EventData' in ev || 'UserData' in ev)) {
      this.nested = true;
      this.system = isObj(ev.System) ? ev.System : null;
      this.data = payload(ev);
    } else {
      this.nested = false;
      this.system = null;
      this.data = isObj(raw) ? raw : null;
    }
    const head = this.system ?? this.data;
    const ch = head ? textOf(head.Channel ?? (this.nested ? undefined : head.LogName)) : undefined;
    this.channel = typeof ch === 'string' ? ch : null;
    const id = head ? textOf(head.EventID ?? (this.nested ? undefined : head.EventCode)) : undefined;
    const n = typeof id === 'number' ? id : typeof id === 'string' && id.trim() !== '' ? Number(id) : NaN;
    this.eventId = Number.isFinite(n) ? n : null;
  }

  /**
   * Looks a field name up ignoring case and spaces among the payload's keys, a last resort:
   * Defender writes `Threat Name` where Sigma rules say `ThreatName`.
   */
  looseField(name: string): unknown {
    const d = this.data;
    if (!d) return undefined;
    this.lowerKeys ??= looseKeysOf(d);
    const k = this.lowerKeys.get(looseKey(name));
    return k === undefined ? undefined : d[k];
  }

  /** The event's time as written: System TimeCreated, a flat time field, or the source's. */
  timestamp(): string | null {
    if (this.system) {
      const tc = this.system.TimeCreated;
      const t = isObj(tc) ? (isObj(tc['#attributes']) ? tc['#attributes'].SystemTime : undefined) ?? tc['#text'] : tc;
      if (typeof t === 'string') return t;
    } else if (this.data) {
      for (const k of FLAT_TIME_KEYS) {
        const t = this.data[k];
        if (typeof t === 'string') return t;
      }
    }
    return this.record.timestamp;
  }

  /** Milliseconds since the epoch, NaN when the event has no readable time. */
  time(): number {
    if (this.parsedTime === undefined) {
      const t = this.timestamp();
      this.parsedTime = t === null ? NaN : parseTime(t);
    }
    return this.parsedTime;
  }

  /** EventRecordID, else the source's record number. */
  recordId(): number | null {
    const v = this.system ? this.system.EventRecordID : this.data ? (this.data.EventRecordID ?? this.data.RecordNumber) : undefined;
    const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
    return Number.isFinite(n) ? n : this.record.recordId;
  }

  /**
   * Every value of the event as text, for keyword searches: System's and the payload's (a flat
   * event's fields), not the XML namespace of the `Event` element (built once per event).
   */
  keywords(): string[] {
    if (!this.keywordList) {
      const out: string[] = [];
      if (this.system) collect(this.system, out);
      if (this.data) collect(this.data, out);
      this.keywordList = out;
    }
    return this.keywordList;
  }

  /** Calls `visit` with each value {@link keywords} holds, in the same order, without building the list. */
  eachValue(visit: (s: string) => void): void {
    if (this.keywordList) {
      for (const s of this.keywordList) visit(s);
      return;
    }
    if (this.system) visitValues(this.system, visit);
    if (this.data) visitValues(this.data, visit);
  }

  keywordsLower(): string[] {
    return (this.keywordLower ??= this.keywords().map((s) => s.toLowerCase()));
  }
}

/**
 * Loose-key maps by payload shape: events of one kind share their keys, in order, so the map is
 * built once per shape, not once per event. A shape is found by its size and end keys, then
 * checked key by key.
 */
const shapes = new Map<string, { keys: string[]; map: Map<string, string> }>();

function looseKeysOf(d: Record<string, unknown>): Map<string, string> {
  let n = 0;
  let first = '';
  let last = '';
  for (const k in d) {
    if (n++ === 0) first = k;
    last = k;
  }
  const id = `${n}\u0000${first}\u0000${last}`;
  const cached = shapes.get(id);
  if (cached) {
    let i = 0;
    let same = true;
    for (const k in d) if (cached.keys[i++] !== k) {
      same = false;
      break;
    }
    if (same) return cached.map;
  }
  const keys = Object.keys(d);
  const map = new Map<string, string>();
  for (const k of keys) {
    const loose = looseKey(k);
    if (!map.has(loose)) map.set(loose, k);
  }
  if (shapes.size >= 4096) shapes.clear();
  shapes.set(id, { keys, map });
  return map;
}

const looseKeys = new Map<string, string>();

function looseKey(k: string): string {
  let l = looseKeys.get(k);
  if (l === undefined) {
    l = k.replace(/ /g, '').toLowerCase();
    if (looseKeys.size < 100_000) looseKeys.set(k, l);
  }
  return l;
}

/** The event-specific fields of a nested event. */
function payload(ev: Obj): Obj | null {
  const ed = ev.EventData;
  if (isObj(ed)) return ed;
  if (typeof ed === 'string') return { Data: ed };
  const ud = ev.UserData;
  if (isObj(ud)) {
    // UserData wraps its fields in one element named for the event (`LogFileCleared`).
    const keys = Object.keys(ud).filter((k) => k !== '#attributes');
    if (keys.length === 1 && isObj(ud[keys[0]!])) return ud[keys[0]!] as Obj;
    return ud;
  }
  const pe = ev.ProcessingErrorData;
  if (isObj(pe)) return pe;
  return null;
}

function visitValues(v: unknown, visit: (s: string) => void): void {
  if (typeof v === 'string') visit(v);
  else if (typeof v === 'number' || typeof v === 'boolean') visit(String(v));
  else if (Array.isArray(v)) for (const x of v) visitValues(x, visit);
  else if (isObj(v)) for (const k in v) visitValues(v[k], visit);
}

function collect(v: unknown, out: string[]): void {
  if (typeof v === 'string') out.push(v);
  else if (typeof v === 'number' || typeof v === 'boolean') out.push(String(v));
  else if (Array.isArray(v)) for (const x of v) collect(x, out);
  else if (isObj(v)) for (const k in v) collect(v[k], out);
}

const NO_ZONE = /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d(\.\d+)?)?$/;

/** Parses ISO-like times; a time without a zone (Sysmon's `UtcTime`) is UTC, not local. */
export function parseTime(s: string): number {
  const t = s.trim();
  if (NO_ZONE.test(t)) return Date.parse(t.replace(' ', 'T') + 'Z');
  return Date.parse(t);
}
