/**
 * Canonical fields: the names the same observable has in each vocabulary (Sigma, Splunk CIM,
 * Sentinel tables, ASIM, Defender XDR, ECS, Chronicle UDM), so an indicator's field is one name
 * whatever the vendor. The data and the resolution rules are in `fields.yml` beside this module;
 * this is its validated, indexed view. Rule-level helpers (which vocabulary and context a rule
 * has) are in fields-context.ts, indicator normalization in fields-indicators.ts.
 */
import { readFileSync } from 'node:fs';
import jsyaml from 'js-yaml';

export type Vocabulary = 'sigma' | 'splunk' | 'sentinel' | 'asim' | 'xdr' | 'ecs' | 'udm' | 'raw';

export const VOCABULARIES: readonly Vocabulary[] = ['sigma', 'splunk', 'sentinel', 'asim', 'xdr', 'ecs', 'udm', 'raw'];

/** A name a canonical field has in one vocabulary; `in` restricts it to those context keys. */
export interface FieldName {
  name: string;
  in?: readonly string[];
}

export interface CanonicalFieldInfo {
  name: string;
  doc: string;
  /** Not an ECS field (an extension in ECS style). */
  extension: boolean;
  /** For a path field: the field holding its last component. */
  nameField?: string;
  /** For a list of `ALGO=value` hashes: algorithm (lower case) → hash field. */
  hashes?: Readonly<Record<string, string>>;
  /** For a list field whose elements are text of another field: that field. */
  within?: string;
  /** The names listed for each vocabulary (without fallbacks). */
  names: Readonly<Partial<Record<Vocabulary, readonly FieldName[]>>>;
}

/**
 * How a name was resolved:
 * - `context`: an entry restricted to a context key the rule has;
 * - `plain`: an entry valid in any context;
 * - `first`: only restricted entries exist and none matched: the first one;
 * - `local`: a known vendor-local name (namespaced, no cross-vendor meaning);
 * - `identity`: an ECS name not listed, canonical as it is;
 * - `windows`: an unlisted Windows event field, `winlog.event_data.<Name>`;
 * - `derived`: a field the rule itself computes (set by the rule-level canonicalizer);
 * - `unknown`: nothing matched, namespaced `<vocab>:<name>`.
 */
export type FieldResolutionKind = 'context' | 'plain' | 'first' | 'local' | 'identity' | 'windows' | 'derived' | 'unknown';

export interface FieldResolution {
  canonical: string;
  via: FieldResolutionKind;
  /** The vocabulary whose entry matched (a fallback such as `raw`, when it was one). */
  vocabulary?: Vocabulary;
  /** The context key that selected a restricted entry. */
  contextKey?: string;
  /** Whether the name only matched ignoring case. */
  caseInsensitive?: boolean;
}

/** Whether a resolution names a cross-vendor canonical field (not a namespaced fallback). */
export function isCanonical(r: FieldResolution): boolean {
  return r.via !== 'unknown' && r.via !== 'local' && r.via !== 'derived';
}

/** A set of lower-case context keys, with the kinds the data's patterns derive from them. */
export interface FieldContext {
  readonly keys: ReadonlySet<string>;
  /** A stable text for caching: the sorted keys. */
  readonly id: string;
}

interface Entry {
  canonical: string;
  in: ReadonlySet<string> | null;
}

interface VocabularyInfo {
  fallback: Vocabulary[];
  identity: boolean;
  rewrite: Array<{ re: RegExp; replace: string }>;
  datasets: Map<string, string>;
  local: Set<string>;
}

const EMPTY_CONTEXT: FieldContext = { keys: new Set(), id: '' };
const WINDOWS_NAME = /^(?=[A-Za-z][A-Za-z0-9_]*$)(?:.*[A-Z]|param\d+$)/;

