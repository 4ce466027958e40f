import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import type Database from 'better-sqlite3';
import { rawText } from '../src/events/flat.js';
import { readSigma } from '../src/formats/sigma/index.js';
import type { Rule } from '../src/model/index.js';
import { convert } from '../src/translate/convert.js';
import { SHARED, SIGMA, SIGMA_RULE_DIRS, listFiles } from '../test/helpers.js';
import { columnsOf, idsQuery, loadEventRows, ruleColumns, sqliteEvents, type EventRow } from '../test/translate/events-db.js';
import { COLUMNS, EVENTS, EXPECTED, TYPES, correlation } from '../test/translate/correlation-cases.js';

/**
 * The scale-out SQL dialects against real servers on 127.0.0.1 (started by `.ci/run` through
 * scripts/ci-services.sh): PostgreSQL and ClickHouse load the events of ../shared/events and must
 * return, for every SigmaHQ rule, the same events as SQLite; the regression cases pass. The suite
 * fails (it does not skip) when the servers are not there.
 */
const PG_URL = process.env.RULEATLAS_PG_URL;
const CH_URL = process.env.RULEATLAS_CLICKHOUSE_URL;

async function ch(query: string, body?: string): Promise<string> {
  const url = new URL(CH_URL!);
  if (body !== undefined) url.searchParams.set('query', query);
  const res = await fetch(url, { method: 'POST', body: body ?? query });
  const text = await res.text();
  if (!res.ok) throw new Error(`ClickHouse: ${text.slice(0, 500)}`);
  return text;
}

function lowered(r: EventRow, columns: Set<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.flat)) {
    const c = k.toLowerCase();
    if (columns.has(c) && out[c] === undefined) out[c] = v;
  }
  out._id = r.id;
  out._raw = rawText(r.flat);
  return out;
}

describe('SQL on PostgreSQL and ClickHouse servers', () => {
  let rows: EventRow[];
  let rules: Rule[];
  let columns: string[];
  let client: pg.Client;
  let lite: Database.Database;

  before(async () => {
    assert.ok(PG_URL && CH_URL, 'RULEATLAS_PG_URL and RULEATLAS_CLICKHOUSE_URL must point at running servers: eval "$(bash scripts/ci-services.sh)"');
    rows = loadEventRows();
    rules = SIGMA_RULE_DIRS.flatMap((d) => listFiles(join(SIGMA, d))).flatMap((f) => readSigma(readFileSync(f, 'utf8'), { file: f }));
    const cols = new Set([...columnsOf(rows), ...ruleColumns(rules)]);
    cols.delete('_id');
    cols.delete('_raw');
    columns = [...cols].sort();
    lite = sqliteEvents(rows, columns);

    client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query('DROP TABLE IF EXISTS events');
    await client.query(`CREATE TABLE events (_id TEXT, _raw TEXT, ${columns.map((c) => `"${c.replace(/"/g, '""')}" TEXT`).join(', ')})`);
    const set = new Set(columns);
    for (let i = 0; i < rows.length; i += 500) {
      const batch = rows.slice(i, i + 500).map((r) => lowered(r, set));
      await client.query('INSERT INTO events SELECT * FROM json_populate_recordset(NULL::events, $1::json)', [JSON.stringify(batch)]);
    }

    await ch('DROP TABLE IF EXISTS events');
    await ch(`CREATE TABLE events (_id String, _raw String, ${columns.map((c) => `\`${c.replace(/`/g, '\\`')}\` Nullable(String)`).join(', ')}) ENGINE = Memory`);
    for (let i = 0; i < rows.length; i += 1000) {
      const body = rows.slice(i, i + 1000).map((r) => JSON.stringify(lowered(r, set))).join('\n');
      await ch('INSERT INTO events FORMAT JSONEachRow', body);
    }
  });

  after(async () => {
    await client?.end();
    lite?.close();
  });

  const pgIds = async (sql: string): Promise<string[]> => (await client.query(idsQuery(sql))).rows.map((r: { _id: string }) => r._id).sort();
  const chIds = async (sql: string): Promise<string[]> => (await ch(`${idsQuery(sql)} FORMAT TabSeparated`)).split('\n').filter(Boolean).sort();

  it('loads every event in both servers', async () => {
    assert.equal(Number((await client.query('SELECT COUNT(*) AS n FROM events')).rows[0].n), rows.length);
    assert.equal(Number((await ch('SELECT count() FROM events')).trim()), rows.length);
  });

  it('every rule returns the same events in PostgreSQL, ClickHouse and SQLite', async () => {
    const diffs: string[] = [];
    let compared = 0;
    for (const r of rules) {
      const l = convert(r, 'sqlite');
      const p = convert(r, 'postgres');
      const c = convert(r, 'clickhouse');
      if (!l.ok || !p.ok || !c.ok) continue;
      const ref = lite.prepare(idsQuery(l.queries[0]!)).all().map((x) => (x as { _id: string })._id).sort().join('\n');
      let got: string;
      try {
        got = (await pgIds(p.queries[0]!)).join('\n');
      } catch (e) {
        diffs.push(`postgres ${r.source.path}: ${(e as Error).message}`);
        continue;
      }
      if (got !== ref) diffs.push(`postgres ${r.source.path}: differs from sqlite`);
      try {
        got = (await chIds(c.queries[0]!)).join('\n');
      } catch (e) {
        diffs.push(`clickhouse ${r.source.path}: ${(e as Error).message.slice(0, 300)}`);
        continue;
      }
      if (got !== ref) diffs.push(`clickhouse ${r.source.path}: differs from sqlite`);
      compared++;
    }
    assert.deepEqual(diffs.slice(0, 10), []);
    assert.ok(compared > 3700, `${compared} rules compared`);
  });

  it('every regression case passes by its own rule in both servers', async () => {
    const manifest = JSON.parse(readFileSync(join(SHARED, 'events', 'sigma-regression', 'manifest.json'), 'utf8')) as { cases: Array<{ sigma_repo_rule_path: string; jsonl: string; expected_match_count: number | null }> };
    const failed: string[] = [];
    for (const c of manifest.cases) {
      const rule = readSigma(readFileSync(join(SIGMA, c.sigma_repo_rule_path), 'utf8'), { file: c.sigma_repo_rule_path })[0]!;
      const prefix = `sigma-regression/${c.jsonl.replace(/^jsonl\//, '')}#`;
      for (const [dialect, run] of [['postgres', pgIds], ['clickhouse', chIds]] as const) {
        const conv = convert(rule, dialect);
        const hits = conv.ok ? (await run(conv.queries[0]!)).filter((id) => id.startsWith(prefix)).length : 0;
        if (hits < (c.expected_match_count ?? 1)) failed.push(`${dialect} ${c.sigma_repo_rule_path}: ${hits}`);
      }
    }
    assert.deepEqual(failed, []);
  });
});

