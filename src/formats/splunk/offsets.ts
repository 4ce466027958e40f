import type { Span } from '../../model/index.js';
import type { YScalar } from '../yaml/index.js';
import type { Region } from './macros.js';

/**
 * Offsets of a query's characters in the file. A query is usually a YAML scalar: single-quoted and
 * folded over several lines in Security Content, so it is not verbatim in the file; the map is
 * rebuilt by replaying YAML's folding and checked against the parsed value.
 */
export interface QueryMap {
  /** File offset of the character at query offset `q`. */
  start(q: number): number;
  /** File offset just past the character before query offset `q`. */
  end(q: number): number;
  /** Whether offsets are exact (false: every offset maps to the whole scalar). */
  exact: boolean;
}

/** A query that is the file text itself from `base` on. */
export function verbatimMap(base: number): QueryMap {
  return { start: (q) => base + q, end: (q) => base + q, exact: true };
}

/** Every offset maps to the whole node (the query could not be located character by character). */
export function wholeMap(start: number, end: number): QueryMap {
  return { start: () => start, end: () => end, exact: false };
}

/** The map of a YAML scalar's value onto the file, or a whole-scalar map when folding cannot be replayed. */
export function scalarMap(text: string, node: YScalar): QueryMap {
  const value = typeof node.value === 'string' ? node.value : String(node.value ?? '');
  const quoted = node.style === 'single' || node.style === 'double' ? 1 : 0;
  if (text.slice(node.start + quoted, node.start + quoted + value.length) === value) return verbatimMap(node.start + quoted);
  let built: Built | null = null;
  if (node.style === 'single' || node.style === 'double' || node.style === 'plain') built = replayFlow(text, node);
  else if (node.style === 'literal' || node.style === 'folded') built = replayBlock(text, node);
  if (!built || built.out !== value) return wholeMap(node.start, node.end);
  const { starts, ends } = built;
  const last = node.end;
  return {
    start: (q) => (q < starts.length ? starts[q]! : last),
    end: (q) => (q <= 0 ? (starts[0] ?? node.start) : ends[Math.min(q, ends.length) - 1]!),
    exact: true,
  };
}

interface Built {
  out: string;
  starts: number[];
  ends: number[];
}

/** Replays flow-scalar folding: line breaks fold to a space (or `\n` per blank line), `''` and escapes. */
function replayFlow(text: string, node: YScalar): Built | null {
  const single = node.style === 'single';
  const double = node.style === 'double';
  let i = node.start + (single || double ? 1 : 0);
  const stop = single || double ? node.end - 1 : node.end;
  let out = '';
  const starts: number[] = [];
  const ends: number[] = [];
  // How many trailing output characters are raw blanks (dropped before a line break).
  let rawBlanks = 0;
  const emit = (s: string, from: number, to: number, blank = false): void => {
    out += s;
    for (let k = 0; k < s.length; k++) {
      starts.push(from);
      ends.push(to);
    }
    rawBlanks = blank ? rawBlanks + s.length : 0;
  };
  while (i < stop) {
    const c = text[i]!;
    if (c === '\r' || c === '\n') {
      out = out.slice(0, out.length - rawBlanks);
      starts.length -= rawBlanks;
      ends.length -= rawBlanks;
      rawBlanks = 0;
      const at = i;
      let breaks = 0;
      while (i < stop && /[\r\n \t]/.test(text[i]!)) {
        if (text[i] === '\n') breaks++;
        i++;
      }
      if (breaks <= 1) emit(' ', at, at + 1);
      else emit('\n'.repeat(breaks - 1), at, at + 1);
      rawBlanks = 0;
      continue;
    }
    if (single && c === "'" && text[i + 1] === "'") {
      emit("'", i, i + 2);
      i += 2;
      continue;
    }
    if (double && c === '\\') {
      const esc = doubleEscape(text, i);
      if (!esc) return null;
      if (esc.lineJoin) {
        i = esc.next;
        while (i < stop && /[ \t]/.test(text[i]!)) i++;
        continue;
      }
      emit(esc.value, i, esc.next);
      i = esc.next;
      continue;
    }
    emit(c, i, i + 1, c === ' ' || c === '\t');
    i++;
  }
  return { out, starts, ends };
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b', ' ': ' ', '"': '"', '/': '/', '\\': '\\',
  N: '\x85', _: '\xa0', L: '\u2028', P: '\u2029',
};

function doubleEscape(text: string, i: number): { value: string; next: number; lineJoin?: boolean } | null {
  const n = text[i + 1];
  if (n === undefined) return null;
  if (n === '\n' || n === '\r') return { value: '', next: i + (text[i + 2] === '\n' && n === '\r' ? 3 : 2), lineJoin: true };
  if (n in SIMPLE_ESCAPES) return { value: SIMPLE_ESCAPES[n]!, next: i + 2 };
  const width = n === 'x' ? 2 : n === 'u' ? 4 : n === 'U' ? 8 : 0;
  if (!width) return null;
  const hex = text.slice(i + 2, i + 2 + width);
  if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== width) return null;
  return { value: String.fromCodePoint(parseInt(hex, 16)), next: i + 2 + width };
}

