import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { detectFormat, READERS } from '../formats/load.js';
import type { Indicator } from '../model/index.js';
import { ruleIndicators } from './indicators.js';
import { scanCorpora, type Corpus } from './corpora.js';
import { defaultRegressionDir } from './regression.js';
import { corpusFingerprint } from './fingerprint.js';
import { CatalogStore, type SourceRow } from './store.js';
import { corpusFacts, type CorpusFacts, type Derived, type ReadRule } from './work.js';
import type { FromWorker, ToWorker } from './worker.js';

export interface IngestOptions {
  corpora: string;
  db: string;
  /** Re-read every corpus even when nothing changed on disk. */
  force?: boolean;
  /** ATT&CK bundle for the enrichment; the default location when absent; `false` for none. */
  attack?: string | false;
  /** SigmaHQ regression cases run for each rule's confidence; the default location when absent; `false` for none. */
  regression?: string | false;
  /** Worker threads for reading and enrichment (default: one per core, at most 4). */
  workers?: number;
  onProgress?: (event: IngestProgress) => void;
}

export type IngestProgress =
  | { phase: 'scan'; corpora: number }
  | { phase: 'read'; source: string; files: number; done: number }
  | { phase: 'store'; source: string; rules: number }
  | { phase: 'derive'; rules: number };

export interface SourceSummary {
  name: string;
  files: number;
  rules: number;
  /** Rules whose reader reported no error. */
  parsed: number;
  /** Parsed rules with an opaque part in their filtering logic. */
  opaque: number;
  /** Rules with at least one finding (error or warning). */
  findings: number;
  indicators: number;
  /** Whether this run re-read the source (false: unchanged since the last ingest). */
  changed: boolean;
  ms: number;
  repository?: string;
  commit?: string;
  license?: string;
}

export interface IngestSummary {
  db: string;
  corpora: string;
  sources: SourceSummary[];
  skipped: Array<{ name: string; reason: string }>;
  /** True when nothing changed and the store was left as it was. */
  noop: boolean;
  rules: number;
  indicators: number;
  ms: number;
}

/**
 * Brings the store up to date with a folder of corpora. A source whose files did not change is
 * not touched; each changed source is replaced in one transaction; then corpus counts and every
 * rule's enrichment are derived again in one more. A kill at any point leaves whole sources.
 * Reading and enrichment run in worker threads (one per core, up to `workers`); the main thread
 * writes to the store meanwhile.
 */
export async function ingest(options: IngestOptions): Promise<IngestSummary> {
  const t0 = performance.now();
  const store = CatalogStore.open(options.db);
  try {
    const scan = scanCorpora(options.corpora);
    options.onProgress?.({ phase: 'scan', corpora: scan.corpora.length });
    const skipped = [...scan.skipped];
    const stored = new Map(store.sources().map((s) => [s.name, s]));
    const readable: Corpus[] = [];
    for (const c of scan.corpora) {
      const format = c.files[0] ? detectFormat(c.files[0].path, readFileSync(c.files[0].path, 'utf8')) : undefined;
      if (format && !READERS.has(format)) skipped.push({ name: c.name, reason: `no ${format} reader in this build; ${c.files.length} files left for later` });
      else readable.push(c);
    }
    const fingerprints = new Map(readable.map((c) => [c.name, corpusFingerprint(c)]));
    const changed = new Set(readable.filter((c) => options.force || stored.get(c.name)?.fingerprint !== fingerprints.get(c.name)).map((c) => c.name));
    if (changed.size === 0 && store.meta('derived_stale') === '0') return summarize(store, options, new Set(), skipped, true, t0);

    const pool = new Pool(Math.max(1, Math.min(options.workers ?? availableParallelism(), readable.length || 1, 4)));
    try {
      // Every source is read, the unchanged ones too: corpus counts and enrichment look across all.
      const indicatorLists: Indicator[][] = [];
      const jsons: string[] = [];
      const toStore: Array<{ corpus: Corpus; ms: number; rows: Row[] }> = [];
      await pool.read(balance(readable, pool.size), (name, ms, rows) => {
        for (const r of rows) {
          indicatorLists.push(r.indicators);
          jsons.push(r.json);
        }
        if (changed.has(name)) toStore.push({ corpus: readable.find((x) => x.name === name)!, ms, rows });
      }, options.onProgress);
      // Sources stored earlier from another folder stay in the catalog, its counts and enrichment.
      const seen = new Set(readable.map((c) => c.name));
      for (const s of stored.values()) {
        if (seen.has(s.name)) continue;
        for (const rule of store.rulesOf(s.name)) {
          indicatorLists.push(ruleIndicators(rule));
          jsons.push(JSON.stringify(rule));
        }
      }
      options.onProgress?.({ phase: 'derive', rules: jsons.length });
      // The workers derive while this thread stores the changed sources (their messages wait).
      const deriving = pool.derive(jsons, corpusFacts(indicatorLists), options.attack, options.regression === undefined ? defaultRegressionDir() : options.regression);
      for (const { corpus, ms, rows } of toStore) {
        options.onProgress?.({ phase: 'store', source: corpus.name, rules: rows.length });
        store.replaceSource(sourceRow(corpus, fingerprints.get(corpus.name)!, rows, ms), rows);
      }
      const derived = await deriving;
      store.writeDerived(derived, `${Date.now().toString(36)}-${derived.length}`);
    } finally {
      await pool.close();
    }
    return summarize(store, options, changed, skipped, false, t0);
  } finally {
    store.close();
  }
}