describe('correlation rules on PostgreSQL and ClickHouse servers', () => {
  let client: pg.Client;
  const rows = EVENTS.map(([t, id, user, ip, lt]) => ({ timecreated: t, eventid: id, targetusername: user, ipaddress: ip, logontype: lt, channel: 'Security' }));

  before(async () => {
    assert.ok(PG_URL && CH_URL, 'RULEATLAS_PG_URL and RULEATLAS_CLICKHOUSE_URL must point at running servers');
    client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
  });

  after(async () => {
    await client?.end();
  });

  for (const [type, condition, rules] of TYPES) {
    it(`${type}: both servers find the expected groups`, async () => {
      const docs = correlation(type, condition, rules);
      const corr = docs[docs.length - 1]!;
      const p = convert(corr, 'postgres', { related: docs });
      const c = convert(corr, 'clickhouse', { related: docs });
      assert.ok(p.ok && c.ok, `${p.error} ${c.error}`);
      await client.query('DROP TABLE IF EXISTS events');
      await client.query(`CREATE TABLE events (${COLUMNS.map((x) => `"${x}" TEXT`).join(', ')})`);
      await client.query('INSERT INTO events SELECT * FROM json_populate_recordset(NULL::events, $1::json)', [JSON.stringify(rows)]);
      const pgGroups = (await client.query(p.queries[0]!)).rows.map((r: { targetusername: string }) => r.targetusername);
      assert.deepEqual([...new Set(pgGroups)].sort(), EXPECTED[type], p.queries[0]);
      await ch('DROP TABLE IF EXISTS events');
      await ch(`CREATE TABLE events (${COLUMNS.map((x) => `\`${x}\` Nullable(String)`).join(', ')}) ENGINE = Memory`);
      await ch('INSERT INTO events FORMAT JSONEachRow', rows.map((r) => JSON.stringify(r)).join('\n'));
      const out = await ch(`${c.queries[0]} FORMAT JSONEachRow`);
      const chGroups = out.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { targetusername: string }).targetusername);
      assert.deepEqual([...new Set(chGroups)].sort(), EXPECTED[type], c.queries[0]);
    });
  }
});
