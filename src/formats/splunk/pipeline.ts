import { closest, type DiagnosticSink, type Stage } from '../../model/index.js';
import { ALIASES, COMMANDS, type CommandResult } from './commands.js';
import { finishExpr, opaque, ParseContext } from './context.js';
import { expandMacros, type MacroCall, type MacroTable } from './macros.js';
import { OffsetMap, type QueryMap } from './offsets.js';
import { splitPipes, trimRange, type Range } from './text.js';

/**
 * An SPL query → stages: macros expanded (spans stay on the call site), split at top-level `|`,
 * one {@link Stage} per command. Filtering commands (search, where, regex, tstats/mstats' where)
 * carry `filter`; the others `args`. Never throws.
 */
export function parseQuery(query: string, qmap: QueryMap, macros: MacroTable | null | undefined, sink: DiagnosticSink): Stage[] {
  const exp = expandMacros(query, macros);
  const map = new OffsetMap(exp.regions, qmap);
  const calls = new Map<number, MacroCall>();
  for (const c of exp.calls) {
    if (c.status === 'undefined' || c.status === 'assumed-empty') calls.set(c.outStart, c);
    if (c.status === 'undefined') {
      const via = c.parent ? ` (called by the macro \`${c.parent}\`)` : '';
      sink.warning('spl.undefined-macro', `${c.reason ?? `macro \`${c.name}\` is not defined`}${via}; its logic is unknown`, { start: qmap.start(c.start), end: qmap.end(c.end) });
    }
  }
  const ctx = new ParseContext(query, exp.text, map, sink, calls);
  if (!exp.text.trim()) {
    sink.error('spl.empty-search', 'the search is empty', { start: qmap.start(0), end: qmap.end(query.length) });
    return [];
  }
  return parseStages(ctx, 0, exp.text.length);
}

/** The stages of `[start, end)` of the expanded text (a whole query or a subsearch's inside). */
export function parseStages(ctx: ParseContext, start: number, end: number): Stage[] {
  const ranges = splitPipes(ctx.src, start, end).map((r) => trimRange(ctx.src, r));
  const stages: Stage[] = [];
  let implicit = true;
  for (let k = 0; k < ranges.length; k++) {
    const r = ranges[k]!;
    if (r.start === r.end) {
      // A leading `|` means the first command is named (a generating command such as tstats).
      if (k === 0) implicit = false;
      else ctx.report('warning', 'spl.empty-stage', 'nothing between two pipes', ranges[k - 1]!.end, Math.min(r.end + 1, end));
      continue;
    }
    stages.push(stage(ctx, r, stages.length, k === 0 && implicit));
  }
  return stages;
}

const WORD = /^[A-Za-z_][\w-]*/;

function stage(ctx: ParseContext, r: Range, index: number, implicitSearch: boolean): Stage {
  const src = ctx.src;
  const call = ctx.calls.get(r.start);
  let command: string;
  let result: CommandResult;
  if (call && !implicitSearch) {
    command = 'macro';
    result = macroStage(ctx, call, r);
  } else {
    const word = WORD.exec(src.slice(r.start, Math.min(r.end, r.start + 64)))?.[0] ?? '';
    const lower = word.toLowerCase();
    const named = !implicitSearch || lower === 'search';
    const argStart = named ? r.start + word.length : r.start;
    command = implicitSearch ? 'search' : ALIASES[lower] ?? lower;
    const handler = COMMANDS[command];
    const input = { ctx, name: lower || command, start: argStart, end: r.end, first: index === 0, sub: parseStages };
    if (handler) result = handler(input);
    else {
      if (!word) {
        ctx.report('warning', 'spl.command-syntax', `a command name was expected, not '${src.slice(r.start, Math.min(r.end, r.start + 20))}'`, r.start, r.end);
        command = 'unknown';
      } else {
        const hint = closest(lower, Object.keys(COMMANDS));
        ctx.report('warning', 'spl.unknown-command', `unknown command '${word}'${hint ? ` (did you mean '${hint}'?)` : ''}`, r.start, r.start + word.length);
      }
      result = { role: 'transform', args: { text: src.slice(argStart, r.end).trim() } };
    }
  }
  const span = ctx.map.span(r.start, r.end);
  const text = ctx.query.slice(ctx.map.queryStart(r.start), ctx.map.queryEnd(r.end)).trim();
  const out: Stage = { index, command, role: result.role, text, span };
  if (result.filter) out.filter = finishExpr(result.filter, ctx.map);
  const args: Record<string, unknown> = { ...result.args };
  const macro = ctx.map.macroOf(r.start, r.end);
  if (macro) args.macro = macro;
  const expanded = src.slice(r.start, r.end);
  if (expanded !== text && command !== 'macro') args.expanded = expanded;
  if (Object.keys(args).length) out.args = args;
  return out;
}

function macroStage(ctx: ParseContext, call: MacroCall, r: Range): CommandResult {
  const args: Record<string, unknown> = { macro: call.name, status: call.status };
  if (call.args.length) args.arguments = call.args;
  const rest = ctx.text(call.outEnd, r.end).trim();
  if (call.status === 'assumed-empty' && !rest) {
    args.note = 'a per-detection tuning macro, empty unless a user defines it';
    return { role: 'filter', args };
  }
  const reason = call.reason ?? `macro \`${call.name}\` is not defined`;
  return { role: 'filter', args, filter: opaque(rest ? `${reason}; the stage's logic is unknown` : reason, ctx.text(r.start, r.end), r.start, r.end) };
}
