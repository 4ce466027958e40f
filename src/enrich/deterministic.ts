import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import jsyaml from 'js-yaml';
import type { Technique } from '../attack/index.js';
import { extractIndicators, hasErrors, type Indicator, type Rule } from '../model/index.js';
import { lintRule } from '../lint/index.js';
import { convert } from '../translate/convert.js';
import { windowsSources } from '../translate/pipeline/windows.js';
import { logsourceTaxonomy } from '../taxonomy/logsources.js';
import type { AttackContext, ConfidenceFacts, DataSources, EnrichContext, Enrichment, FalsePositiveGuidance, Hypothesis, Provenance, Section } from './types.js';

/**
 * Deterministic enrichment: every statement is built from facts RuleAtlas holds (the rule, the
 * ATT&CK bundle, the corpus's indicator counts, translations, lint, regression runs) and names
 * them in its provenance. An LLM may rewrite the prose later; it may not add facts.
 */

interface Collection {
  security: Record<string, { title: string; config: string }>;
  channels: Record<string, string>;
}

let collection: Collection | undefined;
function collectionData(): Collection {
  collection ??= jsyaml.load(readFileSync(fileURLToPath(new URL('./collection.yml', import.meta.url)), 'utf8'), { schema: jsyaml.CORE_SCHEMA }) as Collection;
  return collection;
}

type Convert = (target: string) => ReturnType<typeof convert>;

const det = (facts: string[]): Provenance => ({ kind: 'deterministic', facts });

export function enrichRule(rule: Rule, ctx: EnrichContext = {}): Enrichment {
  const indicators = ctx.indicators ? ctx.indicators(rule) : extractIndicators(rule, ctx.canonical ?? ((f: string) => f));
  const attack = attackSection(rule, ctx);
  // Both the data-source and the confidence sections translate the rule: once per target.
  const conversions = new Map<string, ReturnType<typeof convert>>();
  const conv: Convert = (target) => conversions.get(target) ?? conversions.set(target, convert(rule, target)).get(target)!;
  const dataSources = dataSourceSection(rule, conv);
  const hypothesis = hypothesisSection(rule, indicators, attack.content, ctx);
  const falsePositives = falsePositiveSection(rule, indicators, ctx);
  const confidence = confidenceSection(rule, indicators, ctx, conv);
  return { attack, dataSources, hypothesis, falsePositives, confidence };
}

// ---- ATT&CK context ------------------------------------------------------------------------

function attackSection(rule: Rule, ctx: EnrichContext): Section<AttackContext> {
  const content: AttackContext = { techniques: [], tactics: [], newerThanLoaded: [], unknown: [] };
  const { attack, resolver } = ctx;
  if (!attack || !resolver) {
    content.tactics = rule.attack.tactics.map((t) => ({ shortname: t, name: t }));
    return { content, confidence: 'low', provenance: det(['rule tags (no ATT&CK bundle loaded)']) };
  }
  const version = attack.version.attack ?? '?';
  for (const id of rule.attack.techniques) {
    const r = resolver.resolveTechnique(id);
    if (r.newerThanLoaded && !r.loadedIds.length && !r.rollupId) content.newerThanLoaded.push(id);
    if (r.status === 'unknown') content.unknown.push(id);
    const ids = r.loadedIds.length ? r.loadedIds : r.rollupId ? [r.rollupId] : [];
    if (r.newerThanLoaded) content.newerThanLoaded.push(id);
    for (const tid of ids) {
      const t = attack.technique(tid);
      if (!t || content.techniques.some((x) => x.id === t.id)) continue;
      content.techniques.push(techniqueFacts(t, ctx, r.via ? r.via.relation : 'direct'));
    }
  }
  const tacticNames = new Set([...rule.attack.tactics, ...content.techniques.flatMap((t) => t.tactics)]);
  for (const name of tacticNames) {
    const r = resolver.resolveTactic(name);
    const tactic = r.loadedIds[0] ? attack.tactic(r.loadedIds[0]) : attack.tactic(name);
    if (tactic) content.tactics.push({ shortname: name, name: tactic.name, id: tactic.id });
    else if (r.newerThanLoaded) {
      content.tactics.push({ shortname: name, name });
      content.newerThanLoaded.push(name);
    } else content.tactics.push({ shortname: name, name });
  }
  content.newerThanLoaded = [...new Set(content.newerThanLoaded)];
  const confidence = content.techniques.length === 0 ? 'low' : content.techniques.every((t) => t.resolvedVia === 'direct') ? 'high' : 'medium';
  return { content, confidence, provenance: det([`ATT&CK ${version} (${attack.version.domain ?? 'enterprise-attack'})`, 'rule tags', ...(content.newerThanLoaded.length ? ['Sigma v18→v19 retagging hints'] : [])]) };
}

