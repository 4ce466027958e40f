import { AhoCorasick } from '../engine/aho-corasick.js';
import { printLeaf, rulePosition, translateRegex, walkExpr, type Diagnostic, type DiagnosticSeverity, type Expr, type MatchExpr, type Rule, type Span } from '../model/index.js';
import { BENIGN, valueKind } from './benign.js';
import { alternatives } from './regex-parts.js';
import { checkUnknownFields } from './fields.js';
import { checkSplPrecedence } from './spl.js';

/**
 * Rule-quality checks over the intermediate form, so they apply to every vendor's rules alike:
 * regexes that match (nearly) everything, conditions that can never be true, predicates shadowed
 * by broader ones, case-sensitivity surprises. Codes are stable (`lint.*`).
 */
export interface Finding {
  code: string;
  severity: DiagnosticSeverity;
  message: string;
  span: Span;
}

export type Report = (code: string, severity: DiagnosticSeverity, message: string, span: Span) => void;

/** Every finding for a rule, as diagnostics positioned in the rule's file. */
export function lintRule(rule: Rule): Diagnostic[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const report: Report = (code, severity, message, span) => {
    const key = `${code}|${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    findings.push({ code, severity, message, span });
  };
  for (const stage of rule.logic) {
    if (!stage.filter) continue;
    // Tests that decide alone whether the rule fires (reached from the root through ORs only):
    // a weak one there makes the whole rule weak; inside an AND others narrow it.
    const alone = new Set<Expr>();
    const mark = (e: Expr): void => {
      alone.add(e);
      if (e.kind === 'or') e.args.forEach(mark);
    };
    mark(stage.filter);
    // Nested ANDs are analysed once, from the outermost, over all their conjuncts.
    const parentIsAnd = new Set<Expr>();
    walkExpr(stage.filter, (node) => {
      if (node.kind === 'and') for (const a of node.args) if (a.kind === 'and') parentIsAnd.add(a);
    });
    walkExpr(stage.filter, (node, negated) => {
      if (node.kind === 'match') {
        checkRegexes(node, negated, alone.has(node), report);
        if (alone.has(node)) checkShortValues(node, negated, report);
        checkWithinValues(node, report);
      }
      if (node.kind === 'keyword' && alone.has(node)) checkKeyword(node, report);
      if (node.kind === 'and' && !parentIsAnd.has(node)) {
        const conjuncts = flattenAnd(node);
        checkContradictions(conjuncts, report, node.span);
        checkAndShadowing(conjuncts, report);
      }
      if (node.kind === 'or') checkOrShadowing(node.args, report);
    });
    checkSplPrecedence(rule, stage, report);
  }
  checkUnknownFields(rule, report);
  const file = rule.diagnostics[0]?.file ?? rule.source.path;
  return findings.map((f) => ({ severity: f.severity, code: f.code, message: f.message, file, ...rulePosition(rule, f.span), span: f.span }));
}

/** The operands of an AND and of the ANDs nested in it. */
function flattenAnd(e: Expr): Expr[] {
  return e.kind === 'and' ? e.args.flatMap(flattenAnd) : [e];
}

// ---- regular expressions -----------------------------------------------------------------

function compile(src: string, flags: string): RegExp | null {
  const t = translateRegex(src, flags);
  return t.ok ? new RegExp(t.source, t.flags) : null;
}

function checkRegexes(m: MatchExpr, negated: boolean, alone: boolean, report: Report): void {
  if (m.operator !== 'regex') return;
  const kind = valueKind(m.field);
  const samples = kind === 'other' ? [...BENIGN.command_line, ...BENIGN.path] : BENIGN[kind];
  for (const v of m.values) {
    const src = String(v);
    const whole = compile(src, m.flags ?? '');
    if (!whole) continue;
    if (whole.test('')) {
      report('lint.regex-matches-everything', 'warning', `${m.field} regex /${src}/ matches the empty string, so it matches every value`, m.span);
      continue;
    }
    if (negated) continue;
    for (const alt of alternatives(src)) {
      const re = compile(alt, m.flags ?? '');
      if (!re) continue;
      if (re.test('')) {
        report('lint.regex-matches-everything', 'warning', `the alternative /${alt}/ of ${m.field} regex /${src}/ matches the empty string, so the whole regex matches every value`, m.span);
        continue;
      }
      const hits = samples.filter((s) => re.test(s));
      if (hits.length >= 3 && hits.length / samples.length >= 0.2) {
        const what = `the alternative /${alt}/ of ${m.field} regex matches ${hits.length} of ${samples.length} ordinary ${kind === 'other' ? 'values' : kind.replace('_', ' ') + 's'} (e.g. ${JSON.stringify(hits[0])})`;
        if (alone) report('lint.regex-over-broad', 'warning', `${what}: alone, it makes the rule fire on everyday activity`, m.span);
        else report('lint.regex-over-broad', 'info', `${what}: it tests almost nothing; the rule relies on its other conditions`, m.span);
      }
    }
    if (!m.flags?.includes('i') && /[A-Za-z]/.test(src.replace(/\\[a-zA-Z]/g, '')) && (kind === 'path' || kind === 'command_line') && !/\(\?[a-z]*i/.test(src)) {
      report('lint.regex-case-sensitive', 'info', `${m.field} regex /${src}/ is case-sensitive, but Windows paths and command lines vary in case: add the i flag or (?i) unless case matters`, m.span);
    }
  }
}

// ---- values that match almost anything ---------------------------------------------------

function checkShortValues(m: MatchExpr, negated: boolean, report: Report): void {
  if (negated || m.operator !== 'contains') return;
  if (m.all && m.values.some((v) => typeof v === 'string' && v.trim().length > 1)) return;
  // Common characters only: a single rare character (a homoglyph, a control code) is specific.
  const short = m.values.filter((v): v is string => typeof v === 'string' && v.trim().length <= 1 && /^[\x20-\x7e]*$/.test(v));
  if (short.length) report('lint.value-too-short', 'warning', `${m.field} contains ${short.map((v) => JSON.stringify(v)).join(', ')}: a one-character substring matches almost every value, and nothing else in the rule narrows it`, m.span);
}

function checkKeyword(k: Extract<Expr, { kind: 'keyword' }>, report: Report): void {
  for (const v of k.values) {
    if (typeof v === 'string' && v.trim().length < 4) report('lint.keyword-too-short', 'warning', `keyword ${JSON.stringify(v)} is shorter than 4 characters: searched over the whole event it matches often`, k.span);
  }
}

// ---- contradictions ----------------------------------------------------------------------

function norm(v: unknown, cs: boolean): string {
  return cs ? String(v) : String(v).toLowerCase();
}

/** An AND that requires one field to equal two different values, or a test and its negation. */
function checkContradictions(args: Expr[], report: Report, span: Span): void {
  const eqs = new Map<string, { values: Set<string>; node: MatchExpr }>();
  for (const a of args) {
    if (a.kind !== 'match' || a.operator !== 'eq' || a.part) continue;
    if (a.values.some((v) => v === null)) continue;
    const values = new Set(a.values.map((v) => norm(v, a.caseSensitive)));
    const effective = a.all ? (values.size > 1 ? new Set<string>() : values) : values;
    const prev = eqs.get(a.field);
    if (prev) {
      const both = new Set([...prev.values].filter((v) => effective.has(v)));
      if (both.size === 0) report('lint.never-true', 'error', `${a.field} must equal ${[...prev.values].join(' / ')} and ${[...values].join(' / ')} at once: the condition can never be true`, a.span);
      prev.values = both;
    } else {
      if (a.all && values.size > 1) report('lint.never-true', 'error', `${a.field} must equal all of ${[...values].join(', ')} at once: the condition can never be true`, a.span);
      eqs.set(a.field, { values: effective, node: a });
    }
  }
  const printed = new Map<string, Expr>();
  for (const a of args) printed.set(key(a), a);
  for (const a of args) {
    if (a.kind === 'not' && printed.has(key(a.arg))) report('lint.never-true', 'error', `the condition requires both ${describe(a.arg)} and its negation`, span);
  }
  // Numeric ranges with no value in them.
  const lo = new Map<string, number>();
  const hi = new Map<string, number>();
  for (const a of args) {
    if (a.kind !== 'compare' || a.part) continue;
    if (a.op === 'gt' || a.op === 'gte') lo.set(a.field, Math.max(lo.get(a.field) ?? -Infinity, a.op === 'gt' ? a.value + Number.EPSILON : a.value));
    else hi.set(a.field, Math.min(hi.get(a.field) ?? Infinity, a.op === 'lt' ? a.value - Number.EPSILON : a.value));
  }
  for (const [f, l] of lo) {
    const h = hi.get(f);
    if (h !== undefined && l > h) report('lint.never-true', 'error', `${f} must be above ${l.toFixed(0)} and below ${h.toFixed(0)}: no number is both`, span);
  }
}

function key(e: Expr): string {
  return JSON.stringify(e, (k, v) => (k === 'span' || k === 'label' ? undefined : v));
}

function describe(e: Expr): string {
  return e.kind === 'and' || e.kind === 'or' || e.kind === 'not' ? (e.label ? `'${e.label}'` : 'a sub-condition') : printLeaf(e);
}

// ---- shadowing ---------------------------------------------------------------------------

type Affix = { field: string; op: 'contains' | 'startswith' | 'endswith' | 'eq'; value: string; node: MatchExpr; cs: boolean };

/** Plain string tests of single values (or of each value of an any-of list). */
function affixes(args: Expr[]): Affix[] {
  const out: Affix[] = [];
  for (const a of args) {
    if (a.kind !== 'match' || a.part || a.all) continue;
    if (a.operator !== 'contains' && a.operator !== 'startswith' && a.operator !== 'endswith' && a.operator !== 'eq') continue;
    for (const v of a.values) if (typeof v === 'string') out.push({ field: a.field, op: a.operator, value: norm(v, a.caseSensitive), node: a, cs: a.caseSensitive });
  }
  return out;
}

/** Whether every value passing `narrow` also passes `broad` (same field). */
function implies(narrow: Affix, broad: Affix): boolean {
  if (narrow.field !== broad.field || narrow.cs !== broad.cs) return false;
  const n = narrow.value;
  const b = broad.value;
  switch (broad.op) {
    case 'contains':
      return n.includes(b);
    case 'startswith':
      return (narrow.op === 'startswith' || narrow.op === 'eq') && n.startsWith(b);
    case 'endswith':
      return (narrow.op === 'endswith' || narrow.op === 'eq') && n.endsWith(b);
    case 'eq':
      return narrow.op === 'eq' && n === b;
  }
}

/** In an OR, a test implied by another adds nothing: the broader one already matches it. */
function checkOrShadowing(args: Expr[], report: Report): void {
  const list = affixes(args);
  for (const a of list) {
    const broader = list.find((b) => b !== a && b.node !== a.node && implies(a, b) && !(implies(b, a) && list.indexOf(b) > list.indexOf(a)));
    if (broader) report('lint.shadowed', 'info', `${a.field} ${a.op} ${JSON.stringify(a.value)} is already matched by ${broader.field} ${broader.op} ${JSON.stringify(broader.value)} in the same OR`, a.node.span);
  }
}

/** In an AND, a test implied by another is redundant: the narrower one already requires it. */
function checkAndShadowing(args: Expr[], report: Report): void {
  // Each value of a single-value or all-of test is required on its own.
  const list: Affix[] = [];
  for (const a of args) {
    if (a.kind !== 'match' || a.part || (a.values.length > 1 && !a.all)) continue;
    if (a.operator !== 'contains' && a.operator !== 'startswith' && a.operator !== 'endswith' && a.operator !== 'eq') continue;
    for (const v of a.values) if (typeof v === 'string') list.push({ field: a.field, op: a.operator, value: norm(v, a.caseSensitive), node: a, cs: a.caseSensitive });
  }
  for (const b of list) {
    // A strictly narrower test, or the same test earlier (a duplicate).
    const narrower = list.find((a) => a !== b && implies(a, b) && (!implies(b, a) || list.indexOf(a) < list.indexOf(b)));
    if (narrower) report('lint.redundant', 'info', `${b.field} ${b.op} ${JSON.stringify(b.value)} adds nothing: ${narrower.field} ${narrower.op} ${JSON.stringify(narrower.value)} already requires it`, b.node.span);
  }
}

/** Values of one any-of list that another value of the same list already covers. */
function checkWithinValues(m: MatchExpr, report: Report): void {
  if (m.all || (m.operator !== 'contains' && m.operator !== 'startswith' && m.operator !== 'endswith') || m.values.length < 2) return;
  const vals = [...new Set(m.values.filter((v): v is string => typeof v === 'string').map((v) => norm(v, m.caseSensitive)))];
  const covered: string[] = [];
  const cover = coveringValue(vals, m.operator);
  for (const v of vals) {
    const by = cover(v);
    if (by !== undefined) covered.push(`${JSON.stringify(v)} (covered by ${JSON.stringify(by)})`);
  }
  if (covered.length) report('lint.shadowed', 'info', `${m.field} ${m.operator}: ${covered.slice(0, 3).join(', ')}${covered.length > 3 ? ` and ${covered.length - 3} more` : ''} never change the result`, m.span);
}

/**
 * For each value, another value of the list that already matches everything it matches, if any.
 * Long lists (hundreds of paths or hashes) are common, so no pairwise loop: prefixes and suffixes
 * are looked up in a set, substrings found in one Aho-Corasick pass per value.
 */
function coveringValue(vals: string[], op: 'contains' | 'startswith' | 'endswith'): (v: string) => string | undefined {
  if (op === 'contains') {
    if (vals.length < 16) return (v) => vals.find((w) => w !== v && v.includes(w));
    if (vals.includes('')) return (v) => (v === '' ? undefined : '');
    const ac = new AhoCorasick(vals);
    return (v) => {
      let by: string | undefined;
      ac.forEach(v, (i) => {
        const w = vals[i]!;
        if (by === undefined && w !== v) by = w;
      });
      return by;
    };
  }
  const set = new Set(vals);
  return (v) => {
    for (let n = 0; n < v.length; n++) {
      const part = op === 'startswith' ? v.slice(0, n) : v.slice(v.length - n);
      if (set.has(part)) return part;
    }
    return undefined;
  };
}
