/**
 * Sigma log sources as data: which Windows event log channels and EventIDs a Sigma
 * `logsource` (product / category / service) stands for, how fields are named in equivalent
 * sources (Security 4688 `NewProcessName` is Sysmon 1 `Image`), where the System fields live,
 * and the titles of common events. The data is `logsources.json` beside this module; this is its
 * typed, validated view, shared by the matcher, the translation backends and the catalog.
 */
import { readFileSync } from 'node:fs';
// A type-only import keeps the JSON in the program, so the build copies it beside this module.
import type rawData from './logsources.json';

type RawData = typeof rawData;

/** How faithful a field alias is: `exact` is the same value; `approximate` is close but not equal. */
export type AliasFidelity = 'exact' | 'approximate';

/** Converts the value of the aliased field to the shape the Sigma field has. */
export type AliasTransform = 'hex';

export interface FieldAlias {
  /** The field in the target source that carries the Sigma field's value. */
  field: string;
  fidelity: AliasFidelity;
  transform?: AliasTransform;
  /** Maps the target source's values to the Sigma field's values (`S-1-16-12288` → `High`). */
  values?: Readonly<Record<string, string>>;
  note?: string;
}

/** Sigma field name → where the value lives in a particular source. */
export type FieldMap = Readonly<Record<string, FieldAlias>>;

/**
 * One concrete place events of a log source come from: a set of channels and, when the log
 * source is narrower than the channel, the EventIDs and extra field conditions.
 */
export interface ChannelSource {
  service: string;
  channels: readonly string[];
  providers?: readonly string[];
  /** `null`: every event of the channels. */
  eventIds: readonly number[] | null;
  /** Field → any of these values (case-insensitive), e.g. Sysmon 12 `EventType: CreateKey`. */
  conditions?: Readonly<Record<string, readonly string[]>>;
  /** Name of the field map that applies (key of {@link LogsourceTaxonomy.fieldMaps}). */
  fieldMapId?: string;
  fieldMap?: FieldMap;
}

export type LogsourceStatus =
  /** The log source names channels (and maybe EventIDs). */
  | 'mapped'
  /** Only a product: every event of that product may apply (no channel restriction). */
  | 'product'
  /** Known, but no Windows event log carries it (ETW-only telemetry). */
  | 'no-channel'
  /** Not a Windows log source, or not in the data. */
  | 'unmapped';

export interface LogsourceResolution {
  status: LogsourceStatus;
  sources: ChannelSource[];
  /** Why the status is not `mapped`, for reports. */
  reason?: string;
}

export interface SystemField {
  /** Path under `Event.System` in the nested shape (`Provider`, `#attributes`, `Name`). */
  path: readonly string[];
  /** Top-level keys that carry it in flat events (first present wins). */
  flat: readonly string[];
  /** Looked up in System before EventData (the field is a System property by definition). */
  first: boolean;
}

export interface ServiceInfo {
  channels: readonly string[];
  providers?: readonly string[];
  aliases?: readonly string[];
  origin: string;
}

export interface CategoryInfo {
  sources: ReadonlyArray<{ service: string; eventIds: readonly number[]; conditions?: Readonly<Record<string, readonly string[]>>; fieldMap?: string }>;
  productOptional?: boolean;
  note?: string;
}

export class LogsourceTaxonomy {
  readonly products: ReadonlyMap<string, { services: ReadonlyMap<string, ServiceInfo>; categories: ReadonlyMap<string, CategoryInfo> }>;
  readonly fieldMaps: ReadonlyMap<string, FieldMap>;
  readonly systemFields: ReadonlyMap<string, SystemField>;
  private readonly titles = new Map<string, string>();
  private readonly serviceAlias = new Map<string, string>();

