import { bySeverityThenPosition, hasErrors, type Rule } from '../../model/index.js';
import { loadRuleFile } from '../../formats/load.js';
import { attackTagCheck, defaultAttackBundle, loadResolver } from '../../attack/locate.js';
import { corpusFindings, findLogsourceFields, loadLogsourceFields, type LogsourceFields, type TagCheck } from '../../formats/sigma/index.js';
import { lintRule } from '../../lint/index.js';
import { expandPaths } from '../files.js';
import { toSarif } from '../output/sarif.js';
import { writeOut } from '../output/write.js';

const FORMATS = ['text', 'ndjson', 'sarif'];
export const RULE_EXTENSIONS = ['.yml', '.yaml'];

/** `ruleatlas lint`: exit 0 when the inputs could be read (findings are output), 1 when not, 2 on usage errors. */
export async function lint(paths: string[], opts: { format: string; logsourceFields?: string; attack?: string | boolean }): Promise<number> {
  if (!FORMATS.includes(opts.format)) {
    console.error(`ruleatlas lint: unknown format '${opts.format}' (use ${FORMATS.join(', ')})`);
    return 2;
  }
  let explicitFields: LogsourceFields | null | undefined;
  if (opts.logsourceFields) {
    explicitFields = loadLogsourceFields(opts.logsourceFields);
    if (!explicitFields) {
      console.error(`ruleatlas lint: cannot read logsource fields from ${opts.logsourceFields}`);
      return 2;
    }
  }
  // ATT&CK tags are checked against the bundle when one is at hand (--attack FILE, or the default).
  let attackTag: TagCheck | undefined;
  if (opts.attack !== false) {
    const located = typeof opts.attack === 'string' ? { bundle: opts.attack, hints: undefined } : defaultAttackBundle();
    if (located) {
      try {
        attackTag = attackTagCheck(loadResolver(located.bundle, located.hints));
      } catch (e) {
        console.error(`ruleatlas lint: cannot load ATT&CK from ${located.bundle}: ${(e as Error).message}`);
        return 2;
      }
    }
  }
  const { files, missing } = expandPaths(paths, RULE_EXTENSIONS);
  for (const m of missing) console.error(`ruleatlas lint: cannot read ${m}`);
  const rules: Rule[] = [];
  for (const file of files) {
    const fields = explicitFields ?? findLogsourceFields(file);
    rules.push(...loadRuleFile(file, { validation: { ...(fields ? { logsourceFields: fields } : {}), ...(attackTag ? { attackTag } : {}) } }));
  }
  corpusFindings(rules);
  // Whether a rule parsed is the reader's verdict; quality findings (even errors) come after.
  const parsed = new Set(rules.filter((r) => !hasErrors(r)));
  for (const r of rules) {
    if (parsed.has(r)) r.diagnostics.push(...lintRule(r));
    r.diagnostics.sort(bySeverityThenPosition);
  }
  if (opts.format === 'ndjson') {
    const lines = rules.map((r) =>
      JSON.stringify({
        path: r.source.path,
        id: r.nativeId,
        title: r.title,
        parsed: parsed.has(r),
        findings: r.diagnostics.map((d) => ({ code: d.code, severity: d.severity, message: d.message, line: d.line, column: d.column })),
      }),
    );
    await writeOut(lines.join('\n') + (lines.length ? '\n' : ''));
  } else if (opts.format === 'sarif') {
    await writeOut(JSON.stringify(toSarif(rules), null, 2) + '\n');
  } else {
    await writeOut(textReport(rules, files.length, parsed));
  }
  return missing.length ? 1 : 0;
}

function textReport(rules: Rule[], fileCount: number, parsed: Set<Rule>): string {
  const out: string[] = [];
  const counts = { error: 0, warning: 0, info: 0 };
  for (const r of rules) {
    for (const d of r.diagnostics) {
      counts[d.severity]++;
      out.push(`${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}`);
    }
  }
  const unparsed = rules.length - parsed.size;
  out.push(
    `${fileCount} files, ${rules.length} rules: ${rules.length - unparsed} parsed, ${unparsed} not parsed; ${counts.error} errors, ${counts.warning} warnings, ${counts.info} notes`,
  );
  return out.join('\n') + '\n';
}
