import { existsSync } from 'node:fs';
import { extractIndicators, extractSearchTerms, hasErrors, printExpr, type Rule } from '../../model/index.js';
import { loadRuleFile } from '../../formats/load.js';
import { findLogsourceFields } from '../../formats/sigma/index.js';
import { lintRule } from '../../lint/index.js';
import { writeOut } from '../output/write.js';

/** `ruleatlas explain FILE`: 0 when the file was read (even with findings), 1 when not. */
export function explain(file: string, opts: { json?: boolean }): number {
  if (!existsSync(file)) {
    console.error(`ruleatlas explain: cannot read ${file}`);
    return 1;
  }
  const fields = findLogsourceFields(file);
  const rules = loadRuleFile(file, { validation: fields ? { logsourceFields: fields } : {} });
  for (const r of rules) if (!hasErrors(r)) r.diagnostics.push(...lintRule(r));
  if (opts.json) void writeOut(JSON.stringify(rules.length === 1 ? rules[0] : rules, null, 2) + '\n');
  else void writeOut(rules.map(explainText).join('\n' + '=' .repeat(72) + '\n\n'));
  return 0;
}

export function explainText(rule: Rule): string {
  const out: string[] = [];
  out.push(`${rule.title || '(untitled)'}`);
  out.push(`  id: ${rule.id}   format: ${rule.format}   kind: ${rule.kind}${rule.severity ? `   severity: ${rule.severity}` : ''}${rule.status ? `   status: ${rule.status}` : ''}`);
  out.push(`  source: ${rule.source.path}${rule.source.document ? ` (document ${rule.source.document + 1})` : ''}`);
  if (rule.logsource) out.push(`  logsource: ${Object.entries(rule.logsource).filter(([k]) => k !== 'definition').map(([k, v]) => `${k}=${v}`).join(' ')}`);
  if (rule.attack.tactics.length || rule.attack.techniques.length) out.push(`  ATT&CK: ${[...rule.attack.tactics, ...rule.attack.techniques].join(', ')}`);
  if (rule.description) out.push('', indent(rule.description.trim(), '  '));
  out.push('', 'Stages and predicates');
  if (rule.logic.length === 0) out.push('  (none: the rule did not parse)');
  for (const stage of rule.logic) {
    out.push(`  Stage ${stage.index + 1}: ${stage.command} (${stage.role})`);
    if (stage.filter) out.push(printExpr(stage.filter, '    '));
    if (stage.args) out.push(`    ${JSON.stringify(stage.args)}`);
  }
  if (rule.correlation) {
    const c = rule.correlation;
    out.push(`    ${c.type} over ${c.rules.join(', ')} by ${c.groupBy.join(', ') || '(nothing)'} within ${c.timespan.text}${c.condition.length ? ' where ' + c.condition.map((x) => `${x.op} ${x.value}`).join(' and ') : ''}`);
  }
  const indicators = extractIndicators(rule);
  out.push('', `Indicators (${indicators.length})`);
  if (indicators.length) {
    out.push(table(['Field', 'Operator', 'Value', 'Excluded'], indicators.map((i) => [i.sourceField, i.operator, JSON.stringify(i.display), i.negated ? 'yes' : ''])));
  }
  const terms = extractSearchTerms(rule);
  if (terms.length) {
    out.push('', `Search terms (${terms.length})`);
    out.push(table(['Stage', 'Operator', 'Term'], terms.map((t) => [String(t.stage + 1), t.operator, JSON.stringify(t.term)])));
  }
  out.push('', `Findings (${rule.diagnostics.length})${hasErrors(rule) ? ': the rule did not parse' : ''}`);
  for (const d of rule.diagnostics) out.push(`  ${d.line}:${d.column} ${d.severity} ${d.code}: ${d.message}`);
  return out.join('\n') + '\n';
}

function indent(text: string, pad: string): string {
  return text.split('\n').map((l) => pad + l).join('\n');
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const fmt = (r: string[]): string => '  ' + r.map((c, i) => (c.length > 60 ? c.slice(0, 57) + '...' : c).padEnd(widths[i]!)).join('  ').trimEnd();
  return [fmt(head), fmt(widths.map((w) => '-'.repeat(w))), ...rows.map(fmt)].join('\n');
}
