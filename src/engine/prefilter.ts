/**
 * Literal prefilter across rules (the "fast pattern" of Snort and Hyperscan). For each compiled
 * rule we derive a necessary condition in conjunctive form: up to two clauses, each a set of
 * (field, lower-cased literal) atoms at least one of which must occur for the rule to possibly
 * match. Within one log-source bucket the literals of all rules on a field go into one
 * Aho-Corasick automaton; an event scans each such field once, and only rules whose clauses are
 * all satisfied (plus rules with no usable literal) run their full predicate. Hundreds of
 * process_creation rules then cost a few scans per event.
 *
 * Soundness: an atom comes only from positive leaves whose test implies "the lower-cased text
 * contains the literal": eq, contains, startswith, endswith, a pattern's longest literal run, a
 * regex's required literal run (regex-literal.ts), keyword searches (over every payload value).
 * Anything under `not`, numbers (`0x10` equals 16) and CIDRs give none. The automaton lower-cases
 * the text code unit by code unit as it reads, which equals `toLowerCase` of the whole text except
 * around a Greek capital sigma, so literals with a sigma give only their sigma-free runs.
 */
import { isPattern, type Expr, type KeywordExpr, type MatchExpr, type Value } from '../model/index.js';
import { AhoCorasick } from './aho-corasick.js';
import { translated } from './compile.js';
import type { MatchContext } from './fields.js';
import { requiredLiteral } from './regex-literal.js';
import { longestLiteral } from './strings.js';

/** The pseudo-slot of keyword searches: every payload value. */
export const KEYWORDS = -1;

export interface Atom {
  /** A field slot, or {@link KEYWORDS}. */
  slot: number;
  literal: string;
}

/** Some atom of the clause must be found. An empty clause can never be satisfied. */
export type Clause = Atom[];

/** All clauses must be satisfied. `null`: no necessary literal known (the rule always runs). */
export type Atoms = Clause[] | null;

/** More clauses filter better but cost marking; two catch "image X and command line Y". */
const MAX_CLAUSES = 2;

const SIGMA = /[σςΣ]/;
const SIGMA_RUN = /[σςΣ]+/;

/**
 * How often a literal is expected to occur in events, lower is better. Rules share their
 * common literals (`\\cmd.exe` in hundreds of rules), so how many rules use a literal is a fair
 * guess of how common it is in data; short literals are common whatever the rules say.
 */
export type LiteralCost = (literal: string) => number;

export const lengthCost: LiteralCost = (lit) => (lit.length >= 6 ? 1 : lit.length >= 4 ? 4 : lit.length === 3 ? 30 : lit.length === 2 ? 200 : 1000);

function clauseCost(c: Clause, cost: LiteralCost): number {
  let n = 0;
  for (const a of c) n += cost(a.literal);
  return n;
}

export function requiredAtoms(e: Expr, slot: (field: string) => number, cost: LiteralCost = lengthCost): Atoms {
  switch (e.kind) {
    case 'match': {
      if (e.part || e.operator === 'cidr') return null;
      const c = valueClause(e, slot(e.field));
      return c ? [c] : null;
    }
    case 'keyword': {
      const c = valueClause(e, KEYWORDS);
      return c ? [c] : null;
    }
    case 'opaque':
      // Never true where it stands (compile.ts), so nothing can satisfy it.
      return [[]];
    case 'and': {
      const clauses: Clause[] = [];
      for (const a of e.args) {
        const x = requiredAtoms(a, slot, cost);
        if (x === null) continue;
        for (const c of x) {
          if (c.length === 0) return [[]];
          clauses.push(c);
        }
      }
      if (clauses.length === 0) return null;
      return clauses
        .map((c) => ({ c, n: clauseCost(c, cost) }))
        .sort((a, b) => a.n - b.n)
        .slice(0, MAX_CLAUSES)
        .map((x) => x.c);
    }
    case 'or': {
      // A disjunction of conjunctions keeps, per branch, its most selective clause.
      const out: Clause = [];
      for (const a of e.args) {
        const x = requiredAtoms(a, slot, cost);
        if (x === null) return null;
        let best: Clause | undefined;
        let bestCost = Infinity;
        for (const c of x) {
          const n = clauseCost(c, cost);
          if (n < bestCost) {
            best = c;
            bestCost = n;
          }
        }
        out.push(...(best ?? []));
      }
      return [out];
    }
    default:
      return null;
  }
}

/** Every literal the expression's positive leaves offer (for {@link LiteralCost} statistics). */
export function offeredLiterals(e: Expr, out: Set<string> = new Set()): Set<string> {
  switch (e.kind) {
    case 'match':
    case 'keyword':
      if (e.kind === 'match' && (e.part || e.operator === 'cidr')) break;
      for (const v of e.values) {
        const lit = literalOf(e, v);
        if (lit) out.add(lit);
      }
      break;
    case 'and':
    case 'or':
      for (const a of e.args) offeredLiterals(a, out);
      break;
    default:
      break;
  }
  return out;
}

function valueClause(m: MatchExpr | KeywordExpr, slot: number): Clause | null {
  const literals: string[] = [];
  for (const v of m.values) {
    const lit = literalOf(m, v);
    if (!lit) {
      if (m.all) continue;
      return null;
    }
    literals.push(lit);
  }
  if (literals.length === 0) return null;
  if (m.all) {
    const longest = literals.reduce((a, b) => (b.length > a.length ? b : a));
    return [{ slot, literal: longest }];
  }
  return literals.map((literal) => ({ slot, literal }));
}

