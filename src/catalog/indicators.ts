import { extractIndicators, type FieldCanonicalizer, type Indicator, type Rule } from '../model/index.js';

/**
 * The field name indicators are keyed by. Identity until the canonical field taxonomy lands; then
 * `CommandLine`, `process` and `process.command_line` become one field here and only here.
 */
export const canonicalField: FieldCanonicalizer = (field) => field;

/**
 * A rule's indicators as the catalog keys them. Every place that counts or looks up indicators
 * (ingest, the rule page, the enrichment's corpus counts) goes through here, so their keys agree.
 */
export function ruleIndicators(rule: Rule): Indicator[] {
  return extractIndicators(rule, canonicalField);
}