type TechniqueFacts = AttackContext['techniques'][number];

// The facts of a technique are the same for every rule that cites it: computed once per bundle.
const techniqueCache = new WeakMap<object, Map<string, Omit<TechniqueFacts, 'resolvedVia'>>>();

function techniqueFacts(t: Technique, ctx: EnrichContext, via: string): TechniqueFacts {
  const attack = ctx.attack!;
  let cache = techniqueCache.get(attack);
  if (!cache) techniqueCache.set(attack, (cache = new Map()));
  let facts = cache.get(t.id);
  if (!facts) {
    const parent = t.parentId ? attack.technique(t.parentId) : undefined;
    const pick = <T extends { id: string; name: string }>(xs: T[], n: number) => xs.slice(0, n).map((x) => ({ id: x.id, name: x.name }));
    facts = {
      id: t.id,
      name: t.name,
      tactics: t.tactics,
      ...(parent ? { parent: { id: parent.id, name: parent.name } } : {}),
      description: firstSentences(t.description, 2),
      ...(t.url ? { url: t.url } : {}),
      groups: pick(attack.groupsUsing(t.id, { subtechniques: true }), 12),
      software: pick(attack.softwareUsing(t.id, { subtechniques: true }), 12),
      detectionStrategies: pick(attack.detectionStrategiesFor(t.id), 5),
      dataComponents: pick(attack.dataComponentsFor(t.id), 8),
    };
    cache.set(t.id, facts);
  }
  return { ...facts, resolvedVia: via };
}

function firstSentences(text: string, n: number): string {
  const clean = text.replace(/\(Citation:[^)]*\)/g, '').replace(/\s+/g, ' ').trim();
  const parts = clean.match(/[^.!?]+[.!?]+/g) ?? [clean];
  return parts.slice(0, n).join(' ').trim();
}

// ---- required data sources ---------------------------------------------------------------

const BACKENDS = [
  ['kql-asim', 'Sentinel (ASIM parser)'],
  ['kql-sentinel', 'Sentinel (native table)'],
  ['kql-xdr', 'Defender XDR'],
  // Raw Splunk events are selected by the channel and event conditions listed in `needs`; the
  // conversion that would only restate them is the costliest of all, so it is not run here.
  ['splunk-cim', 'Splunk CIM data model'],
  ['esql', 'Elastic (ECS)'],
] as const;

