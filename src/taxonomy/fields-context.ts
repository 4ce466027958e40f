/**
 * Which vocabulary a rule's field names come from and in which context they are read, from the
 * rule alone: its format, logsource, data sources, the tables / data models / event categories
 * its stages name, and the values of context fields (`metadata.event_type = "PROCESS_LAUNCH"`,
 * `event.category:process`). Builds the {@link FieldCanonicalizer} that
 * `extractIndicators(rule, canonical)` takes.
 *
 * Where readers put what this reads (readers that do not yet exist follow the same contract):
 * - `rule.logsource` values (Sigma; any reader may fill it with product/category/service);
 * - `rule.dataSources` (Splunk `data_source`, Sentinel data types); `A AND B` is split;
 * - stage `args`: `datamodel`/`model`/`dataset` (Splunk tstats), `table`/`tables`/`source`/`from`
 *   (KQL source and union stages), `category`/`categories`/`eventCategory` (EQL), `index`;
 * - KQL: the first word of a `source` stage's text is its table; EQL: every `<category> where`.
 * Fields a Splunk rule computes itself (eval, stats `as`, lookup outputs, rex extracts) stay local
 * to the rule; a `rename x as y` makes `y` the field `x`.
 */
import { isPattern, walkExpr, type FieldCanonicalizer, type Rule, type Stage } from '../model/index.js';
import { fieldTaxonomy, type FieldContext, type FieldResolution, type FieldTaxonomy, type Vocabulary } from './fields.js';

export interface RuleFieldScope {
  /** Vocabularies to try, in order (several for a KQL rule over XDR and ASIM tables). */
  vocabularies: Vocabulary[];
  context: FieldContext;
  /** Names the rule computes itself (eval targets, aggregation names, lookup outputs). */
  derived: ReadonlySet<string>;
  /** `rename from as to`: to → from. */
  renamed: ReadonlyMap<string, string>;
}

const FORMAT_VOCABULARY: Record<Exclude<Rule['format'], 'kql'>, Vocabulary> = {
  sigma: 'sigma',
  splunk: 'splunk',
  elastic: 'ecs',
  yaral: 'udm',
};

const KQL_ORDER: readonly Vocabulary[] = ['xdr', 'asim', 'sentinel'];
const ARG_KEYS = ['datamodel', 'model', 'dataset', 'table', 'tables', 'source', 'from', 'category', 'categories', 'eventCategory', 'index'];

/** The vocabularies, context and rule-local names of a rule's fields. */
export function ruleFieldScope(rule: Rule, taxonomy: FieldTaxonomy = fieldTaxonomy()): RuleFieldScope {
  const ids: string[] = [];
  // `definition` is free text for people, not a name of the source.
  for (const [k, v] of Object.entries(rule.logsource ?? {})) if (typeof v === 'string' && k !== 'definition') ids.push(v);
  for (const ds of rule.dataSources) for (const part of ds.split(/\s+AND\s+/)) ids.push(part);
  const tables: string[] = [];
  for (const stage of rule.logic) collectStageIds(rule, stage, ids, tables);
  let vocabularies: Vocabulary[];
  if (rule.format === 'kql') {
    for (const ds of rule.dataSources) if (/^[A-Za-z_][\w]*$/.test(ds)) tables.push(ds);
    // The tables' vocabularies first; the others after, for columns of tables the rule reaches
    // through a saved function or a `let` the reader could not follow.
    const found = new Set(tables.map((t) => taxonomy.kqlVocabulary(t)));
    if (found.size === 0) found.add('sentinel');
    vocabularies = [...KQL_ORDER.filter((v) => found.has(v)), ...KQL_ORDER.filter((v) => !found.has(v))];
    ids.push(...tables);
  } else {
    vocabularies = [FORMAT_VOCABULARY[rule.format]];
  }
  const contextFields = new Set(vocabularies.flatMap((v) => taxonomy.contextFields.get(v) ?? []));
  if (contextFields.size) collectContextValues(rule, contextFields, ids);
  const { derived, renamed } = localNames(rule);
  return { vocabularies, context: taxonomy.context(ids), derived, renamed };
}

function collectStageIds(rule: Rule, stage: Stage, ids: string[], tables: string[]): void {
  const args = stage.args ?? {};
  for (const k of ARG_KEYS) {
    const v = args[k];
    const list = typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
    for (const s of list) {
      ids.push(s);
      // `Endpoint.Processes` is also `processes`; `Network_Traffic.All_Traffic` also `all_traffic`.
      if (s.includes('.')) ids.push(...s.split('.'));
      if (rule.format === 'kql' && (k === 'table' || k === 'tables' || k === 'source' || k === 'from')) tables.push(s);
    }
  }
  if (rule.format === 'kql' && stage.role === 'source') {
    const m = /^\s*([A-Za-z_][\w]*)/.exec(stage.text);
    if (m && !/^(let|union|datatable|print|range|find|search)$/.test(m[1]!)) tables.push(m[1]!);
  }
  if (rule.format === 'elastic') for (const m of stage.text.matchAll(/\b([a-z_]+)\s+where\b/g)) if (m[1] !== 'any') ids.push(m[1]!);
}

