import { walkExpr, type Rule } from '../model/index.js';
import { resolveRuleField, ruleFieldScope } from '../taxonomy/fields-context.js';
import type { Report } from './checks.js';

/**
 * Fields the taxonomy does not know in the rule's vocabulary and context: a typo, a vendor column
 * RuleAtlas cannot map, or a field of another log source. Their indicators meet no other vendor's.
 * Sigma has its own, stricter check against the logsource's allowed fields (the reader's
 * `sigma.field-not-in-logsource`), so this one covers the other formats.
 */
export function checkUnknownFields(rule: Rule, report: Report): void {
  if (rule.format === 'sigma') return;
  const scope = ruleFieldScope(rule);
  const unknown = new Map<string, { start: number; end: number }>();
  for (const stage of rule.logic) {
    if (!stage.filter) continue;
    walkExpr(stage.filter, (n) => {
      if (n.kind !== 'match' && n.kind !== 'compare' && n.kind !== 'exists' && n.kind !== 'fieldref') return;
      if (unknown.has(n.field)) return;
      if (resolveRuleField(scope, n.field).via === 'unknown') unknown.set(n.field, n.span);
    });
  }
  if (unknown.size === 0) return;
  const names = [...unknown.keys()];
  report(
    'lint.unknown-field',
    'info',
    `${names.length === 1 ? 'field' : 'fields'} ${names.slice(0, 6).join(', ')}${names.length > 6 ? ` and ${names.length - 6} more` : ''} ${names.length === 1 ? 'is' : 'are'} not in RuleAtlas's field taxonomy for ${scope.vocabularies.join('/')}: indicators on ${names.length === 1 ? 'it' : 'them'} meet no other vendor's`,
    unknown.values().next().value!,
  );
}
