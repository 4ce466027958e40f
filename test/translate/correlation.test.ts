import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import Database from 'better-sqlite3';
import { convert } from '../../src/translate/convert.js';
import { kustoChecker } from './kusto.js';
import { COLUMNS, EVENTS, EXPECTED, TYPES, correlation } from './correlation-cases.js';

/**
 * Correlation rules (all seven types of the spec) in the aggregating targets: KQL checked by
 * Kusto's analyzer, SPL by shape, SQL run for real over a small synthetic event table whose answer
 * is known.
 */
describe('correlation rules', () => {
  const checker = kustoChecker();
  for (const [type, condition, rules] of TYPES) {
    const docs = correlation(type, condition, rules);
    const corr = docs[docs.length - 1]!;

    it(`${type}: KQL for each KQL target passes Kusto's analysis`, () => {
      for (const target of ['kql-sentinel', 'kql-xdr']) {
        const c = convert(corr, target, { related: docs });
        if (target === 'kql-xdr' && type === 'value_sum') continue;
        assert.ok(c.ok, `${target}: ${c.error}`);
        assert.match(c.queries[0]!, /summarize .* by TimeGenerated = bin\(TimeGenerated, 1h\), TargetUserName/);
        assert.deepEqual(checker.check(c.queries[0]!), [], c.queries[0]);
      }
    });

    it(`${type}: SPL aggregates per group`, () => {
      const c = convert(corr, 'splunk', { related: docs });
      assert.ok(c.ok, c.error ?? '');
      assert.match(c.queries[0]!, /(streamstats time_window=3600s|bin _time span=3600s)/);
      assert.match(c.queries[0]!, /TargetUserName/);
      if (rules.length > 1) assert.match(c.queries[0]!, /^\| multisearch \[search /);
    });

    for (const dialect of ['sqlite', 'duckdb'] as const) {
      it(`${type}: ${dialect} finds the expected groups`, async () => {
        const c = convert(corr, dialect, { related: docs });
        assert.ok(c.ok, c.error ?? '');
        const rows = EVENTS.map(([t, id, user, ip, lt]) => [t, id, user, ip, lt, 'Security']);
        let got: string[];
        if (dialect === 'sqlite') {
          const db = new Database(':memory:');
          db.exec(`CREATE TABLE events (${COLUMNS.map((x) => `"${x}" TEXT`).join(', ')})`);
          const ins = db.prepare(`INSERT INTO events VALUES (${COLUMNS.map(() => '?').join(', ')})`);
          for (const r of rows) ins.run(...r);
          got = db.prepare(c.queries[0]!).all().map((x) => (x as { targetusername: string }).targetusername);
          db.close();
        } else {
          const conn = await (await DuckDBInstance.create(':memory:')).connect();
          await conn.run(`CREATE TABLE events (${COLUMNS.map((x) => `"${x}" VARCHAR`).join(', ')})`);
          for (const r of rows) await conn.run(`INSERT INTO events VALUES (${r.map((v) => `'${v}'`).join(', ')})`);
          const reader = await conn.runAndReadAll(c.queries[0]!);
          const col = reader.columnNames().indexOf('targetusername');
          got = reader.getRows().map((r) => String(r[col]));
          conn.closeSync();
        }
        assert.deepEqual([...new Set(got)].sort(), EXPECTED[type], c.queries[0]);
      });
    }
  }

  it('a referenced rule that is not given is a clear error', () => {
    const docs = correlation('event_count', '    condition:\n        gte: 3');
    const c = convert(docs[2]!, 'kql-sentinel', { related: [] });
    assert.match(c.error!, /referenced rule 'failed_logon' is not among the converted rules/);
  });

  it('targets that cannot aggregate say so', () => {
    const docs = correlation('event_count', '    condition:\n        gte: 3');
    assert.match(convert(docs[2]!, 'lucene', { related: docs }).error!, /does not aggregate events/);
    assert.match(convert(docs[2]!, 'splunk-cim', { related: docs }).error!, /tstats results cannot be correlated/);
  });
});
