import { basename } from 'node:path';
import { loadRuleFile } from '../../formats/load.js';
import type { Rule, Severity } from '../../model/index.js';
import { csvHeader, csvLine, Hunter, LEVELS, listEventFiles, ndjsonLine, readEventFiles, TimelineWriter, type Hit, type SourceProblem } from '../../engine/index.js';
import { expandPaths } from '../files.js';

const FORMATS = ['table', 'ndjson', 'csv'];
const RULE_EXTENSIONS = ['.yml', '.yaml'];
/** Read problems printed one by one; the rest are counted. */
const MAX_PROBLEMS_SHOWN = 20;

export interface HuntCliOptions {
  rules: string[];
  events: string[];
  format: string;
  from?: string;
  to?: string;
  minLevel?: string;
}

/**
 * Batches output lines and waits for stdout to drain, so memory stays flat on huge outputs; a
 * closed pipe (`| head`) ends the output quietly.
 */
class LineOut {
  private buf: string[] = [];
  private size = 0;
  private closed = false;
  constructor() {
    process.stdout.on('error', () => (this.closed = true));
  }
  async line(s: string): Promise<void> {
    this.buf.push(s);
    this.size += s.length;
    if (this.size > 1 << 16) await this.flush();
  }
  async flush(): Promise<void> {
    if (!this.buf.length) return;
    const text = this.buf.join('\n') + '\n';
    this.buf = [];
    this.size = 0;
    if (this.closed || process.stdout.write(text)) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        process.stdout.off('drain', done);
        process.stdout.off('error', done);
        resolve();
      };
      process.stdout.on('drain', done);
      process.stdout.on('error', done);
    });
  }
  async text(s: string): Promise<void> {
    this.buf.push(s.replace(/\n$/, ''));
    await this.flush();
  }
}

/** The terminal's width (a pseudo-terminal may report 0). */
function termWidth(): number {
  return Math.max(40, process.stderr.columns || 100);
}

/** A progress line on stderr, redrawn at most ten times a second. */
class Progress {
  private last = 0;
  private readonly on = process.stderr.isTTY === true;
  constructor(private readonly totalBytes: number) {}
  update(doneBytes: number, events: number, hits: number, file: string): void {
    if (!this.on) return;
    const now = Date.now();
    if (now - this.last < 100) return;
    this.last = now;
    const frac = this.totalBytes ? Math.min(1, doneBytes / this.totalBytes) : 0;
    const width = 24;
    const bar = '#'.repeat(Math.round(frac * width)).padEnd(width, '.');
    const cols = termWidth();
    const text = `[${bar}] ${(frac * 100).toFixed(0).padStart(3)}%  ${events} events  ${hits} hits  ${basename(file)}`;
    process.stderr.write(`\r${text.slice(0, cols - 1).padEnd(cols - 1)}`);
  }
  clear(): void {
    if (this.on) process.stderr.write(`\r${' '.repeat(termWidth() - 1)}\r`);
  }
}

