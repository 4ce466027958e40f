import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type Database from 'better-sqlite3';
import type { DuckDBConnection } from '@duckdb/node-api';
import { readSigma } from '../../src/formats/sigma/index.js';
import type { Rule } from '../../src/model/index.js';
import { convert } from '../../src/translate/convert.js';
import { Hunter } from '../../src/engine/index.js';
import { SHARED, SIGMA, SIGMA_RULE_DIRS, listFiles } from '../helpers.js';
import { columnsOf, duckdbEvents, idsQuery, loadEventRows, ruleColumns, sqliteEvents, type EventRow } from './events-db.js';

/**
 * Generated SQL run for real: SQLite and DuckDB load the events of ../shared/events
 * (sigma-regression and evtx-attack-samples) as one flat table; every SigmaHQ rule's query runs on
 * both and must return the same events. The regression cases pass by their own rule.
 */
interface Case {
  rule_id: string;
  sigma_repo_rule_path: string;
  jsonl: string;
  expected_match_count: number | null;
}

describe('SQL over real events (SQLite, DuckDB)', () => {
  let rows: EventRow[];
  let lite: Database.Database;
  let duck: DuckDBConnection;
  let rules: Rule[];

  before(async () => {
    rows = loadEventRows();
    rules = SIGMA_RULE_DIRS.flatMap((d) => listFiles(join(SIGMA, d))).flatMap((f) => readSigma(readFileSync(f, 'utf8'), { file: f }));
    // Columns: every field of the events plus every field a query names (absent ones are NULL).
    const cols = new Set([...columnsOf(rows), ...ruleColumns(rules)]);
    cols.delete('_id');
    cols.delete('_raw');
    const columns = [...cols].sort();
    lite = sqliteEvents(rows, columns);
    duck = await duckdbEvents(rows, columns);
  });

  after(() => {
    lite?.close();
    duck?.closeSync();
  });

  it('every regression case passes by its own rule, in SQLite and DuckDB', async () => {
    const manifest = JSON.parse(readFileSync(join(SHARED, 'events', 'sigma-regression', 'manifest.json'), 'utf8')) as { cases: Case[] };
    const failed: string[] = [];
    for (const c of manifest.cases) {
      const rule = readSigma(readFileSync(join(SIGMA, c.sigma_repo_rule_path), 'utf8'), { file: c.sigma_repo_rule_path })[0]!;
      const prefix = `sigma-regression/${c.jsonl.replace(/^jsonl\//, '')}#`;
      const need = c.expected_match_count ?? 1;
      for (const dialect of ['sqlite', 'duckdb'] as const) {
        const conv = convert(rule, dialect);
        if (!conv.ok) {
          failed.push(`${dialect} ${c.rule_id}: ${conv.error}`);
          continue;
        }
        const ids = dialect === 'sqlite' ? lite.prepare(idsQuery(conv.queries[0]!)).all().map((x) => (x as { _id: string })._id) : (await duck.runAndReadAll(idsQuery(conv.queries[0]!))).getRows().map((x) => String(x[0]));
        const hits = ids.filter((id) => id.startsWith(prefix)).length;
        if (hits < need) failed.push(`${dialect} ${c.rule_id} ${c.sigma_repo_rule_path}: ${hits} hits < ${need}`);
      }
    }
    assert.deepEqual(failed, []);
    assert.equal(manifest.cases.length, 123);
  });

  it('SQLite returns the same events as the hunting engine for every Windows rule', () => {
    // The events are Windows events: rules of other products apply to none of them in the engine
    // (it selects rules by log source), while a flat table has no column that says an event's
    // product, so those are left out of the comparison.
    const windows = rules.filter((r) => r.logsource?.product === 'windows' && r.kind === 'detection');
    const hunter = new Hunter(windows);
    const engine = new Map<string, Set<string>>();
    for (const row of rows) {
      hunter.process({ file: row.id, recordId: null, timestamp: null, event: row.event }, (h) => {
        if (h.kind !== 'detection') return;
        const set = engine.get(h.rule_id) ?? new Set<string>();
        set.add(h.file!);
        engine.set(h.rule_id, set);
      });
    }
    let compared = 0;
    let hits = 0;
    const diffs: string[] = [];
    for (const r of windows) {
      const c = convert(r, 'sqlite');
      if (!c.ok) continue;
      const sql = new Set(lite.prepare(idsQuery(c.queries[0]!)).all().map((x) => (x as { _id: string })._id));
      const eng = engine.get(r.id) ?? new Set<string>();
      compared++;
      hits += sql.size;
      const onlySql = [...sql].filter((x) => !eng.has(x));
      const onlyEngine = [...eng].filter((x) => !sql.has(x));
      if (onlySql.length || onlyEngine.length) diffs.push(`${r.source.path}: only SQL ${onlySql.slice(0, 2).join(', ')}; only engine ${onlyEngine.slice(0, 2).join(', ')}`);
    }
    assert.ok(compared > 2800, `${compared} rules compared`);
    assert.ok(hits > 1000, `${hits} hits`);
    assert.deepEqual(diffs.slice(0, 10), []);
  });

  it('SQLite and DuckDB return the same events for every rule', async () => {
    let compared = 0;
    let hits = 0;
    const diffs: string[] = [];
    for (const r of rules) {
      const a = convert(r, 'sqlite');
      const b = convert(r, 'duckdb');
      if (!a.ok || !b.ok) continue;
      const s1 = lite.prepare(idsQuery(a.queries[0]!)).all().map((x) => (x as { _id: string })._id).sort();
      const s2 = (await duck.runAndReadAll(idsQuery(b.queries[0]!))).getRows().map((x) => String(x[0])).sort();
      compared++;
      hits += s1.length;
      if (s1.join('\n') !== s2.join('\n')) diffs.push(`${r.source.path}: sqlite ${s1.length}, duckdb ${s2.length}`);
    }
    assert.ok(compared > 3700, `${compared} rules compared`);
    assert.ok(hits > 100, `${hits} hits`);
    assert.deepEqual(diffs, []);
  });
});