/** Equality values of the context fields, where the rule looks for them (not under a `not`). */
function collectContextValues(rule: Rule, fields: ReadonlySet<string>, ids: string[]): void {
  for (const stage of rule.logic) {
    if (!stage.filter) continue;
    walkExpr(stage.filter, (node, negated) => {
      if (negated || node.kind !== 'match' || node.operator !== 'eq') return;
      const name = node.field.replace(/^\$[A-Za-z_]\w*\./, '').replace(/^udm\./, '');
      if (!fields.has(name)) return;
      for (const v of node.values) if (typeof v === 'string') ids.push(v);
      else if (typeof v === 'number') ids.push(String(v));
      else if (v !== null && isPattern(v) && v.pattern.every((p) => typeof p === 'string')) ids.push(v.pattern.join(''));
    });
  }
}

function localNames(rule: Rule): { derived: Set<string>; renamed: Map<string, string> } {
  const derived = new Set<string>();
  const renamed = new Map<string, string>();
  for (const stage of rule.logic) {
    const a = stage.args;
    if (!a) continue;
    if (Array.isArray(a.assignments)) {
      for (const x of a.assignments as Array<{ field?: unknown; expression?: unknown }>) {
        if (typeof x.field !== 'string') continue;
        // `eval process=lower(process)` keeps the field; `eval n=len(process)` makes a new one.
        const expr = typeof x.expression === 'string' ? x.expression : '';
        if (!expr.split(/[^\w.]+/).includes(x.field)) derived.add(x.field);
      }
    }
    if (Array.isArray(a.aggregations)) {
      for (const x of a.aggregations as Array<{ fn?: unknown; field?: unknown; as?: unknown }>) {
        if (typeof x.as === 'string') {
          if (x.as !== x.field) derived.add(x.as);
        } else if (typeof x.fn === 'string') derived.add(typeof x.field === 'string' ? `${x.fn}(${x.field})` : x.fn);
      }
    }
    if (Array.isArray(a.outputs)) for (const x of a.outputs as Array<{ field?: unknown; as?: unknown }>) {
      const n = typeof x.as === 'string' ? x.as : x.field;
      if (typeof n === 'string') derived.add(n);
    }
    if (Array.isArray(a.extracts)) for (const x of a.extracts) if (typeof x === 'string') derived.add(x);
    if (Array.isArray(a.renames)) for (const x of a.renames as Array<{ from?: unknown; to?: unknown }>) {
      if (typeof x.from === 'string' && typeof x.to === 'string' && !x.from.includes('*')) renamed.set(x.to, x.from);
    }
  }
  return { derived, renamed };
}

/** Resolves one field of a rule in the rule's scope. */
export function resolveRuleField(scope: RuleFieldScope, field: string, taxonomy: FieldTaxonomy = fieldTaxonomy()): FieldResolution {
  const from = scope.renamed.get(field);
  if (from !== undefined && from !== field) return taxonomy.resolve(scope.vocabularies, from, scope.context);
  if (scope.derived.has(field)) return { canonical: `${scope.vocabularies[0]}:${field}`, via: 'derived' };
  return taxonomy.resolve(scope.vocabularies, field, scope.context);
}

/** The canonicalizer of one rule: its scope computed once, for `extractIndicators(rule, ...)`. */
export function ruleCanonicalizer(rule: Rule, taxonomy: FieldTaxonomy = fieldTaxonomy()): FieldCanonicalizer {
  const scope = ruleFieldScope(rule, taxonomy);
  return (field, other) => (other === rule ? resolveRuleField(scope, field, taxonomy).canonical : resolveRuleField(ruleFieldScope(other, taxonomy), field, taxonomy).canonical);
}

/**
 * A canonicalizer for any number of rules (the catalog's): each rule's scope is computed once
 * (cached per rule object), each field resolved through the taxonomy's memo.
 */
export function fieldCanonicalizer(taxonomy: FieldTaxonomy = fieldTaxonomy()): FieldCanonicalizer {
  const scopes = new WeakMap<Rule, RuleFieldScope>();
  return (field, rule) => {
    let scope = scopes.get(rule);
    if (!scope) {
      scope = ruleFieldScope(rule, taxonomy);
      scopes.set(rule, scope);
    }
    return resolveRuleField(scope, field, taxonomy).canonical;
  };
}
