import { blankRule, DiagnosticSink, LineTable, type Expr, type Rule, type RuleSource, type Span, type Stage } from '../../model/index.js';
import { describeNode, getPair, keyText, parseYamlDocuments, type YDocument, type YMap, type YNode } from '../yaml/index.js';
import { ConditionError, parseCondition } from './condition.js';
import { readCorrelation } from './correlation.js';
import { searchIdentifierExpr, spanOf } from './detection.js';
import { asMap, readMetadata } from './metadata.js';
import { validateRule, type ValidationContext } from './validators.js';

export interface SigmaReadOptions {
  /** Path shown in diagnostics and stored as the rule's source path. */
  file: string;
  /** Provenance to stamp on every rule (corpus, repository, commit, license, ...). */
  source?: Partial<RuleSource>;
  /** Prefix of rule ids (`sigma` by default: ids are `sigma:<id>`). */
  idPrefix?: string;
  /** Outside data the validators consult (ATT&CK, allowed fields per logsource). */
  validation?: ValidationContext;
}

/**
 * Reads a Sigma file (one or more YAML documents: rules, correlation rules, filters) into rules of
 * the shared intermediate form. Never throws: every problem is a diagnostic on the rule it
 * concerns, with the file, line and column. Always returns one rule per document (a document that
 * could not be read becomes a rule with no logic and an error), and at least one per file.
 */
export function readSigma(text: string, options: SigmaReadOptions): Rule[] {
  const lines = new LineTable(text);
  const file = options.file;
  if (text.includes('\u0000')) {
    const rule = emptyRule(text, options, 0, { start: 0, end: text.length });
    const sink = new DiagnosticSink(file, text, lines);
    sink.error('sigma.binary-file', 'the file contains NUL bytes: it is binary, not a YAML rule', text.indexOf('\u0000'));
    rule.diagnostics = sink.items;
    return [rule];
  }
  const docs = parseYamlDocuments(text);
  if (docs.length === 0) {
    const rule = emptyRule(text, options, 0, { start: 0, end: text.length });
    const sink = new DiagnosticSink(file, text, lines);
    sink.error('sigma.empty-file', 'the file holds no YAML document', 0);
    rule.diagnostics = sink.items;
    return [rule];
  }
  return docs.map((doc, i) => readDocument(text, doc, i, options, lines));
}

function emptyRule(text: string, options: SigmaReadOptions, index: number, body: Span): Rule {
  const source: RuleSource = { corpus: 'local', ...options.source, path: options.source?.path ?? options.file, ...(index ? { document: index } : {}) };
  return blankRule('sigma', source, text.slice(body.start, body.end), body);
}

function readDocument(text: string, doc: YDocument, index: number, options: SigmaReadOptions, lines: LineTable): Rule {
  const rule = emptyRule(text, options, index, { start: doc.start, end: doc.end });
  const sink = new DiagnosticSink(options.file, text, lines);
  if (doc.start > 0) rule.bodyLine = lines.at(doc.start).line;
  for (const e of doc.errors) sink.error('sigma.yaml-syntax', `YAML: ${e.message}`, e.offset);
  for (const w of doc.warnings) sink.warning('sigma.yaml-duplicate-key', `YAML: ${w.message}`, w.offset);
  const map = asMap(doc.root);
  if (!map) {
    if (doc.errors.length === 0) sink.error('sigma.not-a-map', `a Sigma rule is a YAML map of attributes, not ${describeNode(doc.root)}`, doc.root ?? doc.start);
    finish(rule, sink, options, index);
    return rule;
  }
  readMetadata(map, rule, sink);
  if (getPair(map, 'correlation')) readCorrelationRule(map, rule, sink);
  else if (getPair(map, 'filter') && !getPair(map, 'detection')) readFilter(map, rule, sink);
  else readDetectionRule(map, rule, sink);
  validateRule(map, rule, sink, options.validation);
  finish(rule, sink, options, index);
  return rule;
}

