import { isPattern, walkExpr, type Expr, type MatchExpr, type Value } from '../../model/index.js';
import { aggregateName, groupColumn, noteWindows, thresholds, type CorrelationInput } from '../correlation.js';
import type { Mapped } from '../pipeline/apply.js';
import { Backend, unsupported, type RenderContext } from './base.js';
import { escapeRegex, valueRegex, withInlineFlags } from './patterns.js';

/**
 * Splunk SPL over raw events. The rule becomes a `search` expression where the search language
 * can say it exactly (case-insensitive field=value with `*` wildcards, CIDR, `CASE()` for cased
 * values). When a rule needs what `search` lacks (regexes, `?` wildcards, literal `*`, field
 * comparisons), the WHOLE condition moves into one `| where` with eval functions, so an `a OR
 * regex` keeps its meaning (pySigma's `| regex` stage would AND it).
 */
export class SplBackend extends Backend {
  readonly language = 'spl' as const;

  correlate(input: CorrelationInput): string[] {
    return new SplCorrelator(this).correlate(input);
  }
  protected override readonly andToken = ' ';
  protected override readonly orToken = ' OR ';

  queries(mapped: Mapped, ctx: RenderContext): string[] {
    // ANDed parts the search language can say stay in the search (fast, indexed); the rest,
    // each whole, go to one `| where`.
    const args = andArgs(mapped.expr);
    const searchable = args.filter((a) => !needsWhere(a));
    const complex = args.filter(needsWhere);
    // An OR needs parentheses only when something else is ANDed beside it.
    const alone = searchable.length + (mapped.source ? 1 : 0) === 1;
    const search = [mapped.source, ...searchable.map((a) => (alone ? this.render(a, ctx).text : this.wrap(this.render(a, ctx), 2)))].filter(Boolean).join(' ') || '*';
    if (!complex.length) return [search];
    const where = new SplWhere();
    const cond = complex.map((a) => (complex.length > 1 ? `(${where.condition(a, ctx)})` : where.condition(a, ctx))).join(' AND ');
    return [`${search} | where ${cond}`];
  }

  protected override notExpr(arg: { text: string; prec: number }): string {
    return `NOT ${arg.prec < 4 ? `(${arg.text})` : arg.text}`;
  }

  protected leaf(e: Exclude<Expr, { kind: 'and' | 'or' | 'not' }>, ctx: RenderContext): string {
    switch (e.kind) {
      case 'match':
        return this.match(e, ctx);
      case 'keyword':
        return this.joinLeaf(e.values.map((v) => (e.caseSensitive ? `CASE(${quote(`*${String(v)}*`, false)})` : quote(`*${String(v)}*`, false))), e.all);
      case 'exists':
        return `${field(e.field)}=*`;
      case 'compare':
        return `${field(e.field)}${{ gt: '>', gte: '>=', lt: '<', lte: '<=' }[e.op]}${e.value}`;
      default:
        return unsupported(e, 'needs the where form');
    }
  }

  private match(e: MatchExpr, ctx: RenderContext): string {
    void ctx;
    const f = field(e.field);
    const parts = e.values.map((v) => {
      if (v === null) return `NOT ${f}=*`;
      if (typeof v === 'number' || typeof v === 'boolean') return `${f}=${v}`;
      if (e.operator === 'cidr') return `${f}=${quote(String(v), false)}`;
      const pattern = searchPattern(e.operator, v);
      return e.caseSensitive ? `${f}=CASE(${pattern})` : `${f}=${pattern}`;
    });
    if (!e.all && parts.length > 1 && e.values.every((v) => typeof v === 'string' || typeof v === 'number') && !e.caseSensitive && e.operator !== 'cidr') {
      return `${f} IN (${e.values.map((v) => (typeof v === 'number' ? String(v) : searchPattern(e.operator, v))).join(', ')})`;
    }
    return this.joinLeaf(parts, e.all);
  }
}

/**
 * Splunk CIM data models through `tstats`: the condition in tstats' `where` (search syntax over
 * data-model fields), grouped by the fields it tests. tstats has no regex or eval: rules that need
 * them belong to the raw-event `splunk` target.
 */
export class SplunkCimBackend extends SplBackend {
  readonly cannotCorrelate = 'tstats results cannot be correlated event by event; use the splunk target';

