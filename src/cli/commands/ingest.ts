import { ingest, type IngestProgress, type IngestSummary } from '../../catalog/ingest.js';
import { defaultCorpora, defaultDb } from '../../catalog/paths.js';

export interface IngestCommandOptions {
  corpora?: string;
  db?: string;
  json?: boolean;
  force?: boolean;
}

/** `ruleatlas ingest`: 0 when the store is up to date, 1 when the corpora could not be read. */
export async function ingestCommand(opts: IngestCommandOptions): Promise<number> {
  const corpora = opts.corpora ?? defaultCorpora();
  const db = opts.db ?? defaultDb();
  const tty = process.stderr.isTTY && !opts.json;
  let summary: IngestSummary;
  try {
    summary = await ingest({ corpora, db, force: opts.force ?? false, onProgress: tty ? progress : undefined });
  } catch (e) {
    console.error(`ruleatlas ingest: ${(e as Error).message}`);
    return 1;
  }
  if (tty) process.stderr.write('\r\x1b[K');
  if (opts.json) {
    console.log(JSON.stringify(summary));
    return 0;
  }
  console.log(summary.noop ? `The catalog at ${db} is up to date with ${corpora} (nothing changed).` : `Ingested ${corpora} into ${db}.`);
  const rows = summary.sources.map((s) => [s.name, s.rules, s.parsed, s.opaque, s.findings, s.indicators, s.changed ? `${(s.ms / 1000).toFixed(1)} s` : 'unchanged']);
  const head = ['source', 'rules', 'parsed', 'with opaque part', 'with findings', 'indicators', 'read'];
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells: Array<string | number>): string => cells.map((c, i) => (i === 0 ? String(c).padEnd(width[i]!) : String(c).padStart(width[i]!))).join('  ');
  console.log(line(head));
  for (const r of rows) console.log(line(r));
  for (const s of summary.skipped) console.log(`skipped ${s.name}: ${s.reason}`);
  console.log(`${summary.rules} rules, ${summary.indicators} indicators in ${(summary.ms / 1000).toFixed(1)} s`);
  return 0;
}

function progress(e: IngestProgress): void {
  const text =
    e.phase === 'scan' ? `scanning: ${e.corpora} corpora`
    : e.phase === 'read' ? `reading ${e.source}: ${e.done}/${e.files} files`
    : e.phase === 'store' ? `storing ${e.source}: ${e.rules} rules`
    : `counting indicators and enriching ${e.rules} rules`;
  process.stderr.write(`\r\x1b[K${text}`);
}
