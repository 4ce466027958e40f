/**
 * Events as flat records under Sigma's field names. A Windows event in the shape the EVTX reader
 * (and Chainsaw, Hayabusa) print, `{"Event":{"System":…,"EventData":…}}`, becomes its EventData
 * fields plus the System fields Sigma names (EventID, Channel, Computer, Provider_Name, ...). Field
 * names lose their spaces, as the Sigma specification names them (`Threat Name` → `ThreatName`).
 * Other JSON events (OTRF, cloud logs) keep their keys, nested objects joined with dots.
 * This is the column convention of the SQL backends' events table.
 */
export type FlatEvent = Record<string, string>;

/** The System fields Sigma rules use, and where they are. */
const SYSTEM_FIELDS: Array<[string, (s: Record<string, unknown>) => unknown]> = [
  ['EventID', (s) => text(s.EventID)],
  ['Channel', (s) => s.Channel],
  ['Computer', (s) => s.Computer],
  ['Provider_Name', (s) => attr(s.Provider, 'Name')],
  ['Provider_Guid', (s) => attr(s.Provider, 'Guid')],
  ['EventRecordID', (s) => s.EventRecordID],
  ['Level', (s) => s.Level],
  ['Task', (s) => s.Task],
  ['Keywords', (s) => s.Keywords],
  ['TimeCreated', (s) => attr(s.TimeCreated, 'SystemTime')],
  ['Security_UserID', (s) => attr(s.Security, 'UserID')],
  ['Execution_ProcessID', (s) => attr(s.Execution, 'ProcessID')],
  ['Execution_ThreadID', (s) => attr(s.Execution, 'ThreadID')],
];

function attr(v: unknown, name: string): unknown {
  return v && typeof v === 'object' ? (v as { '#attributes'?: Record<string, unknown> })['#attributes']?.[name] : undefined;
}

function text(v: unknown): unknown {
  return v && typeof v === 'object' && '#text' in (v as object) ? (v as { '#text': unknown })['#text'] : v;
}

function scalar(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** A flat record of an event of either shape. */
export function flattenEvent(event: unknown): FlatEvent {
  const out: FlatEvent = {};
  const e = (event as { Event?: { System?: Record<string, unknown>; EventData?: unknown; UserData?: unknown } } | null)?.Event;
  if (e && typeof e === 'object' && e.System) {
    for (const [name, get] of SYSTEM_FIELDS) {
      const v = scalar(get(e.System));
      if (v !== undefined) out[name] = v;
    }
    flattenInto(out, e.EventData, '', true);
    if (e.UserData && typeof e.UserData === 'object') {
      // UserData wraps its fields in one element named after the event: flatten its content.
      for (const inner of Object.values(e.UserData as Record<string, unknown>)) flattenInto(out, inner, '', true);
    }
    return out;
  }
  flattenInto(out, event, '');
  return out;
}

/** A list of plain values as text: one value per line (JSON would escape backslashes in paths). */
function listText(v: unknown[]): string {
  return v.every((x) => x === null || typeof x !== 'object') ? v.map((x) => (x === null ? '' : String(x))).join('\n') : JSON.stringify(v);
}

function flattenInto(out: FlatEvent, v: unknown, prefix: string, stripSpaces = false): void {
  if (v === null || v === undefined) return;
  if (typeof v !== 'object' || Array.isArray(v)) {
    if (prefix) out[prefix] = Array.isArray(v) ? listText(v) : String(v);
    return;
  }
  for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
    if (k === '#attributes') continue;
    const name = stripSpaces ? k.replace(/\s+/g, '') : k;
    const key = k === '#text' ? prefix : prefix ? `${prefix}.${name}` : name;
    if (!key) continue;
    if (child !== null && typeof child === 'object' && !Array.isArray(child)) flattenInto(out, child, key, stripSpaces);
    else if (child !== null && child !== undefined) out[key] = Array.isArray(child) ? listText(child) : String(child);
  }
}

/** Every value of a flat event joined by newlines: the `_raw` column keyword searches read. */
export function rawText(flat: FlatEvent): string {
  return Object.values(flat).join('\n');
}
