import { isPattern, type Expr, type MatchExpr, type Value } from '../../model/index.js';
import { aggregateName, groupColumn, noteWindows, thresholds, type CorrelationInput } from '../correlation.js';
import type { Mapped } from '../pipeline/apply.js';
import { Backend, unsupported, type RenderContext } from './base.js';
import { regexUnsupportedFeature, valueRegex, withInlineFlags } from './patterns.js';

/**
 * Kusto Query Language (Microsoft Sentinel, Defender XDR advanced hunting). Case-insensitive
 * operators by default (`=~`, `in~`, `contains`, `startswith`, `endswith`), their `_cs` / `==` /
 * `in` forms for `|cased`; wildcards and regexes through `matches regex` (RE2).
 */
export class KqlBackend extends Backend {
  readonly language = 'kql' as const;
  private readonly correlator = new KqlCorrelator(this);

  correlate(input: CorrelationInput): string[] {
    return this.correlator.correlate(input);
  }

  queries(mapped: Mapped, ctx: RenderContext): string[] {
    return [`${mapped.source}\n| where ${this.condition(mapped.expr, ctx)}`];
  }

  protected override notExpr(arg: { text: string }): string {
    return `not(${arg.text})`;
  }

  protected leaf(e: Exclude<Expr, { kind: 'and' | 'or' | 'not' }>, ctx: RenderContext): string {
    switch (e.kind) {
      case 'match':
        return this.match(e, ctx);
      case 'keyword': {
        if (e.operator !== 'contains') unsupported(e, `KQL cannot search every column with a ${e.operator}; only substring search (* contains) exists`);
        const op = e.caseSensitive ? 'contains_cs' : 'contains';
        return this.joinLeaf(e.values.map((v) => `* ${op} ${str(String(v))}`), e.all);
      }
      case 'exists':
        ctx.rec.approximated(`${e.field} exists`, 'KQL columns always exist: rendered as isnotempty(), which also rejects empty values');
        return `isnotempty(${this.col(e.field, ctx)})`;
      case 'compare': {
        const f = e.part ? timePart(e.part, this.col(e.field, ctx)) : this.numeric(e.field, ctx);
        return `${f} ${{ gt: '>', gte: '>=', lt: '<', lte: '<=' }[e.op]} ${e.value}`;
      }
      case 'fieldref': {
        const a = this.strCol(e.field, ctx);
        const b = this.strCol(e.other, ctx);
        if (e.operator === 'eq') return `${a} ${e.caseSensitive ? '==' : '=~'} ${b}`;
        const [x, y] = e.caseSensitive ? [a, b] : [`tolower(${a})`, `tolower(${b})`];
        if (e.operator === 'contains') return `indexof(${x}, ${y}) >= 0`;
        if (e.operator === 'startswith') return `indexof(${x}, ${y}) == 0`;
        return `(strlen(${x}) >= strlen(${y}) and substring(${x}, strlen(${x}) - strlen(${y})) == ${y})`;
      }
      case 'opaque':
        return unsupported(e, 'the rule has logic that could not be modelled');
    }
  }

  private match(e: MatchExpr, ctx: RenderContext): string {
    if (e.placeholders?.length) unsupported(e, `placeholder %${e.placeholders[0]}% needs values from a pipeline`);
    const cs = e.caseSensitive;
    switch (e.operator) {
      case 'eq': {
        if (e.part) return this.joinLeaf(e.values.map((v) => `${timePart(e.part!, this.col(e.field, ctx))} == ${Number(v)}`), e.all);
        const nulls = e.values.filter((v) => v === null);
        const rest = e.values.filter((v) => v !== null);
        const parts: string[] = nulls.map(() => `isempty(${this.col(e.field, ctx)})`);
        if (rest.length) parts.push(...this.eqValues(e.field, rest, cs, e.all, ctx));
        return this.joinLeaf(parts, e.all);
      }
      case 'contains':
      case 'startswith':
      case 'endswith': {
        const op = e.operator + (cs ? '_cs' : '');
        const f = this.strCol(e.field, ctx);
        return this.joinLeaf(e.values.map((v) => `${f} ${op} ${str(String(v))}`), e.all);
      }
      case 'wildcard': {
        const f = this.strCol(e.field, ctx);
        return this.joinLeaf(e.values.map((v) => `${f} matches regex ${verbatim(withInlineFlags(valueRegex('wildcard', v), cs ? '' : 'i'))}`), e.all);
      }
      case 'regex': {
        const f = this.strCol(e.field, ctx);
        return this.joinLeaf(
          e.values.map((v) => {
            const src = String(v);
            const bad = regexUnsupportedFeature(src);
            if (bad) unsupported(e, `the regex uses ${bad}, which KQL's RE2 engine does not support`);
            return `${f} matches regex ${verbatim(withInlineFlags(src, e.flags ?? ''))}`;
          }),
          e.all,
        );
      }
      case 'cidr': {
        const f = this.strCol(e.field, ctx);
        return this.joinLeaf(e.values.map((v) => `${String(v).includes(':') ? 'ipv6_is_in_range' : 'ipv4_is_in_range'}(${f}, ${str(String(v))})`), e.all);
      }
    }
  }

