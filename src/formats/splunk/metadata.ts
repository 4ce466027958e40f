import type { DiagnosticSink, Rule, Severity } from '../../model/index.js';
import { describeNode, getPair, keyText, toPlain, type YMap, type YNode } from '../yaml/index.js';

/**
 * The descriptive attributes of a Splunk Security Content detection (contentctl's schema):
 * `name` → title, `id`, `description`, `author`, `date`, `status`, `type`, `data_source`,
 * `references`, `known_false_positives`, `how_to_implement`, and under `tags`: `mitre_attack_id`,
 * `analytic_story`, `cve`, `confidence`, `impact`, `risk_score`, `required_fields`, ...
 * Unknown keys are kept in `custom`.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TECHNIQUE = /^T\d{4}(\.\d{3})?$/;
export const DETECTION_TYPES = ['TTP', 'Anomaly', 'Hunting', 'Correlation', 'Baseline', 'Investigation'] as const;

/**
 * Risk score → severity, as Splunk's contentctl derives a detection's severity: the risk score is
 * confidence × impact / 100 (both 0–100, rounded down), then
 * 0–20 informational, 21–40 low, 41–60 medium, 61–80 high, 81–100 critical.
 */
export function riskSeverity(score: number): Severity {
  if (score <= 20) return 'informational';
  if (score <= 40) return 'low';
  if (score <= 60) return 'medium';
  if (score <= 80) return 'high';
  return 'critical';
}

export function riskScore(confidence: number, impact: number): number {
  return Math.floor((confidence * impact) / 100);
}

function scalarText(node: YNode | null | undefined): string | undefined {
  if (!node || node.kind !== 'scalar' || node.value === null) return undefined;
  return node.raw ?? String(node.value);
}

function str(map: YMap, key: string, sink: DiagnosticSink, required = false): string | undefined {
  const pair = getPair(map, key);
  if (!pair || pair.value === null || (pair.value.kind === 'scalar' && pair.value.value === null)) {
    if (required) sink.error('splunk.missing-attribute', `required attribute '${key}' is missing`, pair ? pair.key : map);
    return undefined;
  }
  if (pair.value.kind !== 'scalar') {
    sink.warning('splunk.attribute-type', `'${key}' must be a string, not ${describeNode(pair.value)}`, pair.value);
    return undefined;
  }
  return scalarText(pair.value);
}

function list(map: YMap, key: string, sink: DiagnosticSink): string[] {
  const pair = getPair(map, key);
  if (!pair || pair.value === null) return [];
  const v = pair.value;
  if (v.kind === 'scalar') return v.value === null ? [] : [scalarText(v)!];
  if (v.kind !== 'seq') {
    sink.warning('splunk.attribute-type', `'${key}' must be a list of strings, not ${describeNode(v)}`, v);
    return [];
  }
  const out: string[] = [];
  for (const item of v.items) {
    const t = scalarText(item);
    if (t !== undefined) out.push(t);
    else sink.warning('splunk.attribute-type', `an item of '${key}' is ${describeNode(item)}; expected a string`, item ?? v);
  }
  return out;
}

function num(map: YMap, key: string, sink: DiagnosticSink): number | undefined {
  const pair = getPair(map, key);
  if (!pair?.value) return undefined;
  if (pair.value.kind !== 'scalar' || typeof pair.value.value !== 'number') {
    sink.warning('splunk.attribute-type', `'${key}' must be a number, not ${describeNode(pair.value)}`, pair.value);
    return undefined;
  }
  return pair.value.value;
}

const TOP_KEYS = new Set(['name', 'title', 'id', 'description', 'author', 'date', 'status', 'data_source', 'data_sources', 'references', 'known_false_positives', 'tags', 'search', 'logic', 'technique_id']);
const TAG_KEYS = new Set(['mitre_attack_id', 'cve', 'CVE', 'analytic_story']);

