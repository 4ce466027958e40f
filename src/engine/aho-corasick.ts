/**
 * Aho-Corasick multi-pattern substring search: one pass over the text finds every occurrence of
 * every pattern, whatever their number.
 *
 * Shallow states (where a scan spends nearly all its time) get full DFA rows over a compact ASCII
 * alphabet (the ASCII code units of the patterns, plus one class for any other, which leads back
 * to the root): one array read per character. Deeper states, the long thin tails of the trie
 * (thousands of hashes or paths), keep only their children and fall back along failure links, so
 * memory stays near the size of the patterns. Non-ASCII code units, rare in text but many
 * distinct ones in a rule set, are sparse children everywhere.
 */

/** Patterns at least this long are searched by skipping (Wu-Manber) in ASCII text. */
const SKIP_MIN = 6;


interface SkipTable {
  /** Per folded ASCII bigram: how far the window can move. */
  shift: Uint8Array;
  /** Per bigram with shift 0: the patterns whose window ends with it. */
  candidates: Map<number, Int32Array>;
}

/** Dense rows are given to the shallowest states while they fit in this many cells. */
const DENSE_CELLS = 1 << 18;

export class AhoCorasick {
  readonly patterns: readonly string[];
  /** Whether the text is lower-cased on the fly (the patterns must then be lower-case). */
  readonly foldCase: boolean;
  /** ASCII code unit → alphabet class (0: in no pattern). */
  private readonly ascii: Uint8Array;
  private readonly width: number;
  /** Per state: offset of its dense row in `delta`, or -1 for a sparse state. */
  private readonly row: Int32Array;
  private readonly delta: Uint16Array | Int32Array;
  /** Trie edges of sparse states: first child, next sibling, and the edge's ASCII class. */
  private readonly firstChild: Int32Array;
  private readonly sibling: Int32Array;
  private readonly label: Uint8Array;
  /** Non-ASCII trie edges, only of states that have some. */
  private readonly wide: Map<number, Map<number, number>>;
  private readonly fail: Int32Array;
  /** Whether reaching the state means some pattern ends here (itself or through its suffix links). */
  private readonly terminal: Uint8Array;
  /** Patterns ending exactly at each state (the trie node's own words): `ownList[ownStart[s] .. ownStart[s + 1]]`. */
  private readonly ownStart: Int32Array;
  private readonly ownList: Int32Array;
  /** Nearest state on the failure chain that has own words, or -1. */
  private readonly dict: Int32Array;

  /**
   * @param options.foldCase search the text as if lower-cased (`String.prototype.toLowerCase`,
   *   code unit by code unit), without lower-casing it: for lower-case patterns over raw text.
   */
  /** The shortest pattern's length: shorter texts need no scan. */
  readonly minLength: number;

