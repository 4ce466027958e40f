import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { createApp } from '../../src/server/app.js';
import type { SiteData } from '../../src/server/data.js';
import { fixtureAttack, fixtureRules, SEED_ID } from './fixtures.js';
import { memoryData } from './memory-data.js';

describe('ETags on catalog reads', () => {
  let generation = 'g1';
  const inner = memoryData(fixtureRules(5));
  let calls = 0;
  // The same data under a generation the test controls, counting the reads that reach it.
  const data: SiteData = { ...inner, generation: () => generation, rule: (id) => (calls++, inner.rule(id)), listRules: (q) => (calls++, inner.listRules(q)) };
  const app = createApp({ data, attack: fixtureAttack(), log: () => {} });

  it('answers If-None-Match with 304 and no work, until the catalog changes', async () => {
    for (const path of [`/rules/${SEED_ID}`, '/api/rules?per_page=3', `/api/rules/${SEED_ID}`, '/']) {
      const first = await app.request(path);
      assert.equal(first.status, 200, path);
      const tag = first.headers.get('ETag');
      assert.match(tag ?? '', /^W\/"[\w-]{22}"$/, path);
      const before = calls;
      const again = await app.request(path, { headers: { 'If-None-Match': tag! } });
      assert.equal(again.status, 304, path);
      assert.equal(await again.text(), '');
      assert.equal(calls, before, `${path}: a 304 reads nothing`);
      assert.equal((await app.request(path, { headers: { 'If-None-Match': `"other", ${tag}` } })).status, 304, 'a list of tags');
      assert.equal((await app.request(path, { headers: { 'If-None-Match': '"other"' } })).status, 200);
    }
  });

  it('different URLs have different tags; a new generation changes them all', async () => {
    const a = (await app.request('/api/rules?page=1')).headers.get('ETag');
    const b = (await app.request('/api/rules?page=2')).headers.get('ETag');
    assert.notEqual(a, b);
    generation = 'g2';
    const c = await app.request('/api/rules?page=1', { headers: { 'If-None-Match': a! } });
    assert.equal(c.status, 200);
    assert.notEqual(c.headers.get('ETag'), a);
  });

  it('keeps rendered reads until the catalog changes', async () => {
    generation = 'g3';
    await app.request(`/rules/${SEED_ID}`);
    const before = calls;
    const again = await app.request(`/rules/${SEED_ID}`);
    assert.equal(again.status, 200);
    assert.match(await again.text(), /PUA - Ngrok Execution/);
    assert.equal(calls, before, 'served from the cache');
    generation = 'g4';
    await app.request(`/rules/${SEED_ID}`);
    assert.equal(calls, before + 1, 'a new generation reads again');
  });

  it('errors carry no ETag and are not cached', async () => {
    const res = await app.request('/api/rules/sigma:nope');
    assert.equal(res.status, 404);
    assert.equal(res.headers.get('ETag'), null);
  });

  it('assets have content-hash URLs cached for a year', async () => {
    const html = await (await app.request('/convert')).text();
    const css = /href="(\/assets\/app\.css\?v=[\w-]+)"/.exec(html)![1]!;
    const res = await app.request(css);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('Cache-Control') ?? '', /immutable/);
    assert.equal((await app.request(css, { headers: { 'If-None-Match': res.headers.get('ETag')! } })).status, 304);
    assert.equal((await app.request('/assets/app.css?v=stale')).headers.get('Cache-Control'), 'no-cache');
  });
  it('answers repeated reads from memory, gzipped for clients that accept it', async () => {
    generation = 'g3';
    const plain = await app.request(`/rules/${SEED_ID}`);
    const text = await plain.text();
    const before = calls;
    const zipped = await app.request(`/rules/${SEED_ID}`, { headers: { 'Accept-Encoding': 'gzip, br' } });
    assert.equal(calls, before, 'served from memory');
    assert.equal(zipped.headers.get('Content-Encoding'), 'gzip');
    assert.equal(zipped.headers.get('Vary'), 'Accept-Encoding');
    const bytes = new Uint8Array(await zipped.arrayBuffer());
    assert.ok(bytes.length < Buffer.byteLength(text) / 3);
    assert.equal(gunzipSync(bytes).toString('utf8'), text);
    const again = await app.request(`/rules/${SEED_ID}`);
    assert.equal(again.headers.get('Content-Encoding'), null);
    assert.equal(await again.text(), text);
  });
});