/** `ruleatlas hunt`: 0 when every input could be read (hits or not), 1 when some could not, 2 on usage errors. */
export async function hunt(opts: HuntCliOptions): Promise<number> {
  const t0 = performance.now();
  if (!FORMATS.includes(opts.format)) {
    console.error(`ruleatlas hunt: unknown format '${opts.format}' (use ${FORMATS.join(', ')})`);
    return 2;
  }
  if (opts.minLevel !== undefined && !(LEVELS as readonly string[]).includes(opts.minLevel)) {
    console.error(`ruleatlas hunt: unknown level '${opts.minLevel}' (use ${LEVELS.join(', ')})`);
    return 2;
  }
  let failed = false;
  const ruleFiles = expandPaths(opts.rules, RULE_EXTENSIONS);
  for (const m of ruleFiles.missing) console.error(`ruleatlas hunt: cannot read rules from ${m}`);
  if (ruleFiles.missing.length) failed = true;
  const rules: Rule[] = [];
  for (const f of ruleFiles.files) rules.push(...loadRuleFile(f));
  if (rules.length === 0) {
    console.error('ruleatlas hunt: no rules to run');
    return ruleFiles.missing.length ? 1 : 2;
  }

  let hunter: Hunter;
  try {
    hunter = new Hunter(rules, { from: opts.from, to: opts.to, minLevel: opts.minLevel as Severity | undefined });
  } catch (e) {
    console.error(`ruleatlas hunt: ${(e as Error).message}`);
    return 2;
  }
  const reports = hunter.ruleSet.reports();
  const ran = reports.filter((r) => r.state !== 'skipped').length;
  const partial = reports.filter((r) => r.state === 'partial').length;
  const skipped = reports.length - ran;

  const listing = listEventFiles(opts.events);
  for (const m of listing.missing) console.error(`ruleatlas hunt: cannot read events from ${m}`);
  if (listing.missing.length) failed = true;
  const totalBytes = listing.files.reduce((n, f) => n + f.bytes, 0);
  const progress = new Progress(totalBytes);

  const out = new LineOut();
  const table = opts.format === 'table' ? new TimelineWriter(process.stdout.columns ?? 160) : null;
  const pending: Hit[] = [];
  const emit = (h: Hit): void => {
    if (table) table.add(h);
    else pending.push(h);
  };
  if (opts.format === 'csv') await out.line(csvHeader());

  let doneBefore = 0;
  let currentFile = '';
  let currentBytes = 0;
  let problems = 0;
  let problemErrors = 0;
  const sizes = new Map(listing.files.map((f) => [f.path, f.bytes]));
  const report = (p: SourceProblem): void => {
    problems++;
    if (p.severity === 'error') problemErrors++;
    if (problems <= MAX_PROBLEMS_SHOWN) {
      progress.clear();
      console.error(`ruleatlas hunt: ${p.file}: ${p.where}: ${p.severity}: ${p.reason}`);
    }
  };
  const onProgress = (p: { file: string; bytes: number }): void => {
    if (p.file !== currentFile) {
      doneBefore += sizes.get(currentFile) ?? 0;
      currentFile = p.file;
    }
    currentBytes = p.bytes;
    progress.update(doneBefore + currentBytes, hunter.stats.events, hunter.stats.hits + hunter.stats.correlationHits, p.file);
  };
  for await (const batch of readEventFiles(listing.files, { onProgress })) {
    for (const item of batch) {
      if (!item.ok) {
        report(item);
        continue;
      }
      hunter.process(item.record, emit);
    }
    for (const h of pending) await out.line(opts.format === 'csv' ? csvLine(h) : ndjsonLine(h));
    pending.length = 0;
  }
  hunter.finish(emit);
  for (const h of pending) await out.line(opts.format === 'csv' ? csvLine(h) : ndjsonLine(h));
  await out.flush();
  progress.clear();
  if (problems > MAX_PROBLEMS_SHOWN) console.error(`ruleatlas hunt: ${problems - MAX_PROBLEMS_SHOWN} more read problems not shown`);
  if (problemErrors) failed = true;

  const seconds = (performance.now() - t0) / 1000;
  const s = hunter.stats;
  if (table) {
    await out.text(
      table.render({
        events: s.events,
        files: listing.files.length,
        readErrors: problemErrors,
        rules: { loaded: reports.length, ran, partial, skipped },
        seconds,
      }),
    );
  } else {
    console.error(
      `ruleatlas hunt: ${s.events} events from ${listing.files.length} files in ${seconds.toFixed(1)} s; ${s.hits} hits, ${s.correlationHits} correlation hits; ` +
        `rules: ${reports.length} loaded, ${ran} ran (${partial} partially), ${skipped} skipped${s.outOfRange ? `; ${s.outOfRange} events outside --from/--to` : ''}`,
    );
  }
  return failed ? 1 : 0;
}