  override queries(mapped: Mapped, ctx: RenderContext): string[] {
    if (needsWhere(mapped.expr)) unsupported(mapped.expr, 'tstats cannot evaluate regular expressions, ? wildcards, literal * or field comparisons over data models; use the splunk target');
    walkExpr(mapped.expr, (n) => {
      if (n.kind === 'keyword') unsupported(n, 'tstats searches data-model fields, not raw text');
      if (n.kind === 'match' && n.caseSensitive) unsupported(n, 'tstats cannot match data-model fields case-sensitively');
    });
    const fields = new Set<string>();
    walkExpr(mapped.expr, (n) => {
      if ('field' in n && typeof n.field === 'string') fields.add(n.field);
    });
    const object = mapped.source.split('.').pop()!;
    const by = [...new Set([`${object}.dest`, ...[...fields].filter((f) => f.startsWith(`${object}.`))])];
    return [`| tstats summariesonly=false allow_old_summaries=true count min(_time) as firstTime max(_time) as lastTime from datamodel=${mapped.source} where ${this.condition(mapped.expr, ctx)} by ${by.join(' ')}`];
  }
}

/** The eval-expression form used in `| where`, for rules `search` cannot express exactly. */
class SplWhere extends Backend {
  readonly language = 'spl' as const;
  protected override readonly andToken = ' AND ';
  protected override readonly orToken = ' OR ';

  queries(): string[] {
    return [];
  }

  /** `if(x, false(), true())`: a NOT that is true when x is null (an absent field), as Sigma means. */
  protected override notExpr(arg: { text: string }): string {
    return `if(${arg.text}, false(), true())`;
  }

  protected leaf(e: Exclude<Expr, { kind: 'and' | 'or' | 'not' }>, ctx: RenderContext): string {
    switch (e.kind) {
      case 'match': {
        const f = evalField(e.field);
        const parts = e.values.map((v) => {
          if (v === null) return `isnull(${f})`;
          if (e.operator === 'cidr') return `cidrmatch(${str(String(v))}, ${f})`;
          if (typeof v === 'number' && e.operator === 'eq') return `${f}==${v}`;
          if (e.operator === 'regex') return `match(${f}, ${str(withInlineFlags(String(v), e.flags ?? ''))})`;
          return `match(${f}, ${str(withInlineFlags(valueRegex(e.operator, v), e.caseSensitive ? '' : 'i'))})`;
        });
        return this.joinLeaf(parts, e.all);
      }
      case 'keyword': {
        const parts = e.values.map((v) => {
          const re = e.operator === 'regex' ? String(v) : e.operator === 'wildcard' && isPattern(v) ? valueRegex('contains', v) : escapeRegex(String(v));
          return `match(_raw, ${str(withInlineFlags(re, e.operator === 'regex' ? (e.flags ?? '') : e.caseSensitive ? '' : 'i'))})`;
        });
        return this.joinLeaf(parts, e.all);
      }
      case 'exists':
        return `isnotnull(${evalField(e.field)})`;
      case 'compare':
        return `tonumber(${evalField(e.field)})${{ gt: '>', gte: '>=', lt: '<', lte: '<=' }[e.op]}${e.value}`;
      case 'fieldref': {
        const [a, b] = e.caseSensitive ? [evalField(e.field), evalField(e.other)] : [`lower(${evalField(e.field)})`, `lower(${evalField(e.other)})`];
        if (e.operator === 'eq') return `${a}==${b}`;
        if (e.operator === 'contains') return `like(${a}, "%".${b}."%")`;
        if (e.operator === 'startswith') return `like(${a}, ${b}."%")`;
        return `like(${a}, "%".${b})`;
      }
      case 'opaque':
        return unsupported(e, 'the rule has logic that could not be modelled');
    }
    void ctx;
  }
}

/** The operands of nested ANDs, flattened: each can go to the search or the where on its own. */
function andArgs(e: Expr): Expr[] {
  return e.kind === 'and' ? e.args.flatMap(andArgs) : [e];
}

/** Whether a rule needs the `| where` form: something the search language cannot say exactly. */
function needsWhere(e: Expr): boolean {
  let need = false;
  walkExpr(e, (n) => {
    if (n.kind === 'fieldref') need = true;
    if (n.kind === 'match') {
      if (n.operator === 'regex' || n.part) need = true;
      else if (n.values.some((v) => typeof v === 'string' && /[*]/.test(v))) need = true;
      else if (n.values.some((v) => isPattern(v) && v.pattern.some((p) => typeof p !== 'string' && p.wildcard === 'one'))) need = true;
      else if (n.values.some((v) => isPattern(v) && v.pattern.some((p) => typeof p === 'string' && p.includes('*')))) need = true;
    }
    if (n.kind === 'keyword' && (n.operator === 'regex' || n.values.some((v) => (typeof v === 'string' && v.includes('*')) || (isPattern(v) && v.pattern.some((p) => typeof p !== 'string' && p.wildcard === 'one'))))) need = true;
  });
  return need;
}

