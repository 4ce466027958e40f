/**
 * Expr → predicate closure, built once per rule and log source (Hayabusa's `RuleNode::init`).
 * Each leaf picks its strategy here: set lookups for equality, affix checks, Aho-Corasick for
 * many substrings, anchored segments for `*` patterns, RegExp last. Children of `and` / `or` are
 * ordered cheapest first, constants fold away.
 *
 * Semantics follow src/model/expr.ts. An `opaque` part (or a regex/CIDR that cannot run) can
 * never make a rule fire: it is false where it stands, and true under an odd number of `not`s,
 * so `not <opaque>` is false too. Such rules are reported as partially evaluable.
 */
import { isPattern, translateRegex, type CompareExpr, type RegexTranslation, type Expr, type FieldRefExpr, type KeywordExpr, type MatchExpr, type Pattern, type TimePart, type Value } from '../model/index.js';
import { cidrTest } from './cidr.js';
import { literalSequence, sequenceTest } from './regex-literal.js';
import { parseTime } from './event.js';
import type { MatchContext, Text } from './fields.js';
import { containsAllTest, containsTest, endsTest, eqTest, patternTest, startsTest, type StrTest } from './strings.js';

export type Pred = (c: MatchContext) => boolean;

const translations = new Map<string, RegexTranslation>();

/** `translateRegex`, remembered: rules repeat patterns, and the prefilter asks again. */
export function translated(source: string, flags: string): RegexTranslation {
  const key = `${flags}/${source}`;
  let t = translations.get(key);
  if (!t) {
    t = translateRegex(source, flags);
    if (translations.size > 50_000) translations.clear();
    translations.set(key, t);
  }
  return t;
}

export interface CompileEnv {
  /** The slot of a field for the log source being compiled. */
  slot(field: string): number;
  /** A part that cannot be evaluated (`opaque`) or only approximately. */
  note(kind: 'opaque' | 'approximate', reason: string): void;
}

export interface Compiled {
  pred: Pred;
  /** Rough relative cost, to run cheap tests first. */
  cost: number;
  /** Set when the predicate is a constant. */
  constant?: boolean;
}

const TRUE: Compiled = { pred: () => true, cost: 0, constant: true };
const FALSE: Compiled = { pred: () => false, cost: 0, constant: false };

/** What cannot be evaluated never helps a rule fire (see the module comment). */
function unknown(negated: boolean): Compiled {
  return negated ? TRUE : FALSE;
}

export function compileExpr(e: Expr, env: CompileEnv, negated = false): Compiled {
  switch (e.kind) {
    case 'and':
    case 'or':
      return compileJunction(e.kind, e.args, env, negated);
    case 'not': {
      const inner = compileExpr(e.arg, env, !negated);
      if (inner.constant !== undefined) return inner.constant ? FALSE : TRUE;
      const p = inner.pred;
      return { pred: (c) => !p(c), cost: inner.cost };
    }
    case 'match':
      return compileMatch(e, env, negated);
    case 'keyword':
      return compileKeyword(e, env, negated);
    case 'exists': {
      const slot = env.slot(e.field);
      return { pred: (c) => c.value(slot) !== undefined, cost: 1 };
    }
    case 'compare':
      return compileCompare(e, env);
    case 'fieldref':
      return compileFieldRef(e, env);
    case 'opaque':
      env.note('opaque', e.reason);
      return unknown(negated);
  }
}

function compileJunction(kind: 'and' | 'or', args: Expr[], env: CompileEnv, negated: boolean): Compiled {
  const absorbing = kind === 'and' ? false : true;
  const parts: Compiled[] = [];
  for (const a of args) {
    const c = compileExpr(a, env, negated);
    if (c.constant === absorbing) return c;
    if (c.constant === undefined) parts.push(c);
  }
  if (parts.length === 0) return absorbing ? FALSE : TRUE;
  if (parts.length === 1) return parts[0]!;
  parts.sort((a, b) => a.cost - b.cost);
  const cost = parts.reduce((n, p) => n + p.cost, 0);
  const ps = parts.map((p) => p.pred);
  const [p0, p1, p2] = ps as [Pred, Pred, Pred | undefined];
  if (kind === 'and') {
    if (ps.length === 2) return { pred: (c) => p0(c) && p1(c), cost };
    if (ps.length === 3) return { pred: (c) => p0(c) && p1(c) && p2!(c), cost };
    return {
      pred: (c) => {
        for (let i = 0; i < ps.length; i++) if (!ps[i]!(c)) return false;
        return true;
      },
      cost,
    };
  }
  if (ps.length === 2) return { pred: (c) => p0(c) || p1(c), cost };
  if (ps.length === 3) return { pred: (c) => p0(c) || p1(c) || p2!(c), cost };
  return {
    pred: (c) => {
      for (let i = 0; i < ps.length; i++) if (ps[i]!(c)) return true;
      return false;
    },
    cost,
  };
}

