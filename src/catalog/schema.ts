import type Database from 'better-sqlite3';

/**
 * The store's schema, as an ordered list of migrations. `PRAGMA user_version` records how many have
 * run; a newer store than this code knows is refused rather than guessed at.
 */
const MIGRATIONS: string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE sources (
    name TEXT PRIMARY KEY,
    root TEXT NOT NULL,
    repository TEXT, commit_id TEXT, committed_at TEXT, license TEXT,
    fingerprint TEXT NOT NULL,
    files INTEGER NOT NULL, rules INTEGER NOT NULL, parsed INTEGER NOT NULL, opaque INTEGER NOT NULL,
    findings INTEGER NOT NULL, indicators INTEGER NOT NULL,
    ingested_at TEXT NOT NULL, ms INTEGER NOT NULL
  );
  CREATE TABLE rules (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    format TEXT NOT NULL,
    kind TEXT NOT NULL,
    path TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT,
    severity TEXT, severity_rank INTEGER NOT NULL DEFAULT 0,
    status TEXT,
    date TEXT, modified TEXT, updated TEXT,
    summary TEXT NOT NULL,      -- RuleSummary as JSON
    rule TEXT NOT NULL,         -- the IR (Rule) as JSON
    parsed INTEGER NOT NULL,    -- 1 when the reader reported no error
    opaque TEXT,                -- JSON list of opaque parts' reasons, NULL when none
    errors INTEGER NOT NULL, warnings INTEGER NOT NULL
  );
  -- Derived from the whole catalog (corpus counts), so rewritten together after any source changes.
  CREATE TABLE derived (
    rule_id TEXT PRIMARY KEY,
    enrichment TEXT NOT NULL,   -- Enrichment as JSON
    coverage TEXT NOT NULL      -- event coverage as JSON
  ) WITHOUT ROWID;
  CREATE INDEX rules_source ON rules (source);
  CREATE INDEX rules_updated ON rules (updated DESC, id);
  CREATE TABLE rule_facets (rule_id TEXT NOT NULL, facet TEXT NOT NULL, value TEXT NOT NULL);
  CREATE INDEX rule_facets_value ON rule_facets (facet, value);
  CREATE INDEX rule_facets_rule ON rule_facets (rule_id);
  CREATE TABLE indicators (
    rule_id TEXT NOT NULL, source TEXT NOT NULL,
    field TEXT NOT NULL, operator TEXT NOT NULL, value TEXT NOT NULL, display TEXT NOT NULL,
    source_field TEXT NOT NULL, negated INTEGER NOT NULL, stage INTEGER NOT NULL
  );
  CREATE INDEX indicators_key ON indicators (field, operator, value);
  CREATE INDEX indicators_rule ON indicators (rule_id);
  CREATE TABLE indicator_counts (
    field TEXT NOT NULL, operator TEXT NOT NULL, value TEXT NOT NULL, negated INTEGER NOT NULL, display TEXT NOT NULL,
    rules INTEGER NOT NULL, sources TEXT NOT NULL,
    PRIMARY KEY (field, operator, value, negated)
  ) WITHOUT ROWID;
  CREATE INDEX indicator_counts_rules ON indicator_counts (rules DESC);
  CREATE VIRTUAL TABLE rules_fts USING fts5 (id UNINDEXED, title, description, tags, indicators, tokenize = 'unicode61 remove_diacritics 2');
  CREATE TABLE llm_cache (key TEXT PRIMARY KEY, value TEXT NOT NULL, created_at TEXT NOT NULL);
  `,
  // Where an indicator came from: the rule as written, or a normalization of the taxonomy
  // (a literal regex rewritten as an affix test, a file name derived from a path, ...).
  `ALTER TABLE indicators ADD COLUMN origin TEXT NOT NULL DEFAULT 'rule';`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) throw new Error(`the store was written by a newer RuleAtlas (schema ${current}; this one knows ${SCHEMA_VERSION})`);
  for (let v = current; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
