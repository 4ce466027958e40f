import { translateRegex, type Expr, type StageRole } from '../../model/index.js';
import { argTokens, fieldList, isKw, type ArgToken } from './args.js';
import { opaque, sp, type ParseContext } from './context.js';
import { EvalParser, EvalSyntaxError } from './eval.js';
import { parseSearchExpr } from './search.js';
import { isSpace, skipString, unquote } from './text.js';
import { parseWhere } from './where.js';

/** What a command handler makes of a stage's arguments. */
export interface CommandResult {
  role: StageRole;
  filter?: Expr;
  args?: Record<string, unknown>;
}

/** Parses a nested pipeline (subsearch): supplied by pipeline.ts to avoid an import cycle. */
export type SubPipeline = (ctx: ParseContext, start: number, end: number) => unknown[];

export interface CommandInput {
  ctx: ParseContext;
  /** The command name as written (lower case). */
  name: string;
  /** Offsets of the arguments (after the name) and of the whole stage. */
  start: number;
  end: number;
  first: boolean;
  sub: SubPipeline;
}

type Handler = (input: CommandInput) => CommandResult;

/** Reasons for stages whose effect depends on data outside the rule (recorded as `args.opaque`). */
const LOOKUP_REASON = "a lookup table's contents are not part of the rule";
const SUBSEARCH_REASON = 'a subsearch is only evaluated when the search runs';

const search: Handler = ({ ctx, start, end, first }) => {
  const r = parseSearchExpr(ctx, start, end);
  const out: CommandResult = { role: first ? 'source' : 'filter' };
  if (r.filter) out.filter = r.filter;
  if (r.time) out.args = { time: r.time };
  return out;
};

const where: Handler = ({ ctx, start, end }) => {
  const filter = parseWhere(ctx, start, end);
  if (!filter) {
    ctx.report('warning', 'spl.empty-stage', 'where without a condition', start, end);
    return { role: 'filter' };
  }
  return { role: 'filter', filter };
};

