import Database from 'better-sqlite3';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { flattenEvent, rawText, type FlatEvent } from '../../src/events/flat.js';
import { translateRegex, walkExpr, type Rule } from '../../src/model/index.js';
import { SHARED, listFiles } from '../helpers.js';

/**
 * The events of ../shared/events (regression cases and attack samples, from their .jsonl twins)
 * as one flat `events` table, loaded into real SQL engines so generated SQL is run, not just read.
 */
export interface EventRow {
  id: string;
  file: string;
  flat: FlatEvent;
  /** The event as read (for the matcher). */
  event: unknown;
}

export function loadEventRows(datasets = ['sigma-regression', 'evtx-attack-samples']): EventRow[] {
  const rows: EventRow[] = [];
  for (const ds of datasets) {
    const root = join(SHARED, 'events', ds, 'jsonl');
    for (const file of listFiles(root, ['.jsonl'])) {
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (!line.trim()) return;
        const event = JSON.parse(line) as unknown;
        rows.push({ id: `${ds}/${relative(root, file)}#${i}`, file, flat: flattenEvent(event), event });
      });
    }
  }
  return rows;
}

/** Column names: field names in lower case (the SQL backends' convention). */
export function columnsOf(rows: EventRow[]): string[] {
  const set = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r.flat)) set.add(k.toLowerCase());
  return [...set].sort();
}

/** A row's values by lower-cased column (the first spelling wins when two differ only in case). */
function lowered(flat: FlatEvent): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(flat)) out[k.toLowerCase()] ??= v;
  return out;
}

const q = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** SQLite with a REGEXP function (SQLite has none built in) that reads PCRE-style inline flags. */
export function sqliteEvents(rows: EventRow[], columns: string[]): Database.Database {
  const db = new Database(':memory:');
  const cache = new Map<string, RegExp | null>();
  db.function('regexp', { deterministic: true }, (value: unknown, pattern: unknown) => {
    // SQLite calls regexp(pattern, value) for `value REGEXP pattern`.
    const p = String(value);
    const v = pattern;
    if (v === null || v === undefined) return null;
    let re = cache.get(p);
    if (re === undefined) {
      const t = translateRegex(p);
      re = t.ok ? new RegExp(t.source, t.flags) : null;
      cache.set(p, re);
    }
    return re && re.test(String(v)) ? 1 : 0;
  });
  db.exec(`CREATE TABLE events (_id TEXT, _raw TEXT, ${columns.map((c) => `${q(c)} TEXT`).join(', ')})`);
  const insert = db.prepare(`INSERT INTO events (_id, _raw, ${columns.map(q).join(', ')}) VALUES (${['?', '?', ...columns.map(() => '?')].join(', ')})`);
  db.transaction(() => {
    for (const r of rows) {
      const l = lowered(r.flat);
      insert.run(r.id, rawText(r.flat), ...columns.map((c) => l[c] ?? null));
    }
  })();
  return db;
}

export async function duckdbEvents(rows: EventRow[], columns: string[]): Promise<DuckDBConnection> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  await conn.run(`CREATE TABLE events (_id VARCHAR, _raw VARCHAR, ${columns.map((c) => `${q(c)} VARCHAR`).join(', ')})`);
  const app = await conn.createAppender('events');
  for (const r of rows) {
    const l = lowered(r.flat);
    app.appendVarchar(r.id);
    app.appendVarchar(rawText(r.flat));
    for (const c of columns) {
      const v = l[c];
      if (v === undefined) app.appendNull();
      else app.appendVarchar(v);
    }
    app.endRow();
  }
  app.closeSync();
  return conn;
}

/** Rewrites `SELECT * FROM "events" WHERE …` to return only the row ids. */
export function idsQuery(sql: string): string {
  return sql.replace(/^SELECT \* FROM "events"/, 'SELECT _id FROM "events"');
}

/** The columns the rules' SQL names: their fields in lower case (the SQL pipeline keeps Sigma names). */
export function ruleColumns(rules: Rule[]): Set<string> {
  const out = new Set<string>(['channel', 'eventid', 'timecreated']);
  for (const r of rules)
    for (const s of r.logic)
      if (s.filter)
        walkExpr(s.filter, (n) => {
          if ('field' in n && typeof n.field === 'string' && n.field) out.add(n.field.toLowerCase());
          if (n.kind === 'fieldref') out.add(n.other.toLowerCase());
        });
  return out;
}