  constructor(patterns: readonly string[], options: { foldCase?: boolean } = {}) {
    this.patterns = patterns;
    this.minLength = patterns.reduce((m, p) => Math.min(m, p.length), Infinity);
    this.foldCase = options.foldCase === true;
    const ascii = (this.ascii = new Uint8Array(128));
    let classes = 0;
    for (const p of patterns)
      for (let i = 0; i < p.length; i++) {
        const c = p.charCodeAt(i);
        if (c < 128 && ascii[c] === 0) ascii[c] = ++classes;
      }
    if (this.foldCase) for (let c = 65; c <= 90; c++) ascii[c] = ascii[c + 32]!;
    const width = (this.width = classes + 1);

    // The trie, children as sibling lists.
    const first: number[] = [0];
    const sib: number[] = [0];
    const lab: number[] = [0];
    const depth: number[] = [0];
    const wide: Array<Map<number, number> | undefined> = [undefined];
    const own: Array<number[] | undefined> = [undefined];
    const add = (parent: number, k: number): number => {
      const s = first.length;
      first.push(0);
      sib.push(k > 0 ? first[parent]! : 0);
      lab.push(k > 0 ? k : 0);
      depth.push(depth[parent]! + 1);
      wide.push(undefined);
      own.push(undefined);
      if (k > 0) first[parent] = s;
      return s;
    };
    patterns.forEach((p, index) => {
      let s = 0;
      for (let i = 0; i < p.length; i++) {
        const c = p.charCodeAt(i);
        if (c < 128) {
          const k = ascii[c]!;
          let next = 0;
          for (let ch = first[s]!; ch; ch = sib[ch]!) if (lab[ch] === k) { next = ch; break; }
          s = next || add(s, k);
        } else {
          const m = (wide[s] ??= new Map());
          let next = m.get(c);
          if (next === undefined) m.set(c, (next = add(s, -1)));
          s = next;
        }
      }
      (own[s] ??= []).push(index);
    });
    const n = first.length;

    // Breadth-first order, and how deep the dense rows can go.
    const order: number[] = [0];
    for (let qi = 0; qi < order.length; qi++) {
      const s = order[qi]!;
      for (let ch = first[s]!; ch; ch = sib[ch]!) order.push(ch);
      const w = wide[s];
      if (w) for (const ch of w.values()) order.push(ch);
    }
    const perDepth: number[] = [];
    for (const d of depth) perDepth[d] = (perDepth[d] ?? 0) + 1;
    let denseDepth = 1;
    let cells = width;
    while (denseDepth < perDepth.length && cells + perDepth[denseDepth]! * width <= DENSE_CELLS) cells += perDepth[denseDepth++]! * width;
    const row = new Int32Array(n).fill(-1);
    let rows = 0;
    for (const s of order) if (depth[s]! < denseDepth) row[s] = rows++ * width;

    this.row = row;
    this.delta = n < 65536 ? new Uint16Array(rows * width) : new Int32Array(rows * width);
    this.firstChild = Int32Array.from(first);
    this.sibling = Int32Array.from(sib);
    this.label = Uint8Array.from(lab);
    this.wide = new Map();
    wide.forEach((m, st) => m && this.wide.set(st, m));
    this.ownStart = new Int32Array(n + 1);
    let words = 0;
    for (let st = 0; st < n; st++) {
      this.ownStart[st] = words;
      words += own[st]?.length ?? 0;
    }
    this.ownStart[n] = words;
    this.ownList = new Int32Array(words);
    own.forEach((list, st) => list && this.ownList.set(list, this.ownStart[st]!));
    const fail = (this.fail = new Int32Array(n));
    const dict = (this.dict = new Int32Array(n).fill(-1));
    const terminal = (this.terminal = new Uint8Array(n));
    if (own[0]) terminal[0] = 1;
    // Breadth-first, so failure targets (shallower) are complete before they are used.
    const delta = this.delta;
    for (let k = 1; k < width; k++) {
      let child = 0;
      for (let ch = first[0]!; ch; ch = sib[ch]!) if (lab[ch] === k) child = ch;
      delta[k] = child;
    }
    for (const s of order) {
      if (s !== 0) {
        const f = fail[s]!;
        dict[s] = own[f] ? f : dict[f]!;
        terminal[s] = own[s] || terminal[f] ? 1 : 0;
        if (row[s]! >= 0) {
          // The failure state is shallower, so dense, and its row is complete: start from a copy.
          const r = row[s]!;
          delta.copyWithin(r, row[f]!, row[f]! + width);
          for (let ch = first[s]!; ch; ch = sib[ch]!) delta[r + lab[ch]!] = ch;
        }
      }
      if (s !== 0) {
        for (let ch = first[s]!; ch; ch = sib[ch]!) fail[ch] = this.asciiStep(fail[s]!, lab[ch]!);
        const w = wide[s];
        if (w) for (const [c, ch] of w) fail[ch] = this.wideStep(fail[s]!, c);
      }
    }
  }

