import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Enrichment, LlmCache } from '../enrich/index.js';
import type { Rule } from '../model/index.js';
import type { CanonicalIndicator } from '../taxonomy/fields-indicators.js';
import type { RuleSummary } from '../server/data.js';
import type { EventCoverage } from './event-coverage.js';
import { migrate } from './schema.js';
import type { StoreRow } from './work.js';

export interface SourceRow {
  name: string;
  root: string;
  repository: string | null;
  commit_id: string | null;
  committed_at: string | null;
  license: string | null;
  fingerprint: string;
  files: number;
  rules: number;
  parsed: number;
  opaque: number;
  findings: number;
  indicators: number;
  ingested_at: string;
  ms: number;
}

export interface StoredRule {
  rule: Rule;
  summary: RuleSummary;
  enrichment: Enrichment | null;
  coverage: EventCoverage[];
  parsed: boolean;
  opaque: string[];
}

const SEVERITY_RANK: Record<string, number> = { informational: 1, low: 2, medium: 3, high: 4, critical: 5 };

/**
 * The catalog on disk: SQLite in WAL mode. Every write that replaces a source is one transaction,
 * so a reader (the web app) or a kill mid-ingest only ever sees a whole catalog.
 */
export class CatalogStore {
  readonly db: Database.Database;

  private constructor(db: Database.Database) {
    this.db = db;
  }