/** A lower-cased literal the value's test implies the lower-cased text contains, or null. */
function literalOf(m: MatchExpr | KeywordExpr, v: Value): string | null {
  let lit: string | null = null;
  if (m.operator === 'regex') {
    if (typeof v !== 'string') return null;
    const r = translated(v, m.flags ?? '');
    if (!r.ok) return null;
    lit = requiredLiteral(r.source)?.toLowerCase() ?? null;
  } else if (typeof v === 'string') lit = v.toLowerCase();
  else if (typeof v === 'number' && m.operator !== 'eq') lit = String(v);
  else if (v !== null && isPattern(v)) lit = longestLiteral(v, true);
  if (lit === null || !SIGMA.test(lit)) return lit || null;
  let best = '';
  for (const run of lit.split(SIGMA_RUN)) if (run.length > best.length) best = run;
  return best || null;
}

/** One field's automaton over the literals of a bucket's rules. */
interface Scanner {
  slot: number;
  ac: AhoCorasick;
  /** Per pattern p: the (item index × 2 + clause index) it satisfies, `targets[start[p] .. start[p + 1]]`. */
  start: Int32Array;
  targets: Int32Array;
}

/**
 * The candidates of one bucket: items with no usable atom always run; the others run when each
 * of their clauses has a literal in the event.
 */
export class Prefilter {
  /** Items with no usable literal, in item order: they always run. */
  private readonly always: Int32Array;
  /** Per item: clauses to satisfy (0 for always-run items; 3 for items that can never match). */
  private readonly need: Uint8Array;
  /** Per item and clause (index item × 2 + clause): the generation of the event that satisfied it. */
  private readonly mark: Int32Array;
  /** Items whose clauses this event satisfied, as they complete. */
  private readonly hits: Int32Array;
  private hitCount = 0;
  private readonly scanners: Scanner[] = [];
  private readonly patternStamp: Int32Array[];
  private gen = 0;
  /** The scanner being run, for {@link found} (a field, so no closure is made per event). */
  private current = 0;

  /** `automata` shares automata between buckets with the same literals (Sysmon 1 and Security 4688). */
  constructor(atomsOf: readonly Atoms[], automata: Map<string, AhoCorasick> = new Map()) {
    const n = atomsOf.length;
    const always: number[] = [];
    this.need = new Uint8Array(n);
    this.mark = new Int32Array(n * 2);
    this.hits = new Int32Array(n);
    const bySlot = new Map<number, Map<string, number[]>>();
    atomsOf.forEach((clauses, i) => {
      if (clauses === null) {
        always.push(i);
        return;
      }
      if (clauses.some((c) => c.length === 0)) {
        this.need[i] = 3;
        return;
      }
      this.need[i] = clauses.length;
      clauses.forEach((clause, k) => {
        for (const a of clause) {
          let lits = bySlot.get(a.slot);
          if (!lits) bySlot.set(a.slot, (lits = new Map()));
          const target = i * 2 + k;
          const list = lits.get(a.literal);
          if (!list) lits.set(a.literal, [target]);
          else if (list[list.length - 1] !== target) list.push(target);
        }
      });
    });
    this.always = Int32Array.from(always);
    for (const [slot, lits] of bySlot) {
      const patterns = [...lits.keys()].sort();
      const key = `${slot}\u0000${patterns.join('\u0000')}`;
      let ac = automata.get(key);
      if (!ac) automata.set(key, (ac = new AhoCorasick(patterns, { foldCase: true })));
      const start = new Int32Array(patterns.length + 1);
      patterns.forEach((p, i) => (start[i + 1] = start[i]! + lits.get(p)!.length));
      const targets = new Int32Array(start[patterns.length]!);
      patterns.forEach((p, i) => targets.set(lits.get(p)!, start[i]!));
      this.scanners.push({ slot, ac, start, targets });
    }
    this.patternStamp = this.scanners.map((s) => new Int32Array(s.start.length - 1));
  }

  /** Writes the indices of the items worth running into `out` (in item order) and returns their count. */
  candidates(c: MatchContext, out: Int32Array): number {
    this.gen++;
    this.hitCount = 0;
    for (let k = 0; k < this.scanners.length; k++) {
      const sc = this.scanners[k]!;
      this.current = k;
      if (sc.slot === KEYWORDS) {
        c.view.eachValue(this.scanKeyword);
        continue;
      }
      // Raw text: the automaton folds case itself, so fields no candidate needs are never lower-cased.
      const t = c.text(sc.slot);
      if (t === null) continue;
      if (typeof t === 'string') sc.ac.forEach(t, this.found);
      else for (let i = 0; i < t.length; i++) sc.ac.forEach(t[i]!, this.found);
    }
    // Merge the always-run items with the satisfied ones, in item order.
    const hits = this.hits.subarray(0, this.hitCount).sort();
    const always = this.always;
    let n = 0;
    let a = 0;
    let h = 0;
    while (a < always.length || h < hits.length) {
      if (h >= hits.length || (a < always.length && always[a]! < hits[h]!)) out[n++] = always[a++]!;
      else out[n++] = hits[h++]!;
    }
    return n;
  }

  private readonly scanKeyword = (s: string): void => this.scanners[this.current]!.ac.forEach(s, this.found);

  private readonly found = (p: number): void => {
    const stamp = this.patternStamp[this.current]!;
    const g = this.gen;
    if (stamp[p] === g) return;
    stamp[p] = g;
    const { start, targets } = this.scanners[this.current]!;
    const { mark, need } = this;
    for (let j = start[p]!; j < start[p + 1]!; j++) {
      const t = targets[j]!;
      if (mark[t] === g) continue;
      mark[t] = g;
      // The item is complete when its one clause, or both, are satisfied: record it once.
      const k = need[t >> 1];
      if (k === 1 || (k === 2 && mark[t ^ 1] === g)) this.hits[this.hitCount++] = t >> 1;
    }
  };

  /** Items that always run, for reports. */
  get unfiltered(): number {
    return this.always.length;
  }
}