  /**
   * Wu-Manber skipping, when every pattern is ASCII and at least {@link SKIP_MIN} long: `shift[bigram]` is how far the window of the first `minLength` characters can move
   * when its last two characters are that bigram; 0 means some pattern's window ends with it,
   * and those patterns (`candidates`) are compared in place.
   */
  private skipTable: SkipTable | null | undefined;

  /** Built on first use: most per-rule automata never meet a long enough text. */
  private get skip(): SkipTable | null {
    if (this.skipTable === undefined) this.skipTable = this.buildSkip();
    return this.skipTable;
  }

  private buildSkip(): SkipTable | null {
    const m = this.minLength;
    if (!(m >= SKIP_MIN) || this.patterns.length === 0) return null;
    const fold = (c: number): number => (this.foldCase && c >= 65 && c <= 90 ? c + 32 : c);
    // ASCII patterns without NUL: text outside ASCII is then read as NUL, which no window holds.
    for (const p of this.patterns) for (let i = 0; i < p.length; i++) {
      const c = p.charCodeAt(i);
      if (c === 0 || c >= 128) return null;
    }
    const span = Math.min(m, 255);
    const shift = new Uint8Array(1 << 14).fill(span - 1);
    const lists = new Map<number, number[]>();
    this.patterns.forEach((p, id) => {
      for (let q = m - span + 1; q < m; q++) {
        const h = (fold(p.charCodeAt(q - 1)) << 7) | fold(p.charCodeAt(q));
        const sh = m - 1 - q;
        if (sh < shift[h]!) shift[h] = sh;
        if (sh === 0) (lists.get(h) ?? lists.set(h, []).get(h)!).push(id);
      }
    });
    const candidates = new Map<number, Int32Array>();
    for (const [h, ids] of lists) candidates.set(h, Int32Array.from(ids));
    return { shift, candidates };
  }

  /**
   * {@link forEach} by skipping, over text at least `minLength` long. With ASCII patterns, text
   * outside ASCII can only match as itself lower-cased, and only two code points lower-case into
   * ASCII: the Kelvin sign (to `k`) and `İ` (to `i` then U+0307, so only as a pattern's last
   * character; the extra unit shifts no window that could match, since no pattern holds it).
   */
  private forEachSkipping(text: string, found: (pattern: number, end: number) => void): void {
    const { shift, candidates } = this.skipTable!;
    const m = this.minLength;
    const fold = this.foldCase;
    const n = text.length;
    for (let pos = m - 1; pos < n; ) {
      let a = text.charCodeAt(pos - 1);
      let b = text.charCodeAt(pos);
      if (a >= 128) a = fold ? (a === 0x212a ? 107 : a === 0x130 ? 105 : 0) : 0;
      else if (fold && a >= 65 && a <= 90) a += 32;
      if (b >= 128) b = fold ? (b === 0x212a ? 107 : b === 0x130 ? 105 : 0) : 0;
      else if (fold && b >= 65 && b <= 90) b += 32;
      const h = (a << 7) | b;
      const sh = shift[h]!;
      if (sh > 0) {
        pos += sh;
        continue;
      }
      const from = pos - m + 1;
      const ids = candidates.get(h)!;
      for (let k = 0; k < ids.length; k++) {
        const id = ids[k]!;
        const p = this.patterns[id]!;
        if (from + p.length > n) continue;
        let i = 0;
        for (; i < p.length; i++) {
          let c = text.charCodeAt(from + i);
          if (c >= 128) c = fold ? (c === 0x212a ? 107 : c === 0x130 && i === p.length - 1 ? 105 : -1) : -1;
          else if (fold && c >= 65 && c <= 90) c += 32;
          if (c !== p.charCodeAt(i)) break;
        }
        if (i === p.length) found(id, from + p.length);
      }
      pos++;
    }
  }

