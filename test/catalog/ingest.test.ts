import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { ingest } from '../../src/catalog/ingest.js';
import { storeSiteData } from '../../src/catalog/site-data.js';
import { CatalogStore } from '../../src/catalog/store.js';
import { ROOT, SHARED } from '../helpers.js';
import { SIGMA_FILES, SPLUNK_FILES, smallCorpora, writeRule } from './small-corpora.js';

const SEED0 = 'sigma:ee37eb7c-a4e7-4cd5-8fa4-efa27f1c3f31';

describe('ingest into the store', () => {
  let corpora: string;
  let work: string;
  let db: string;
  before(() => {
    corpora = smallCorpora();
    work = mkdtempSync(join(tmpdir(), 'ruleatlas-store-'));
    db = join(work, 'atlas.db');
  });
  after(() => {
    rmSync(corpora, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('stores every rule of every source with provenance from SOURCE.md, and says what it skipped', async () => {
    const s = await ingest({ corpora, db, workers: 1 });
    assert.equal(s.noop, false);
    const bySource = Object.fromEntries(s.sources.map((x) => [x.name, x]));
    assert.equal(bySource.sigma!.rules, SIGMA_FILES.length);
    assert.equal(bySource.splunk!.rules, SPLUNK_FILES.length);
    assert.equal(bySource.sigma!.parsed, SIGMA_FILES.length);
    assert.equal(bySource.sigma!.repository, 'SigmaHQ/sigma');
    assert.match(bySource.sigma!.commit ?? '', /^[0-9a-f]{40}$/);
    assert.ok(s.indicators > 20);
    const store = CatalogStore.open(db, { readonly: true });
    try {
      const r = store.rule(SEED0)!;
      assert.equal(r.rule.source.path, 'rules/windows/process_creation/proc_creation_win_pua_ngrok.yml');
      assert.match(r.rule.source.url ?? '', /^https:\/\/github\.com\/SigmaHQ\/sigma\/blob\/[0-9a-f]{40}\/rules\/windows\/process_creation\/proc_creation_win_pua_ngrok\.yml$/);
      assert.ok(r.enrichment, 'enriched');
    } finally {
      store.close();
    }
  });

  it('a second run over unchanged corpora changes nothing', async () => {
    const before = readFileSync(db).length;
    const gen = CatalogStore.open(db, { readonly: true });
    const g1 = gen.meta('generation');
    gen.close();
    const s = await ingest({ corpora, db, workers: 1 });
    assert.equal(s.noop, true);
    assert.ok(s.sources.every((x) => !x.changed));
    const store = CatalogStore.open(db, { readonly: true });
    assert.equal(store.meta('generation'), g1);
    store.close();
    assert.ok(readFileSync(db).length >= before * 0.5);
  });

  it('a changed source is re-read alone; a broken rule is stored with its finding beside its neighbours', async () => {
    writeRule(corpora, 'sigma', 'rules/broken.yml', 'title: Broken\nid: 0f000000-0000-4000-8000-000000000001\nlogsource:\n  product: windows\ndetection:\n  sel:\n    Image|endswith: [\n  condition: sel\n');
    const s = await ingest({ corpora, db, workers: 1 });
    const sigma = s.sources.find((x) => x.name === 'sigma')!;
    const splunk = s.sources.find((x) => x.name === 'splunk')!;
    assert.equal(sigma.changed, true);
    assert.equal(splunk.changed, false);
    assert.equal(sigma.rules, SIGMA_FILES.length + 1);
    assert.equal(sigma.parsed, SIGMA_FILES.length);
    const store = CatalogStore.open(db, { readonly: true });
    try {
      const rows = store.db.prepare("SELECT id, parsed, errors FROM rules WHERE source = 'sigma' ORDER BY id").all() as Array<{ id: string; parsed: number; errors: number }>;
      const broken = rows.filter((r) => r.parsed === 0);
      assert.equal(broken.length, 1);
      assert.ok(broken[0]!.errors >= 1);
      const rec = store.rule(broken[0]!.id)!;
      const err = rec.rule.diagnostics.find((d) => d.severity === 'error')!;
      assert.ok(err.line >= 6, `the finding names the line: ${JSON.stringify(err)}`);
      assert.ok(store.rule(SEED0), 'the neighbours are still there');
    } finally {
      store.close();
    }
  });

  it('a touched file with the same content re-reads its source, and the counts still agree', async () => {
    const p = join(corpora, 'splunk', SPLUNK_FILES[0]!);
    const t = new Date(Date.now() + 5000);
    utimesSync(p, t, t);
    const s = await ingest({ corpora, db, workers: 2 });
    assert.equal(s.sources.find((x) => x.name === 'splunk')!.changed, true);
    const store = CatalogStore.open(db, { readonly: true });
    try {
      const data = storeSiteData(store);
      // Recount from the raw indicator rows: the derived table must agree.
      const raw = store.db.prepare('SELECT field, operator, value, negated, count(DISTINCT rule_id) AS n FROM indicators GROUP BY 1, 2, 3, 4').all() as Array<{ field: string; operator: string; value: string; negated: number; n: number }>;
      const counts = store.indicatorCounts();
      for (const r of raw) assert.equal(counts.get(`${r.negated ? '!' : ''}${r.field}\u0000${r.operator}\u0000${r.value}`), r.n);
      const rec = data.rule(SEED0)!;
      assert.ok(rec.indicators.length > 5);
      for (const i of rec.indicators) assert.equal(i.corpusCount, (counts.get(`${i.negated ? '!' : ''}${i.field}\u0000${i.operator}\u0000${i.value}`) ?? 0) - 1);
    } finally {
      store.close();
    }
  });

  it('refuses a folder that does not exist, with its name', async () => {
    await assert.rejects(ingest({ corpora: join(work, 'nope'), db: join(work, 'x.db') }), /no corpora folder at .*nope/);
  });

  it('a kill in the middle of an ingest leaves every source whole', async () => {
    // A bigger corpus folder than the store holds, ingested by a separate process killed mid-way.
    const full = join(SHARED, 'corpora');
    const killDb = join(work, 'kill.db');
    await ingest({ corpora, db: killDb, workers: 1 });
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'ruleatlas'), 'ingest', '--corpora', full, '--db', killDb], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 2500));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const db2 = new Database(killDb, { readonly: true });
    try {
      assert.equal((db2.pragma('integrity_check', { simple: true }) as string), 'ok');
      const sources = db2.prepare('SELECT name, rules FROM sources').all() as Array<{ name: string; rules: number }>;
      for (const s of sources) {
        const n = (db2.prepare('SELECT count(*) AS n FROM rules WHERE source = ?').get(s.name) as { n: number }).n;
        assert.equal(n, s.rules, `source ${s.name} is whole`);
      }
    } finally {
      db2.close();
    }
    // And the next run completes the catalog.
    const s = await ingest({ corpora, db: killDb, workers: 1 });
    assert.ok(s.rules > 0);
    assert.ok(existsSync(killDb));
    writeFileSync(join(work, 'done'), '');
  });
});