/** `regex [field=|field!=]"re"`: without a field the regex applies to the raw event. */
const regex: Handler = ({ ctx, start, end }) => {
  const src = ctx.src;
  let i = start;
  while (i < end && isSpace(src.charCodeAt(i))) i++;
  let field: string | null = null;
  let negate = false;
  const m = /^([^\s="!]+)\s*(!=|=)\s*/.exec(src.slice(i, end));
  if (m) {
    field = m[1]!;
    negate = m[2] === '!=';
    i += m[0].length;
  }
  let re: string;
  let stop = end;
  while (stop > i && isSpace(src.charCodeAt(stop - 1))) stop--;
  if (src[i] === '"') {
    const e = skipString(src, i, stop);
    re = unquote(src.slice(i, e));
  } else re = src.slice(i, stop);
  if (!re) {
    ctx.report('warning', 'spl.empty-stage', 'regex without a regular expression', start, end);
    return { role: 'filter', filter: opaque('regex without a regular expression', '', start, end) };
  }
  checkRegex(ctx, re, i, stop);
  const s = skipBlanks(src, start, end);
  const span = sp(s, stop);
  const node: Expr = field === null || field === '_raw'
    ? { kind: 'keyword', operator: 'regex', values: [re], all: false, caseSensitive: true, span }
    : { kind: 'match', field, operator: 'regex', values: [re], all: false, caseSensitive: true, span };
  return { role: 'filter', filter: negate ? { kind: 'not', arg: node, span } : node };
};

function checkRegex(ctx: ParseContext, re: string, s: number, e: number): void {
  const t = translateRegex(re);
  if (!t.ok) ctx.report('warning', 'spl.regex-syntax', `regular expression cannot be compiled: ${t.error}`, s, e);
}

function skipBlanks(src: string, i: number, end: number): number {
  while (i < end && isSpace(src.charCodeAt(i))) i++;
  return i;
}

/** `fn(args) [as name]` items up to `by` (stats, tstats, chart, ...). */
interface Aggregation {
  fn: string;
  field?: string;
  as?: string;
}

function aggregations(tokens: ArgToken[]): Aggregation[] {
  const out: Aggregation[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'word' || t.key !== undefined) continue;
    if (isKw(t, 'as') && out.length && i + 1 < tokens.length) {
      out[out.length - 1]!.as = tokens[++i]!.value;
      continue;
    }
    const m = /^([\w.]+)(?:\(([\s\S]*)\))?$/.exec(t.value);
    if (!m) continue;
    const agg: Aggregation = { fn: m[1]!.toLowerCase() };
    if (m[2] !== undefined && m[2] !== '') agg.field = m[2];
    out.push(agg);
  }
  return out;
}

function options(tokens: ArgToken[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tokens) if (t.key !== undefined) out[t.key] = t.kv!;
  return out;
}

function splitAt(tokens: ArgToken[], kw: string): [ArgToken[], ArgToken[] | null] {
  const k = tokens.findIndex((t) => isKw(t, kw));
  return k === -1 ? [tokens, null] : [tokens.slice(0, k), tokens.slice(k + 1)];
}

const stats: Handler = ({ ctx, start, end }) => {
  const tokens = argTokens(ctx, start, end);
  const [head, by] = splitAt(tokens, 'by');
  const args: Record<string, unknown> = { aggregations: aggregations(head) };
  const opts = { ...options(head), ...(by ? options(by) : {}) };
  if (by) args.by = fieldList(by.filter((t) => t.key === undefined));
  if (Object.keys(opts).length) args.options = opts;
  return { role: 'aggregate', args };
};

const TSTATS_KEYWORDS = ['from', 'where', 'by'] as const;

/**
 * `tstats [options] <aggregations> [from datamodel=X[.Y]] [where <search>] [by <fields> [span=...]]`
 * (also mstats). The clauses may come in either order; `where` is the search language over the
 * data model's fields (`Processes.process_name`).
 */
const tstats: Handler = ({ ctx, start, end, first, name }) => {
  const tokens = argTokens(ctx, start, end);
  const marks: Array<{ kw: (typeof TSTATS_KEYWORDS)[number]; at: number }> = [];
  tokens.forEach((t, k) => {
    for (const kw of TSTATS_KEYWORDS) if (isKw(t, kw) && !marks.some((m) => m.kw === kw)) marks.push({ kw, at: k });
  });
  marks.sort((a, b) => a.at - b.at);
  const clause = (kw: string): ArgToken[] | null => {
    const k = marks.findIndex((m) => m.kw === kw);
    if (k === -1) return null;
    const stop = k + 1 < marks.length ? marks[k + 1]!.at : tokens.length;
    return tokens.slice(marks[k]!.at + 1, stop);
  };
  const head = tokens.slice(0, marks.length ? marks[0]!.at : tokens.length);
  const args: Record<string, unknown> = {};
  const opts = options(head);
  if (Object.keys(opts).length) args.options = opts;
  args.aggregations = aggregations(head.filter((t) => t.key === undefined));
  const from = clause('from');
  if (from) {
    const spec = from.map((t) => t.value).join('').replace(/^datamodel[=:]?/i, '');
    const dm = /^datamodel$/i.test(from[0]?.value ?? '') || /^datamodel[=:]/i.test(from[0]?.value ?? '');
    if (dm) {
      args.datamodel = spec;
      const [model, ...dataset] = spec.split('.');
      args.model = model;
      if (dataset.length) args.dataset = dataset.join('.');
    } else args.from = spec;
  } else if (name === 'tstats') args.datamodel = null;
  const by = clause('by');
  if (by) {
    args.by = fieldList(by.filter((t) => t.key === undefined));
    const byOpts = options(by);
    if (byOpts.span) args.span = byOpts.span;
  }
  const out: CommandResult = { role: first ? 'source' : 'aggregate', args };
  const k = marks.findIndex((m) => m.kw === 'where');
  if (k !== -1) {
    const wStart = tokens[marks[k]!.at]!.end;
    const wEnd = k + 1 < marks.length ? tokens[marks[k + 1]!.at]!.start : end;
    const r = parseSearchExpr(ctx, wStart, wEnd);
    if (r.filter) out.filter = r.filter;
    if (r.time) args.time = r.time;
  }
  return out;
};

const fields: Handler = ({ ctx, start, end, name }) => {
  const tokens = argTokens(ctx, start, end);
  let mode: string | undefined;
  const words = tokens.filter((t) => t.kind === 'word');
  if (words[0] && (words[0].value === '-' || words[0].value === '+')) mode = words.shift()!.value;
  const args: Record<string, unknown> = { fields: words.map((w) => w.value) };
  if (mode) args.mode = mode === '-' ? 'remove' : 'keep';
  return { role: name === 'table' ? 'output' : 'transform', args };
};

const rename: Handler = ({ ctx, start, end }) => {
  const tokens = argTokens(ctx, start, end).filter((t) => t.kind === 'word');
  const renames: Array<{ from: string; to: string }> = [];
  for (let i = 0; i + 2 < tokens.length; i++) {
    if (isKw(tokens[i + 1], 'as')) {
      renames.push({ from: tokens[i]!.value, to: tokens[i + 2]!.value });
      i += 2;
    }
  }
  if (renames.length === 0) ctx.report('warning', 'spl.command-syntax', 'rename needs <field> AS <new name>', start, end);
  return { role: 'transform', args: { renames } };
};

const bin: Handler = ({ ctx, start, end, name }) => {
  const tokens = argTokens(ctx, start, end);
  const args: Record<string, unknown> = {};
  const opts = options(tokens);
  for (const [k, v] of Object.entries(opts)) args[k] = v;
  const words = tokens.filter((t) => t.kind === 'word' && t.key === undefined);
  const asAt = words.findIndex((t) => isKw(t, 'as'));
  const field = (asAt === -1 ? words : words.slice(0, asAt))[0];
  args.field = field ? field.value : '_time';
  if (asAt !== -1 && words[asAt + 1]) args.as = words[asAt + 1]!.value;
  if (name !== 'bin') args.written = name;
  return { role: 'transform', args };
};

const evalCmd: Handler = ({ ctx, start, end }) => {
  const p = new EvalParser(ctx, start, end);
  const assignments: Array<{ field: string; expression: string }> = [];
  try {
    while (!p.atEnd()) {
      const target = p.assignmentTarget();
      if (!target) {
        const t = p.peek();
        throw new EvalSyntaxError(`expected <field>=<expression> but found '${p.text(t)}'`, t.start, t.end);
      }
      const from = p.offset;
      p.parseExpr();
      assignments.push({ field: target.name, expression: ctx.text(from, p.offset).trim() });
      if (p.peek().kind === 'comma') p.next();
      else if (!p.atEnd()) {
        const t = p.peek();
        throw new EvalSyntaxError(`unexpected '${p.text(t)}' after an assignment`, t.start, t.end);
      }
    }
  } catch (e) {
    if (!(e instanceof EvalSyntaxError)) throw e;
    ctx.report('warning', 'spl.eval-syntax', e.message, e.start, e.end);
    return { role: 'transform', args: { assignments, error: e.message } };
  }
  return { role: 'transform', args: { assignments } };
};

/** `lookup [options] <table> <field> [AS <local>] ... [OUTPUT|OUTPUTNEW <field> [AS <local>] ...]` */
const lookup: Handler = ({ ctx, start, end }) => {
  const tokens = argTokens(ctx, start, end).filter((t) => t.kind === 'word');
  const opts = options(tokens);
  const rest = tokens.filter((t) => t.key === undefined);
  const table = rest.shift()?.value;
  const pairs = (list: ArgToken[]): Array<{ field: string; as?: string }> => {
    const out: Array<{ field: string; as?: string }> = [];
    for (let i = 0; i < list.length; i++) {
      const f: { field: string; as?: string } = { field: list[i]!.value };
      if (isKw(list[i + 1], 'as') && list[i + 2]) {
        f.as = list[i + 2]!.value;
        i += 2;
      }
      out.push(f);
    }
    return out;
  };
  const outAt = rest.findIndex((t) => /^output(new)?$/i.test(t.raw));
  const args: Record<string, unknown> = { lookup: table ?? null, inputs: pairs(outAt === -1 ? rest : rest.slice(0, outAt)) };
  if (outAt !== -1) {
    args.outputMode = rest[outAt]!.raw.toUpperCase();
    args.outputs = pairs(rest.slice(outAt + 1));
  }
  if (Object.keys(opts).length) args.options = opts;
  args.opaque = LOOKUP_REASON;
  if (!table) ctx.report('warning', 'spl.command-syntax', 'lookup without a lookup table', start, end);
  return { role: 'transform', args };
};

const inputlookup: Handler = ({ ctx, start, end, first }) => {
  const tokens = argTokens(ctx, start, end);
  const whereAt = tokens.findIndex((t) => isKw(t, 'where'));
  const head = whereAt === -1 ? tokens : tokens.slice(0, whereAt);
  const args: Record<string, unknown> = { lookup: head.find((t) => t.kind === 'word' && t.key === undefined)?.value ?? null, opaque: LOOKUP_REASON };
  const opts = options(head);
  if (Object.keys(opts).length) args.options = opts;
  if (whereAt !== -1) args.where = ctx.text(tokens[whereAt]!.end, end).trim();
  return { role: first ? 'source' : 'correlate', args };
};

const rex: Handler = ({ ctx, start, end }) => {
  const tokens = argTokens(ctx, start, end);
  const opts = options(tokens);
  const reTok = tokens.find((t) => t.kind === 'word' && t.key === undefined && t.raw.startsWith('"'));
  const args: Record<string, unknown> = { field: opts.field ?? '_raw' };
  if (opts.mode) args.mode = opts.mode;
  if (opts.max_match) args.maxMatch = opts.max_match;
  if (!reTok) {
    ctx.report('warning', 'spl.command-syntax', 'rex without a quoted regular expression', start, end);
    return { role: 'transform', args };
  }
  args.regex = reTok.value;
  if (opts.mode !== 'sed') {
    checkRegex(ctx, reTok.value, reTok.start, reTok.end);
    args.extracts = [...reTok.value.matchAll(/\(\?P?<([A-Za-z_]\w*)>/g)].map((m) => m[1]!);
  }
  return { role: 'transform', args };
};

function subsearchArgs(input: CommandInput, tokens: ArgToken[]): Record<string, unknown> {
  const sub = tokens.find((t) => t.kind === 'subsearch');
  const args: Record<string, unknown> = {};
  if (sub) {
    const closed = input.ctx.src[sub.end - 1] === ']';
    if (!closed) input.ctx.report('warning', 'spl.command-syntax', "subsearch without its closing ']'", sub.start, sub.end);
    args.subsearch = { text: sub.raw, stages: input.sub(input.ctx, sub.start + 1, closed ? sub.end - 1 : sub.end) };
    args.opaque = SUBSEARCH_REASON;
  }
  return args;
}

const join: Handler = (input) => {
  const tokens = argTokens(input.ctx, input.start, input.end);
  const head = tokens.filter((t) => t.kind === 'word');
  const args: Record<string, unknown> = { fields: head.filter((t) => t.key === undefined).map((t) => t.value), ...subsearchArgs(input, tokens) };
  const opts = options(head);
  if (Object.keys(opts).length) args.options = opts;
  if (!args.subsearch) input.ctx.report('warning', 'spl.command-syntax', `${input.name} without a [subsearch]`, input.start, input.end);
  return { role: 'correlate', args };
};

const append: Handler = (input) => {
  const tokens = argTokens(input.ctx, input.start, input.end);
  const args: Record<string, unknown> = { ...subsearchArgs(input, tokens) };
  const opts = options(tokens);
  if (Object.keys(opts).length) args.options = opts;
  return { role: 'correlate', args };
};

const foreach: Handler = ({ ctx, start, end }) => {
  const tokens = argTokens(ctx, start, end);
  const sub = tokens.find((t) => t.kind === 'subsearch');
  return { role: 'transform', args: { fields: tokens.filter((t) => t.kind === 'word' && t.key === undefined).map((t) => t.value), options: options(tokens), template: sub ? sub.raw.slice(1, -1).trim() : null } };
};

const convert: Handler = ({ ctx, start, end }) => {
  const tokens = argTokens(ctx, start, end).filter((t) => t.kind === 'word');
  const opts = options(tokens);
  const conversions: Array<{ fn: string; field: string; as?: string }> = [];
  const rest = tokens.filter((t) => t.key === undefined);
  for (let i = 0; i < rest.length; i++) {
    const m = /^(\w+)\(([^)]*)\)$/.exec(rest[i]!.value);
    if (!m) continue;
    const c: { fn: string; field: string; as?: string } = { fn: m[1]!.toLowerCase(), field: m[2]!.trim() };
    if (isKw(rest[i + 1], 'as') && rest[i + 2]) {
      c.as = rest[i + 2]!.value;
      i += 2;
    }
    conversions.push(c);
  }
  return { role: 'transform', args: { ...opts, conversions } };
};

/** Generic: options and positional words, for commands whose arguments need no structure. */
const generic = (role: StageRole, extra?: Record<string, unknown>): Handler => ({ ctx, start, end }) => {
  const tokens = argTokens(ctx, start, end);
  const args: Record<string, unknown> = {};
  const opts = options(tokens);
  if (Object.keys(opts).length) args.options = opts;
  const words = tokens.filter((t) => t.kind === 'word' && t.key === undefined).map((t) => t.value);
  if (words.length) args.words = words;
  return { role, args: { ...args, ...extra } };
};

const head: Handler = ({ ctx, start, end }) => {
  const words = argTokens(ctx, start, end).filter((t) => t.kind === 'word');
  const n = words.find((t) => /^\d+$/.test(t.value));
  return { role: 'output', args: { count: n ? Number(n.value) : 10 } };
};

const dedup: Handler = ({ ctx, start, end }) => {
  const tokens = argTokens(ctx, start, end).filter((t) => t.kind === 'word');
  const opts = options(tokens);
  const rest = tokens.filter((t) => t.key === undefined);
  const sortAt = rest.findIndex((t) => isKw(t, 'sortby'));
  const list = sortAt === -1 ? rest : rest.slice(0, sortAt);
  const args: Record<string, unknown> = {};
  if (list[0] && /^\d+$/.test(list[0].value)) args.count = Number(list.shift()!.value);
  args.fields = list.map((t) => t.value);
  if (sortAt !== -1) args.sortby = rest.slice(sortAt + 1).map((t) => t.value);
  if (Object.keys(opts).length) args.options = opts;
  return { role: 'transform', args };
};

const sort: Handler = ({ ctx, start, end }) => {
  const words = argTokens(ctx, start, end).filter((t) => t.kind === 'word').map((t) => t.value);
  const args: Record<string, unknown> = {};
  if (words[0] && /^\d+$/.test(words[0])) args.count = Number(words.shift());
  args.fields = words.filter((w) => w !== '+' && w !== '-');
  return { role: 'output', args };
};

const datamodelFrom: Handler = ({ ctx, start, end, first }) => {
  const words = argTokens(ctx, start, end).filter((t) => t.kind === 'word').map((t) => t.value);
  const args: Record<string, unknown> = {};
  const spec = words.join(' ').replace(/^datamodel[\s:=]*/i, '');
  if (/^datamodel/i.test(words[0] ?? '')) {
    args.datamodel = spec;
    const [model, ...dataset] = spec.split('.');
    args.model = model;
    if (dataset.length) args.dataset = dataset.join('.');
  } else args.from = spec;
  return { role: first ? 'source' : 'correlate', args };
};

const model = (role: StageRole): Handler => ({ ctx, start, end }) => {
  const tokens = argTokens(ctx, start, end);
  const words = tokens.filter((t) => t.kind === 'word' && t.key === undefined).map((t) => t.value);
  return { role, args: { model: words[0] ?? null, options: options(tokens), opaque: 'a machine-learning model is not part of the rule' } };
};

/** Command handlers by name. Aliases point at the canonical command (`bucket` is `bin`). */
export const COMMANDS: Record<string, Handler> = {
  search,
  where,
  regex,
  tstats,
  mstats: tstats,
  stats,
  eventstats: stats,
  streamstats: stats,
  sistats: stats,
  chart: stats,
  timechart: stats,
  top: stats,
  rare: stats,
  geostats: stats,
  table: fields,
  fields,
  rename,
  bin,
  eval: evalCmd,
  lookup,
  inputlookup,
  inputcsv: inputlookup,
  outputlookup: generic('output'),
  outputcsv: generic('output'),
  dedup,
  sort,
  head,
  tail: head,
  rex,
  join,
  append,
  appendpipe: append,
  appendcols: append,
  union: append,
  multisearch: append,
  map: generic('correlate', { opaque: 'map runs a search per result' }),
  foreach,
  spath: generic('transform'),
  convert,
  fillnull: generic('transform'),
  mvexpand: generic('transform'),
  makemv: generic('transform'),
  mvcombine: generic('transform'),
  nomv: generic('transform'),
  iplocation: generic('transform'),
  transaction: generic('aggregate'),
  xmlkv: generic('transform'),
  kvform: generic('transform'),
  extract: generic('transform'),
  kv: generic('transform'),
  multikv: generic('transform'),
  fromjson: generic('transform'),
  tojson: generic('transform'),
  addtotals: generic('transform'),
  addinfo: generic('transform'),
  replace: generic('transform'),
  fieldformat: evalCmd,
  strcat: generic('transform'),
  accum: generic('transform'),
  delta: generic('transform'),
  autoregress: generic('transform'),
  cyberchef: generic('transform'),
  apply: model('transform'),
  fit: model('transform'),
  summary: model('transform'),
  score: model('transform'),
  anomalydetection: generic('transform', { opaque: 'anomaly detection over the results' }),
  anomalies: generic('transform', { opaque: 'anomaly detection over the results' }),
  outlier: generic('transform'),
  from: datamodelFrom,
  datamodel: datamodelFrom,
  makeresults: generic('source'),
  rest: generic('source'),
  metadata: generic('source'),
  format: generic('output'),
  return: generic('output'),
  collect: generic('output'),
  sendalert: generic('output'),
  sendemail: generic('output'),
  uniq: generic('transform'),
  reverse: generic('output'),
  filldown: generic('transform'),
  eventcount: generic('source'),
  typeahead: generic('source'),
  loadjob: generic('source'),
  savedsearch: generic('source'),
  localize: generic('transform'),
  untable: generic('transform'),
  xyseries: generic('transform'),
  transpose: generic('transform'),
  tags: generic('transform'),
  typer: generic('transform'),
  rangemap: generic('transform'),
  cluster: generic('aggregate'),
  kmeans: generic('aggregate'),
  predict: generic('transform'),
  trendline: generic('transform'),
  makecontinuous: generic('transform'),
  bucketdir: generic('transform'),
  set: generic('correlate'),
  selfjoin: generic('correlate'),
  gentimes: generic('source'),
  dbxquery: generic('source'),
  pivot: generic('source'),
  mcollect: generic('output'),
  mpreview: generic('source'),
  abstract: generic('transform'),
  highlight: generic('output'),
  iconify: generic('output'),
  erex: generic('transform'),
  fieldsummary: generic('aggregate'),
  findtypes: generic('aggregate'),
  shape: generic('transform'),
  xpath: generic('transform'),
  xmlunescape: generic('transform'),
  xsfindbestconcept: generic('transform'),
  ctable: stats,
  contingency: stats,
  correlate: generic('aggregate'),
  associate: generic('aggregate'),
  arules: generic('aggregate'),
  mstime: generic('transform'),
  inputintelligence: generic('source'),
  walklex: generic('source'),
  tscollect: generic('output'),
  history: generic('source'),
  audit: generic('source'),
  dump: generic('output'),
  redistribute: generic('transform'),
};

export const ALIASES: Record<string, string> = { bucket: 'bin' };