function finish(rule: Rule, sink: DiagnosticSink, options: SigmaReadOptions, index: number): void {
  const prefix = options.idPrefix ?? 'sigma';
  const suffix = index > 0 ? `#${index}` : '';
  rule.id = rule.nativeId ? `${prefix}:${rule.nativeId}` : `${prefix}:${options.source?.path ?? options.file}${suffix}`;
  rule.diagnostics = sink.items;
}

function readLogsource(map: YMap, rule: Rule, sink: DiagnosticSink): void {
  const pair = getPair(map, 'logsource');
  if (!pair || !pair.value || (pair.value.kind === 'scalar' && pair.value.value === null)) {
    sink.error('sigma.missing-attribute', "required attribute 'logsource' is missing", pair?.key ?? map);
    return;
  }
  if (pair.value.kind !== 'map') {
    sink.error('sigma.attribute-type', `'logsource' must be a map (category, product, service), not ${describeNode(pair.value)}`, pair.value);
    return;
  }
  const ls: Record<string, string> = {};
  for (const p of pair.value.pairs) {
    const k = keyText(p);
    if (p.value === null || (p.value.kind === 'scalar' && p.value.value === null)) continue;
    if (p.value.kind !== 'scalar') {
      sink.warning('sigma.attribute-type', `logsource '${k}' must be a string`, p.value);
      continue;
    }
    ls[k] = String(p.value.raw ?? p.value.value);
  }
  if (!ls.category && !ls.product && !ls.service) sink.error('sigma.logsource', 'logsource needs at least one of category, product or service', pair.value);
  rule.logsource = ls;
}

/** Search identifiers of a detection-like map (all keys but the reserved ones). */
function identifiers(map: YMap, reserved: Set<string>, sink: DiagnosticSink): Map<string, Expr> {
  const out = new Map<string, Expr>();
  for (const p of map.pairs) {
    const name = keyText(p);
    if (reserved.has(name)) continue;
    if (name === 'timeframe') {
      sink.warning('sigma.obsolete', "'timeframe' in detection is obsolete since Sigma 2.0; use a correlation rule's timespan", p.key);
      continue;
    }
    if (!/^[\w.-]+$/.test(name)) sink.warning('sigma.identifier-name', `search identifier '${name}' has characters a condition cannot name`, p.key);
    out.set(name, searchIdentifierExpr(name, p.value, spanOf(p.key), sink));
  }
  return out;
}

function conditionExpr(map: YMap, ids: Map<string, Expr>, sink: DiagnosticSink, what: string): Expr | undefined {
  const pair = getPair(map, 'condition');
  if (!pair || pair.value === null || (pair.value.kind === 'scalar' && pair.value.value === null)) {
    sink.error('sigma.missing-condition', `${what} has no 'condition'`, pair?.key ?? map);
    return undefined;
  }
  const used = new Set<string>();
  const nodes: YNode[] = [];
  if (pair.value.kind === 'seq') {
    for (const item of pair.value.items) if (item) nodes.push(item);
    if (nodes.length === 0) sink.error('sigma.missing-condition', `${what} has an empty condition list`, pair.value);
  } else nodes.push(pair.value);
  const exprs: Expr[] = [];
  for (const node of nodes) {
    if (node.kind !== 'scalar' || typeof node.value !== 'string') {
      sink.error('sigma.condition-type', `a condition must be a string, not ${describeNode(node)}`, node);
      continue;
    }
    const source = node.value;
    const base = node.start + (node.style === 'single' || node.style === 'double' ? 1 : 0);
    const exact = sink.text.slice(base, base + source.length) === source;
    const at = exact ? (o: number) => base + o : () => node.start;
    try {
      exprs.push(parseCondition(source, { identifiers: ids, used, sink, at }));
    } catch (e) {
      if (!(e instanceof ConditionError)) throw e;
      sink.error('sigma.condition-syntax', `condition: ${e.message}`, exact ? { start: base + e.start, end: base + e.end } : spanOf(node));
    }
  }
  for (const [name, expr] of ids) {
    if (!used.has(name) && exprs.length === nodes.length) sink.warning('sigma.unused-detection', `search identifier '${name}' is never used by the condition`, expr.span);
  }
  if (exprs.length !== nodes.length || exprs.length === 0) return undefined;
  return exprs.length === 1 ? exprs[0] : { kind: 'or', args: exprs, span: spanOf(pair.value), label: 'condition list' };
}

