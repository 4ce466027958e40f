import type { AttackTags, DiagnosticSink, Rule, Severity } from '../../model/index.js';
import { describeNode, getPair, keyText, toPlain, type YMap, type YNode } from '../yaml/index.js';

/** Reads the descriptive attributes shared by Sigma rules, correlations and filters. */

export const LEVELS: readonly Severity[] = ['informational', 'low', 'medium', 'high', 'critical'];
export const STATUSES = ['stable', 'test', 'experimental', 'deprecated', 'unsupported'] as const;
export const RELATION_TYPES = ['derived', 'obsolete', 'merged', 'renamed', 'similar'] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])$/;

export function str(map: YMap, key: string, sink: DiagnosticSink, opts: { required?: boolean; max?: number } = {}): string | undefined {
  const pair = getPair(map, key);
  if (!pair || pair.value === null || (pair.value.kind === 'scalar' && pair.value.value === null)) {
    if (opts.required) sink.error('sigma.missing-attribute', `required attribute '${key}' is missing`, pair ? pair.key : map);
    return undefined;
  }
  const v = pair.value;
  if (v.kind !== 'scalar') {
    sink.error('sigma.attribute-type', `'${key}' must be a string, not ${describeNode(v)}`, v);
    return undefined;
  }
  const text = v.raw ?? String(v.value);
  if (typeof v.value !== 'string') sink.info('sigma.attribute-type', `'${key}' is ${describeNode(v)}; read as the text '${text}'`, v);
  if (opts.max && text.length > opts.max) sink.warning('sigma.attribute-length', `'${key}' is ${text.length} characters long; the specification allows ${opts.max}`, v);
  return text;
}

export function strList(map: YMap, key: string, sink: DiagnosticSink): string[] {
  const pair = getPair(map, key);
  if (!pair || pair.value === null) return [];
  const v = pair.value;
  if (v.kind === 'scalar') {
    if (v.value === null) return [];
    sink.warning('sigma.attribute-type', `'${key}' should be a list; read the single value as a one-item list`, v);
    return [String(v.raw ?? v.value)];
  }
  if (v.kind !== 'seq') {
    sink.error('sigma.attribute-type', `'${key}' must be a list of strings, not ${describeNode(v)}`, v);
    return [];
  }
  const out: string[] = [];
  for (const item of v.items) {
    if (item && item.kind === 'scalar' && item.value !== null) out.push(String(item.raw ?? item.value));
    else sink.warning('sigma.attribute-type', `an item of '${key}' is ${describeNode(item)}; expected a string`, item ?? v);
  }
  return out;
}

/** Common attributes onto `rule`. */
export function readMetadata(map: YMap, rule: Rule, sink: DiagnosticSink): void {
  rule.title = str(map, 'title', sink, { required: true, max: 256 }) ?? '';
  const id = str(map, 'id', sink);
  if (id !== undefined) {
    rule.nativeId = id;
    if (!UUID.test(id)) sink.warning('sigma.id-format', `id '${id}' is not a UUID`, getPair(map, 'id')!.value!);
  }
  const name = str(map, 'name', sink, { max: 256 });
  if (name !== undefined) rule.name = name;
  const description = str(map, 'description', sink, { max: 65535 });
  if (description !== undefined) rule.description = description;
  const author = str(map, 'author', sink);
  if (author !== undefined) rule.author = author;
  for (const key of ['date', 'modified'] as const) {
    const d = str(map, key, sink);
    if (d === undefined) continue;
    rule[key] = d;
    if (!DATE.test(d)) sink.warning('sigma.date-format', `'${key}' should be a date YYYY-MM-DD, not '${d}'`, getPair(map, key)!.value!);
  }
  const status = str(map, 'status', sink);
  if (status !== undefined) {
    rule.status = status;
    if (!(STATUSES as readonly string[]).includes(status)) sink.warning('sigma.status', `status '${status}' is not one of ${STATUSES.join(', ')}`, getPair(map, 'status')!.value!);
  }
  const level = str(map, 'level', sink);
  if (level !== undefined) {
    if ((LEVELS as readonly string[]).includes(level)) rule.severity = level as Severity;
    else sink.warning('sigma.level', `level '${level}' is not one of ${LEVELS.join(', ')}`, getPair(map, 'level')!.value!);
  }
  rule.references = strList(map, 'references', sink);
  rule.falsePositives = strList(map, 'falsepositives', sink);
  rule.tags = strList(map, 'tags', sink);
  rule.attack = attackTags(rule.tags);
  const fields = strList(map, 'fields', sink);
  if (fields.length) rule.fields = fields;
  readRelated(map, rule, sink);
  const known = new Set(KNOWN_KEYS);
  for (const p of map.pairs) {
    const k = keyText(p);
    if (known.has(k)) continue;
    (rule.custom ??= {})[k] = toPlain(p.value);
  }
}

const KNOWN_KEYS = [
  'title', 'id', 'name', 'related', 'taxonomy', 'status', 'description', 'license', 'author', 'references', 'date', 'modified',
  'logsource', 'detection', 'fields', 'falsepositives', 'level', 'tags', 'scope', 'correlation', 'filter', 'generate',
];

function readRelated(map: YMap, rule: Rule, sink: DiagnosticSink): void {
  const pair = getPair(map, 'related');
  if (!pair || pair.value === null) return;
  if (pair.value.kind !== 'seq') {
    sink.warning('sigma.attribute-type', "'related' must be a list of {id, type}", pair.value);
    return;
  }
  const related: Array<{ id: string; type: string }> = [];
  for (const item of pair.value.items) {
    if (!item || item.kind !== 'map') {
      sink.warning('sigma.attribute-type', "an item of 'related' must be a map with 'id' and 'type'", item ?? pair.value);
      continue;
    }
    const id = str(item, 'id', sink, { required: true });
    const type = str(item, 'type', sink, { required: true });
    if (!id || !type) continue;
    if (!(RELATION_TYPES as readonly string[]).includes(type)) sink.warning('sigma.related-type', `related type '${type}' is not one of ${RELATION_TYPES.join(', ')}`, item);
    related.push({ id, type });
  }
  if (related.length) rule.related = related;
}

const TECHNIQUE = /^t\d{4}(\.\d{3})?$/;

/** Splits `attack.*` tags into tactics, techniques, groups and software (validation is elsewhere). */
export function attackTags(tags: string[]): AttackTags {
  const out: AttackTags = { tactics: [], techniques: [], groups: [], software: [] };
  for (const tag of tags) {
    const lower = tag.toLowerCase();
    if (!lower.startsWith('attack.')) continue;
    const v = lower.slice(7);
    if (TECHNIQUE.test(v)) out.techniques.push(v.toUpperCase());
    else if (/^g\d{4}$/.test(v)) out.groups.push(v.toUpperCase());
    else if (/^s\d{4}$/.test(v)) out.software.push(v.toUpperCase());
    else if (/^[a-z][a-z-]*$/.test(v)) out.tactics.push(v);
  }
  return out;
}

export function asMap(node: YNode | null): YMap | null {
  return node && node.kind === 'map' ? node : null;
}
