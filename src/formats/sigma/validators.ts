import { walkExpr, type DiagnosticSink, type Rule } from '../../model/index.js';
import { closest } from '../../model/suggest.js';
import { getPair, keyText, type YMap, type YNode } from '../yaml/index.js';

/**
 * Rule-quality checks in the spirit of pySigma's validators. Findings are warnings or infos: a
 * rule with them still parses. Checks that need outside data (ATT&CK, allowed fields per
 * logsource) take it through {@link ValidationContext}.
 */

/** ATT&CK tactic short names Sigma accepts: ATT&CK v18 plus the v19 split of defense-evasion. */
export const SIGMA_TACTICS = [
  'reconnaissance', 'resource-development', 'initial-access', 'execution', 'persistence', 'privilege-escalation',
  'defense-evasion', 'stealth', 'defense-impairment', 'credential-access', 'discovery', 'lateral-movement', 'collection',
  'command-and-control', 'exfiltration', 'impact',
];

const TAG_FORMAT = /^[a-z0-9_-]+\.[a-z0-9._-]+$/;
const KNOWN_NAMESPACES = ['attack', 'car', 'cve', 'd3fend', 'detection', 'stp', 'tlp'];

export interface TagCheck {
  /** null when the tag is fine; else a message (and a suggestion) for a finding. */
  (tag: string): { severity: 'warning' | 'info'; message: string } | null;
}

export interface ValidationContext {
  /** Checks `attack.*` tags against a loaded ATT&CK index (optional; syntax is always checked). */
  attackTag?: TagCheck;
  /** Allowed fields per logsource (SigmaHQ's tests/logsource.json), when known. */
  logsourceFields?: LogsourceFields;
}

export function validateRule(map: YMap, rule: Rule, sink: DiagnosticSink, context: ValidationContext = {}): void {
  checkTags(map, sink, context);
  const detection = getPair(map, 'detection')?.value;
  if (detection && detection.kind === 'map') checkWildcardsForModifiers(detection, sink);
  if (context.logsourceFields && rule.logsource) checkFields(rule, context.logsourceFields, sink);
}

function checkTags(map: YMap, sink: DiagnosticSink, context: ValidationContext): void {
  const pair = getPair(map, 'tags');
  if (!pair?.value || pair.value.kind !== 'seq') return;
  const seen = new Set<string>();
  for (const item of pair.value.items) {
    if (!item || item.kind !== 'scalar' || item.value === null) continue;
    const tag = String(item.value);
    if (seen.has(tag)) sink.warning('sigma.duplicate-tag', `tag '${tag}' appears twice`, item);
    seen.add(tag);
    if (!TAG_FORMAT.test(tag)) {
      sink.warning('sigma.tag-format', `tag '${tag}' should be lower-case 'namespace.value' (letters, digits, '_', '-', '.')`, item);
      continue;
    }
    const ns = tag.slice(0, tag.indexOf('.'));
    if (!KNOWN_NAMESPACES.includes(ns)) {
      const hint = closest(ns, KNOWN_NAMESPACES);
      sink.warning('sigma.tag-namespace', `unknown tag namespace '${ns}'${hint ? ` (did you mean '${hint}'?)` : ''}`, item);
      continue;
    }
    if (ns === 'attack') checkAttackTag(tag, item, sink, context);
    if (ns === 'tlp' && !/^tlp\.(clear|white|green|amber|amber-strict|red)$/.test(tag)) sink.warning('sigma.tag-tlp', `'${tag}' is not a TLP level (clear, green, amber, amber-strict, red)`, item);
    if (ns === 'cve' && !/^cve\.\d{4}-\d{4,}$/.test(tag)) sink.warning('sigma.tag-cve', `'${tag}' is not a CVE id (cve.YYYY-NNNN)`, item);
    if (ns === 'detection' && !/^detection\.(dfir|emerging-threats|threat-hunting)$/.test(tag)) sink.warning('sigma.tag-detection', `'${tag}' is not one of detection.dfir, detection.emerging-threats, detection.threat-hunting`, item);
  }
}