/** Reads the detection's attributes onto `rule` (everything but the search). */
export function readMetadata(map: YMap, rule: Rule, sink: DiagnosticSink): void {
  const custom: Record<string, unknown> = {};
  rule.title = str(map, 'name', sink) ?? str(map, 'title', sink) ?? '';
  if (!rule.title) sink.error('splunk.missing-attribute', "required attribute 'name' is missing", getPair(map, 'name')?.key ?? map);
  const id = str(map, 'id', sink, true);
  if (id !== undefined) {
    rule.nativeId = id;
    if (!UUID.test(id) && getPair(map, 'search')) sink.warning('splunk.id-format', `id '${id}' is not a UUID`, getPair(map, 'id')!.value!);
  }
  const description = str(map, 'description', sink);
  if (description !== undefined) rule.description = description.trim();
  const author = str(map, 'author', sink);
  if (author !== undefined) rule.author = author;
  const date = str(map, 'date', sink);
  if (date !== undefined) {
    rule.date = date;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) sink.warning('splunk.date-format', `'date' should be YYYY-MM-DD, not '${date}'`, getPair(map, 'date')!.value!);
  }
  const status = str(map, 'status', sink);
  if (status !== undefined) rule.status = status;
  rule.dataSources = [...list(map, 'data_source', sink), ...list(map, 'data_sources', sink)];
  rule.references = list(map, 'references', sink);
  const fp = str(map, 'known_false_positives', sink);
  if (fp !== undefined) rule.falsePositives = [fp.trim()];
  const type = str(map, 'type', sink);
  if (type !== undefined && !(DETECTION_TYPES as readonly string[]).includes(type)) sink.warning('splunk.type', `type '${type}' is not one of ${DETECTION_TYPES.join(', ')}`, getPair(map, 'type')!.value!);
  const techniques: string[] = list(map, 'technique_id', sink);
  const tagsPair = getPair(map, 'tags');
  const tags = tagsPair?.value?.kind === 'map' ? tagsPair.value : null;
  if (tagsPair?.value && !tags) sink.warning('splunk.attribute-type', `'tags' must be a map, not ${describeNode(tagsPair.value)}`, tagsPair.value);
  const ruleTags: string[] = [];
  if (tags) {
    techniques.push(...list(tags, 'mitre_attack_id', sink));
    const stories = list(tags, 'analytic_story', sink);
    if (stories.length) custom.analytic_story = stories;
    for (const s of stories) ruleTags.push(`analytic_story:${s}`);
    for (const c of [...list(tags, 'cve', sink), ...list(tags, 'CVE', sink)]) ruleTags.push(`cve.${c.replace(/^cve-/i, '').toLowerCase()}`);
    readRisk(tags, rule, sink, custom);
    const rest: Record<string, unknown> = {};
    for (const p of tags.pairs) {
      const k = keyText(p);
      if (!TAG_KEYS.has(k) && !['confidence', 'impact', 'risk_score'].includes(k)) rest[k] = toPlain(p.value);
    }
    if (Object.keys(rest).length) custom.tags = rest;
  }
  for (const t of techniques) {
    const id = t.trim().toUpperCase();
    if (!TECHNIQUE.test(id)) {
      sink.warning('splunk.attack-id', `'${t}' is not an ATT&CK technique id (T1234 or T1234.001)`, (tags && getPair(tags, 'mitre_attack_id')?.value) ?? tagsPair?.key ?? map);
      continue;
    }
    if (!rule.attack.techniques.includes(id)) rule.attack.techniques.push(id);
  }
  rule.tags = [...rule.attack.techniques.map((t) => `attack.${t.toLowerCase()}`), ...ruleTags];
  for (const p of map.pairs) {
    const k = keyText(p);
    if (!TOP_KEYS.has(k)) custom[k] = toPlain(p.value);
  }
  if (Object.keys(custom).length) rule.custom = custom;
}

function readRisk(tags: YMap, rule: Rule, sink: DiagnosticSink, custom: Record<string, unknown>): void {
  const confidence = num(tags, 'confidence', sink);
  const impact = num(tags, 'impact', sink);
  const stated = num(tags, 'risk_score', sink);
  if (confidence !== undefined) custom.confidence = confidence;
  if (impact !== undefined) custom.impact = impact;
  let score: number | undefined;
  if (confidence !== undefined && impact !== undefined) {
    for (const [k, v] of [['confidence', confidence], ['impact', impact]] as const) {
      if (v < 0 || v > 100) sink.warning('splunk.risk-range', `'${k}' is ${v}; it must be between 0 and 100`, getPair(tags, k)!.value!);
    }
    score = riskScore(confidence, impact);
    if (stated !== undefined && stated !== score) {
      sink.warning('splunk.risk-score', `risk_score is ${stated} but confidence × impact / 100 is ${score} (${confidence} × ${impact}); severity follows the computed score`, getPair(tags, 'risk_score')!.value!);
    }
  } else score = stated;
  if (score !== undefined) {
    custom.risk_score = score;
    rule.severity = riskSeverity(Math.max(0, Math.min(100, score)));
  }
}
