import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getPair, parseYamlDocuments, toPlain, type YMap } from '../yaml/index.js';

/**
 * Security Content's `data_sources/` and `stories/`: what the catalog needs to say which events a
 * detection covers (a data source names its source, sourcetype, add-on, fields and, for Windows
 * event logs, the provider and event code) and which analytic stories group it.
 */
export interface SplunkDataSource {
  id: string;
  name: string;
  description?: string;
  source: string;
  sourcetype: string;
  /** The field whose value tells the event types apart (`EventCode`, `eventName`, `Operation`). */
  separator?: string;
  /** That field's value for this data source (4688, `ConsoleLogin`), from the example event or the name. */
  separatorValue?: string;
  supportedTA: Array<{ name: string; url?: string; version?: string }>;
  fields: string[];
  /** Windows event logs: provider, channel and event id, from the example event (the name as fallback). */
  provider?: string;
  channel?: string;
  eventCode?: number;
  /** Mappings of the source's fields to CIM / OCSF data models, as written. */
  fieldMappings?: Array<{ dataModel: string; dataSet?: string; mapping: Record<string, string> }>;
  file: string;
}

export interface SplunkStory {
  id: string;
  name: string;
  description?: string;
  narrative?: string;
  references: string[];
  tags: Record<string, unknown>;
  file: string;
}

function text(map: YMap, key: string): string | undefined {
  const v = getPair(map, key)?.value;
  if (!v || v.kind !== 'scalar' || v.value === null) return undefined;
  return v.raw ?? String(v.value);
}

function strings(map: YMap, key: string): string[] {
  const v = getPair(map, key)?.value;
  const plain = v ? toPlain(v) : null;
  return Array.isArray(plain) ? plain.filter((x) => x !== null && typeof x !== 'object').map(String) : [];
}

function rootMap(source: string): YMap | null {
  const doc = parseYamlDocuments(source)[0];
  return doc?.root?.kind === 'map' && doc.errors.length === 0 ? doc.root : null;
}

/** Reads one data source file; null when it is not a data source (no name or source). */
export function readDataSource(source: string, file: string): SplunkDataSource | null {
  const map = rootMap(source);
  if (!map) return null;
  const name = text(map, 'name');
  if (!name) return null;
  const ds: SplunkDataSource = {
    id: text(map, 'id') ?? '',
    name,
    source: text(map, 'source') ?? '',
    sourcetype: text(map, 'sourcetype') ?? '',
    supportedTA: [],
    fields: strings(map, 'fields'),
    file,
  };
  const description = text(map, 'description');
  if (description) ds.description = description;
  const separator = text(map, 'separator');
  if (separator) ds.separator = separator;
  const tas = getPair(map, 'supported_TA')?.value;
  const plainTas = tas ? toPlain(tas) : null;
  if (Array.isArray(plainTas)) {
    for (const t of plainTas) {
      if (!t || typeof t !== 'object') continue;
      const o = t as Record<string, unknown>;
      const ta: { name: string; url?: string; version?: string } = { name: String(o.name ?? '') };
      if (o.url) ta.url = String(o.url);
      if (o.version !== undefined && o.version !== null) ta.version = String(o.version);
      ds.supportedTA.push(ta);
    }
  }
  const mappings = getPair(map, 'field_mappings')?.value;
  const plainMappings = mappings ? toPlain(mappings) : null;
  if (Array.isArray(plainMappings)) {
    ds.fieldMappings = plainMappings
      .filter((m): m is Record<string, unknown> => !!m && typeof m === 'object')
      .map((m) => {
        const out: { dataModel: string; dataSet?: string; mapping: Record<string, string> } = { dataModel: String(m.data_model ?? ''), mapping: {} };
        if (m.data_set) out.dataSet = String(m.data_set);
        if (m.mapping && typeof m.mapping === 'object') for (const [k, v] of Object.entries(m.mapping)) out.mapping[k] = String(v);
        return out;
      });
  }
  const example = text(map, 'example_log') ?? '';
  const provider = /<Provider\s+Name=['"]([^'"]+)['"]/.exec(example)?.[1];
  const channel = /<Channel>([^<]+)<\/Channel>/.exec(example)?.[1];
  const eventId = /<EventID(?:\s[^>]*)?>(\d+)<\/EventID>/.exec(example)?.[1] ?? /\b(?:EventID|EventCode|Event ID)\s*(\d+)$/i.exec(name)?.[1] ?? (/^(XmlWinEventLog|WinEventLog)/i.test(ds.source) ? /\b(\d{1,5})$/.exec(name)?.[1] : undefined);
  if (provider) ds.provider = provider;
  if (channel) ds.channel = channel;
  else if (/^(Xml)?WinEventLog:/i.test(ds.source)) ds.channel = ds.source.replace(/^(Xml)?WinEventLog:/i, '');
  if (eventId) ds.eventCode = Number(eventId);
  if (ds.separator) {
    const value = /^(EventCode|EventID)$/i.test(ds.separator) ? eventId : exampleValue(example, ds.separator);
    if (value) ds.separatorValue = value;
  }
  return ds;
}

/** The separator field's value in the example event (`"eventName": "StopLogging"`, `eventName=StopLogging`). */
function exampleValue(example: string, field: string): string | undefined {
  // A dotted path (`operationName.localizedValue`) cannot be found reliably by its last key.
  if (field.includes('.')) return undefined;
  const key = field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`"${key}"\\s*:\\s*"([^"]*)"`).exec(example) ?? new RegExp(`\\b${key}=("([^"]*)"|[^\\s,]+)`).exec(example);
  if (!m) return undefined;
  return m[2] ?? m[1];
}

/**
 * A data source named after another plus a suffix (`AWS CloudTrail` → `AWS CloudTrail StopLogging`)
 * is that source's events with the separator field equal to the suffix, when the example does not say.
 */
function separatorFromNames(list: SplunkDataSource[]): void {
  const names = list.map((d) => d.name);
  for (const d of list) {
    if (!d.separator || d.separatorValue) continue;
    const parent = names.filter((n) => n !== d.name && d.name.startsWith(n + ' ')).sort((a, b) => b.length - a.length)[0];
    if (parent) d.separatorValue = d.name.slice(parent.length + 1);
  }
}

export function loadDataSources(dir: string): SplunkDataSource[] {
  const out: SplunkDataSource[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!/\.ya?ml$/.test(name)) continue;
    const file = join(dir, name);
    const ds = readDataSource(readFileSync(file, 'utf8'), file);
    if (ds) out.push(ds);
  }
  separatorFromNames(out);
  return out;
}

export function readStory(source: string, file: string): SplunkStory | null {
  const map = rootMap(source);
  if (!map) return null;
  const name = text(map, 'name');
  if (!name) return null;
  const story: SplunkStory = { id: text(map, 'id') ?? '', name, references: strings(map, 'references'), tags: {}, file };
  const description = text(map, 'description');
  if (description) story.description = description;
  const narrative = text(map, 'narrative');
  if (narrative) story.narrative = narrative;
  const tags = getPair(map, 'tags')?.value;
  const plain = tags ? toPlain(tags) : null;
  if (plain && typeof plain === 'object' && !Array.isArray(plain)) story.tags = plain as Record<string, unknown>;
  return story;
}

export function loadStories(dir: string): SplunkStory[] {
  const out: SplunkStory[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!/\.ya?ml$/.test(name)) continue;
    const file = join(dir, name);
    const s = readStory(readFileSync(file, 'utf8'), file);
    if (s) out.push(s);
  }
  return out;
}
