/**
 * A half-open range of UTF-16 offsets `[start, end)` into the text of the file a rule came from.
 *
 * Offsets are cheap integers (esbuild's `Loc`/`Range`): line and column are computed only when a
 * diagnostic is printed, through a {@link LineTable}.
 */
export interface Span {
  start: number;
  end: number;
}

export function span(start: number, end: number): Span {
  return { start, end };
}

/** The smallest span covering both. */
export function joinSpans(a: Span, b: Span): Span {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

/** 1-based line and column of a position. */
export interface LineColumn {
  line: number;
  column: number;
}

/**
 * Maps offsets to 1-based line/column. Built lazily per file, only when a position is printed.
 */
export class LineTable {
  private starts: number[] | undefined;

  constructor(private readonly text: string) {}

  private lineStarts(): number[] {
    if (this.starts) return this.starts;
    const starts = [0];
    const text = this.text;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.starts = starts;
    return starts;
  }

  at(offset: number): LineColumn {
    const starts = this.lineStarts();
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  }

  /** The offset of a 1-based line and column (clamped to the text). */
  offsetOf(line: number, column: number): number {
    const starts = this.lineStarts();
    const start = starts[Math.min(Math.max(line, 1), starts.length) - 1]!;
    return Math.min(start + Math.max(column, 1) - 1, this.text.length);
  }
}