/** A value as a search-language string: `*` wildcards from the operator, quotes and backslashes escaped. */
function searchPattern(op: MatchExpr['operator'], v: Value): string {
  let body: string;
  if (isPattern(v)) body = v.pattern.map((p) => (typeof p === 'string' ? p : '*')).join('');
  else body = String(v);
  if (op === 'contains') body = `*${body}*`;
  else if (op === 'startswith') body = `${body}*`;
  else if (op === 'endswith') body = `*${body}`;
  return quote(body, false);
}

function quote(s: string, _regex: boolean): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A field name in search: quoted when it has characters search treats as breakers. */
function field(name: string): string {
  return /^[A-Za-z_][\w.{}-]*$/.test(name) ? name : `"${name.replace(/"/g, '\\"')}"`;
}

/** A field name in an eval expression: single quotes when it is not a plain identifier. */
function evalField(name: string): string {
  return /^[A-Za-z_]\w*$/.test(name) ? name : `'${name.replace(/'/g, "\\'")}'`;
}

/** An eval string literal. */
function str(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * SPL correlations: the rules' searches side by side (multisearch), a rule name and group columns
 * per event, then `streamstats time_window=` (a sliding window over event time) or, for
 * percentiles and ordered sequences, `bin` + `stats`.
 */
export class SplCorrelator {
  constructor(private readonly backend: SplBackend) {}

  correlate(input: CorrelationInput): string[] {
    const c = input.correlation;
    const searches = input.parts.map((p) => {
      const ctx = { rule: p.rule, rec: input.rec, types: p.mapped.types, source: p.mapped.source };
      const q = this.backend.queries(p.mapped, ctx)[0]!;
      const evals = [`CorrelationRule=${str(p.name)}`, ...p.groupBy.map((g) => `${groupColumn(g.as)}='${g.field.replace(/'/g, "\\'")}'`)];
      if (p.valueField) evals.push(`CorrelationValue='${p.valueField.replace(/'/g, "\\'")}'`);
      return `search ${q} | eval ${evals.join(', ')}`;
    });
    const base = searches.length === 1 ? searches[0]!.replace(/^search /, '') : `| multisearch ${searches.map((s) => `[${s}]`).join(' ')}`;
    const groups = c.groupBy.map(groupColumn).join(' ');
    const by = groups ? ` by ${groups}` : '';
    const span = `${c.timespan.seconds}s`;
    const agg = aggregateName(c);
    const where = thresholds(c, agg, { eq: '==', neq: '!=', and: ' AND ' });
    const sliding = (fn: string): string => {
      input.rec.approximated(`${c.type} correlation over ${c.timespan.text}`, 'counted in a sliding window over event time (streamstats time_window); an alert fires on the event that reaches the threshold');
      return `${base} | sort 0 _time | streamstats time_window=${span} ${fn} as ${agg}${by} | where ${where}`;
    };
    switch (c.type) {
      case 'event_count':
        return [sliding('count')];
      case 'value_count':
        return [sliding('dc(CorrelationValue)')];
      case 'value_sum':
        return [sliding('sum(CorrelationValue)')];
      case 'value_avg':
        return [sliding('avg(CorrelationValue)')];
      case 'value_percentile':
        noteWindows(input, 'shares are computed in fixed windows aligned to the timespan (bin)');
        return [`${base} | bin _time span=${span} | stats count as value_events by _time ${groups} CorrelationValue | eventstats sum(value_events) as group_events by _time ${groups} | eval value_percentile=100*value_events/group_events | where ${where}`];
      case 'temporal':
        noteWindows(input, 'rules are checked in fixed windows aligned to the timespan (bin)');
        return [`${base} | bin _time span=${span} | stats dc(CorrelationRule) as rule_count by _time ${groups} | where ${where}`];
      case 'temporal_ordered': {
        noteWindows(input, 'rules are checked in fixed windows aligned to the timespan (bin)');
        const times = input.parts.map((p, i) => `${i === 0 ? 'min' : 'max'}(eval(if(CorrelationRule=${str(p.name)}, _time, null()))) as t${i}`);
        const order = input.parts.slice(1).map((_, i) => `t${i}<=t${i + 1}`);
        return [`${base} | bin _time span=${span} | stats dc(CorrelationRule) as rule_count ${times.join(' ')} by _time ${groups} | where ${[where, ...order].join(' AND ')}`];
      }
    }
  }
}
