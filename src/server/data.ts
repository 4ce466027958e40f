import type { CoverageRule } from '../attack/index.js';
import type { Enrichment } from '../enrich/index.js';
import type { Indicator, Rule, SearchTerm } from '../model/index.js';

/**
 * What the web app reads: a narrow view of the catalog store (src/catalog), so routes and pages
 * do not depend on its tables. `catalog-view.ts` implements it over the store.
 */
export interface SiteData {
  /** Changes whenever the catalog does: the basis of ETags. */
  generation(): string;
  summary(): CatalogSummary;
  listRules(q: RuleQuery): RulePage;
  search(q: RuleQuery & { text: string }): RulePage;
  rule(id: string): RuleRecord | null;
  indicators(q: IndicatorQuery): IndicatorPage;
  indicatorRules(key: IndicatorKey, offset: number, limit: number): { total: number; items: RuleSummary[] };
  /** Every rule matching the filters, projected for the coverage matrix. */
  coverageRules(q: Omit<RuleQuery, 'offset' | 'limit' | 'sort'>): CoverageRuleInfo[];
}

export type CoverageRuleInfo = CoverageRule & { title: string };

export interface CatalogSummary {
  rules: number;
  sources: Array<{ name: string; rules: number }>;
  ingestedAt?: string;
}

export interface RuleSummary {
  id: string;
  title: string;
  source: string;
  format: Rule['format'];
  severity?: string;
  status?: string;
  date?: string;
  modified?: string;
  techniques: string[];
  tactics: string[];
  dataSources: string[];
  platforms: string[];
  description?: string;
}

export const SORTS = ['updated', 'title', 'severity'] as const;
export type RuleSort = (typeof SORTS)[number];

export interface RuleQuery {
  source?: string;
  severity?: string;
  tactic?: string;
  technique?: string;
  platform?: string;
  dataSource?: string;
  status?: string;
  sort?: RuleSort;
  offset: number;
  limit: number;
}

export interface FacetValue {
  value: string;
  count: number;
}

export type FacetName = 'source' | 'severity' | 'tactic' | 'technique' | 'platform' | 'dataSource' | 'status';
export const FACETS: readonly FacetName[] = ['source', 'severity', 'status', 'tactic', 'technique', 'platform', 'dataSource'];

export interface RulePage {
  total: number;
  items: Array<RuleSummary & { snippet?: string }>;
  facets: Partial<Record<FacetName, FacetValue[]>>;
}

export interface IndicatorKey {
  field: string;
  operator: string;
  value: string;
}

export interface IndicatorQuery {
  field?: string;
  operator?: string;
  /** Substring of the value. */
  text?: string;
  offset: number;
  limit: number;
}

export interface IndicatorCount extends IndicatorKey {
  display: string;
  /** Rules that have the indicator. */
  rules: number;
  sources: string[];
}

export interface IndicatorPage {
  total: number;
  items: IndicatorCount[];
  fields: FacetValue[];
  operators: FacetValue[];
}

/** One rule with everything its page shows. */
export interface RuleRecord {
  rule: Rule;
  summary: RuleSummary;
  /** Each indicator with the number of OTHER rules that share it. */
  indicators: Array<Indicator & { corpusCount: number }>;
  searchTerms: SearchTerm[];
  similar: Array<RuleSummary & { shared: number }>;
  eventCoverage: Array<{ provider: string; eventId: string; title?: string }>;
  enrichment: Enrichment | null;
}