/** Corpora spread over the workers by file count, largest first (greedy). */
function balance(corpora: Corpus[], n: number): Corpus[][] {
  const bins = Array.from({ length: n }, () => ({ files: 0, corpora: [] as Corpus[] }));
  for (const c of [...corpora].sort((a, b) => b.files.length - a.files.length)) {
    const bin = bins.reduce((m, b) => (b.files < m.files ? b : m));
    bin.corpora.push(c);
    bin.files += c.files.length;
  }
  return bins.map((b) => b.corpora);
}

type Row = Omit<ReadRule, 'rule'>;

/** The ingest workers, each holding the rules it read until their enrichment is derived. */
class Pool {
  private readonly workers: Worker[];

  constructor(readonly size: number) {
    const here = import.meta.url;
    // Under the test runner this module is TypeScript loaded through tsx; the worker must be too.
    const ts = here.endsWith('.ts');
    const url = new URL(ts ? './worker.ts' : './worker.js', here);
    const boot = ts ? `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })` : null;
    this.workers = Array.from({ length: size }, () => (boot ? new Worker(boot, { eval: true }) : new Worker(url)));
  }

  async read(work: Corpus[][], onSource: (name: string, ms: number, rows: Row[]) => void, onProgress?: (e: IngestProgress) => void): Promise<void> {
    await Promise.all(
      this.workers.map((w, i) =>
        this.exchange(w, { type: 'read', corpora: work[i] ?? [] }, 'read-done', (m) => {
          if (m.type === 'source') onSource(m.name, m.ms, m.rules);
          else if (m.type === 'progress') onProgress?.({ phase: 'read', source: m.source, files: m.files, done: m.done });
        }),
      ),
    );
  }

  /** Rules dealt round-robin, so each worker gets the same mix of cheap and costly ones. */
  async derive(rules: string[], facts: CorpusFacts, attack: string | false | undefined, regression: string | null | false): Promise<Derived[]> {
    const out: Derived[] = [];
    await Promise.all(
      this.workers.map((w, i) =>
        this.exchange(w, { type: 'derive', rules: rules.filter((_, j) => j % this.size === i), facts, attack, regression }, 'derive-done', (m) => {
          if (m.type === 'derived') for (const d of m.items) out.push(d);
        }),
      ),
    );
    return out;
  }

  private exchange(w: Worker, message: ToWorker, done: FromWorker['type'], on: (m: FromWorker) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      const onMessage = (m: FromWorker): void => {
        if (m.type === 'error') finish(new Error(`ingest worker: ${m.message}`));
        else if (m.type === done) finish();
        else {
          try {
            on(m);
          } catch (e) {
            finish(e as Error);
          }
        }
      };
      const onError = (e: Error): void => finish(e);
      const onExit = (code: number): void => finish(new Error(`ingest worker exited with code ${code}`));
      const finish = (e?: Error): void => {
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
        if (e) reject(e);
        else resolve();
      };
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
      w.postMessage(message);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

function sourceRow(c: Corpus, fingerprint: string, rules: Row[], ms: number): SourceRow {
  return {
    name: c.name,
    root: c.root,
    repository: c.provenance.repository ?? null,
    commit_id: c.provenance.commit ?? null,
    committed_at: c.provenance.committedAt ?? null,
    license: c.provenance.license ?? null,
    fingerprint,
    files: c.files.length,
    rules: rules.length,
    parsed: rules.filter((r) => r.parsed).length,
    opaque: rules.filter((r) => r.parsed && r.opaque.length > 0).length,
    findings: rules.filter((r) => r.errors + r.warnings > 0).length,
    indicators: rules.reduce((n, r) => n + r.indicators.length, 0),
    ingested_at: new Date().toISOString(),
    ms: Math.round(ms),
  };
}

function summarize(store: CatalogStore, options: IngestOptions, changed: Set<string>, skipped: IngestSummary['skipped'], noop: boolean, t0: number): IngestSummary {
  const rows = store.sources();
  const sources: SourceSummary[] = rows.map((s) => ({
    name: s.name,
    files: s.files,
    rules: s.rules,
    parsed: s.parsed,
    opaque: s.opaque,
    findings: s.findings,
    indicators: s.indicators,
    changed: changed.has(s.name),
    ms: changed.has(s.name) ? s.ms : 0,
    ...(s.repository ? { repository: s.repository } : {}),
    ...(s.commit_id ? { commit: s.commit_id } : {}),
    ...(s.license ? { license: s.license } : {}),
  }));
  return {
    db: options.db,
    corpora: options.corpora,
    sources,
    skipped,
    noop,
    rules: sources.reduce((n, s) => n + s.rules, 0),
    indicators: sources.reduce((n, s) => n + s.indicators, 0),
    ms: Math.round(performance.now() - t0),
  };
}