  private eqValues(field: string, values: Value[], cs: boolean, all: boolean, ctx: RenderContext): string[] {
    const type = ctx.types.get(field);
    const numericCol = type === 'int' || type === 'long' || type === 'real' || type === 'decimal';
    if (values.some(isPattern)) throw new Error('eq with a pattern value');
    if (numericCol && values.every((v) => typeof v === 'number' || (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)))) {
      const f = this.col(field, ctx);
      const nums = values.map((v) => String(v));
      if (all || nums.length === 1) return nums.map((n) => `${f} == ${n}`);
      return [`${f} in (${nums.join(', ')})`];
    }
    if (type === 'bool' && values.every((v) => typeof v === 'boolean')) return values.map((v) => `${this.col(field, ctx)} == ${v}`);
    const f = this.strCol(field, ctx);
    const texts = values.map((v) => String(v));
    if (all || texts.length === 1) return texts.map((t) => `${f} ${cs ? '==' : '=~'} ${str(t)}`);
    return [`${f} ${cs ? 'in' : 'in~'} (${texts.map(str).join(', ')})`];
  }

  /** A column reference (dynamic paths for dotted names, bracketed names for odd characters). */
  private col(field: string, ctx: RenderContext): string {
    if (ctx.types.get(field) === 'json') {
      // A string column holding JSON: parse it, then walk the path.
      const [root, ...rest] = field.split('.');
      return `parse_json(${ident(root!)})` + rest.map((seg) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(seg) ? '.' + seg : `['${seg.replace(/'/g, "\\'")}']`)).join('');
    }
    return field.split('.').map((seg, i) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(seg) ? (i ? '.' : '') + seg : (i ? '' : '') + `['${seg.replace(/'/g, "\\'")}']`)).join('');
  }

  /** A column as a string (dynamic values through tostring()). */
  stringColumn(field: string, ctx: RenderContext): string {
    return this.strCol(field, ctx);
  }

  private strCol(field: string, ctx: RenderContext): string {
    const c = this.col(field, ctx);
    const t = ctx.types.get(field);
    return t && t !== 'string' ? `tostring(${c})` : c;
  }

  private numeric(field: string, ctx: RenderContext): string {
    const c = this.col(field, ctx);
    const t = ctx.types.get(field);
    return t === 'int' || t === 'long' || t === 'real' || t === 'decimal' ? c : `toreal(${c})`;
  }
}

function ident(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `['${name.replace(/'/g, "\\'")}']`;
}

/** A KQL string literal: verbatim (`@"..."`) when it has backslashes, so paths stay readable. */
export function str(s: string): string {
  // eslint-disable-next-line no-control-regex -- control characters need escapes in KQL literals
  if (/[\u0000-\u001f]/.test(s)) return '"' + [...s].map((c) => (c.charCodeAt(0) < 0x20 || c === '"' || c === '\\' ? kqlEscape(c) : c)).join('') + '"';
  if (s.includes('\\')) return verbatim(s);
  return `"${s.replace(/"/g, '\\"')}"`;
}

