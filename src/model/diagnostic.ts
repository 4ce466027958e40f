import { LineTable, type Span } from './span.js';

export type DiagnosticSeverity = 'error' | 'warning' | 'info';

/**
 * A finding about a rule or its text. Readers return diagnostics and never throw on bad input.
 *
 * `code` is a stable identifier (`sigma.yaml-syntax`, `sigma.unknown-modifier`, ...) users can key
 * severity overrides and suppressions on; `message` is for people. `line`/`column` are 1-based and
 * point into `file`.
 */
export interface Diagnostic {
  severity: DiagnosticSeverity;
  code: string;
  message: string;
  file: string;
  line: number;
  column: number;
  span?: Span;
  /** Other places that explain this finding (the first definition of a duplicate id, ...). */
  related?: Array<{ message: string; file: string; line: number; column: number }>;
}

/**
 * Collects diagnostics for one file, turning offsets into line/column through a lazily built
 * line table (pySigma's `collect_errors`, esbuild's deferred `Log`).
 */
export class DiagnosticSink {
  readonly items: Diagnostic[] = [];
  private readonly lines: LineTable;

  constructor(
    readonly file: string,
    readonly text: string,
    lines?: LineTable,
  ) {
    this.lines = lines ?? new LineTable(text);
  }

  add(severity: DiagnosticSeverity, code: string, message: string, at?: Span | number): Diagnostic {
    const offset = at === undefined ? 0 : typeof at === 'number' ? at : at.start;
    const { line, column } = this.lines.at(offset);
    const d: Diagnostic = { severity, code, message, file: this.file, line, column };
    if (at !== undefined && typeof at !== 'number') d.span = at;
    this.items.push(d);
    return d;
  }

  error(code: string, message: string, at?: Span | number): Diagnostic {
    return this.add('error', code, message, at);
  }

  warning(code: string, message: string, at?: Span | number): Diagnostic {
    return this.add('warning', code, message, at);
  }

  info(code: string, message: string, at?: Span | number): Diagnostic {
    return this.add('info', code, message, at);
  }

  position(offset: number): { line: number; column: number } {
    return this.lines.at(offset);
  }

  hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error');
  }
}

const SEVERITY_RANK: Record<DiagnosticSeverity, number> = { error: 0, warning: 1, info: 2 };

export function bySeverityThenPosition(a: Diagnostic, b: Diagnostic): number {
  return SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.line - b.line || a.column - b.column;
}
