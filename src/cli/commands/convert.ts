import { hasErrors, type Rule } from '../../model/index.js';
import { loadRuleFile } from '../../formats/load.js';
import { convert } from '../../translate/convert.js';
import { target } from '../../translate/targets.js';
import { expandPaths } from '../files.js';
import { writeOut } from '../output/write.js';
import { RULE_EXTENSIONS } from './lint.js';

const FORMATS = ['text', 'ndjson'];

/**
 * `ruleatlas convert -t TARGET [-p PIPELINE...] [--format text|ndjson] PATH...`: one result per
 * rule. Exit 0 when the inputs could be read (unconvertible rules are results too), 1 when an
 * input could not be read, 2 on usage errors.
 */
export async function convertCommand(paths: string[], opts: { target: string; pipeline?: string[]; format: string }): Promise<number> {
  if (!FORMATS.includes(opts.format)) {
    console.error(`ruleatlas convert: unknown format '${opts.format}' (use ${FORMATS.join(', ')})`);
    return 2;
  }
  try {
    target(opts.target);
  } catch (e) {
    console.error(`ruleatlas convert: ${(e as Error).message}`);
    return 2;
  }
  const { files, missing } = expandPaths(paths, RULE_EXTENSIONS);
  for (const m of missing) console.error(`ruleatlas convert: cannot read ${m}`);
  const out: string[] = [];
  let ok = 0;
  let total = 0;
  for (const file of files) {
    const rules: Rule[] = loadRuleFile(file);
    for (const rule of rules) {
      if (rule.kind === 'detection' && hasErrors(rule) && rule.logic.length === 0 && !rule.title) continue;
      const c = convert(rule, opts.target, { pipelines: opts.pipeline, related: rules });
      total++;
      if (c.ok) ok++;
      if (opts.format === 'ndjson') out.push(JSON.stringify({ path: rule.source.path, id: rule.nativeId ?? rule.id, ok: c.ok, queries: c.queries, error: c.error, fidelity: c.fidelity }));
      else out.push(textResult(rule, c.ok, c.queries, c.error, c.fidelity.approximated));
    }
  }
  if (opts.format === 'text') out.push(`${ok} of ${total} rules converted to ${opts.target}`);
  await writeOut(out.join('\n') + (out.length ? '\n' : ''));
  return missing.length ? 1 : 0;
}

function textResult(rule: Rule, ok: boolean, queries: string[], error: string | null, approximated: Array<{ what: string; how: string }>): string {
  const head = `# ${rule.title || rule.id} (${rule.source.path})`;
  if (!ok) return `${head}\n# not converted: ${error}\n`;
  const notes = approximated.map((a) => `# approximated: ${a.what}: ${a.how}`);
  return [head, ...notes, ...queries, ''].join('\n');
}