  constructor(data: unknown) {
    const d = validate(data);
    const products = new Map<string, { services: Map<string, ServiceInfo>; categories: Map<string, CategoryInfo> }>();
    for (const [product, p] of Object.entries(d.products)) {
      const services = new Map<string, ServiceInfo>(Object.entries(p.services) as Array<[string, ServiceInfo]>);
      for (const [name, s] of services) for (const a of s.aliases ?? []) this.serviceAlias.set(`${product}/${a}`, name);
      products.set(product, { services, categories: new Map(Object.entries(p.categories) as Array<[string, CategoryInfo]>) });
    }
    this.products = products;
    const valueMaps = d.valueMaps as Record<string, Record<string, string>>;
    const fieldMaps = new Map<string, FieldMap>();
    for (const [id, m] of Object.entries(d.fieldMaps as Record<string, Record<string, { field: string; fidelity: AliasFidelity; transform?: AliasTransform; values?: string; note?: string }>>)) {
      const out: Record<string, FieldAlias> = {};
      for (const [name, a] of Object.entries(m)) {
        const alias: FieldAlias = { field: a.field, fidelity: a.fidelity };
        if (a.transform) alias.transform = a.transform;
        if (a.values) alias.values = valueMaps[a.values]!;
        if (a.note) alias.note = a.note;
        out[name] = alias;
      }
      fieldMaps.set(id, out);
    }
    this.fieldMaps = fieldMaps;
    this.systemFields = new Map(Object.entries(d.systemFields).map(([k, v]) => [k, { path: v.path, flat: v.flat, first: v.first === true }]));
    for (const [channel, ids] of Object.entries(d.events as Record<string, Record<string, string>>)) {
      for (const [id, title] of Object.entries(ids)) this.titles.set(`${channel.toLowerCase()}\u0000${id}`, title);
    }
  }

  /**
   * The channels and EventIDs a Sigma logsource covers. A category with a service keeps only the
   * category's sources on that service; a logsource with no product is read as Windows when its
   * category or service is a Windows one.
   */
  resolve(logsource: Readonly<Record<string, string>> | undefined): LogsourceResolution {
    const ls = logsource ?? {};
    const productName = ls.product?.toLowerCase();
    const product = this.products.get(productName ?? 'windows');
    if (!product) return { status: 'unmapped', sources: [], reason: `product '${ls.product}' has no event log mapping` };
    const category = ls.category?.toLowerCase();
    const serviceName = ls.service ? this.serviceName(productName ?? 'windows', ls.service.toLowerCase()) : undefined;
    if (category) {
      const cat = product.categories.get(category);
      if (!cat) return { status: 'unmapped', sources: [], reason: `category '${ls.category}' has no ${productName ?? 'windows'} event log mapping` };
      if (!productName && !cat.productOptional) return { status: 'unmapped', sources: [], reason: `category '${ls.category}' without a product` };
      if (cat.sources.length === 0) return { status: 'no-channel', sources: [], reason: cat.note ?? `no event log carries category '${ls.category}'` };
      const sources: ChannelSource[] = [];
      for (const s of cat.sources) {
        if (serviceName && s.service !== serviceName) continue;
        const svc = product.services.get(s.service);
        if (!svc) continue;
        const src: ChannelSource = { service: s.service, channels: svc.channels, eventIds: s.eventIds };
        if (svc.providers) src.providers = svc.providers;
        if (s.conditions) src.conditions = s.conditions;
        if (s.fieldMap) {
          src.fieldMapId = s.fieldMap;
          src.fieldMap = this.fieldMaps.get(s.fieldMap)!;
        }
        sources.push(src);
      }
      if (sources.length === 0) return { status: 'unmapped', sources: [], reason: `category '${ls.category}' has no source on service '${ls.service}'` };
      return { status: 'mapped', sources };
    }
    if (ls.service) {
      const svc = serviceName ? product.services.get(serviceName) : undefined;
      if (!svc) return { status: 'unmapped', sources: [], reason: `service '${ls.service}' has no ${productName ?? 'windows'} event log mapping` };
      const src: ChannelSource = { service: serviceName!, channels: svc.channels, eventIds: null };
      if (svc.providers) src.providers = svc.providers;
      return { status: 'mapped', sources: [src] };
    }
    if (productName) return { status: 'product', sources: [], reason: `only product '${ls.product}': every event may apply` };
    return { status: 'unmapped', sources: [], reason: 'the logsource names no product, category or service' };
  }

  /** The canonical service name for a name or one of its aliases. */
  serviceName(product: string, name: string): string | undefined {
    const p = this.products.get(product);
    if (!p) return undefined;
    if (p.services.has(name)) return name;
    return this.serviceAlias.get(`${product}/${name}`);
  }

  /** The title of an event (`Security` 4688 → "A new process has been created."). Channel names compare case-insensitively. */
  eventTitle(channel: string, eventId: number | string): string | undefined {
    return this.titles.get(`${channel.toLowerCase()}\u0000${eventId}`);
  }

