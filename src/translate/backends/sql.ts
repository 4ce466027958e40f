import { isPattern, type Expr, type MatchExpr, type Value } from '../../model/index.js';
import { aggregateName, groupColumn, noteWindows, thresholds, type CorrelationInput } from '../correlation.js';
import type { Mapped } from '../pipeline/apply.js';
import { Backend, unsupported, type RenderContext } from './base.js';
import { cidrTextTests, ipv6TextTests, regexUnsupportedFeature, withInlineFlags } from './patterns.js';

/**
 * SQL over a flat events table: one text column per field, named in lower case (absent fields are
 * NULL), and `_raw`,
 * every value of the event joined by newlines, for keyword searches. Dialects differ in regex
 * functions, casts, booleans and LIKE escapes; everything else is shared.
 *
 * SQL's NULLs make `NOT (field LIKE ...)` unknown where Sigma says true (an absent field does not
 * contain anything), so every negation is `NOT COALESCE(..., false)`.
 */
export interface SqlDialect {
  name: 'sqlite' | 'duckdb' | 'postgres' | 'clickhouse';
  falseLiteral: string;
  /** LIKE with a backslash escape character. */
  like(col: string, pattern: string): string;
  regex(col: string, re: string): string;
  /** Whether regexes are RE2 (no lookaround, no backreferences). */
  re2: boolean;
  toNumber(col: string): string;
  lower(col: string): string;
  position(haystack: string, needle: string): string;
  timePart(part: string, col: string): string;
  /** Epoch seconds of the timestamp column (for correlation windows). */
  epoch(col: string): string;
  /** The window number of an epoch time: integer division, rounding down. */
  window(time: string, seconds: number): string;
  /** A string literal. */
  lit(s: string): string;
  /** The join of two aggregates on their shared key columns. */
  join: string;
}

const SQLITE: SqlDialect = {
  name: 'sqlite',
  falseLiteral: '0',
  like: (c, p) => `${c} LIKE ${p} ESCAPE '\\'`,
  regex: (c, r) => `${c} REGEXP ${lit(r)}`,
  lit,
  join: 'JOIN',
  re2: false,
  toNumber: (c) => `CAST(${c} AS REAL)`,
  lower: (c) => `LOWER(${c})`,
  position: (h, n) => `INSTR(${h}, ${n})`,
  timePart: (p, c) => `CAST(strftime('${{ minute: '%M', hour: '%H', day: '%d', week: '%W', month: '%m', year: '%Y' }[p]}', ${c}) AS INTEGER)`,
  epoch: (c) => `CAST(strftime('%s', ${c}) AS INTEGER)`,
  window: (t, s) => `(${t} / ${s})`,
};

const DUCKDB: SqlDialect = {
  name: 'duckdb',
  falseLiteral: 'FALSE',
  like: (c, p) => `${c} LIKE ${p} ESCAPE '\\'`,
  regex: (c, r) => `regexp_matches(${c}, ${lit(r)})`,
  lit,
  join: 'JOIN',
  re2: true,
  toNumber: (c) => `TRY_CAST(${c} AS DOUBLE)`,
  lower: (c) => `LOWER(${c})`,
  position: (h, n) => `POSITION(${n} IN ${h})`,
  timePart: (p, c) => `EXTRACT(${p} FROM TRY_CAST(${c} AS TIMESTAMP))`,
  epoch: (c) => `CAST(EPOCH(TRY_CAST(${c} AS TIMESTAMP)) AS BIGINT)`,
  window: (t, s) => `(${t} // ${s})`,
};

const POSTGRES: SqlDialect = {
  name: 'postgres',
  falseLiteral: 'FALSE',
  like: (c, p) => `${c} LIKE ${p} ESCAPE '\\'`,
  regex: (c, r) => `${c} ~ ${lit(r)}`,
  lit,
  join: 'JOIN',
  re2: false,
  toNumber: (c) => `(CASE WHEN ${c} ~ '^\\s*-?[0-9]+(\\.[0-9]+)?\\s*$' THEN CAST(${c} AS DOUBLE PRECISION) END)`,
  lower: (c) => `LOWER(${c})`,
  position: (h, n) => `POSITION(${n} IN ${h})`,
  timePart: (p, c) => `EXTRACT(${p} FROM CAST(${c} AS TIMESTAMP))`,
  epoch: (c) => `CAST(EXTRACT(EPOCH FROM CAST(${c} AS TIMESTAMP)) AS BIGINT)`,
  window: (t, s) => `FLOOR(${t} / ${s})`,
};

