import { walkExpr, type Correlation, type Rule } from '../model/index.js';
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
  /** Why this backend cannot correlate after all (a subclass of one that can). */
  readonly cannotCorrelate?: string;
}

/**
 * Resolves a correlation rule's referenced rules (by id or name, among `options.related`), maps each
 * through the pipelines and resolves group-by aliases, then lets the backend aggregate.
 */
export function convertCorrelation(rule: Rule, t: Target, pipelines: Pipeline[], rec: FidelityRecorder, options: ConvertOptions): string[] {
  const c = rule.correlation!;
  const backend = t.backend as unknown as Partial<Correlator>;
  if (typeof backend.correlate !== 'function') throw new Unsupported(`${c.type} correlation`, `the ${t.name} target does not aggregate events`);
  if (backend.cannotCorrelate) throw new Unsupported(`${c.type} correlation`, backend.cannotCorrelate);
  const related = options.related ?? [];
  const parts: CorrelationPart[] = c.rules.map((ref) => {
    const target = related.find((r) => r.name === ref || r.nativeId === ref || r.id === ref);
    if (!target) throw new Unsupported(`${c.type} correlation`, `referenced rule '${ref}' is not among the converted rules (convert the whole file or folder)`);
    if (target.kind === 'correlation') throw new Unsupported(`${c.type} correlation`, `chained correlation on '${ref}' is not supported yet`);
    const logic = target.logic.find((s) => s.filter)?.filter;
    if (!logic) throw new Unsupported(`${c.type} correlation`, `referenced rule '${ref}' has no detection logic`);
    const mapped = applyPipelines(target, logic, pipelines, rec);
    // A field's name in the target: map it next to the rule's own logic (so the same source is
    // chosen), marked by an impossible span, and read it back.
    const mapField = (field: string): string => {
      const marker = { start: -1, end: -1 };
      const probe = applyPipelines(target, { kind: 'and', args: [logic, { kind: 'exists', field, span: marker }], span: logic.span }, pipelines, rec);
      const found: string[] = [];
      walkExpr(probe.expr, (n) => {
        if (n.kind === 'exists' && n.span === marker) found.push(n.field);
      });
      if (found.length !== 1) throw new Unsupported(`group-by ${field}`, `field '${field}' maps to ${found.length} fields in ${probe.source}`);
      return found[0]!;
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

/**
 * The thresholds as a boolean over the aggregate, in a language's syntax. Temporal types without a
 * condition require every referenced rule (count of distinct rules ≥ their number).
 */
export function thresholds(c: Correlation, aggregate: string, ops: { eq: string; neq: string; and: string }): string {
  const sym = { gt: '>', gte: '>=', lt: '<', lte: '<=', eq: ops.eq, neq: ops.neq };
  const conds = c.condition.length ? c.condition : [{ op: 'gte' as const, value: c.rules.length }];
  return conds.map((x) => `${aggregate} ${sym[x.op]} ${x.value}`).join(ops.and);
}

/** The name of the aggregate column each correlation type produces. */
export function aggregateName(c: Correlation): string {
  switch (c.type) {
    case 'event_count':
      return 'event_count';
    case 'value_count':
      return 'value_count';
    case 'value_sum':
      return 'value_sum';
    case 'value_avg':
      return 'value_avg';
    case 'value_percentile':
      return 'value_percentile';
    default:
      return 'rule_count';
  }
}

/** Fidelity notes every windowed correlation shares. */
export function noteWindows(input: CorrelationInput, how: string): void {
  input.rec.approximated(`${input.correlation.type} correlation over ${input.correlation.timespan.text}`, how);
  if (input.correlation.type === 'temporal_ordered') input.rec.approximated('temporal_ordered', 'the order is checked between the first event of each rule and the last event of the next one, within the window');
}

/** A safe identifier for a group-by column. */
export function groupColumn(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, '_');
}
