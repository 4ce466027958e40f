import { isPattern, type Expr, type MatchExpr, type Value } from '../../model/index.js';
import type { Mapped } from '../pipeline/apply.js';
import { Backend, unsupported, type RenderContext } from './base.js';
import { toLuceneRegex } from './patterns.js';

type Leaf = Exclude<Expr, { kind: 'and' | 'or' | 'not' }>;

const LUCENE_RESERVED = /[+\-=&|><!(){}[\]^"~*?:\\/ ]/g;

/** Wildcard-pattern text in Lucene/EQL/ES|QL LIKE syntax: `*` and `?` wildcards, literals escaped. */
function wildcardText(op: MatchExpr['operator'], v: Value, escape: (s: string) => string): string {
  let body = isPattern(v) ? v.pattern.map((p) => (typeof p === 'string' ? escape(p) : p.wildcard === 'any' ? '*' : '?')).join('') : escape(String(v));
  if (op === 'contains') body = `*${body}*`;
  else if (op === 'startswith') body = `${body}*`;
  else if (op === 'endswith') body = `*${body}`;
  return body;
}

function luceneRegex(e: Leaf, src: string, flags: string): string {
  const r = toLuceneRegex(src, flags);
  if (!r.ok) unsupported(e, r.error);
  return r.source;
}

function noteCase(ctx: RenderContext, language: string): void {
  ctx.rec.approximated('case-insensitive matching', `${language} term and wildcard queries follow the field mapping: keyword fields compare case-sensitively unless they have a case-insensitive normalizer`);
}

/** Elasticsearch query string (Lucene) over ECS. */
export class LuceneBackend extends Backend {
  readonly language = 'lucene' as const;
  protected override readonly andToken = ' AND ';
  protected override readonly orToken = ' OR ';

  queries(mapped: Mapped, ctx: RenderContext): string[] {
    return [this.condition(mapped.expr, ctx)];
  }

  protected override notExpr(arg: { text: string; prec: number }): string {
    return `NOT ${arg.prec < 4 ? `(${arg.text})` : arg.text}`;
  }

  protected leaf(e: Leaf, ctx: RenderContext): string {
    switch (e.kind) {
      case 'match': {
        const f = luceneField(e.field);
        if (e.part) unsupported(e, 'Lucene query strings cannot extract parts of a timestamp');
        const parts = e.values.map((v) => {
          if (v === null) return `NOT _exists_:${f}`;
          if (typeof v === 'number' || typeof v === 'boolean') return `${f}:${v}`;
          if (e.operator === 'cidr') return `${f}:${luceneEscape(String(v))}`;
          if (e.operator === 'regex') return `${f}:/${luceneRegex(e, String(v), e.flags ?? '').replace(/\//g, '\\/')}/`;
          if (!e.caseSensitive) noteCase(ctx, 'Lucene');
          return `${f}:${wildcardText(e.operator, v, luceneEscape) || '""'}`;
        });
        return this.joinLeaf(parts, e.all);
      }
      case 'keyword': {
        if (e.operator === 'regex') return this.joinLeaf(e.values.map((v) => `/${luceneRegex(e, String(v), e.flags ?? '').replace(/\//g, '\\/')}/`), e.all);
        if (!e.caseSensitive) noteCase(ctx, 'Lucene');
        return this.joinLeaf(e.values.map((v) => wildcardText('contains', v, luceneEscape)), e.all);
      }
      case 'exists':
        return `_exists_:${luceneField(e.field)}`;
      case 'compare':
        if (e.part) unsupported(e, 'Lucene query strings cannot extract parts of a timestamp');
        return `${luceneField(e.field)}:${{ gt: '>', gte: '>=', lt: '<', lte: '<=' }[e.op]}${e.value}`;
      case 'fieldref':
        return unsupported(e, 'Lucene query strings cannot compare two fields');
      case 'opaque':
        return unsupported(e, 'the rule has logic that could not be modelled');
    }
  }
}

function luceneEscape(s: string): string {
  return s.replace(LUCENE_RESERVED, (c) => '\\' + c);
}

function luceneField(f: string): string {
  return f.replace(/[+\-=&|><!(){}[\]^"~*?:\\/ ]/g, (c) => '\\' + c);
}

/** ES|QL: `FROM index | WHERE ...`, case-insensitive through TO_LOWER. */
export class EsqlBackend extends Backend {
  readonly language = 'esql' as const;
  protected override readonly andToken = ' AND ';
  protected override readonly orToken = ' OR ';

  queries(mapped: Mapped, ctx: RenderContext): string[] {
    return [`FROM ${mapped.index ?? 'logs-*'} | WHERE ${this.condition(mapped.expr, ctx)}`];
  }

  /** ES|QL's WHERE drops nulls: an absent field must make the negated test true, as in Sigma. */
  protected override notExpr(arg: { text: string }): string {
    return `NOT COALESCE(${arg.text}, false)`;
  }

  protected leaf(e: Leaf, ctx: RenderContext): string {
    switch (e.kind) {
      case 'match': {
        const f = esqlField(e.field);
        const lower = (x: string): string => (e.caseSensitive ? x : `TO_LOWER(${x})`);
        const val = (s: string): string => (e.caseSensitive ? s : s.toLowerCase());
        if (e.part) return this.joinLeaf(e.values.map((v) => `DATE_EXTRACT(${esqlStr(datePart(e.part!))}, TO_DATETIME(${f})) == ${Number(v)}`), e.all);
        const strings = e.values.filter((v): v is string => typeof v === 'string');
        if (e.operator === 'eq' && !e.all && strings.length > 1 && strings.length === e.values.length) return `${lower(f)} IN (${strings.map((s) => esqlStr(val(s))).join(', ')})`;
        const parts = e.values.map((v) => {
          if (v === null) return `${f} IS NULL`;
          if (typeof v === 'number' || typeof v === 'boolean') return `${f} == ${v}`;
          switch (e.operator) {
            case 'eq':
              return `${lower(f)} == ${esqlStr(val(String(v)))}`;
            case 'cidr':
              return `CIDR_MATCH(TO_IP(${f}), ${esqlStr(String(v))})`;
            case 'regex':
              return `${f} RLIKE ${esqlStr(luceneRegex(e, String(v), e.flags ?? ''))}`;
            default:
              return `${lower(f)} LIKE ${esqlStr(wildcardText(e.operator, isPattern(v) ? { pattern: v.pattern.map((p) => (typeof p === 'string' ? val(p) : p)) } : val(String(v)), likeEscape))}`;
          }
        });
        void ctx;
        return this.joinLeaf(parts, e.all);
      }
      case 'keyword': {
        ctx.rec.approximated('keyword search', 'ES|QL searches every field with QSTR (query string), which analyzes text fields');
        if (e.operator === 'regex') unsupported(e, 'ES|QL cannot run a regular expression over every field');
        return this.joinLeaf(e.values.map((v) => `QSTR(${esqlStr(wildcardText('contains', v, luceneEscape))})`), e.all);
      }
      case 'exists':
        return `${esqlField(e.field)} IS NOT NULL`;
      case 'compare': {
        const f = e.part ? `DATE_EXTRACT(${esqlStr(datePart(e.part))}, TO_DATETIME(${esqlField(e.field)}))` : `TO_DOUBLE(${esqlField(e.field)})`;
        return `${f} ${{ gt: '>', gte: '>=', lt: '<', lte: '<=' }[e.op]} ${e.value}`;
      }
      case 'fieldref': {
        const [a, b] = e.caseSensitive ? [esqlField(e.field), esqlField(e.other)] : [`TO_LOWER(${esqlField(e.field)})`, `TO_LOWER(${esqlField(e.other)})`];
        if (e.operator === 'eq') return `${a} == ${b}`;
        if (e.operator === 'contains') return `LOCATE(${a}, ${b}) > 0`;
        if (e.operator === 'startswith') return `STARTS_WITH(${a}, ${b})`;
        return `ENDS_WITH(${a}, ${b})`;
      }
      case 'opaque':
        return unsupported(e, 'the rule has logic that could not be modelled');
    }
  }
}

function esqlField(f: string): string {
  return /^[A-Za-z_@][\w.@]*$/.test(f) ? f : '`' + f.replace(/`/g, '``') + '`';
}

function esqlStr(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}

function likeEscape(s: string): string {
  return s.replace(/[\\*?]/g, (c) => '\\' + c);
}

function datePart(p: string): string {
  return { minute: 'minute_of_hour', hour: 'hour_of_day', day: 'day_of_month', week: 'aligned_week_of_year', month: 'month_of_year', year: 'year' }[p] ?? p;
}

/** EQL: `category where ...`, `:` for case-insensitive matching with wildcards. */
export class EqlBackend extends Backend {
  readonly language = 'eql' as const;

  queries(mapped: Mapped, ctx: RenderContext): string[] {
    return [`${mapped.source || 'any'} where ${this.condition(mapped.expr, ctx)}`];
  }

  protected override notExpr(arg: { text: string }): string {
    return `not (${arg.text})`;
  }

  protected leaf(e: Leaf, ctx: RenderContext): string {
    switch (e.kind) {
      case 'match': {
        const f = eqlField(e.field);
        if (e.part) unsupported(e, 'EQL cannot extract parts of a timestamp');
        const hasLiteralWildcard = (v: Value): boolean => (typeof v === 'string' ? /[*?]/.test(v) : isPattern(v) && v.pattern.some((p) => typeof p === 'string' && /[*?]/.test(p)));
        const parts = e.values.map((v) => {
          if (v === null) return `${f} == null`;
          if (typeof v === 'number' || typeof v === 'boolean') return `${f} == ${v}`;
          if (e.operator === 'cidr') return `cidrMatch(${f}, ${eqlStr(String(v))})`;
          if (e.operator === 'regex') return `${f} ${e.flags?.includes('i') ? 'regex~' : 'regex'} ${eqlStr(luceneRegex(e, String(v), (e.flags ?? '').replace('i', '')))}`;
          if (hasLiteralWildcard(v)) {
            // `:` and `like` treat * and ? as wildcards: literal ones need the string functions.
            const text = String(v);
            const fn = { contains: 'stringContains', startswith: 'startsWith', endswith: 'endsWith' }[e.operator as 'contains'];
            if (fn) return `${fn}${e.caseSensitive ? '' : '~'}(${f}, ${eqlStr(text)})`;
            if (e.operator === 'eq') {
              if (!e.caseSensitive) ctx.rec.approximated(`${e.field} == ${JSON.stringify(text)}`, 'a value with a literal * or ? is compared case-sensitively (EQL : and like~ treat them as wildcards)');
              return `${f} == ${eqlStr(text)}`;
            }
            return unsupported(e, 'a wildcard pattern with a literal * or ? cannot be written in EQL');
          }
          const pattern = eqlStr(wildcardText(e.operator, v, (s) => s));
          return e.caseSensitive ? (e.operator === 'eq' ? `${f} == ${pattern}` : `${f} like ${pattern}`) : `${f} : ${pattern}`;
        });
        return this.joinLeaf(parts, e.all);
      }
      case 'keyword':
        return unsupported(e, 'EQL has no search over every field');
      case 'exists':
        return `${eqlField(e.field)} != null`;
      case 'compare':
        if (e.part) unsupported(e, 'EQL cannot extract parts of a timestamp');
        return `${eqlField(e.field)} ${{ gt: '>', gte: '>=', lt: '<', lte: '<=' }[e.op]} ${e.value}`;
      case 'fieldref':
        return unsupported(e, 'EQL compares fields only with literals');
      case 'opaque':
        return unsupported(e, 'the rule has logic that could not be modelled');
    }
  }
}

function eqlField(f: string): string {
  return /^[A-Za-z_@][\w.@]*$/.test(f) ? f : '`' + f.replace(/`/g, '``') + '`';
}

function eqlStr(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}