const CLICKHOUSE: SqlDialect = {
  name: 'clickhouse',
  falseLiteral: '0',
  // ClickHouse's LIKE takes backslash escapes without an ESCAPE clause (which 18.x lacks).
  like: (c, p) => `${c} LIKE ${p}`,
  // Old ClickHouse finds a required literal before running the regex, case-sensitively even
  // under (?i): a group around the pattern keeps it from doing so.
  regex: (c, r) => `match(${c}, ${chLit(/^\(\?[a-z]*i[a-z]*\)/.test(r) ? r.replace(/^(\(\?[a-z]+\))(.*)$/s, '$1(?:$2)') : r)})`,
  lit: chLit,
  join: 'ALL INNER JOIN',
  re2: true,
  toNumber: (c) => `toFloat64OrNull(${c})`,
  lower: (c) => `lowerUTF8(${c})`,
  position: (h, n) => `position(${h}, ${n})`,
  timePart: (p, c) => `${{ minute: 'toMinute', hour: 'toHour', day: 'toDayOfMonth', week: 'toISOWeek', month: 'toMonth', year: 'toYear' }[p]}(parseDateTimeBestEffortOrNull(${c}))`,
  epoch: (c) => `toUnixTimestamp(parseDateTimeBestEffortOrNull(${c}))`,
  window: (t, s) => `intDiv(${t}, ${s})`,
};

export const SQL_DIALECTS = { sqlite: SQLITE, duckdb: DUCKDB, postgres: POSTGRES, clickhouse: CLICKHOUSE };

