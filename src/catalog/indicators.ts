import type { FieldCanonicalizer, Indicator, Rule } from '../model/index.js';
import { fieldCanonicalizer } from '../taxonomy/fields-context.js';
import { canonicalIndicators } from '../taxonomy/fields-indicators.js';

/**
 * The field name indicators are keyed by: the canonical field of the taxonomy (src/taxonomy), so
 * Sigma's `CommandLine`, Splunk's `process` and Elastic's `process.command_line` are one field.
 */
export const canonicalField: FieldCanonicalizer = fieldCanonicalizer();

/**
 * A rule's indicators as the catalog keys them: canonical fields, normalized values, and the
 * indicators the taxonomy derives (a path suffix also gives the file name). Every place that
 * counts or looks up indicators (ingest, the rule page, the enrichment's corpus counts) goes
 * through here, so their keys agree.
 */
export function ruleIndicators(rule: Rule): Indicator[] {
  let list = memo.get(rule);
  if (!list) memo.set(rule, (list = canonicalIndicators(rule, canonicalField)));
  return list;
}

// The enrichment and the event coverage of one rule ask for the same list.
const memo = new WeakMap<Rule, Indicator[]>();