function combine(tests: Compiled[], all: boolean): Compiled {
  if (tests.length === 1) return tests[0]!;
  const ps = tests.map((t) => t.pred);
  const cost = tests.reduce((n, t) => n + t.cost, 0);
  if (all)
    return {
      pred: (c) => {
        for (const p of ps) if (!p(c)) return false;
        return true;
      },
      cost,
    };
  return {
    pred: (c) => {
      for (const p of ps) if (p(c)) return true;
      return false;
    },
    cost,
  };
}

/** A string test over one field's text (lower-cased when case-insensitive); lists match if any element does. */
function onText(slot: number, lower: boolean, test: StrTest, cost: number): Compiled {
  const pred: Pred = lower
    ? (c) => {
        const t = c.lower(slot);
        return typeof t === 'string' ? test(t) : t !== null && t.some(test);
      }
    : (c) => {
        const t = c.text(slot);
        return typeof t === 'string' ? test(t) : t !== null && t.some(test);
      };
  return { pred, cost };
}

function compileMatch(m: MatchExpr, env: CompileEnv, negated: boolean): Compiled {
  const slot = env.slot(m.field);
  if (m.placeholders?.length) env.note('approximate', `placeholder${m.placeholders.length > 1 ? 's' : ''} ${m.placeholders.map((p) => `%${p}%`).join(', ')} matched as a wildcard`);
  if (m.part) return timePartMatch(slot, m.part, m.values, m.all);
  const lower = !m.caseSensitive;
  const tests: Compiled[] = [];
  switch (m.operator) {
    case 'regex': {
      for (const v of m.values) {
        const r = translated(String(v), m.flags ?? '');
        if (!r.ok) {
          env.note('opaque', `regular expression cannot run: ${r.error}`);
          tests.push(unknown(negated));
          continue;
        }
        if (r.notes.length) env.note('approximate', `regex ${r.notes.join('; ')}`);
        const seq = literalSequence(r.source, r.flags);
        if (seq) {
          // `a.*b.*c`: ordered substring searches, linear where a backtracking engine is not.
          tests.push(onText(slot, r.flags.includes('i'), sequenceTest(seq, r.flags.includes('s')), 5));
          continue;
        }
        const re = new RegExp(r.source, r.flags);
        tests.push(onText(slot, false, (s) => re.test(s), 25));
      }
      break;
    }
    case 'cidr': {
      const nets = m.values.filter((v): v is string => typeof v === 'string');
      const bad = nets.filter((n) => !cidrTest([n]));
      if (bad.length) env.note('opaque', `not a CIDR network: ${bad.join(', ')}`);
      const test = cidrTest(nets);
      if (!test) tests.push(unknown(negated));
      else if (m.all) for (const n of nets) tests.push(onText(slot, false, cidrTest([n]) ?? (() => false), 8));
      else tests.push(onText(slot, false, test, 8));
      break;
    }
    default: {
      const strings: string[] = [];
      for (const v of m.values) {
        if (typeof v === 'string' || (typeof v === 'number' && m.operator !== 'eq')) strings.push(lower ? String(v).toLowerCase() : String(v));
        else tests.push(scalarTest(slot, v, lower));
      }
      if (strings.length) {
        if (m.all && strings.length > 1) {
          if (m.operator === 'contains') tests.push(onText(slot, lower, containsAllTest(strings), 4));
          else for (const s of strings) tests.push(onText(slot, lower, stringTest(m.operator, [s]), 2));
        } else tests.push(onText(slot, lower, stringTest(m.operator, strings), m.operator === 'eq' ? 1 : m.operator === 'contains' ? 3 : 2));
      }
    }
  }
  if (tests.length === 0) return unknown(negated);
  return combine(tests, m.all);
}

function stringTest(op: MatchExpr['operator'], values: string[]): StrTest {
  switch (op) {
    case 'startswith':
      return startsTest(values);
    case 'endswith':
      return endsTest(values);
    case 'contains':
      return containsTest(values);
    default:
      return eqTest(values);
  }
}

/** A value that is not a plain string: a pattern, number, boolean or null. */
function scalarTest(slot: number, v: Value, lower: boolean): Compiled {
  if (isPattern(v)) return patternMatch(slot, v, lower);
  if (v === null) return { pred: (c) => c.value(slot) == null, cost: 1 };
  if (typeof v === 'number') return { pred: (c) => numEq(c.value(slot), v), cost: 1 };
  if (typeof v === 'boolean') {
    const text = String(v);
    return { pred: (c) => boolEq(c.value(slot), v, text), cost: 1 };
  }
  return onText(slot, lower, eqTest([lower ? v.toLowerCase() : v]), 1);
}

function patternMatch(slot: number, p: Pattern, lower: boolean): Compiled {
  const hasOne = p.pattern.some((x) => typeof x === 'object' && x.wildcard === 'one');
  return onText(slot, lower, patternTest(p, lower), hasOne ? 6 : 4);
}

function numEq(x: unknown, n: number): boolean {
  if (typeof x === 'number') return x === n;
  if (typeof x === 'string') return x.trim() !== '' && Number(x) === n;
  if (Array.isArray(x)) return x.some((e) => numEq(e, n));
  return false;
}