const DETECTION_RESERVED = new Set(['condition']);

function readDetectionRule(map: YMap, rule: Rule, sink: DiagnosticSink): void {
  readLogsource(map, rule, sink);
  const pair = getPair(map, 'detection');
  if (!pair || !pair.value) {
    sink.error('sigma.missing-attribute', "required attribute 'detection' is missing", pair?.key ?? map);
    return;
  }
  if (pair.value.kind !== 'map') {
    sink.error('sigma.attribute-type', `'detection' must be a map of search identifiers and a condition, not ${describeNode(pair.value)}`, pair.value);
    return;
  }
  const detection = pair.value;
  const ids = identifiers(detection, DETECTION_RESERVED, sink);
  if (ids.size === 0) sink.error('sigma.empty-detection', 'detection defines no search identifier', detection);
  const filter = conditionExpr(detection, ids, sink, 'detection');
  const stage: Stage = { index: 0, command: 'detection', role: 'filter', text: sink.text.slice(pair.key.start, detection.end), span: { start: pair.key.start, end: detection.end } };
  if (filter) stage.filter = filter;
  rule.logic = [stage];
}

const FILTER_RESERVED = new Set(['condition', 'rules']);

function readFilter(map: YMap, rule: Rule, sink: DiagnosticSink): void {
  rule.kind = 'filter';
  readLogsource(map, rule, sink);
  const pair = getPair(map, 'filter')!;
  if (!pair.value || pair.value.kind !== 'map') {
    sink.error('sigma.attribute-type', `'filter' must be a map with 'rules', search identifiers and a 'condition', not ${describeNode(pair.value)}`, pair.value ?? pair.key);
    return;
  }
  const section = pair.value;
  const rulesPair = getPair(section, 'rules');
  const rules: string[] = [];
  if (!rulesPair || !rulesPair.value) sink.error('sigma.filter', "a filter needs 'rules': the ids or names of the rules it applies to", rulesPair?.key ?? section);
  else if (rulesPair.value.kind === 'scalar') rules.push(String(rulesPair.value.value));
  else if (rulesPair.value.kind === 'seq') for (const i of rulesPair.value.items) if (i?.kind === 'scalar') rules.push(String(i.value));
  rule.filter = { rules, span: spanOf(section) };
  const ids = identifiers(section, FILTER_RESERVED, sink);
  const expr = conditionExpr(section, ids, sink, 'filter');
  const stage: Stage = { index: 0, command: 'filter', role: 'filter', text: sink.text.slice(pair.key.start, section.end), span: { start: pair.key.start, end: section.end } };
  if (expr) stage.filter = expr;
  rule.logic = [stage];
}

function readCorrelationRule(map: YMap, rule: Rule, sink: DiagnosticSink): void {
  rule.kind = 'correlation';
  const pair = getPair(map, 'correlation')!;
  if (!pair.value || pair.value.kind !== 'map') {
    sink.error('sigma.attribute-type', `'correlation' must be a map (type, rules, group-by, timespan, condition), not ${describeNode(pair.value)}`, pair.value ?? pair.key);
    return;
  }
  const genPair = getPair(map, 'generate');
  const generate = genPair?.value?.kind === 'scalar' && genPair.value.value === true;
  const correlation = readCorrelation(pair.value, generate, sink);
  if (!correlation) return;
  rule.correlation = correlation;
  rule.logic = [
    {
      index: 0,
      command: 'correlation',
      role: 'correlate',
      text: sink.text.slice(pair.key.start, pair.value.end),
      span: { start: pair.key.start, end: pair.value.end },
      args: { type: correlation.type, rules: correlation.rules, groupBy: correlation.groupBy, timespan: correlation.timespan.text },
    },
  ];
}