  static open(file: string, options: { readonly?: boolean } = {}): CatalogStore {
    if (!options.readonly) mkdirSync(dirname(file), { recursive: true });
    const db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      migrate(db);
    }
    db.pragma('cache_size = -64000');
    return new CatalogStore(db);
  }

  close(): void {
    this.db.close();
  }

  private metaStatement: Database.Statement | undefined;

  /** A value of the meta table (the web app asks for `generation` on every request: one prepared statement). */
  meta(key: string): string | undefined {
    this.metaStatement ??= this.db.prepare('SELECT value FROM meta WHERE key = ?');
    return (this.metaStatement.get(key) as { value: string } | undefined)?.value;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** The LLM layer's cache (src/enrich/llm.ts): rewritten prose by (model, section, facts). */
  llmCache(): LlmCache {
    const get = this.db.prepare('SELECT value FROM llm_cache WHERE key = ?');
    const set = this.db.prepare('INSERT INTO llm_cache (key, value, created_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, created_at = excluded.created_at');
    return {
      get: (key) => (get.get(key) as { value: string } | undefined)?.value,
      set: (key, value) => void set.run(key, value, new Date().toISOString()),
    };
  }

  sources(): SourceRow[] {
    return this.db.prepare('SELECT * FROM sources ORDER BY name').all() as SourceRow[];
  }

  /** Replaces every rule of a source in one transaction; marks the derived tables stale with it. */
  replaceSource(row: SourceRow, rules: StoreRow[]): void {
    const db = this.db;
    const delFts = db.prepare('DELETE FROM rules_fts WHERE id IN (SELECT id FROM rules WHERE source = ?)');
    const delFacets = db.prepare('DELETE FROM rule_facets WHERE rule_id IN (SELECT id FROM rules WHERE source = ?)');
    const delInd = db.prepare('DELETE FROM indicators WHERE source = ?');
    const delRules = db.prepare('DELETE FROM rules WHERE source = ?');
    const insRule = db.prepare(`INSERT INTO rules (id, source, format, kind, path, title, description, severity, severity_rank, status, date, modified, updated, summary, rule, parsed, opaque, errors, warnings)
      VALUES (@id, @source, @format, @kind, @path, @title, @description, @severity, @severity_rank, @status, @date, @modified, @updated, @summary, @rule, @parsed, @opaque, @errors, @warnings)`);
    const insFacet = db.prepare('INSERT INTO rule_facets (rule_id, facet, value) VALUES (?, ?, ?)');
    const insInd = db.prepare('INSERT INTO indicators (rule_id, source, field, operator, value, display, source_field, negated, stage, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const insFts = db.prepare('INSERT INTO rules_fts (id, title, description, tags, indicators) VALUES (?, ?, ?, ?, ?)');
    const upSource = db.prepare(`INSERT INTO sources (name, root, repository, commit_id, committed_at, license, fingerprint, files, rules, parsed, opaque, findings, indicators, ingested_at, ms)
      VALUES (@name, @root, @repository, @commit_id, @committed_at, @license, @fingerprint, @files, @rules, @parsed, @opaque, @findings, @indicators, @ingested_at, @ms)
      ON CONFLICT (name) DO UPDATE SET root = excluded.root, repository = excluded.repository, commit_id = excluded.commit_id, committed_at = excluded.committed_at,
        license = excluded.license, fingerprint = excluded.fingerprint, files = excluded.files, rules = excluded.rules, parsed = excluded.parsed, opaque = excluded.opaque,
        findings = excluded.findings, indicators = excluded.indicators, ingested_at = excluded.ingested_at, ms = excluded.ms`);
    db.transaction(() => {
      delFts.run(row.name);
      delFacets.run(row.name);
      delInd.run(row.name);
      delRules.run(row.name);
      for (const r of rules) {
        const s = r.summary;
        insRule.run({
          id: r.id,
          source: row.name,
          format: r.format,
          kind: r.kind,
          path: r.path,
          title: s.title,
          description: r.description ?? null,
          severity: s.severity ?? null,
          severity_rank: SEVERITY_RANK[s.severity ?? ''] ?? 0,
          status: s.status ?? null,
          date: s.date ?? null,
          modified: s.modified ?? null,
          updated: s.modified ?? s.date ?? null,
          summary: JSON.stringify(s),
          rule: r.json,
          parsed: r.parsed ? 1 : 0,
          opaque: r.opaque.length ? JSON.stringify(r.opaque) : null,
          errors: r.errors,
          warnings: r.warnings,
        });
        const facets: Array<[string, string[]]> = [
          ['source', [s.source]],
          ['severity', s.severity ? [s.severity] : []],
          ['status', s.status ? [s.status] : []],
          ['tactic', s.tactics],
          ['technique', s.techniques],
          ['platform', s.platforms],
          ['dataSource', s.dataSources],
        ];
        for (const [facet, values] of facets) for (const v of new Set(values)) insFacet.run(s.id, facet, v);
        for (const i of r.indicators as CanonicalIndicator[]) insInd.run(s.id, row.name, i.field, i.operator, i.value, i.display, i.sourceField, i.negated ? 1 : 0, i.stage, i.derived ?? (i.regex !== undefined ? 'regex' : 'rule'));
        insFts.run(s.id, s.title, r.description ?? '', [r.words, ...s.techniques, ...s.tactics, s.source].join(' '), [...new Set(r.indicators.map((i) => i.display))].join(' '));
      }
      upSource.run(row);
      this.setMeta('derived_stale', '1');
    })();
  }

  /** Recounts shared indicators and stores every rule's enrichment and event coverage, in one transaction. */
  writeDerived(derived: Iterable<{ id: string; enrichment: string; coverage: string; tactics?: string[] }>, generation: string): void {
    const db = this.db;
    const ins = db.prepare('INSERT INTO derived (rule_id, enrichment, coverage) VALUES (?, ?, ?)');
    // Tactics a rule does not name come from ATT&CK through its techniques (feed filters, facets).
    const delTactics = db.prepare("DELETE FROM rule_facets WHERE rule_id = ? AND facet = 'tactic'");
    const insTactic = db.prepare("INSERT INTO rule_facets (rule_id, facet, value) VALUES (?, 'tactic', ?)");
    const setTactics = db.prepare("UPDATE rules SET summary = json_set(summary, '$.tactics', json(?)) WHERE id = ?");
    db.transaction(() => {
      db.exec('DELETE FROM indicator_counts');
      db.exec('DELETE FROM derived');
      // The corpus count of an indicator is the number of distinct rules that have it (looking for a
      // value and excluding it are different indicators).
      db.exec(`INSERT INTO indicator_counts (field, operator, value, negated, display, rules, sources)
        SELECT field, operator, value, negated, min(display), count(DISTINCT rule_id), group_concat(DISTINCT source)
        FROM indicators GROUP BY field, operator, value, negated`);
      for (const d of derived) {
        ins.run(d.id, d.enrichment, d.coverage);
        if (!d.tactics) continue;
        delTactics.run(d.id);
        for (const t of d.tactics) insTactic.run(d.id, t);
        setTactics.run(JSON.stringify(d.tactics), d.id);
      }
      this.setMeta('derived_stale', '0');
      this.setMeta('generation', generation);
    })();
  }

  /** Every stored rule's IR (for the derived pass over sources this run did not re-read). */
  *rulesOf(source: string): Generator<Rule> {
    for (const row of this.db.prepare('SELECT rule FROM rules WHERE source = ?').iterate(source) as Iterable<{ rule: string }>) yield JSON.parse(row.rule) as Rule;
  }

  rule(id: string): StoredRule | null {
    const row = this.db.prepare('SELECT rule, summary, enrichment, coverage, parsed, opaque FROM rules LEFT JOIN derived ON rule_id = id WHERE id = ?').get(id) as
      | { rule: string; summary: string; enrichment: string | null; coverage: string | null; parsed: number; opaque: string | null }
      | undefined;
    if (!row) return null;
    return {
      rule: JSON.parse(row.rule) as Rule,
      summary: JSON.parse(row.summary) as RuleSummary,
      enrichment: row.enrichment ? (JSON.parse(row.enrichment) as Enrichment) : null,
      coverage: row.coverage ? (JSON.parse(row.coverage) as EventCoverage[]) : [],
      parsed: row.parsed === 1,
      opaque: row.opaque ? (JSON.parse(row.opaque) as string[]) : [],
    };
  }

  /** Number of rules with each indicator, keyed by `indicatorKey`. */
  indicatorCounts(): Map<string, number> {
    const out = new Map<string, number>();
    for (const r of this.db.prepare('SELECT field, operator, value, negated, rules FROM indicator_counts').iterate() as Iterable<{ field: string; operator: string; value: string; negated: number; rules: number }>) {
      out.set(indicatorKey({ ...r, negated: r.negated === 1 }), r.rules);
    }
    return out;
  }
}

/** The identity of an indicator across rules: field, operator, normalized value, and whether it is excluded. */
export function indicatorKey(i: { field: string; operator: string; value: string; negated: boolean }): string {
  return `${i.negated ? '!' : ''}${i.field}\u0000${i.operator}\u0000${i.value}`;
}
