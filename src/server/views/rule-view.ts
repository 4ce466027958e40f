import type { AttackIndex, TagResolver } from '../../attack/index.js';
import { enrichRule, type Enrichment } from '../../enrich/index.js';
import { lintRule } from '../../lint/index.js';
import { bySeverityThenPosition, hasErrors, type Diagnostic, type Rule } from '../../model/index.js';
import { convert } from '../../translate/convert.js';
import { targets } from '../../translate/targets.js';
import type { RuleRecord } from '../data.js';
import type { TranslationView } from '../pages/translations.js';
import { Lru } from './lru.js';

/** Everything a rule page shows, computed once per rule and catalog generation. */
export interface RuleView {
  record: RuleRecord;
  enrichment: Enrichment;
  /** Sigma rules: every target. Other formats: their own query (translation reads Sigma). */
  translations: TranslationView[];
  /** The rule's own query text, for formats whose body wraps a query (SPL, KQL, EQL, ...). */
  nativeQuery: string | null;
  findings: Diagnostic[];
  /** Tables or indexes the rule reads in the main backends (the seed's `imProcessCreate`). */
  targetTables: Array<{ target: string; source: string }>;
}

export interface RuleViewContext {
  attack?: { index: AttackIndex; resolver: TagResolver } | null;
}

const NATIVE_LANGUAGE: Partial<Record<Rule['format'], string>> = { splunk: 'spl', kql: 'kql', elastic: 'eql', yaral: 'yaral' };

export class RuleViews {
  private readonly cache = new Lru<string, RuleView>(400);

  constructor(private readonly ctx: RuleViewContext) {}

  view(record: RuleRecord, generation: string): RuleView {
    const key = `${generation}\u0000${record.rule.id}`;
    let v = this.cache.get(key);
    if (!v) {
      v = buildRuleView(record, this.ctx);
      this.cache.set(key, v);
    }
    return v;
  }
}

export function buildRuleView(record: RuleRecord, ctx: RuleViewContext): RuleView {
  const rule = record.rule;
  const enrichment = record.enrichment ?? enrichRule(rule, enrichContext(record, ctx));
  const translations: TranslationView[] = [];
  let nativeQuery: string | null = null;
  if (rule.format === 'sigma') {
    // ASIM first: the seed shows it, and it is what Sentinel users run today.
    for (const t of [...targets()].sort((a, b) => Number(b.name === 'kql-asim') - Number(a.name === 'kql-asim'))) {
      const c = convert(rule, t.name);
      translations.push({ target: t.name, language: t.language, description: t.description, ok: c.ok, queries: c.queries, error: c.error, fidelity: c.fidelity });
    }
  } else if (rule.logic.length) {
    nativeQuery = rule.logic.map((s) => s.text.trim()).join('\n');
    const language = (rule.format === 'elastic' ? elasticLanguage(rule) : NATIVE_LANGUAGE[rule.format]) ?? 'text';
    translations.push({
      target: `${rule.format} (original)`,
      language,
      description: `The rule's own ${language.toUpperCase()} query; translation into other languages reads Sigma rules`,
      ok: true,
      queries: [nativeQuery],
      error: null,
      fidelity: { exact: true, target: rule.format, pipelines: [], sources: [], conditions: [], fields: [], approximated: [], dropped: [], unsupported: [] },
    });
  }
  const seen = new Set<string>();
  const findings = [...rule.diagnostics, ...(hasErrors(rule) || rule.diagnostics.some((d) => d.code.startsWith('lint.')) ? [] : lintRule(rule))]
    .filter((d) => {
      const k = `${d.code}|${d.line}|${d.column}|${d.message}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort(bySeverityThenPosition);
  const targetTables = translations
    .filter((t) => t.ok && ['kql-asim', 'kql-xdr', 'splunk-cim'].includes(t.target) && t.fidelity.sources.length)
    .map((t) => ({ target: t.target, source: t.fidelity.sources.join(', ') }));
  return { record, enrichment, translations, nativeQuery, findings, targetTables };
}

function elasticLanguage(rule: Rule): string {
  const cmd = rule.logic[0]?.command ?? '';
  return cmd.includes('esql') ? 'esql' : cmd.includes('eql') ? 'eql' : 'lucene';
}

function enrichContext(record: RuleRecord, ctx: RuleViewContext): Parameters<typeof enrichRule>[1] {
  const counts = new Map<string, number>();
  for (const i of record.indicators) counts.set(`${i.field}|${i.operator}|${i.value}`, i.corpusCount);
  return {
    ...(ctx.attack ? { attack: ctx.attack.index, resolver: ctx.attack.resolver } : {}),
    corpusCount: (i) => counts.get(`${i.field}|${i.operator}|${i.value}`) ?? 0,
  };
}