/** Literal (`|`) blocks keep their lines; folded (`>`) ones join lines that are not more indented. */
function replayBlock(text: string, node: YScalar): Built | null {
  const headerEnd = text.indexOf('\n', node.start);
  if (headerEnd === -1) return null;
  const header = text.slice(node.start, headerEnd).replace(/\s+#.*$/, '').trim();
  const m = /^([|>])([+-]?)(\d?)([+-]?)$/.exec(header);
  if (!m) return null;
  const folded = m[1] === '>';
  const chomp = m[2] || m[4];
  const lines: Array<{ start: number; text: string }> = [];
  let at = headerEnd + 1;
  while (at <= node.end && at < text.length) {
    let e = text.indexOf('\n', at);
    if (e === -1) e = text.length;
    lines.push({ start: at, text: text.slice(at, e).replace(/\r$/, '') });
    at = e + 1;
  }
  const indent = Math.min(...lines.filter((l) => l.text.trim()).map((l) => /^ */.exec(l.text)![0].length));
  if (!Number.isFinite(indent)) return null;
  let out = '';
  const starts: number[] = [];
  const ends: number[] = [];
  const emit = (s: string, from: number): void => {
    out += s;
    for (let k = 0; k < s.length; k++) {
      starts.push(from + k);
      ends.push(from + k + 1);
    }
  };
  let prevContent = false;
  let prevMore = false;
  for (let k = 0; k < lines.length; k++) {
    const l = lines[k]!;
    const body = l.text.slice(indent);
    const blank = l.text.trim() === '';
    if (k > 0) {
      const more = !blank && /^[ \t]/.test(body);
      // Folding: a break between two plain content lines becomes a space.
      if (folded && prevContent && !blank && !more && !prevMore) emit(' ', l.start - 1);
      else emit('\n', l.start - 1);
    }
    if (!blank) emit(body, l.start + indent);
    prevContent = !blank;
    prevMore = !blank && /^[ \t]/.test(body);
  }
  // Keep chomping (`+`) keeps trailing blank lines the node's trimmed end does not cover.
  if (chomp === '+') return null;
  const trimmed = out.replace(/\n+$/, '');
  const s2 = starts.slice(0, trimmed.length);
  const e2 = ends.slice(0, trimmed.length);
  // Clip chomping keeps the final line break.
  if (chomp !== '-' && /^\r?\n/.test(text.slice(node.end, node.end + 2))) {
    s2.push(node.end);
    e2.push(node.end + 1);
    return { out: trimmed + '\n', starts: s2, ends: e2 };
  }
  return { out: trimmed, starts: s2, ends: e2 };
}

/**
 * Maps offsets of the macro-expanded query to file offsets: through the expansion regions (a
 * position inside an expansion maps to its call site) and then the query map.
 */
export class OffsetMap {
  private readonly deltas: number[] = [];

  constructor(
    private readonly regions: Region[],
    private readonly query: QueryMap,
  ) {
    let d = 0;
    for (const r of regions) {
      d += r.end - r.start - (r.outEnd - r.outStart);
      this.deltas.push(d);
    }
  }

  /** The region holding expanded offset `o`, or the index of the last region before it, as -(k + 2). */
  private locate(o: number): number {
    let lo = 0;
    let hi = this.regions.length - 1;
    let before = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = this.regions[mid]!;
      if (o < r.outStart) hi = mid - 1;
      else if (o >= r.outEnd) {
        before = mid;
        lo = mid + 1;
      } else return mid;
    }
    return -(before + 2);
  }

  /** Query offset of expanded offset `o` (a start). */
  queryStart(o: number): number {
    const k = this.locate(o);
    if (k >= 0) return this.regions[k]!.start;
    const before = -k - 2;
    return o + (before >= 0 ? this.deltas[before]! : 0);
  }

  /** Query offset of expanded end offset `o` (exclusive). */
  queryEnd(o: number): number {
    if (o <= 0) return 0;
    const k = this.locate(o - 1);
    if (k >= 0) return this.regions[k]!.end;
    const before = -k - 2;
    return o + (before >= 0 ? this.deltas[before]! : 0);
  }

  span(s: number, e: number): Span {
    const start = this.query.start(this.queryStart(s));
    const end = Math.max(start, this.query.end(this.queryEnd(Math.max(e, s))));
    return { start, end };
  }

  /** The macro whose expansion holds all of `[s, e)`, if any. */
  macroOf(s: number, e: number): string | undefined {
    const k = this.locate(s);
    if (k < 0) return undefined;
    const r = this.regions[k]!;
    return e <= r.outEnd ? r.macro : undefined;
  }
}
