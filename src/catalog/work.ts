import { defaultAttackBundle, loadResolver, type AttackIndex, type TagResolver } from '../attack/index.js';
import { enrichRule, type EnrichContext } from '../enrich/index.js';
import { loadRuleFile } from '../formats/load.js';
import { hasErrors, opaqueParts, type Indicator, type Rule } from '../model/index.js';
import type { RuleSummary } from '../server/data.js';
import { upstreamUrl, type Corpus } from './corpora.js';
import { eventCoverage } from './event-coverage.js';
import { canonicalField, ruleIndicators } from './indicators.js';
import { indicatorKey } from './store.js';
import { summarizeRule } from './summary.js';

/**
 * The CPU-heavy steps of an ingest, as plain functions over plain data so they run the same in a
 * worker thread or on the main thread: reading a corpus, and deriving a rule's enrichment.
 */

/** One rule as read, ready to store: the IR already serialized (the store keeps JSON). */
export interface StoreRow {
  id: string;
  json: string;
  format: Rule['format'];
  kind: Rule['kind'];
  path: string;
  description?: string;
  /** Words for full-text search besides title and description: tags, author. */
  words: string;
  summary: RuleSummary;
  indicators: Indicator[];
  opaque: string[];
  parsed: boolean;
  errors: number;
  warnings: number;
}

export interface ReadRule extends StoreRow {
  rule: Rule;
}

export function readCorpusRules(c: Corpus, onProgress?: (done: number) => void): ReadRule[] {
  const out: ReadRule[] = [];
  const ids = new Set<string>();
  let done = 0;
  for (const f of c.files) {
    const url = upstreamUrl(c.provenance, f.rel);
    const source = {
      corpus: c.name,
      path: f.rel,
      ...(c.provenance.repository ? { repository: c.provenance.repository } : {}),
      ...(c.provenance.commit ? { commit: c.provenance.commit } : {}),
      ...(c.provenance.license ? { license: c.provenance.license } : {}),
      ...(url ? { url } : {}),
    };
    for (const rule of loadRuleFile(f.path, { source, idPrefix: c.name })) {
      rule.source.path = f.rel;
      // Corpora carry the odd duplicate id (a rule and its deprecated copy): keep both, apart.
      if (ids.has(rule.id)) {
        rule.diagnostics.push({ severity: 'warning', code: 'catalog.duplicate-id', message: `another rule of ${c.name} already has the id ${rule.id}; this one is stored as ${rule.id}@${f.rel}`, file: f.rel, line: 1, column: 1, span: { start: 0, end: 0 } });
        rule.id = `${rule.id}@${f.rel}`;
      }
      ids.add(rule.id);
      out.push(readRule(rule));
    }
    if (++done % 250 === 0) onProgress?.(done);
  }
  return out;
}

export function readRule(rule: Rule): ReadRule {
  return {
    id: rule.id,
    json: JSON.stringify(rule),
    format: rule.format,
    kind: rule.kind,
    path: rule.source.path,
    ...(rule.description ? { description: rule.description } : {}),
    words: [...rule.tags, rule.author ?? ''].join(' '),
    rule,
    summary: summarizeRule(rule),
    indicators: ruleIndicators(rule),
    opaque: opaqueParts(rule).map((o) => o.node.reason),
    parsed: !hasErrors(rule),
    errors: rule.diagnostics.filter((d) => d.severity === 'error').length,
    warnings: rule.diagnostics.filter((d) => d.severity === 'warning').length,
  };
}

/** What the derived pass needs to know about the whole catalog. */
export interface CorpusFacts {
  /** `indicatorKey` → number of rules with the indicator. */
  counts: Map<string, number>;
  /** Canonical field → values rules exclude there, most common first. */
  excluded: Map<string, Array<{ value: string; rules: number }>>;
}

/** Corpus counts and excluded values over every rule's indicators. */
export function corpusFacts(indicatorLists: Iterable<Indicator[]>): CorpusFacts {
  const counts = new Map<string, number>();
  const excludedCounts = new Map<string, Map<string, number>>();
  for (const list of indicatorLists) {
    const seen = new Set<string>();
    for (const i of list) {
      const k = indicatorKey(i);
      if (seen.has(k)) continue;
      seen.add(k);
      counts.set(k, (counts.get(k) ?? 0) + 1);
      if (i.negated && i.value) {
        const m = excludedCounts.get(i.field) ?? excludedCounts.set(i.field, new Map()).get(i.field)!;
        m.set(i.display, (m.get(i.display) ?? 0) + 1);
      }
    }
  }
  const excluded = new Map<string, Array<{ value: string; rules: number }>>();
  for (const [field, m] of excludedCounts) {
    excluded.set(field, [...m].map(([value, rules]) => ({ value, rules })).sort((a, b) => b.rules - a.rules || (a.value < b.value ? -1 : 1)).slice(0, 20));
  }
  return { counts, excluded };
}

export interface Derived {
  id: string;
  enrichment: string;
  coverage: string;
  /** ATT&CK tactics of the rule's techniques, for rules that name techniques but no tactic (Splunk, Sentinel). */
  tactics?: string[];
}

export function attackContext(attack: string | false | undefined): { attack?: AttackIndex; resolver?: TagResolver } {
  if (attack === false) return {};
  const found = attack ? { bundle: attack, hints: undefined } : defaultAttackBundle();
  if (!found) return {};
  const resolver = loadResolver(found.bundle, found.hints);
  return { attack: resolver.index, resolver };
}

export function enrichmentContext(facts: CorpusFacts, attack: { attack?: AttackIndex; resolver?: TagResolver }): EnrichContext {
  return {
    corpusCount: (i: Indicator) => Math.max(0, (facts.counts.get(indicatorKey(i)) ?? 1) - 1),
    excludedValues: (field) => facts.excluded.get(field) ?? [],
    canonical: canonicalField,
    indicators: ruleIndicators,
    ...attack,
  };
}

export function deriveRule(rule: Rule, ctx: EnrichContext): Derived {
  const enrichment = enrichRule(rule, ctx);
  const indicators = ruleIndicators(rule);
  const tactics = rule.attack.tactics.length ? [] : [...new Set(enrichment.attack.content.techniques.flatMap((t) => t.tactics))];
  return { id: rule.id, enrichment: JSON.stringify(enrichment), coverage: JSON.stringify(eventCoverage(rule, enrichment, indicators)), ...(tactics.length ? { tactics } : {}) };
}