function kqlEscape(c: string): string {
  if (c === '"') return '\\"';
  if (c === '\\') return '\\\\';
  if (c === '\n') return '\\n';
  if (c === '\t') return '\\t';
  if (c === '\r') return '\\r';
  return '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0');
}

function verbatim(s: string): string {
  return `@"${s.replace(/"/g, '""')}"`;
}

function timePart(part: string, col: string): string {
  switch (part) {
    case 'minute':
      return `datetime_part("minute", ${col})`;
    case 'hour':
      return `hourofday(${col})`;
    case 'day':
      return `dayofmonth(${col})`;
    case 'week':
      return `week_of_year(${col})`;
    case 'month':
      return `monthofyear(${col})`;
    default:
      return `getyear(${col})`;
  }
}

/** KQL correlations: `summarize ... by bin(TimeGenerated, span), groups` over the union of the rules. */
export class KqlCorrelator {
  constructor(private readonly backend: KqlBackend) {}

  correlate(input: CorrelationInput): string[] {
    const c = input.correlation;
    const lets = input.parts.map((p, i) => {
      const ctx = { rule: p.rule, rec: input.rec, types: p.mapped.types, source: p.mapped.source };
      const asString = (f: string): string => {
        const s = this.backend.stringColumn(f, ctx);
        return s.startsWith('tostring(') ? s : `tostring(${s})`;
      };
      const extend = [`CorrelationRule = ${str(p.name)}`, ...p.groupBy.map((g) => `${groupColumn(g.as)} = ${asString(g.field)}`)];
      if (p.valueField) extend.push(`CorrelationValue = ${asString(p.valueField)}`);
      return `let r${i} = ${p.mapped.source}\n| where ${this.backend.condition(p.mapped.expr, ctx)}\n| extend ${extend.join(', ')};`;
    });
    const groups = c.groupBy.map(groupColumn);
    const by = [`TimeGenerated = bin(TimeGenerated, ${kqlTimespan(c.timespan.seconds)})`, ...groups].join(', ');
    const base = `union ${input.parts.map((_, i) => `r${i}`).join(', ')}`;
    const agg = aggregateName(c);
    const where = thresholds(c, agg, { eq: '==', neq: '!=', and: ' and ' });
    noteWindows(input, 'events are counted in fixed windows aligned to the timespan (bin), so a burst across a window boundary can be missed');
    let body: string;
    switch (c.type) {
      case 'event_count':
        body = `${base}\n| summarize event_count = count() by ${by}\n| where ${where}`;
        break;
      case 'value_count':
        body = `${base}\n| summarize value_count = dcount(CorrelationValue) by ${by}\n| where ${where}`;
        break;
      case 'value_sum':
        body = `${base}\n| summarize value_sum = sum(toreal(CorrelationValue)) by ${by}\n| where ${where}`;
        break;
      case 'value_avg':
        body = `${base}\n| summarize value_avg = avg(toreal(CorrelationValue)) by ${by}\n| where ${where}`;
        break;
      case 'value_percentile': {
        const on = ['TimeGenerated', ...groups].join(', ');
        body = `let matched = ${base};\nmatched\n| summarize value_events = count() by ${by}, CorrelationValue\n| join kind=inner (matched | summarize group_events = count() by ${by}) on ${on}\n| extend value_percentile = 100.0 * value_events / group_events\n| where ${where}`;
        break;
      }
      case 'temporal':
        body = `${base}\n| summarize rule_count = dcount(CorrelationRule) by ${by}\n| where ${where}`;
        break;
      case 'temporal_ordered': {
        const firsts = input.parts.map((p, i) => `t${i} = ${i === 0 ? 'minif' : 'maxif'}(TimeGenerated, CorrelationRule == ${str(p.name)})`);
        const order = input.parts.slice(1).map((_, i) => `t${i} <= t${i + 1}`);
        body = `${base}\n| summarize rule_count = dcount(CorrelationRule), ${firsts.join(', ')} by ${by}\n| where ${[where, ...order].join(' and ')}`;
        break;
      }
    }
    return [`${lets.join('\n')}\n${body}`];
  }
}

function kqlTimespan(seconds: number): string {
  if (seconds % 86400 === 0) return `${seconds / 86400}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
