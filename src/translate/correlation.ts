import type { Correlation, Rule } from '../model/index.js';
import type { FidelityRecorder } from './fidelity.js';
import { applyPipelines, type Mapped } from './pipeline/apply.js';
import type { Pipeline } from './pipeline/types.js';
import type { Target } from './targets.js';
import { Unsupported, type ConvertOptions } from './types.js';

/** One referenced rule of a correlation, mapped for the target, with its group-by fields resolved. */
export interface CorrelationPart {
  /** The name the correlation uses for it (its `name`, else its id). */
  name: string;
  rule: Rule;
  mapped: Mapped;
  /** group-by name (alias or field) → the field in this rule's events, mapped to the target. */
  groupBy: Array<{ as: string; field: string }>;
  /** The value field (value_* types), mapped to the target. */
  valueField?: string;
}

/** What a backend needs to write a correlation query. */
export interface CorrelationInput {
  correlation: Correlation;
  parts: CorrelationPart[];
  rec: FidelityRecorder;
}

/** Backends that can aggregate implement this. */
export interface Correlator {
  correlate(input: CorrelationInput): string[];
}

/**
 * Resolves a correlation rule's referenced rules (by id or name, among `options.related`), maps each
 * through the pipelines and resolves group-by aliases, then lets the backend aggregate.
 */
export function convertCorrelation(rule: Rule, t: Target, pipelines: Pipeline[], rec: FidelityRecorder, options: ConvertOptions): string[] {
  const c = rule.correlation!;
  const backend = t.backend as unknown as Partial<Correlator>;
  if (typeof backend.correlate !== 'function') throw new Unsupported(`${c.type} correlation`, `the ${t.name} target does not aggregate events`);
  const related = options.related ?? [];
  const parts: CorrelationPart[] = c.rules.map((ref) => {
    const target = related.find((r) => r.name === ref || r.nativeId === ref || r.id === ref);
    if (!target) throw new Unsupported(`${c.type} correlation`, `referenced rule '${ref}' is not among the converted rules (convert the whole file or folder)`);
    if (target.kind === 'correlation') throw new Unsupported(`${c.type} correlation`, `chained correlation on '${ref}' is not supported yet`);
    const logic = target.logic.find((s) => s.filter)?.filter;
    if (!logic) throw new Unsupported(`${c.type} correlation`, `referenced rule '${ref}' has no detection logic`);
    const mapped = applyPipelines(target, logic, pipelines, rec);
    const mapField = (field: string): string => {
      const probe = applyPipelines(target, { kind: 'exists', field, span: logic.span }, pipelines, rec);
      const leaf = findExists(probe.expr);
      if (!leaf) throw new Unsupported(`group-by ${field}`, `field '${field}' maps to several fields in ${probe.source}`);
      return leaf;
    };
    const groupBy = c.groupBy.map((g) => {
      const alias = c.aliases?.[g];
      const own = alias ? (alias[target.name ?? ''] ?? alias[ref] ?? alias[target.nativeId ?? '']) : g;
      if (!own) throw new Unsupported(`group-by ${g}`, `alias '${g}' names no field for rule '${ref}'`);
      return { as: g, field: mapField(own) };
    });
    const part: CorrelationPart = { name: ref, rule: target, mapped, groupBy };
    if (c.field?.length) part.valueField = mapField(c.field[0]!);
    return part;
  });
  if (c.field && c.field.length > 1) rec.approximated(`${c.type} field`, `only the first of ${c.field.length} value fields is aggregated`);
  return backend.correlate({ correlation: c, parts, rec });
}

function findExists(e: Mapped['expr']): string | null {
  if (e.kind === 'exists') return e.field;
  if (e.kind === 'and') {
    const last = e.args[e.args.length - 1]!;
    return findExists(last);
  }
  return null;
}

/** Thresholds as a boolean over a count expression, in a language's syntax. */
export function thresholds(c: Correlation, count: string, ops: { eq: string; neq: string; and: string }): string {
  const sym = { gt: '>', gte: '>=', lt: '<', lte: '<=', eq: ops.eq, neq: ops.neq };
  return c.condition.map((x) => `${count} ${sym[x.op]} ${x.value}`).join(ops.and);
}