function dataSourceSection(rule: Rule, convert: Convert): Section<DataSources> {
  const content: DataSources = { needs: [], backends: [], notes: [] };
  const facts = ['rule log source'];
  const ls = rule.logsource ?? {};
  // Every Windows source of the log source (process_creation: Sysmon 1 and Security 4688).
  const sources = windowsSources(ls);
  const win = sources[0] ?? null;
  const col = collectionData();
  const taxonomy = logsourceTaxonomy();
  if (win) {
    facts.push('Windows channels and event ids (RuleAtlas taxonomy)', 'audit policy and Sysmon configuration table');
    for (const w of sources) for (const channel of w.Channel) {
      const need: Record<string, unknown> = { source: `Windows event log: ${channel}`, channel };
      const ids = w.EventID ?? ruleEventIds(rule);
      const sysmon = channel === 'Microsoft-Windows-Sysmon/Operational';
      const title = (id: number): string | undefined => taxonomy.eventTitle(channel, id) ?? (channel === 'Security' ? col.security[String(id)]?.title : undefined);
      if (ids.length) need.eventIds = ids.map((id) => ({ id, title: title(id) })).map((e) => (e.title ? e : { id: e.id }));
      const config: string[] = [];
      if (sysmon) config.push(`Sysmon installed, with a configuration that logs event ${ids.map((i) => `${i} (${title(i) ?? 'event'})`).join(', ')} for the activity this rule looks for`);
      else if (channel === 'Security') for (const id of ids) {
        const s = col.security[String(id)];
        if (s) config.push(`Event ${id}: ${s.config}`);
      }
      const cfg = col.channels[channel];
      if (cfg) config.push(cfg);
      if (config.length) need.configuration = [...new Set(config)];
      content.needs.push(need as unknown as DataSources['needs'][number]);
    }
  } else if (rule.format === 'sigma') {
    const what = [ls.product, ls.service, ls.category].filter(Boolean).join(' / ') || 'unspecified';
    content.needs.push({ source: `${what} logs${ls.definition ? ` (${ls.definition.trim()})` : ''}` });
  }
  for (const ds of rule.dataSources) content.needs.push({ source: ds });
  if (rule.format === 'sigma' && rule.kind === 'detection' && !hasErrors(rule)) {
    facts.push('RuleAtlas translation pipelines');
    for (const [target, label] of BACKENDS) {
      const c = convert(target);
      if (!c.ok) {
        content.backends.push({ target: label, source: null, note: c.error ?? 'not convertible' });
        continue;
      }
      // Raw-event targets read no table: what selects the events is the conditions.
      const source = target === 'esql' ? `logs-* (event category ${c.fidelity.sources.join(', ')})` : c.fidelity.sources.filter(Boolean).join(', ') || c.fidelity.conditions.join(' and ');
      content.backends.push({ target: label, source: source || null, ...(c.fidelity.approximated.length ? { note: `approximated: ${c.fidelity.approximated.map((a) => `${a.what} (${a.how})`).join('; ')}` } : {}) });
    }
  }
  if (!content.needs.length) content.notes.push('The rule names no log source or data source.');
  const confidence = win ? 'high' : content.needs.length ? 'medium' : 'low';
  return { content, confidence, provenance: det(facts) };
}

function ruleEventIds(rule: Rule): number[] {
  const ids = new Set<number>();
  for (const s of rule.logic) {
    if (!s.filter) continue;
    for (const ind of extractIndicators(rule)) if (ind.sourceField === 'EventID' && /^\d+$/.test(ind.value) && !ind.negated) ids.add(Number(ind.value));
  }
  return [...ids].sort((a, b) => a - b);
}

// ---- hunt hypothesis ---------------------------------------------------------------------