  /** The transition on an ASCII class: a dense row, or the children then the failure links. */
  private asciiStep(state: number, k: number): number {
    let s = state;
    for (;;) {
      const r = this.row[s]!;
      if (r >= 0) return this.delta[r + k]!;
      for (let ch = this.firstChild[s]!; ch; ch = this.sibling[ch]!) if (this.label[ch] === k) return ch;
      s = this.fail[s]!;
    }
  }

  /** The transition on a non-ASCII code unit: children, then failure links. */
  private wideStep(state: number, c: number): number {
    let s = state;
    for (;;) {
      const next = this.wide.get(s)?.get(c);
      if (next !== undefined) return next;
      if (s === 0) return 0;
      s = this.fail[s]!;
    }
  }

  /** One non-ASCII code unit (lower-cased first when folding, which can give 0-2 units). */
  private stepWide(s: number, c: number, at: number, found: ((pattern: number, end: number) => void) | null): number {
    if (!this.foldCase) return this.wideStep(s, c);
    const low = lowerOf(c);
    let state = s;
    for (let k = 0; k < low.length; k++) {
      const u = low.charCodeAt(k);
      state = u < 128 ? this.asciiStep(state, this.ascii[u]!) : this.wideStep(state, u);
      // A pattern may end inside the expansion (`İ` lower-cases to `i` + U+0307).
      if (k < low.length - 1 && this.terminal[state]) {
        if (!found) return -1 - state;
        this.report(state, at, found);
      }
    }
    return state;
  }

  private report(s: number, end: number, found: (pattern: number, end: number) => void): void {
    const { ownStart, ownList, dict } = this;
    for (let t = ownStart[s + 1]! > ownStart[s]! ? s : dict[s]!; t > 0; t = dict[t]!) {
      for (let i = ownStart[t]!; i < ownStart[t + 1]!; i++) found(ownList[i]!, end);
    }
  }

  /** Whether the text is too short for any pattern (lower-casing lengthens only U+0130 `İ`). */
  private tooShort(text: string): boolean {
    return text.length < this.minLength && !(this.foldCase && text.includes('\u0130'));
  }

  /** Whether any pattern occurs in the text. */
  some(text: string): boolean {
    if (this.terminal[0]) return true;
    if (this.tooShort(text)) return false;
    if (this.skip) {
      let hit = false;
      this.forEachSkipping(text, () => (hit = true));
      return hit;
    }
    const { delta, row, terminal, ascii } = this;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 128) {
        const r = row[s]!;
        s = r >= 0 ? delta[r + ascii[c]!]! : this.asciiStep(s, ascii[c]!);
      } else {
        s = this.stepWide(s, c, i + 1, null);
        if (s < 0) return true;
      }
      if (terminal[s]) return true;
    }
    return false;
  }

  /** Calls `found(pattern index, end offset)` for every occurrence, in text order. */
  forEach(text: string, found: (pattern: number, end: number) => void): void {
    const { delta, row, terminal, ascii } = this;
    if (terminal[0]) for (let i = 0; i < this.ownStart[1]!; i++) found(this.ownList[i]!, 0);
    if (this.tooShort(text)) return;
    if (this.skip) {
      this.forEachSkipping(text, found);
      return;
    }
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 128) {
        const r = row[s]!;
        s = r >= 0 ? delta[r + ascii[c]!]! : this.asciiStep(s, ascii[c]!);
      } else s = this.stepWide(s, c, i + 1, found);
      if (terminal[s]) this.report(s, i + 1, found);
    }
  }

  /** Number of states. */
  get size(): number {
    return this.terminal.length;
  }

  /** Cells of the dense rows. */
  get cells(): number {
    return this.delta.length;
  }
}

const lowerCache = new Map<number, string>();

function lowerOf(c: number): string {
  let l = lowerCache.get(c);
  if (l === undefined) {
    l = String.fromCharCode(c).toLowerCase();
    if (lowerCache.size < 65536) lowerCache.set(c, l);
  }
  return l;
}