  systemField(name: string): SystemField | undefined {
    return this.systemFields.get(name);
  }

  /** Every channel of a product, for coverage reports. */
  channels(product = 'windows'): string[] {
    const p = this.products.get(product);
    if (!p) return [];
    return [...new Set([...p.services.values()].flatMap((s) => s.channels))];
  }
}

let cached: LogsourceTaxonomy | undefined;

/** The built-in taxonomy (`logsources.json`), read once. */
export function logsourceTaxonomy(): LogsourceTaxonomy {
  if (!cached) cached = new LogsourceTaxonomy(JSON.parse(readFileSync(new URL('./logsources.json', import.meta.url), 'utf8')));
  return cached;
}

interface Validated {
  products: Record<string, { services: Record<string, unknown>; categories: Record<string, unknown> }>;
  fieldMaps: unknown;
  valueMaps: unknown;
  systemFields: Record<string, { path: string[]; flat: string[]; first?: boolean }>;
  events: unknown;
}

/** Checks the shape, so a bad edit of the data fails loudly at load, naming the entry. */
function validate(data: unknown): Validated & Pick<RawData, 'version'> {
  const fail = (msg: string): never => {
    throw new Error(`logsources.json: ${msg}`);
  };
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const strList = (v: unknown, what: string): void => {
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) fail(`${what} must be a list of strings`);
  };
  if (!isObj(data)) return fail('not an object');
  for (const k of ['products', 'fieldMaps', 'valueMaps', 'systemFields', 'events']) if (!isObj(data[k])) fail(`'${k}' must be an object`);
  const fieldMaps = data.fieldMaps as Record<string, unknown>;
  const valueMaps = data.valueMaps as Record<string, unknown>;
  for (const [id, m] of Object.entries(fieldMaps)) {
    if (!isObj(m)) fail(`fieldMaps.${id} must be an object`);
    for (const [name, a] of Object.entries(m as Record<string, unknown>)) {
      if (!isObj(a) || typeof a.field !== 'string') fail(`fieldMaps.${id}.${name} needs 'field'`);
      const alias = a as Record<string, unknown>;
      if (alias.fidelity !== 'exact' && alias.fidelity !== 'approximate') fail(`fieldMaps.${id}.${name}.fidelity must be exact or approximate`);
      if (alias.transform !== undefined && alias.transform !== 'hex') fail(`fieldMaps.${id}.${name}.transform must be 'hex'`);
      if (alias.values !== undefined && !isObj(valueMaps[alias.values as string])) fail(`fieldMaps.${id}.${name}.values names no value map`);
    }
  }
  for (const [product, p] of Object.entries(data.products as Record<string, unknown>)) {
    if (!isObj(p) || !isObj(p.services) || !isObj(p.categories)) return fail(`products.${product} needs 'services' and 'categories'`);
    for (const [name, s] of Object.entries(p.services)) {
      if (!isObj(s)) fail(`service ${name} must be an object`);
      strList((s as Record<string, unknown>).channels, `service ${name}: channels`);
    }
    for (const [name, c] of Object.entries(p.categories)) {
      if (!isObj(c) || !Array.isArray(c.sources)) return fail(`category ${name} needs 'sources'`);
      for (const s of c.sources as unknown[]) {
        if (!isObj(s) || typeof s.service !== 'string' || !p.services[s.service]) fail(`category ${name}: a source names no known service`);
        const src = s as Record<string, unknown>;
        if (!Array.isArray(src.eventIds) || src.eventIds.some((x) => typeof x !== 'number')) fail(`category ${name}: eventIds must be numbers`);
        if (src.fieldMap !== undefined && !fieldMaps[src.fieldMap as string]) fail(`category ${name}: unknown field map '${String(src.fieldMap)}'`);
        if (src.conditions !== undefined) {
          if (!isObj(src.conditions)) fail(`category ${name}: conditions must be an object`);
          for (const [f, v] of Object.entries(src.conditions as Record<string, unknown>)) strList(v, `category ${name}: condition ${f}`);
        }
      }
    }
  }
  for (const [name, f] of Object.entries(data.systemFields as Record<string, unknown>)) {
    if (!isObj(f)) return fail(`systemFields.${name} must be an object`);
    strList(f.path, `systemFields.${name}.path`);
    strList(f.flat, `systemFields.${name}.flat`);
  }
  return data as unknown as Validated & Pick<RawData, 'version'>;
}