export class FieldTaxonomy {
  readonly fields: ReadonlyMap<string, CanonicalFieldInfo>;
  readonly windowsEventData: string;
  /** Fields whose equality values name a rule's context, per vocabulary. */
  readonly contextFields: ReadonlyMap<Vocabulary, readonly string[]>;
  private readonly vocab = new Map<Vocabulary, VocabularyInfo>();
  private readonly exact = new Map<Vocabulary, Map<string, Entry[]>>();
  private readonly folded = new Map<Vocabulary, Map<string, Entry[]>>();
  private readonly kqlVocab: Array<{ re: RegExp; vocabulary: Vocabulary }>;
  private readonly patterns: Array<{ re: RegExp; kinds: string[] }>;
  private readonly kindCache = new Map<string, readonly string[]>();
  private readonly memo = new Map<string, FieldResolution>();
  private readonly chains = new Map<string, readonly Vocabulary[]>();

  constructor(data: unknown) {
    const d = validate(data);
    this.windowsEventData = d.windowsEventData;
    for (const v of VOCABULARIES) {
      const raw = d.vocabularies[v] ?? {};
      this.vocab.set(v, {
        fallback: raw.fallback ?? [],
        identity: raw.identity === true,
        rewrite: (raw.rewrite ?? []).map((r) => ({ re: new RegExp(r.match), replace: r.replace })),
        datasets: new Map(Object.entries(raw.datasets ?? {})),
        local: new Set(raw.local ?? []),
      });
      this.exact.set(v, new Map());
      this.folded.set(v, new Map());
    }
    this.contextFields = new Map(Object.entries(d.contextFields) as Array<[Vocabulary, string[]]>);
    this.kqlVocab = d.kqlVocabularies.map((k) => ({ re: new RegExp(k.match), vocabulary: k.vocabulary }));
    this.patterns = d.contexts.map((c) => ({ re: new RegExp(`^(?:${c.match})$`, 'i'), kinds: c.kinds }));
    const fields = new Map<string, CanonicalFieldInfo>();
    for (const [canonical, f] of Object.entries(d.fields)) {
      const names: Partial<Record<Vocabulary, FieldName[]>> = {};
      for (const v of VOCABULARIES) {
        const list = f[v];
        if (!list) continue;
        names[v] = list.map((n) => (typeof n === 'string' ? { name: n } : { name: n.name, in: n.in.map((k) => k.toLowerCase()) }));
        for (const n of names[v]) this.add(v, n.name, { canonical, in: n.in ? new Set(n.in) : null });
      }
      const info: CanonicalFieldInfo = { name: canonical, doc: f.doc, extension: f.extension === true, names };
      if (f.nameField) info.nameField = f.nameField;
      if (f.hashes) info.hashes = f.hashes;
      if (f.within) info.within = f.within;
      fields.set(canonical, info);
    }
    this.fields = fields;
    this.checkConsistency();
  }

  private add(v: Vocabulary, name: string, e: Entry): void {
    const exact = this.exact.get(v)!;
    (exact.get(name) ?? exact.set(name, []).get(name)!).push(e);
    const folded = this.folded.get(v)!;
    const low = name.toLowerCase();
    (folded.get(low) ?? folded.set(low, []).get(low)!).push(e);
  }

  /** Every (vocabulary, name) has at most one plain entry, and restricted entries share no key. */
  private checkConsistency(): void {
    for (const [v, map] of this.exact) {
      for (const [name, entries] of map) {
        if (entries.filter((e) => e.in === null).length > 1) {
          throw new Error(`fields.yml: ${v} name '${name}' has several context-free entries (${entries.filter((e) => e.in === null).map((e) => e.canonical).join(', ')})`);
        }
        const seen = new Map<string, string>();
        for (const e of entries) {
          for (const k of e.in ?? []) {
            const other = seen.get(k);
            if (other !== undefined && other !== e.canonical) throw new Error(`fields.yml: ${v} name '${name}' in context '${k}' is both ${other} and ${e.canonical}`);
            seen.set(k, e.canonical);
          }
        }
      }
    }
    for (const f of this.fields.values()) {
      if (f.nameField && !this.fields.has(f.nameField)) throw new Error(`fields.yml: ${f.name}.nameField names no field (${f.nameField})`);
      if (f.within && !this.fields.has(f.within)) throw new Error(`fields.yml: ${f.name}.within names no field (${f.within})`);
      for (const h of Object.values(f.hashes ?? {})) if (!this.fields.has(h) && !/\.(hash\.\w+|imphash)$/.test(h)) throw new Error(`fields.yml: ${f.name}.hashes names no hash field (${h})`);
    }
  }

