import { catalogExport, exportYaml, ruleDocument } from '../../catalog/rule-document.js';
import { llmConfigFromEnv, rewriteSection, type LlmCache, type LlmConfig } from '../../enrich/index.js';
import { printExpr } from '../../model/index.js';
import type { RuleRecord } from '../../server/data.js';
import { writeOut } from '../output/write.js';
import { openCatalog } from './catalog-store.js';

export interface ShowOptions {
  db?: string;
  json?: boolean;
  ir?: boolean;
  export?: string;
}

/**
 * `ruleatlas show RULE_ID`: 0 when shown, 1 when the rule or the store is missing, 2 on usage
 * errors. With an LLM configured (RULEATLAS_LLM_URL, RULEATLAS_LLM_MODEL), each enrichment section
 * is rewritten into prose, checked against its facts, and cached in the store.
 */
export async function showCommand(id: string, opts: ShowOptions): Promise<number> {
  if (opts.export && opts.export !== 'yaml' && opts.export !== 'json') {
    console.error(`ruleatlas show: --export must be yaml or json, not '${opts.export}'`);
    return 2;
  }
  const llm = llmConfigFromEnv();
  const cat = openCatalog('show', opts.db, { writable: llm !== null });
  if (!cat) return 1;
  try {
    const record = cat.data.rule(id);
    if (!record) {
      const hits = cat.data.search({ text: id, offset: 0, limit: 5 }).items;
      console.error(`ruleatlas show: no rule ${id} in the catalog${hits.length ? `; did you mean: ${hits.map((h) => h.id).join(', ')}` : ''}`);
      return 1;
    }
    if (llm && record.enrichment) await rewriteWithLlm(record, llm, cat.store.llmCache());
    if (opts.export === 'json') void writeOut(JSON.stringify(catalogExport(record), null, 2) + '\n');
    else if (opts.export === 'yaml') void writeOut(exportYaml(catalogExport(record)));
    else if (opts.json) void writeOut(JSON.stringify(ruleDocument(record, { ir: opts.ir ?? false }), null, 2) + '\n');
    else void writeOut(showText(record));
    return 0;
  } finally {
    cat.store.close();
  }
}

/** Each section through the LLM; a section whose rewrite fails the fact check stays deterministic. */
async function rewriteWithLlm(record: RuleRecord, config: LlmConfig, cache: LlmCache): Promise<void> {
  const e = record.enrichment!;
  for (const kind of ['attack', 'dataSources', 'hypothesis', 'falsePositives', 'confidence'] as const) {
    const r = await rewriteSection(kind, e[kind], config, cache);
    if (r.rejected) console.error(`ruleatlas show: kept the deterministic ${kind} section: the LLM's text ${r.rejected}`);
    (e as unknown as Record<string, unknown>)[kind] = r.section;
  }
}

function showText(record: RuleRecord): string {
  const doc = ruleDocument(record);
  const out: string[] = [];
  const s = doc.sections;
  out.push(doc.title, `  ${doc.id}   ${doc.format}   severity ${doc.severity ?? '-'}   status ${doc.status ?? '-'}${s ? `   confidence ${s.confidence.content.level}` : ''}`);
  out.push(`  ${doc.provenance.repository ?? doc.provenance.source}${doc.provenance.commit ? ` @ ${doc.provenance.commit.slice(0, 12)}` : ''}: ${doc.provenance.path}${doc.provenance.license ? `  (${doc.provenance.license})` : ''}`);
  if (doc.description) out.push('', wrap(doc.description, '  '));
  if (s) {
    out.push('', 'Hunt hypothesis', wrap(s.hunt_hypothesis.text ?? s.hunt_hypothesis.content.statement, '  '));
    out.push('', 'ATT&CK context');
    for (const t of s.attack_context.content.techniques) out.push(`  ${t.id} ${t.name} (${t.tactics.join(', ')})${t.groups.length ? `; used by ${t.groups.slice(0, 5).map((g) => g.name).join(', ')}` : ''}`);
    for (const n of s.attack_context.content.newerThanLoaded) out.push(`  ${n}: newer than the loaded ATT&CK`);
    out.push('', 'Required data sources');
    for (const n of s.required_data_sources.content.needs) out.push(`  ${n.source}${n.eventIds?.length ? `: ${n.eventIds.map((e) => `${e.id}${e.title ? ` (${e.title})` : ''}`).join(', ')}` : ''}`);
    for (const b of s.required_data_sources.content.backends) out.push(`  ${b.target}: ${b.source ?? `none (${b.note ?? ''})`}`);
    out.push('', 'False-positive guidance');
    for (const f of s.false_positive_guidance.content.stated) out.push(`  - ${f}`);
    for (const c of s.false_positive_guidance.content.common.slice(0, 5)) out.push(`  common: ${c.field} ${c.operator} ${JSON.stringify(c.value)} (${c.corpusCount} other rules)`);
    for (const f of s.false_positive_guidance.content.suggestedFilters.slice(0, 5)) out.push(`  filter: ${f}`);
    out.push('', `Confidence: ${s.confidence.content.level} (${s.confidence.content.reasons.join('; ')})`);
  }
  out.push('', 'Stages and predicates');
  for (const st of record.rule.logic) {
    out.push(`  Stage ${st.index + 1}: ${st.command}`);
    if (st.filter) out.push(printExpr(st.filter, '    '));
  }
  out.push('', `Indicators (${doc.indicators.length})`);
  for (const i of doc.indicators) out.push(`  ${i.negated ? 'not ' : ''}${i.field} ${i.operator} ${JSON.stringify(i.value)}   corpus ${i.corpus_count}`);
  if (doc.search_terms.length) out.push('', 'Search terms', ...doc.search_terms.map((t) => `  ${t.stage}: ${t.term}`));
  if (doc.event_coverage.length) out.push('', 'Event coverage', ...doc.event_coverage.map((e) => `  ${e.provider}  ${e.event_id}  ${e.title ?? ''}`));
  if (doc.similar_rules.length) out.push('', 'Similar rules', ...doc.similar_rules.map((r) => `  ${r.id}  ${r.title}  (${r.shared_indicators} shared)`));
  if (doc.findings.length) out.push('', 'Findings', ...doc.findings.map((f) => `  ${f.line}:${f.column} ${f.severity} ${f.code}: ${f.message}`));
  return out.join('\n') + '\n';
}

function wrap(text: string, pad: string): string {
  const words = text.replace(/\s+/g, ' ').trim().split(' ');
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && line.length + w.length > 96) {
      lines.push(pad + line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(pad + line);
  return lines.join('\n');
}
