import type { DiagnosticSeverity, DiagnosticSink, Expr, OpaqueExpr, Span } from '../../model/index.js';
import type { MacroCall } from './macros.js';
import type { OffsetMap } from './offsets.js';

/**
 * What every SPL parser shares while reading one query: the macro-expanded text (all offsets are
 * into it), the map back to the file, the calls left unexpanded, and the diagnostics.
 * Nodes are built with spans in expanded-text offsets; {@link finishExpr} maps them to the file.
 */
export class ParseContext {
  constructor(
    /** The query as written (macro calls unexpanded), for stage texts. */
    readonly query: string,
    readonly src: string,
    readonly map: OffsetMap,
    readonly sink: DiagnosticSink,
    /** Macro calls that stayed in the text, by their offset in `src`. */
    readonly calls: Map<number, MacroCall>,
  ) {}

  report(severity: DiagnosticSeverity, code: string, message: string, s: number, e: number): void {
    this.sink.add(severity, code, message, this.map.span(s, e));
  }

  text(s: number, e: number): string {
    return this.src.slice(s, e);
  }
}

export function sp(start: number, end: number): Span {
  return { start, end };
}

export function opaque(reason: string, text: string, s: number, e: number): OpaqueExpr {
  return { kind: 'opaque', text, reason, span: sp(s, e) };
}

/** and/or of several parts: one part stands alone, none is no node. */
export function combine(kind: 'and' | 'or', args: Expr[], s: number, e: number): Expr | undefined {
  if (args.length === 0) return undefined;
  if (args.length === 1) return args[0];
  return { kind, args, span: sp(s, e) };
}

/**
 * Maps every span of an expression from expanded-text offsets to file offsets, and labels the
 * outermost nodes that come from one macro's expansion with the macro's name.
 */
export function finishExpr(expr: Expr, map: OffsetMap, parentMacro?: string): Expr {
  const macro = map.macroOf(expr.span.start, expr.span.end);
  const span = map.span(expr.span.start, expr.span.end);
  const out: Expr = { ...expr, span };
  if (macro && macro !== parentMacro && !out.label) out.label = macro;
  if (out.kind === 'and' || out.kind === 'or') out.args = out.args.map((a) => finishExpr(a, map, macro));
  else if (out.kind === 'not') out.arg = finishExpr(out.arg, map, macro);
  return out;
}