  /** The vocabulary and its fallbacks, in lookup order. */
  chain(vocabularies: Vocabulary | readonly Vocabulary[]): readonly Vocabulary[] {
    const key = typeof vocabularies === 'string' ? vocabularies : vocabularies.join(',');
    let c = this.chains.get(key);
    if (!c) {
      c = this.buildChain(vocabularies);
      this.chains.set(key, c);
    }
    return c;
  }

  private buildChain(vocabularies: Vocabulary | readonly Vocabulary[]): Vocabulary[] {
    const out: Vocabulary[] = [];
    const visit = (v: Vocabulary): void => {
      if (out.includes(v)) return;
      out.push(v);
      for (const f of this.vocab.get(v)!.fallback) visit(f);
    };
    for (const v of typeof vocabularies === 'string' ? [vocabularies] : vocabularies) visit(v);
    return out;
  }

  /** A context from identifiers (logsource values, tables, data sources, ...) and the kinds they imply. */
  context(identifiers: Iterable<string> | undefined): FieldContext {
    if (!identifiers) return EMPTY_CONTEXT;
    const keys = new Set<string>();
    for (const raw of identifiers) {
      const id = raw.trim().toLowerCase();
      if (!id) continue;
      keys.add(id);
      for (const k of this.kinds(id)) keys.add(k);
    }
    if (keys.size === 0) return EMPTY_CONTEXT;
    return { keys, id: [...keys].sort().join('|') };
  }

  /** The kinds a context identifier implies (`sysmon eventid 7` → image_load, windows). */
  kinds(identifier: string): readonly string[] {
    const id = identifier.toLowerCase();
    let k = this.kindCache.get(id);
    if (!k) {
      const out: string[] = [];
      for (const p of this.patterns) if (p.re.test(id)) for (const kind of p.kinds) if (!out.includes(kind)) out.push(kind);
      k = out;
      this.kindCache.set(id, k);
    }
    return k;
  }

  /** The vocabulary of a KQL table or function (`DeviceProcessEvents` → xdr, `imProcessCreate` → asim), else sentinel. */
  kqlVocabulary(table: string): Vocabulary {
    for (const k of this.kqlVocab) if (k.re.test(table)) return k.vocabulary;
    return 'sentinel';
  }

  /** Resolves a field name of one (or several, tried in order) vocabularies in a context. */
  resolve(vocabularies: Vocabulary | readonly Vocabulary[], field: string, context?: FieldContext | Iterable<string>): FieldResolution {
    const ctx = context === undefined ? EMPTY_CONTEXT : isContext(context) ? context : this.context(context);
    const chain = this.chain(vocabularies);
    const key = `${typeof vocabularies === 'string' ? vocabularies : vocabularies.join(',')}\u0000${ctx.id}\u0000${field}`;
    let r = this.memo.get(key);
    if (!r) {
      r = this.lookup(chain, field, ctx);
      if (this.memo.size > 200_000) this.memo.clear();
      this.memo.set(key, r);
    }
    return r;
  }

  /** The canonical field of a name (see {@link resolve}). */
  canonical(vocabularies: Vocabulary | readonly Vocabulary[], field: string, context?: FieldContext | Iterable<string>): string {
    return this.resolve(vocabularies, field, context).canonical;
  }