/** A SQL string literal (standard quoting: only `'` is special). */
export function lit(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** A ClickHouse string literal: backslashes are escapes there. */
function chLit(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * A column of the events table. Field names are case-insensitive there (SQLite and DuckDB fold
 * identifiers; event logs spell `ProcessId` and `ProcessID`): columns are the lower-cased names.
 */
export function ident(name: string): string {
  return `"${name.toLowerCase().replace(/"/g, '""')}"`;
}

function likePattern(op: MatchExpr['operator'], v: Value, lowerValue: boolean, quote: (s: string) => string): string {
  const esc = (s: string): string => (lowerValue ? s.toLowerCase() : s).replace(/[\\%_]/g, (c) => '\\' + c);
  let body = isPattern(v) ? v.pattern.map((p) => (typeof p === 'string' ? esc(p) : p.wildcard === 'any' ? '%' : '_')).join('') : esc(String(v));
  if (op === 'contains') body = `%${body}%`;
  else if (op === 'startswith') body = `${body}%`;
  else if (op === 'endswith') body = `%${body}`;
  return quote(body);
}

type Leaf = Exclude<Expr, { kind: 'and' | 'or' | 'not' }>;

export class SqlBackend extends Backend {
  readonly language = 'sql' as const;
  protected override readonly andToken = ' AND ';
  protected override readonly orToken = ' OR ';

  constructor(readonly dialect: SqlDialect) {
    super();
  }

  correlate(input: CorrelationInput): string[] {
    return new SqlCorrelator(this).correlate(input);
  }

  queries(mapped: Mapped, ctx: RenderContext): string[] {
    return [`SELECT * FROM ${ident(mapped.source || 'events')} WHERE ${this.condition(mapped.expr, ctx)}`];
  }

  protected override notExpr(arg: { text: string }): string {
    return `NOT COALESCE(${arg.text}, ${this.dialect.falseLiteral})`;
  }

  protected leaf(e: Leaf, ctx: RenderContext): string {
    const d = this.dialect;
    switch (e.kind) {
      case 'match': {
        const col = ident(e.field);
        const parts = e.values.map((v) => this.matchValue(e, col, v, ctx));
        return this.joinLeaf(parts, e.all);
      }
      case 'keyword': {
        const raw = ident('_raw');
        return this.joinLeaf(
          e.values.map((v) => {
            if (e.operator === 'regex') return d.regex(raw, this.regex(e, String(v), e.flags ?? ''));
            return d.like(e.caseSensitive ? raw : d.lower(raw), likePattern('contains', v, !e.caseSensitive, d.lit));
          }),
          e.all,
        );
      }
      case 'exists':
        return `${ident(e.field)} IS NOT NULL`;
      case 'compare': {
        const c = e.part ? d.timePart(e.part, ident(e.field)) : d.toNumber(ident(e.field));
        return `${c} ${{ gt: '>', gte: '>=', lt: '<', lte: '<=' }[e.op]} ${e.value}`;
      }
      case 'fieldref': {
        const [a, b] = e.caseSensitive ? [ident(e.field), ident(e.other)] : [d.lower(ident(e.field)), d.lower(ident(e.other))];
        if (e.operator === 'eq') return `${a} = ${b}`;
        if (e.operator === 'contains') return `${d.position(a, b)} > 0`;
        if (e.operator === 'startswith') return `${d.position(a, b)} = 1`;
        return `SUBSTR(${a}, LENGTH(${a}) - LENGTH(${b}) + 1) = ${b}`;
      }
      case 'opaque':
        return unsupported(e, 'the rule has logic that could not be modelled');
    }
  }

  private matchValue(e: MatchExpr, col: string, v: Value, ctx: RenderContext): string {
    const d = this.dialect;
    if (v === null) return `${col} IS NULL`;
    if (e.part) return `${d.timePart(e.part, col)} = ${Number(v)}`;
    switch (e.operator) {
      case 'regex':
        return d.regex(col, this.regex(e, String(v), e.flags ?? ''));
      case 'cidr': {
        const v6 = String(v).includes(':');
        const tests = v6 ? ipv6TextTests(String(v)) : cidrTextTests(String(v));
        if (!tests) unsupported(e, `${String(v)} cannot be matched exactly on the text of an address`);
        // IPv6 text may be upper-case in logs; the tests are canonical lower case.
        const c = v6 ? d.lower(col) : col;
        return `(${tests!.map((t) => (t.exact ? `${c} = ${d.lit(t.text)}` : d.like(c, d.lit(t.text.replace(/[\\%_]/g, (x) => '\\' + x) + '%')))).join(' OR ')})`;
      }
      case 'eq':
        if (typeof v === 'boolean') return `${d.lower(col)} = ${d.lit(String(v))}`;
        if (typeof v === 'number') return `${col} = ${d.lit(String(v))}`;
        return e.caseSensitive ? `${col} = ${d.lit(String(v))}` : `${d.lower(col)} = ${d.lit(String(v).toLowerCase())}`;
      default:
        void ctx;
        return d.like(e.caseSensitive ? col : d.lower(col), likePattern(e.operator, v, !e.caseSensitive, d.lit));
    }
  }

  private regex(e: Leaf, src: string, flags: string): string {
    if (this.dialect.re2) {
      const bad = regexUnsupportedFeature(src);
      if (bad) unsupported(e, `the regex uses ${bad}, which ${this.dialect.name}'s RE2 engine does not support`);
    }
    if (this.dialect.name === 'postgres') {
      const counted = pgRepetitions(src);
      if (counted === null) unsupported(e, 'the regex repeats more than PostgreSQL allows (255) in a way that cannot be split exactly');
      // PostgreSQL's embedded options differ: `w` gives PCRE's multi-line anchors; `.` already matches newlines.
      return withInlineFlags(counted!, flags.replace('s', '')).replace(/^\(\?([a-z]*)m([a-z]*)\)/, '(?$1w$2)');
    }
    return withInlineFlags(src, flags);
  }
}

/**
 * SQL correlations: the rules' matches unioned with a rule name, group columns and the event time
 * in epoch seconds, then GROUP BY group columns and a fixed time window (`FLOOR(ts / span)`).
 */
export class SqlCorrelator {
  constructor(private readonly backend: SqlBackend) {}

  correlate(input: CorrelationInput): string[] {
    const c = input.correlation;
    const d = this.backend.dialect;
    const groups = c.groupBy.map((g) => ident(groupColumn(g)));
    const selects = input.parts.map((p) => {
      const ctx = { rule: p.rule, rec: input.rec, types: p.mapped.types, source: p.mapped.source };
      const cols = [`${d.lit(p.name)} AS correlation_rule`, `${d.epoch(ident('TimeCreated'))} AS correlation_time`, ...p.groupBy.map((g) => `${ident(g.field)} AS ${ident(groupColumn(g.as))}`)];
      if (p.valueField) cols.push(`${ident(p.valueField)} AS correlation_value`);
      return `SELECT ${cols.join(', ')} FROM ${ident(p.mapped.source || 'events')} WHERE ${this.backend.condition(p.mapped.expr, ctx)}`;
    });
    const window = d.window('correlation_time', c.timespan.seconds);
    const key = [...groups, 'correlation_window'];
    // Subqueries, not CTEs: ClickHouse 18 (Debian's) has no WITH ... AS (query).
    const windowed = `(SELECT *, ${window} AS correlation_window FROM (${selects.join(' UNION ALL ')}) AS matched) AS windowed`;
    const agg = aggregateName(c);
    const having = thresholds(c, agg, { eq: '=', neq: '<>', and: ' AND ' });
    noteWindows(input, 'events are grouped in fixed windows aligned to the timespan, so a burst across a window boundary can be missed');
    const selectKey = key.join(', ');
    const aggregate = (expr: string): string => `SELECT * FROM (SELECT ${selectKey}, ${expr} AS ${agg} FROM ${windowed} GROUP BY ${selectKey}) AS correlated WHERE ${having}`;
    switch (c.type) {
      case 'event_count':
        return [aggregate('COUNT(*)')];
      case 'value_count':
        return [aggregate('COUNT(DISTINCT correlation_value)')];
      case 'value_sum':
        return [aggregate(`SUM(${d.toNumber('correlation_value')})`)];
      case 'value_avg':
        return [aggregate(`AVG(${d.toNumber('correlation_value')})`)];
      case 'temporal':
        return [aggregate('COUNT(DISTINCT correlation_rule)')];
      case 'temporal_ordered': {
        const times = input.parts.map((p, i) => `${i === 0 ? 'MIN' : 'MAX'}(CASE WHEN correlation_rule = ${d.lit(p.name)} THEN correlation_time END) AS t${i}`);
        const order = input.parts.slice(1).map((_, i) => `t${i} <= t${i + 1}`);
        return [`SELECT * FROM (SELECT ${selectKey}, COUNT(DISTINCT correlation_rule) AS rule_count, ${times.join(', ')} FROM ${windowed} GROUP BY ${selectKey}) AS correlated WHERE ${[having, ...order].join(' AND ')}`];
      }
      case 'value_percentile': {
        // Totals joined back on the key (USING), which every dialect here has, window functions or not.
        const perValue = `(SELECT ${selectKey}, correlation_value, COUNT(*) AS value_events FROM ${windowed} GROUP BY ${selectKey}, correlation_value) AS per_value`;
        const perGroup = `(SELECT ${selectKey}, COUNT(*) AS group_events FROM ${windowed} GROUP BY ${selectKey}) AS per_group`;
        return [`SELECT * FROM (SELECT ${selectKey}, correlation_value, value_events, group_events, 100.0 * value_events / group_events AS value_percentile FROM ${perValue} ${d.join} ${perGroup} USING (${selectKey})) AS correlated WHERE ${having}`];
      }
    }
  }
}

const PG_MAX_REPEAT = 255;

/**
 * PostgreSQL caps repetition counts at 255 (`.{1000,}` is an error there). Larger counts are split
 * into nested exact groups: `X{1000,}` → `(?:X{250}){4}X*`, `X{1,256}` → `X{1}X{0,255}`. Returns null
 * when a bounded range is too wide to split exactly.
 */
export function pgRepetitions(src: string): string | null {
  let out = '';
  let i = 0;
  let atomStart = -1;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\') {
      atomStart = out.length;
      out += src.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c === '[') {
      atomStart = out.length;
      let j = i + 1;
      if (src[j] === '^') j++;
      if (src[j] === ']') j++;
      while (j < src.length && src[j] !== ']') j += src[j] === '\\' ? 2 : 1;
      out += src.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (c === '(') {
      // The atom of a group is the whole group: find its end.
      let depth = 0;
      let j = i;
      for (; j < src.length; j++) {
        if (src[j] === '\\') {
          j++;
          continue;
        }
        if (src[j] === '(') depth++;
        else if (src[j] === ')' && --depth === 0) break;
      }
      const inner = pgRepetitions(src.slice(i + 1, j));
      if (inner === null) return null;
      atomStart = out.length;
      out += '(' + inner + ')';
      i = j + 1;
      continue;
    }
    const m = c === '{' ? /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i)) : null;
    if (m && atomStart >= 0) {
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      if (min <= PG_MAX_REPEAT && max <= PG_MAX_REPEAT) {
        out += m[0];
      } else {
        const atom = out.slice(atomStart);
        out = out.slice(0, atomStart);
        const parts: string[] = [];
        const chunk = 250;
        const whole = Math.floor(min / chunk);
        if (whole) parts.push(`(?:${atom}{${chunk}}){${whole}}`);
        if (min % chunk) parts.push(`${atom}{${min % chunk}}`);
        if (max === Infinity) parts.push(`${atom}*`);
        else if (max > min) {
          if (max - min > PG_MAX_REPEAT) return null;
          parts.push(`${atom}{0,${max - min}}`);
        }
        out += parts.length ? `(?:${parts.join('')})` : '';
      }
      i += m[0].length;
      atomStart = -1;
      continue;
    }
    atomStart = /[|)*+?{}^$]/.test(c) ? -1 : out.length;
    out += c;
    i++;
  }
  return out;
}