function boolEq(x: unknown, b: boolean, text: string): boolean {
  if (typeof x === 'boolean') return x === b;
  if (typeof x === 'string') return x.toLowerCase() === text;
  if (Array.isArray(x)) return x.some((e) => boolEq(e, b, text));
  return false;
}

function toNumber(x: unknown): number {
  if (typeof x === 'number') return x;
  if (typeof x === 'string' && x.trim() !== '') return Number(x);
  return NaN;
}

export function timePart(ms: number, part: TimePart): number {
  const d = new Date(ms);
  switch (part) {
    case 'minute':
      return d.getUTCMinutes();
    case 'hour':
      return d.getUTCHours();
    case 'day':
      return d.getUTCDate();
    case 'month':
      return d.getUTCMonth() + 1;
    case 'year':
      return d.getUTCFullYear();
    case 'week': {
      // ISO 8601 week number: the week with the year's first Thursday is week 1.
      const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
      const dow = t.getUTCDay() || 7;
      t.setUTCDate(t.getUTCDate() + 4 - dow);
      const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
      return Math.ceil(((t.getTime() - yearStart) / 86400000 + 1) / 7);
    }
  }
}

function partOf(x: unknown, part: TimePart): number {
  const t = typeof x === 'string' ? parseTime(x) : typeof x === 'number' ? x : NaN;
  return Number.isNaN(t) ? NaN : timePart(t, part);
}

function timePartMatch(slot: number, part: TimePart, values: Value[], all: boolean): Compiled {
  const wanted = values.map((v) => Number(v));
  const pred: Pred = all
    ? (c) => {
        const p = partOf(c.value(slot), part);
        return wanted.every((w) => w === p);
      }
    : (c) => wanted.includes(partOf(c.value(slot), part));
  return { pred, cost: 10 };
}

/** A search over every payload value (event.ts `keywords`): true when some value passes a test. */
function compileKeyword(k: KeywordExpr, env: CompileEnv, negated: boolean): Compiled {
  const lower = !k.caseSensitive && k.operator !== 'regex';
  const tests: StrTest[] = [];
  const strings: string[] = [];
  for (const v of k.values) {
    if (v === null || typeof v === 'boolean') continue;
    if (k.operator === 'regex') {
      const r = translated(String(v), k.flags ?? '');
      if (!r.ok) {
        env.note('opaque', `regular expression cannot run: ${r.error}`);
        if (!k.all) continue;
        return unknown(negated);
      }
      const re = new RegExp(r.source, r.flags);
      tests.push((s) => re.test(s));
    } else if (isPattern(v)) tests.push(patternTest(v, lower));
    else strings.push(lower ? String(v).toLowerCase() : String(v));
  }
  if (strings.length) {
    const op = k.operator === 'wildcard' || k.operator === 'regex' ? 'contains' : k.operator;
    if (k.all) for (const s of strings) tests.push(stringTest(op, [s]));
    else tests.push(stringTest(op, strings));
  }
  if (tests.length === 0) return unknown(negated);
  const values = (c: MatchContext): string[] => (lower ? c.view.keywordsLower() : c.view.keywords());
  const pred: Pred = k.all ? (c) => tests.every((t) => values(c).some(t)) : (c) => tests.some((t) => values(c).some(t));
  return { pred, cost: 20 };
}

const COMPARE: Record<CompareExpr['op'], (a: number, b: number) => boolean> = {
  gt: (a, b) => a > b,
  gte: (a, b) => a >= b,
  lt: (a, b) => a < b,
  lte: (a, b) => a <= b,
};

function compileCompare(e: CompareExpr, env: CompileEnv): Compiled {
  const slot = env.slot(e.field);
  const cmp = COMPARE[e.op];
  const n = e.value;
  const part = e.part;
  const test = (x: unknown): boolean => {
    if (Array.isArray(x)) return x.some(test);
    const v = part ? partOf(x, part) : toNumber(x);
    return !Number.isNaN(v) && cmp(v, n);
  };
  return { pred: (c) => test(c.value(slot)), cost: part ? 10 : 2 };
}

function compileFieldRef(e: FieldRefExpr, env: CompileEnv): Compiled {
  const a = env.slot(e.field);
  const b = env.slot(e.other);
  const lower = !e.caseSensitive;
  const op: (x: string, y: string) => boolean =
    e.operator === 'contains' ? (x, y) => x.includes(y) : e.operator === 'startswith' ? (x, y) => x.startsWith(y) : e.operator === 'endswith' ? (x, y) => x.endsWith(y) : (x, y) => x === y;
  const list = (t: Text): string[] => (t === null ? [] : typeof t === 'string' ? [t] : t);
  return {
    pred: (c) => {
      const xs = list(lower ? c.lower(a) : c.text(a));
      if (xs.length === 0) return false;
      const ys = list(lower ? c.lower(b) : c.text(b));
      return xs.some((x) => ys.some((y) => op(x, y)));
    },
    cost: 3,
  };
}
