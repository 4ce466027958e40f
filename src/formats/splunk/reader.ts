import { blankRule, DiagnosticSink, LineTable, type Rule, type RuleSource, type Span, type Stage } from '../../model/index.js';
import { describeNode, getPair, parseYamlDocuments, type YDocument } from '../yaml/index.js';
import type { MacroTable } from './macros.js';
import { readMetadata } from './metadata.js';
import { scalarMap, verbatimMap } from './offsets.js';
import { parseQuery } from './pipeline.js';

export interface SplunkReadOptions {
  /** Path shown in diagnostics and stored as the rule's source path. */
  file: string;
  /** Provenance to stamp on every rule (corpus, repository, commit, license, ...). */
  source?: Partial<RuleSource>;
  /** Prefix of rule ids (`splunk` by default: ids are `splunk:<id>`). */
  idPrefix?: string;
  /**
   * The macros to expand (a Security Content `macros/` folder: {@link loadMacros},
   * {@link findSplunkMacros}). Without them only the built-in formatting macros expand.
   */
  macros?: MacroTable | null;
}

/**
 * Reads a Splunk Security Content detection (YAML with an SPL `search`; a catalog export with a
 * `logic` field is read too) into rules of the shared intermediate form. Never throws: every
 * problem is a diagnostic with file, line and column. One rule per YAML document.
 */
export function readSplunk(text: string, options: SplunkReadOptions): Rule[] {
  const lines = new LineTable(text);
  if (text.includes('\u0000')) return [failed(text, options, lines, 'splunk.binary-file', 'the file contains NUL bytes: it is binary, not a YAML detection', text.indexOf('\u0000'))];
  const docs = parseYamlDocuments(text);
  if (docs.length === 0) return [failed(text, options, lines, 'splunk.empty-file', 'the file holds no YAML document', 0)];
  return docs.map((doc, i) => readDocument(text, doc, i, options, lines));
}

function emptyRule(text: string, options: SplunkReadOptions, index: number, body: Span): Rule {
  const path = options.source?.path ?? options.file;
  const source: RuleSource = { corpus: 'local', ...options.source, path, ...(index ? { document: index } : {}) };
  if (source.repository && source.commit && !source.url && !path.startsWith('/')) source.url = `https://github.com/${source.repository}/blob/${source.commit}/${path}`;
  return blankRule('splunk', source, text.slice(body.start, body.end), body);
}

function failed(text: string, options: SplunkReadOptions, lines: LineTable, code: string, message: string, at: number): Rule {
  const rule = emptyRule(text, options, 0, { start: 0, end: text.length });
  const sink = new DiagnosticSink(options.file, text, lines);
  sink.error(code, message, at);
  finish(rule, sink, options, 0);
  return rule;
}

function finish(rule: Rule, sink: DiagnosticSink, options: SplunkReadOptions, index: number): void {
  const prefix = options.idPrefix ?? 'splunk';
  rule.id = rule.nativeId ? `${prefix}:${rule.nativeId}` : `${prefix}:${options.source?.path ?? options.file}${index ? `#${index}` : ''}`;
  rule.diagnostics = sink.items;
}

function readDocument(text: string, doc: YDocument, index: number, options: SplunkReadOptions, lines: LineTable): Rule {
  const rule = emptyRule(text, options, index, { start: doc.start, end: doc.end });
  const sink = new DiagnosticSink(options.file, text, lines);
  for (const e of doc.errors) sink.error('splunk.yaml-syntax', `YAML: ${e.message}`, e.offset);
  for (const w of doc.warnings) sink.warning('splunk.yaml-duplicate-key', `YAML: ${w.message}`, w.offset);
  const map = doc.root?.kind === 'map' ? doc.root : null;
  if (!map) {
    if (doc.errors.length === 0) sink.error('splunk.not-a-map', `a detection is a YAML map of attributes, not ${describeNode(doc.root)}`, doc.root ?? doc.start);
    finish(rule, sink, options, index);
    return rule;
  }
  readMetadata(map, rule, sink);
  const pair = getPair(map, 'search') ?? getPair(map, 'logic');
  const format = getPair(map, 'logic_format')?.value;
  if (!getPair(map, 'search') && format?.kind === 'scalar' && typeof format.value === 'string' && !/^(splunk|spl)$/i.test(format.value)) {
    sink.error('splunk.not-spl', `logic_format is '${format.value}': only Splunk SPL is read here`, format);
  } else if (!pair || pair.value === null || (pair.value.kind === 'scalar' && pair.value.value === null)) {
    sink.error('splunk.missing-search', "required attribute 'search' (the SPL query) is missing", pair?.key ?? map);
  } else if (pair.value.kind !== 'scalar' || typeof pair.value.value !== 'string') {
    sink.error('splunk.attribute-type', `'search' must be a string holding the SPL query, not ${describeNode(pair.value)}`, pair.value);
  } else {
    rule.logic = parseQuery(pair.value.value, scalarMap(text, pair.value), options.macros, sink);
  }
  finish(rule, sink, options, index);
  return rule;
}

export interface SplParseOptions {
  /** Shown in diagnostics (default `inline.spl`). */
  file?: string;
  macros?: MacroTable | null;
}

/** Parses one SPL query on its own (spans are offsets into `query`). */
export function parseSpl(query: string, options: SplParseOptions = {}): { stages: Stage[]; diagnostics: DiagnosticSink['items'] } {
  const sink = new DiagnosticSink(options.file ?? 'inline.spl', query);
  const stages = parseQuery(query, verbatimMap(0), options.macros, sink);
  return { stages, diagnostics: sink.items };
}