  private lookup(chain: readonly Vocabulary[], field: string, ctx: FieldContext): FieldResolution {
    const primary = chain[0]!;
    for (const v of chain) if (this.vocab.get(v)!.local.has(field)) return { canonical: `${primary}:${field}`, via: 'local', vocabulary: v };
    let name = field;
    for (const v of chain) for (const r of this.vocab.get(v)!.rewrite) name = name.replace(r.re, r.replace);
    let keys = ctx.keys;
    for (const v of chain) {
      const datasets = this.vocab.get(v)!.datasets;
      if (datasets.size === 0) continue;
      const dot = name.indexOf('.');
      const kind = dot > 0 ? datasets.get(name.slice(0, dot)) : undefined;
      if (kind) {
        name = name.slice(dot + 1);
        keys = new Set([...keys, kind, ...this.kinds(kind)]);
      }
    }
    for (const v of chain) if (name !== field && this.vocab.get(v)!.local.has(name)) return { canonical: `${primary}:${name}`, via: 'local', vocabulary: v };
    const hit = this.find(chain, this.exact, name, keys, false);
    if (hit) return hit;
    // In a Windows log an unlisted PascalCase name is an EventData field: that beats another
    // source's meaning of the name (`Status`) and a listed name of another case (`status`).
    if (keys.has('windows') && chain.includes('raw') && WINDOWS_NAME.test(name)) return { canonical: this.windowsEventData + name, via: 'windows', vocabulary: primary };
    const folded = this.find(chain, this.folded, name.toLowerCase(), keys, true);
    if (folded) return folded;
    if (chain.some((v) => this.vocab.get(v)!.identity)) return { canonical: name, via: 'identity', vocabulary: primary };
    const first = this.first(chain, name);
    if (first) return first;
    return { canonical: `${primary}:${name}`, via: 'unknown' };
  }

  /** Steps 2 and 3: an entry for one of the context's keys, else a context-free entry. */
  private find(chain: readonly Vocabulary[], index: Map<Vocabulary, Map<string, Entry[]>>, name: string, keys: ReadonlySet<string>, folded: boolean): FieldResolution | undefined {
    const lists = chain.map((v) => [v, index.get(v)!.get(name)] as const).filter((x): x is readonly [Vocabulary, Entry[]] => x[1] !== undefined);
    if (lists.length === 0) return undefined;
    const done = (e: Entry, v: Vocabulary, via: FieldResolutionKind, contextKey?: string): FieldResolution => {
      const r: FieldResolution = { canonical: e.canonical, via, vocabulary: v };
      if (contextKey) r.contextKey = contextKey;
      if (folded) r.caseInsensitive = true;
      return r;
    };
    if (keys.size) {
      for (const [v, entries] of lists) {
        for (const e of entries) {
          if (!e.in) continue;
          for (const k of e.in) if (keys.has(k)) return done(e, v, 'context', k);
        }
      }
    }
    for (const [v, entries] of lists) for (const e of entries) if (!e.in) return done(e, v, 'plain');
    return undefined;
  }

  /** Step 4: the name (exact case only) is known only in other contexts: its first meaning. */
  private first(chain: readonly Vocabulary[], name: string): FieldResolution | undefined {
    for (const v of chain) {
      const e = this.exact.get(v)!.get(name)?.[0];
      if (e) return { canonical: e.canonical, via: 'first', vocabulary: v };
    }
    return undefined;
  }

