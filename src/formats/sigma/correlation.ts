import { CORRELATION_TYPES, type ConditionOperator, type Correlation, type CorrelationType, type DiagnosticSink } from '../../model/index.js';
import { describeNode, getPair, keyText, type YMap } from '../yaml/index.js';
import { spanOf } from './detection.js';
import { closest } from '../../model/suggest.js';

/** Reads the `correlation` section of a Sigma correlation rule (correlation specification 2.1). */

const CONDITION_OPS: readonly ConditionOperator[] = ['gt', 'gte', 'lt', 'lte', 'eq', 'neq'];
const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800, M: 2592000, y: 31536000 };
const NEEDS_CONDITION: readonly CorrelationType[] = ['event_count', 'value_count', 'value_sum', 'value_avg', 'value_percentile'];
const NEEDS_FIELD: readonly CorrelationType[] = ['value_count', 'value_sum', 'value_avg', 'value_percentile'];

export function parseTimespan(text: string): number | null {
  const m = /^(\d+)([smhdwMy])$/.exec(text.trim());
  return m ? Number(m[1]) * UNITS[m[2]!]! : null;
}

export function readCorrelation(section: YMap, generate: boolean, sink: DiagnosticSink): Correlation | null {
  const at = spanOf(section);
  const typePair = getPair(section, 'type');
  const type = typePair?.value?.kind === 'scalar' ? String(typePair.value.value) : undefined;
  if (!type) {
    sink.error('sigma.correlation', "correlation 'type' is missing", typePair?.key ?? section);
    return null;
  }
  if (!(CORRELATION_TYPES as readonly string[]).includes(type)) {
    const hint = closest(type, CORRELATION_TYPES);
    sink.error('sigma.correlation', `unknown correlation type '${type}'${hint ? ` (did you mean '${hint}'?)` : ''}`, typePair!.value!);
    return null;
  }
  const ctype = type as CorrelationType;
  const rules = stringList(section, 'rules', sink);
  if (rules.length === 0) sink.error('sigma.correlation', "correlation 'rules' must list at least one rule id or name", getPair(section, 'rules')?.key ?? section);
  const groupBy = stringList(section, 'group-by', sink);
  const tsPair = getPair(section, 'timespan');
  let timespan = { text: '', seconds: 0 };
  if (!tsPair || tsPair.value === null || tsPair.value.kind !== 'scalar') {
    sink.error('sigma.correlation', "correlation 'timespan' is missing (e.g. 5m, 1h, 1d)", tsPair?.key ?? section);
  } else {
    const text = String(tsPair.value.value);
    const seconds = parseTimespan(text);
    if (seconds === null) sink.error('sigma.correlation', `timespan '${text}' must be a number and a unit (s, m, h, d), e.g. 90m`, tsPair.value);
    timespan = { text, seconds: seconds ?? 0 };
  }
  const condition: Correlation['condition'] = [];
  let field: string[] | undefined;
  const condPair = getPair(section, 'condition');
  if (condPair && condPair.value) {
    if (condPair.value.kind !== 'map') sink.error('sigma.correlation', `correlation 'condition' must be a map such as {gte: 10}, not ${describeNode(condPair.value)}`, condPair.value);
    else
      for (const p of condPair.value.pairs) {
        const k = keyText(p);
        if (k === 'field') {
          if (p.value?.kind === 'scalar') field = [String(p.value.value)];
          else if (p.value?.kind === 'seq') field = p.value.items.filter((i) => i?.kind === 'scalar').map((i) => String((i as { value: unknown }).value));
          continue;
        }
        if (!(CONDITION_OPS as readonly string[]).includes(k)) {
          sink.error('sigma.correlation', `unknown condition operator '${k}' (use ${CONDITION_OPS.join(', ')})`, p.key);
          continue;
        }
        const v = p.value?.kind === 'scalar' ? Number(p.value.value) : NaN;
        if (!Number.isFinite(v)) sink.error('sigma.correlation', `condition '${k}' needs a number`, p.value ?? p.key);
        else condition.push({ op: k as ConditionOperator, value: v });
      }
  }
  if (NEEDS_CONDITION.includes(ctype) && condition.length === 0) sink.error('sigma.correlation', `a ${ctype} correlation needs a condition with a threshold (gt, gte, lt, lte, eq, neq)`, condPair?.key ?? section);
  if (NEEDS_FIELD.includes(ctype) && !field) sink.error('sigma.correlation', `a ${ctype} correlation needs 'field' in its condition`, condPair?.key ?? section);
  if ((ctype === 'temporal' || ctype === 'temporal_ordered') && rules.length < 2) sink.warning('sigma.correlation', `a ${ctype} correlation relates several rules; only ${rules.length} listed`, getPair(section, 'rules')?.key ?? section);
  let aliases: Correlation['aliases'];
  const aliasPair = getPair(section, 'aliases');
  if (aliasPair?.value) {
    if (aliasPair.value.kind !== 'map') sink.error('sigma.correlation', "'aliases' must map alias names to {rule name: field}", aliasPair.value);
    else {
      aliases = {};
      for (const a of aliasPair.value.pairs) {
        const name = keyText(a);
        if (!a.value || a.value.kind !== 'map') {
          sink.error('sigma.correlation', `alias '${name}' must map rule names to field names`, a.value ?? a.key);
          continue;
        }
        aliases[name] = {};
        for (const r of a.value.pairs) aliases[name]![keyText(r)] = r.value?.kind === 'scalar' ? String(r.value.value) : '';
        const unknownRules = Object.keys(aliases[name]!).filter((r) => !rules.includes(r));
        if (unknownRules.length) sink.warning('sigma.correlation', `alias '${name}' names rules the correlation does not list: ${unknownRules.join(', ')}`, a.key);
      }
    }
  }
  for (const key of section.pairs.map(keyText)) {
    if (!['type', 'rules', 'group-by', 'timespan', 'condition', 'aliases', 'generate'].includes(key)) sink.warning('sigma.correlation', `unknown correlation attribute '${key}'`, section.pairs.find((p) => keyText(p) === key)!.key);
  }
  const genPair = getPair(section, 'generate');
  const gen = genPair?.value?.kind === 'scalar' ? genPair.value.value === true : generate;
  const out: Correlation = { type: ctype, rules, groupBy, timespan, condition, generate: gen, span: at };
  if (field) out.field = field;
  if (aliases) out.aliases = aliases;
  return out;
}

function stringList(map: YMap, key: string, sink: DiagnosticSink): string[] {
  const pair = getPair(map, key);
  if (!pair || pair.value === null) return [];
  if (pair.value.kind === 'scalar') return pair.value.value === null ? [] : [String(pair.value.value)];
  if (pair.value.kind !== 'seq') {
    sink.error('sigma.correlation', `'${key}' must be a list`, pair.value);
    return [];
  }
  return pair.value.items.filter((i) => i?.kind === 'scalar').map((i) => String((i as { value: unknown }).value));
}