function checkAttackTag(tag: string, at: YNode, sink: DiagnosticSink, context: ValidationContext): void {
  const v = tag.slice('attack.'.length);
  const ok = /^t\d{4}(\.\d{3})?$/.test(v) || /^[gs]\d{4}$/.test(v) || /^(ds|m|a)\d{4}$/.test(v) || SIGMA_TACTICS.includes(v);
  if (!ok) {
    let hint: string | undefined;
    if (/^t\d/.test(v)) hint = 'techniques are tNNNN or tNNNN.NNN';
    else {
      const c = closest(v, SIGMA_TACTICS);
      if (c) hint = `did you mean 'attack.${c}'?`;
    }
    sink.warning('sigma.attack-tag', `unknown ATT&CK tag '${tag}'${hint ? ` (${hint})` : ''}`, at);
    return;
  }
  const check = context.attackTag?.(tag);
  if (check) sink.add(check.severity, 'sigma.attack-tag', check.message, at);
}

/**
 * `Field: '*value*'` without modifiers: Sigma has `contains`/`startswith`/`endswith` for that
 * (pySigma's wildcards_instead_of_modifiers validator).
 */
function checkWildcardsForModifiers(detection: YMap, sink: DiagnosticSink): void {
  const visitItem = (key: string, value: YNode | null, at: YNode): void => {
    if (key.includes('|') || key === '') return;
    const values = value?.kind === 'seq' ? value.items : [value];
    const strings = values.filter((v): v is Extract<YNode, { kind: 'scalar' }> => v?.kind === 'scalar' && typeof v.value === 'string');
    if (strings.length === 0 || strings.length !== values.length) return;
    const shape = (s: string): string | null => {
      const lead = s.startsWith('*');
      const trail = s.endsWith('*') && !s.endsWith('\\*');
      const inner = s.slice(lead ? 1 : 0, trail ? -1 : undefined);
      if (/(^|[^\\])[*?]/.test(inner)) return null;
      return lead && trail ? 'contains' : lead ? 'endswith' : trail ? 'startswith' : null;
    };
    const shapes = new Set(strings.map((s) => shape(String(s.value))));
    if (shapes.size === 1) {
      const [mod] = shapes;
      if (mod) sink.info('sigma.wildcards-instead-of-modifier', `'${key}' uses '*' around its values: '${key}|${mod}' says the same more clearly`, at);
    }
  };
  for (const p of detection.pairs) {
    if (keyText(p) === 'condition') continue;
    const maps = p.value?.kind === 'map' ? [p.value] : p.value?.kind === 'seq' ? p.value.items.filter((i): i is YMap => i?.kind === 'map') : [];
    for (const m of maps) for (const item of m.pairs) visitItem(keyText(item), item.value, item.key);
  }
}

// ---- fields allowed per logsource -------------------------------------------------------------

export interface LogsourceFields {
  legit: Record<string, LogsourceProduct>;
  addon?: Record<string, Partial<LogsourceProduct>>;
}

interface LogsourceProduct {
  common?: string[];
  category?: Record<string, string[]>;
  service?: Record<string, string[]>;
}

/** The fields a logsource allows, or null when the file does not describe it. */
export function allowedFields(data: LogsourceFields, ls: Record<string, string>): Set<string> | null {
  const product = ls.product ?? 'empty';
  const legit = data.legit[product];
  if (!legit) return null;
  const addon = data.addon?.[product];
  let list: string[] | undefined;
  if (ls.category) list = [...(legit.category?.[ls.category] ?? []), ...(addon?.category?.[ls.category] ?? [])];
  else if (ls.service) list = [...(legit.service?.[ls.service] ?? []), ...(addon?.service?.[ls.service] ?? [])];
  if (!list || list.length === 0) return null;
  return new Set([...(legit.common ?? []), ...list]);
}

function checkFields(rule: Rule, data: LogsourceFields, sink: DiagnosticSink): void {
  const allowed = allowedFields(data, rule.logsource!);
  if (!allowed) return;
  const reported = new Set<string>();
  for (const stage of rule.logic) {
    if (!stage.filter) continue;
    walkExpr(stage.filter, (n) => {
      const field = 'field' in n ? n.field : undefined;
      if (!field || allowed.has(field) || reported.has(field)) return;
      reported.add(field);
      const hint = closest(field, allowed);
      const where = [rule.logsource!.product, rule.logsource!.category ?? rule.logsource!.service].filter(Boolean).join('/');
      sink.warning('sigma.field-not-in-logsource', `field '${field}' is not a known field of ${where}${hint ? ` (did you mean '${hint}'?)` : ''}`, n.span);
    });
  }
}