function specific(indicators: Indicator[], ctx: EnrichContext): Array<Indicator & { count?: number }> {
  const positive = indicators.filter((i) => !i.negated && i.value.length > 1 && !/^(EventID|EventCode|Channel|Provider_Name)$/.test(i.sourceField));
  const withCounts = positive.map((i) => ({ ...i, ...(ctx.corpusCount ? { count: ctx.corpusCount(i) } : {}) }));
  const seen = new Set<string>();
  return withCounts
    .sort((a, b) => (a.count ?? 0) - (b.count ?? 0) || b.value.length - a.value.length)
    .filter((i) => {
      const k = `${i.field}|${i.operator}|${i.value}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
}

function hypothesisSection(rule: Rule, indicators: Indicator[], attack: AttackContext, ctx: EnrichContext): Section<Hypothesis> {
  const top = specific(indicators, ctx).slice(0, 4);
  const t = attack.techniques[0];
  const actors = t ? t.groups.slice(0, 3).map((g) => g.name) : [];
  // Software the rule itself names (ngrok in an ngrok rule) is the most concrete actor there is.
  const text = `${rule.title} ${rule.description ?? ''} ${indicators.map((i) => i.value).join(' ')}`.toLowerCase();
  const named = t ? t.software.filter((s) => s.name.length > 3 && text.includes(s.name.toLowerCase())).map((s) => `${s.name} (${s.id})`) : [];
  const behaviour = top.length ? top.map((i) => `${i.sourceField} ${phrase(i.operator)} ${JSON.stringify(i.display)}`).join(', ') : 'the pattern the rule describes';
  const where = rule.logsource ? [rule.logsource.product, rule.logsource.category ?? rule.logsource.service].filter(Boolean).join(' ') : rule.dataSources[0] ?? 'the logs';
  const technique = t ? `${t.name} (${t.id}${t.tactics.length ? `, ${t.tactics.join('/')}` : ''})` : rule.attack.techniques[0] ?? 'the behaviour in the rule';
  const who = [actors.length ? `as ${list(actors)} do` : '', named.length ? `${actors.length ? 'and ' : ''}with ${list(named)}` : ''].filter(Boolean).join(' ');
  const statement =
    `If an adversary uses ${technique} here${who ? ` (${who})` : ''}, ${where} events will show ${behaviour}.` +
    ` Test it: run the rule over the last 30 days, group hits by host and user, and confirm or rule out each against known administration and software.`;
  const facts = ['rule indicators', ...(ctx.corpusCount ? ['corpus indicator counts (most specific first)'] : []), ...(t ? ['ATT&CK technique and groups using it'] : [])];
  return {
    content: {
      statement,
      indicators: top.map((i) => ({ field: i.sourceField, operator: i.operator, value: i.display, ...(i.count !== undefined ? { corpusCount: i.count } : {}) })),
      actors: [...actors, ...named],
      ...(t ? { technique: t.id } : {}),
    },
    text: statement,
    confidence: top.length && t ? 'medium' : 'low',
    provenance: det(facts),
  };
}

function list(xs: string[]): string {
  return xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}

function phrase(op: string): string {
  return { eq: 'equal to', contains: 'containing', startswith: 'starting with', endswith: 'ending with', wildcard: 'matching', regex: 'matching the regex', cidr: 'in the network', exists: 'present' }[op] ?? op;
}

// ---- false-positive guidance -------------------------------------------------------------

const COMMON_AT = 15;

function falsePositiveSection(rule: Rule, indicators: Indicator[], ctx: EnrichContext): Section<FalsePositiveGuidance> {
  const content: FalsePositiveGuidance = { stated: rule.falsePositives.filter((f) => !/^unknown$/i.test(f.trim())), common: [], benign: [], suggestedFilters: [] };
  const facts = ['rule falsepositives'];
  if (ctx.corpusCount) {
    facts.push('corpus indicator counts');
    const seen = new Set<string>();
    for (const i of indicators) {
      if (i.negated) continue;
      const n = ctx.corpusCount(i);
      const key = `${i.field}|${i.operator}|${i.value}`;
      if (n >= COMMON_AT && !seen.has(key)) {
        seen.add(key);
        content.common.push({ field: i.sourceField, operator: i.operator, value: i.display, corpusCount: n });
      }
    }
    content.common.sort((a, b) => b.corpusCount - a.corpusCount);
    content.common = content.common.slice(0, 8);
  }
  if (ctx.excludedValues) {
    facts.push('values other rules exclude on the same fields');
    const fields = [...new Set(indicators.filter((i) => !i.negated).map((i) => i.field))];
    const own = new Set(indicators.filter((i) => i.negated).map((i) => `${i.field}|${i.value}`));
    for (const f of fields) {
      // Values that say nothing on their own (null, one or two characters) make no filter.
      const values = ctx.excludedValues(f).filter((v) => !own.has(`${f}|${v.value}`) && v.rules >= 2 && v.value !== 'null' && v.value.trim().length > 2).slice(0, 6);
      if (values.length) {
        const sourceField = indicators.find((i) => i.field === f)!.sourceField;
        content.benign.push({ field: sourceField, values: values.map((v) => v.value) });
        content.suggestedFilters.push(`${sourceField} not in (${values.slice(0, 3).map((v) => JSON.stringify(v.value)).join(', ')}) — excluded by ${values[0]!.rules} other rules`);
      }
    }
  }
  for (const c of content.common.slice(0, 2)) content.suggestedFilters.push(`${c.field} ${c.operator} ${JSON.stringify(c.value)} is shared by ${c.corpusCount} rules: pair it with a more specific condition or an allow-list of known software`);
  if (!content.stated.length && !content.common.length && !content.benign.length) content.suggestedFilters.push('No false positives are documented: baseline the rule in a test environment first and record what it meets.');
  const confidence = content.stated.length && (content.common.length || content.benign.length) ? 'medium' : content.stated.length ? 'medium' : 'low';
  return { content, confidence, provenance: det(facts) };
}

// ---- confidence --------------------------------------------------------------------------

function confidenceSection(rule: Rule, indicators: Indicator[], ctx: EnrichContext, convert: Convert): Section<ConfidenceFacts> {
  let score = 0;
  const reasons: string[] = [];
  const facts = ['rule status and dates', 'lint findings'];
  const status = (rule.status ?? '').toLowerCase();
  const statusScore: Record<string, number> = { stable: 2, production: 2, test: 1, experimental: 0, deprecated: -3, unsupported: -3 };
  if (status in statusScore) {
    score += statusScore[status]!;
    reasons.push(`status ${status}`);
  } else reasons.push('no status');
  const date = rule.modified ?? rule.date;
  if (date && /^\d{4}/.test(date)) {
    const years = ((ctx.now ?? new Date()).getTime() - new Date(date.replace(/\//g, '-')).getTime()) / (365.25 * 86400e3);
    if (Number.isFinite(years)) {
      if (years > 4) {
        score -= 1;
        reasons.push(`last changed ${Math.floor(years)} years ago`);
      } else reasons.push(`last changed ${years < 1 ? 'within a year' : `${Math.floor(years)} years ago`}`);
    }
  }
  const reg = ctx.regression?.(rule);
  if (reg) {
    facts.push('regression events run by the hunting engine');
    if (reg.cases && reg.passed === reg.cases) {
      score += 2;
      reasons.push(`fires on its ${reg.cases} regression event set${reg.cases > 1 ? 's' : ''}`);
    } else if (reg.cases) {
      score -= 1;
      reasons.push(`fires on ${reg.passed} of ${reg.cases} regression event sets`);
    }
  } else reasons.push('no regression events');
  if (ctx.corpusCount) {
    facts.push('corpus indicator counts');
    const positives = indicators.filter((i) => !i.negated);
    const counts = positives.map((i) => ctx.corpusCount!(i)).sort((a, b) => a - b);
    if (counts.length) {
      const specificShare = counts.filter((c) => c <= 2).length / counts.length;
      if (specificShare >= 0.5) {
        score += 1;
        reasons.push(`${Math.round(specificShare * 100)}% of its indicators are specific to few rules`);
      } else if (counts[0]! >= COMMON_AT) {
        score -= 1;
        reasons.push('all its indicators are widely shared');
      }
    }
  }
  if (rule.format === 'sigma' && rule.kind === 'detection' && !hasErrors(rule)) {
    facts.push('translation fidelity');
    const c = convert('kql-sentinel');
    if (c.ok && c.fidelity.exact) reasons.push('translates exactly to Sentinel KQL');
    else if (c.ok) reasons.push(`translates to Sentinel KQL with ${c.fidelity.approximated.length} approximation(s)`);
  }
  const findings = lintRule(rule).concat(rule.diagnostics.filter((d) => d.severity !== 'info'));
  const serious = findings.filter((d) => d.severity === 'error' || d.code === 'lint.regex-over-broad' || d.code === 'lint.regex-matches-everything');
  if (serious.length) {
    score -= 2;
    reasons.push(`lint: ${[...new Set(serious.map((d) => d.code))].join(', ')}`);
  } else reasons.push('no serious lint findings');
  const level = score >= 3 ? 'high' : score >= 1 ? 'medium' : 'low';
  return { content: { level, score, reasons }, confidence: level, provenance: det(facts), text: `${level}: ${reasons.join('; ')}` };
}