  /**
   * The names of a canonical field in a vocabulary, its fallbacks included (Sigma's names are
   * mostly the log source's own, listed under `raw`). ECS names a field by itself unless the
   * field is an extension; an unlisted `winlog.event_data.<Name>` is `<Name>` in a Windows context.
   */
  names(canonical: string, vocabulary: Vocabulary): FieldName[] {
    const out: FieldName[] = [];
    const info = this.fields.get(canonical);
    for (const v of this.chain(vocabulary)) for (const n of info?.names[v] ?? []) out.push(n);
    if (vocabulary === 'ecs' && (info ? !info.extension : !canonical.includes(':'))) {
      if (!out.some((n) => n.name === canonical) && !this.exact.get('ecs')!.has(canonical)) out.unshift({ name: canonical });
    }
    if (canonical.startsWith(this.windowsEventData) && this.chain(vocabulary).includes('raw')) {
      const bare = canonical.slice(this.windowsEventData.length);
      if (!out.some((n) => n.name === bare)) out.push({ name: bare, in: ['windows'] });
    }
    return out;
  }

  /** The names of a canonical field in every vocabulary. */
  allNames(canonical: string): Record<Vocabulary, FieldName[]> {
    const out = {} as Record<Vocabulary, FieldName[]>;
    for (const v of VOCABULARIES) out[v] = this.names(canonical, v);
    return out;
  }
}

function isContext(c: FieldContext | Iterable<string>): c is FieldContext {
  return typeof c === 'object' && c !== null && 'keys' in c && 'id' in c;
}

let cached: FieldTaxonomy | undefined;

/** The built-in field taxonomy (`fields.yml` beside this module), read once. */
export function fieldTaxonomy(): FieldTaxonomy {
  if (!cached) cached = new FieldTaxonomy(loadFieldsData());
  return cached;
}

/** The raw data of `fields.yml` (for tools and tests that want to read it as written). */
export function loadFieldsData(): unknown {
  return jsyaml.load(readFileSync(new URL('./fields.yml', import.meta.url), 'utf8'), { schema: jsyaml.CORE_SCHEMA });
}

/**
 * The canonical field of `field` as written in `vocabulary`, in an optional context (context
 * identifiers such as a Sigma logsource category, a table name, a data model dataset). Unknown
 * names come back namespaced (`sigma:logtype`), unlisted ECS names as they are, unlisted Windows
 * event fields as `winlog.event_data.<Name>` when the context says Windows.
 */
export function canonicalField(vocabulary: Vocabulary | readonly Vocabulary[], field: string, context?: string | Iterable<string>): string {
  return fieldTaxonomy().canonical(vocabulary, field, typeof context === 'string' ? [context] : context);
}

/** The names a canonical field has in a vocabulary (reverse lookup). */
export function fieldNames(canonical: string, vocabulary: Vocabulary): FieldName[] {
  return fieldTaxonomy().names(canonical, vocabulary);
}

interface RawField {
  doc: string;
  extension?: boolean;
  nameField?: string;
  hashes?: Record<string, string>;
  within?: string;
  [vocab: string]: unknown;
}

interface RawData {
  version: number;
  vocabularies: Partial<Record<Vocabulary, { fallback?: Vocabulary[]; identity?: boolean; rewrite?: Array<{ match: string; replace: string }>; datasets?: Record<string, string>; local?: string[] }>>;
  windowsEventData: string;
  contextFields: Record<string, string[]>;
  kqlVocabularies: Array<{ match: string; vocabulary: Vocabulary }>;
  contexts: Array<{ match: string; kinds: string[] }>;
  fields: Record<string, RawField & Partial<Record<Vocabulary, Array<string | { name: string; in: string[] }>>>>;
}

