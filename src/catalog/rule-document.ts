import YAML from 'yaml';
import { lintRule } from '../lint/index.js';
import { hasErrors, printExpr, type Rule } from '../model/index.js';
import type { RuleRecord } from '../server/data.js';

/**
 * A stored rule as `ruleatlas show --json` prints it: metadata with provenance, the logic as
 * stages and predicates, indicators with corpus counts, search terms, event coverage, similar
 * rules, findings, and the five enrichment sections (each with its provenance and confidence).
 */
export function ruleDocument(record: RuleRecord, options: { ir?: boolean } = {}) {
  const { rule, summary, enrichment } = record;
  const findings = [...rule.diagnostics, ...(hasErrors(rule) ? [] : lintRule(rule))].map((d) => ({ severity: d.severity, code: d.code, message: d.message, line: d.line, column: d.column }));
  return {
    id: rule.id,
    native_id: rule.nativeId,
    title: summary.title,
    format: rule.format,
    kind: rule.kind,
    severity: rule.severity ?? null,
    status: rule.status ?? null,
    date: rule.date ?? null,
    modified: rule.modified ?? null,
    author: rule.author ?? null,
    description: rule.description ?? null,
    techniques: rule.attack.techniques,
    tactics: rule.attack.tactics,
    platforms: summary.platforms,
    data_sources: rule.dataSources,
    references: rule.references,
    provenance: {
      source: rule.source.corpus,
      repository: rule.source.repository ?? null,
      commit: rule.source.commit ?? null,
      path: rule.source.path,
      url: rule.source.url ?? null,
      license: rule.source.license ?? null,
    },
    logic: {
      format: rule.format,
      body: rule.body,
      stages: rule.logic.map((s) => ({
        index: s.index + 1,
        command: s.command,
        role: s.role,
        text: s.text,
        ...(s.filter ? { predicates: printExpr(s.filter, '') } : {}),
        ...(s.args ? { args: s.args } : {}),
      })),
      ...(rule.correlation ? { correlation: rule.correlation } : {}),
    },
    indicators: record.indicators.map((i) => ({
      field: i.field,
      source_field: i.sourceField,
      operator: i.operator,
      value: i.display,
      normalized: i.value,
      negated: i.negated,
      stage: i.stage + 1,
      corpus_count: i.corpusCount,
    })),
    search_terms: record.searchTerms.map((t) => ({ stage: t.stage + 1, term: t.term, operator: t.operator, negated: t.negated })),
    event_coverage: record.eventCoverage.map((e) => ({ provider: e.provider, event_id: e.eventId, title: e.title ?? null })),
    similar_rules: record.similar.map((s) => ({ id: s.id, title: s.title, source: s.source, shared_indicators: s.shared })),
    findings,
    sections: enrichment
      ? {
          attack_context: enrichment.attack,
          required_data_sources: enrichment.dataSources,
          hunt_hypothesis: enrichment.hypothesis,
          false_positive_guidance: enrichment.falsePositives,
          confidence: enrichment.confidence,
        }
      : null,
    ...(options.ir ? { ir: rule } : {}),
  };
}

/**
 * The rule in the catalog schema of seed 002 (id, title, description, logic_format, logic,
 * techniques, technique_id, data_category, references), for exchange with catalogs of that shape.
 */
export function catalogExport(record: RuleRecord): Record<string, unknown> {
  const { rule, enrichment } = record;
  const techniques = enrichment?.attack.content.techniques ?? [];
  return {
    id: rule.id,
    title: record.summary.title,
    description: rule.description ?? '',
    logic_format: FORMAT_NAMES[rule.format],
    logic: logicText(rule),
    techniques: techniques.flatMap((t) => t.tactics.map((tac) => `${tac}:${t.name.toLowerCase()}`)).filter((v, i, a) => a.indexOf(v) === i),
    technique_id: rule.attack.techniques,
    data_category: [...new Set([...rule.dataSources, ...(enrichment?.dataSources.content.needs.map((n) => n.source) ?? [])])],
    references: rule.references,
  };
}

const FORMAT_NAMES: Record<Rule['format'], string> = { sigma: 'Sigma', splunk: 'Splunk', kql: 'KQL', elastic: 'Elastic', yaral: 'YARA-L' };

/** The rule's logic as its own language writes it: the query for query languages, the detection for Sigma. */
function logicText(rule: Rule): string {
  if (rule.format === 'sigma') {
    const doc = YAML.parse(rule.body) as Record<string, unknown> | null;
    return doc && typeof doc === 'object' && 'detection' in doc ? YAML.stringify({ detection: doc.detection }).trim() : rule.body;
  }
  return rule.logic.map((s) => s.text).join(' ').trim() || rule.body;
}

export function exportYaml(doc: Record<string, unknown>): string {
  return YAML.stringify(doc, { lineWidth: 100 });
}
