import { SORTS, type RuleQuery } from '../data.js';
import { int, oneOf, TACTIC, TECHNIQUE, text, type Parsed } from '../http/params.js';

export const SEVERITY_VALUES = ['informational', 'low', 'medium', 'high', 'critical'] as const;

const NAME = /^[A-Za-z0-9_.-]+$/;

/** The rule filters every list takes (feed, search, coverage), with their query-string names. */
export const RULE_FILTERS = {
  source: text({ max: 40, pattern: NAME, hint: 'a source name such as sigma or splunk' }),
  severity: oneOf(SEVERITY_VALUES),
  status: text({ max: 40, pattern: NAME, hint: 'a status such as stable, test or production' }),
  tactic: text({ pattern: TACTIC, hint: 'a tactic id (TA0002) or short name (execution)' }),
  technique: text({ pattern: TECHNIQUE, hint: 'a technique id such as T1059 or T1059.001' }),
  platform: text({ max: 60 }),
  data_source: text({ max: 200 }),
};

export const PAGING = {
  page: int({ min: 1, max: 10_000, default: 1 }),
  per_page: int({ min: 1, max: 200, default: 50 }),
};

export const SORT = { sort: oneOf(SORTS) };

export type RuleFilterValues = Parsed<typeof RULE_FILTERS>;

/** Query-string values → the data layer's query. */
export function ruleQuery(f: RuleFilterValues & Partial<Parsed<typeof PAGING>> & Partial<Parsed<typeof SORT>>): RuleQuery {
  const perPage = f.per_page ?? 50;
  const q: RuleQuery = { offset: ((f.page ?? 1) - 1) * perPage, limit: perPage };
  if (f.source) q.source = f.source;
  if (f.severity) q.severity = f.severity;
  if (f.status) q.status = f.status;
  if (f.tactic) q.tactic = /^TA/i.test(f.tactic) ? f.tactic.toUpperCase() : f.tactic.toLowerCase();
  if (f.technique) q.technique = f.technique.toUpperCase();
  if (f.platform) q.platform = f.platform;
  if (f.data_source) q.dataSource = f.data_source;
  if (f.sort) q.sort = f.sort;
  return q;
}

/** The active filters as query-string pairs (for links that keep them). */
export function filterParams(f: RuleFilterValues): Record<string, string | undefined> {
  return { source: f.source, severity: f.severity, status: f.status, tactic: f.tactic, technique: f.technique, platform: f.platform, data_source: f.data_source };
}