/** Checks the shape, so a bad edit of the data fails loudly at load, naming the entry. */
function validate(data: unknown): RawData {
  const fail = (msg: string): never => {
    throw new Error(`fields.yml: ${msg}`);
  };
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const strList = (v: unknown, what: string): void => {
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) fail(`${what} must be a list of strings`);
  };
  const regex = (s: unknown, what: string): void => {
    if (typeof s !== 'string') fail(`${what} must be a string`);
    try {
      new RegExp(s as string);
    } catch (e) {
      fail(`${what}: ${(e as Error).message}`);
    }
  };
  const isVocab = (v: unknown): v is Vocabulary => typeof v === 'string' && (VOCABULARIES as readonly string[]).includes(v);
  if (!isObj(data)) return fail('not a map');
  if (data.version !== 1) fail(`unsupported version ${String(data.version)}`);
  for (const k of ['vocabularies', 'contextFields', 'fields']) if (!isObj(data[k])) fail(`'${k}' must be a map`);
  if (typeof data.windowsEventData !== 'string') fail("'windowsEventData' must be a string");
  for (const [v, info] of Object.entries(data.vocabularies as Record<string, unknown>)) {
    if (!isVocab(v)) fail(`unknown vocabulary '${v}'`);
    if (!isObj(info)) return fail(`vocabularies.${v} must be a map`);
    if (info.fallback !== undefined && (!Array.isArray(info.fallback) || !info.fallback.every(isVocab))) fail(`vocabularies.${v}.fallback must list vocabularies`);
    if (info.local !== undefined) strList(info.local, `vocabularies.${v}.local`);
    for (const [i, r] of ((info.rewrite ?? []) as unknown[]).entries()) {
      if (!isObj(r) || typeof r.replace !== 'string') fail(`vocabularies.${v}.rewrite[${i}] needs match and replace`);
      regex((r as Record<string, unknown>).match, `vocabularies.${v}.rewrite[${i}].match`);
    }
  }
  for (const [v, list] of Object.entries(data.contextFields as Record<string, unknown>)) {
    if (!isVocab(v)) fail(`contextFields: unknown vocabulary '${v}'`);
    strList(list, `contextFields.${v}`);
  }
  if (!Array.isArray(data.kqlVocabularies)) fail("'kqlVocabularies' must be a list");
  for (const [i, k] of (data.kqlVocabularies as unknown[]).entries()) {
    if (!isObj(k) || !isVocab(k.vocabulary)) return fail(`kqlVocabularies[${i}] needs match and a vocabulary`);
    regex(k.match, `kqlVocabularies[${i}].match`);
  }
  if (!Array.isArray(data.contexts)) fail("'contexts' must be a list");
  for (const [i, c] of (data.contexts as unknown[]).entries()) {
    if (!isObj(c)) return fail(`contexts[${i}] must be a map`);
    regex(c.match, `contexts[${i}].match`);
    strList(c.kinds, `contexts[${i}].kinds`);
  }
  const FIELD_KEYS = new Set(['doc', 'extension', 'nameField', 'hashes', 'within', ...VOCABULARIES]);
  for (const [name, f] of Object.entries(data.fields as Record<string, unknown>)) {
    if (!isObj(f)) return fail(`fields.${name} must be a map`);
    if (typeof f.doc !== 'string' || !f.doc) fail(`fields.${name} needs a doc`);
    for (const k of Object.keys(f)) if (!FIELD_KEYS.has(k)) fail(`fields.${name}: unknown key '${k}'`);
    if (f.extension !== undefined && typeof f.extension !== 'boolean') fail(`fields.${name}.extension must be true or false`);
    for (const k of ['nameField', 'within']) if (f[k] !== undefined && typeof f[k] !== 'string') fail(`fields.${name}.${k} must be a field name`);
    if (f.hashes !== undefined && (!isObj(f.hashes) || Object.values(f.hashes).some((h) => typeof h !== 'string'))) fail(`fields.${name}.hashes must map algorithms to fields`);
    for (const v of VOCABULARIES) {
      const list = f[v];
      if (list === undefined) continue;
      if (!Array.isArray(list)) return fail(`fields.${name}.${v} must be a list`);
      for (const n of list) {
        if (typeof n === 'string') continue;
        if (!isObj(n) || typeof n.name !== 'string') fail(`fields.${name}.${v}: an entry is neither a name nor {name, in}`);
        strList((n as Record<string, unknown>).in, `fields.${name}.${v}: '${String((n as Record<string, unknown>).name)}' in`);
      }
    }
  }
  return data as unknown as RawData;
}
