import { hasErrors, type Rule } from '../model/index.js';
import type { Backend } from './backends/base.js';
import { FidelityRecorder } from './fidelity.js';
import { applyPipelines } from './pipeline/apply.js';
import { loadPipeline } from './pipeline/load.js';
import type { Pipeline } from './pipeline/types.js';
import { target, type Target } from './targets.js';
import { Unsupported, type Conversion, type ConvertOptions } from './types.js';
import { convertCorrelation } from './correlation.js';

/**
 * Converts one rule into a target's query language. Never throws for a rule the target cannot
 * express: the result says why (`ok: false`, `error`) and what the fidelity report collected.
 */
export function convert(rule: Rule, targetName: string, options: ConvertOptions = {}): Conversion {
  const t = target(targetName);
  const rec = new FidelityRecorder(t.name);
  const fail = (error: string): Conversion => ({ id: rule.id, ok: false, queries: [], error, fidelity: rec.data });
  if (hasErrors(rule)) return fail(`the rule did not parse: ${rule.diagnostics.find((d) => d.severity === 'error')!.message}`);
  let pipelines: Pipeline[];
  try {
    pipelines = [...(options.pipelines ?? []), ...t.pipelines].map(loadPipeline);
  } catch (e) {
    return fail((e as Error).message);
  }
  rec.data.pipelines = pipelines.map((p) => p.id);
  try {
    if (rule.kind === 'correlation') return { id: rule.id, ok: true, queries: convertCorrelation(rule, t, pipelines, rec, options), error: null, fidelity: rec.data };
    if (rule.kind === 'filter') throw new Unsupported('filter', 'a Sigma filter narrows other rules; convert the rules it applies to');
    const stage = rule.logic.find((s) => s.filter);
    if (!stage?.filter) throw new Unsupported('detection', 'the rule has no detection logic');
    return { id: rule.id, ok: true, queries: ruleQueries(rule, stage.filter, t, pipelines, rec), error: null, fidelity: rec.data };
  } catch (e) {
    if (!(e instanceof Unsupported)) throw e;
    rec.unsupported(e.what, e.why);
    return fail(e.message);
  }
}

/** The queries for one detection rule's logic. */
export function ruleQueries(rule: Rule, logic: NonNullable<Rule['logic'][number]['filter']>, t: Target, pipelines: Pipeline[], rec: FidelityRecorder): string[] {
  const mapped = applyPipelines(rule, logic, pipelines, rec);
  const backend: Backend = t.backend;
  return backend.queries(mapped, { rule, rec, types: mapped.types, source: mapped.source });
}
