import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createApp } from '../../src/server/app.js';
import { fixtureAttack, fixtureRules, SEED_ID } from './fixtures.js';
import { memoryData } from './memory-data.js';

const data = memoryData(fixtureRules(30));
const app = createApp({ data, attack: fixtureAttack(), log: () => {} });
const json = async (path: string): Promise<{ status: number; body: Record<string, unknown> }> => {
  const res = await app.request(path);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('rule pages', () => {
  it('route ids with a literal or an encoded colon to the same page', async () => {
    const a = await app.request(`/rules/${SEED_ID}`);
    const b = await app.request(`/rules/${encodeURIComponent(SEED_ID)}`);
    assert.equal(a.status, 200);
    assert.equal(b.status, 200);
    const html = await a.text();
    assert.equal(html, await b.text());
    assert.match(html, /<h1>PUA - Ngrok Execution<\/h1>/);
  });

  it('show every seed section', async () => {
    const html = await (await app.request(`/rules/${SEED_ID}`)).text();
    for (const id of ['provenance', 'hypothesis', 'detection', 'data-sources', 'event-coverage', 'false-positives', 'attack', 'stages', 'indicators', 'search-terms', 'similar', 'findings', 'references']) {
      assert.match(html, new RegExp(`<section class="panel" id="${id}"`), id);
    }
    assert.match(html, /imProcessCreate/);
    assert.match(html, /data-target="kql-asim"/);
    assert.match(html, /Protocol Tunneling/);
    assert.match(html, /href="\/"/, 'back to the feed');
    assert.match(html, /href="\/coverage\?technique=T1572"/, 'on to coverage');
  });

  it('ids that are not rule ids are 400, unknown rules 404', async () => {
    assert.equal((await app.request('/rules/not-an-id')).status, 400);
    assert.equal((await app.request('/rules/sigma:00000000-0000-4000-8000-000000000000')).status, 404);
    assert.equal((await app.request('/api/rules/sigma:00000000-0000-4000-8000-000000000000')).status, 404);
    assert.equal((await app.request(`/rules/${'a'.repeat(600)}:x`)).status, 400);
  });

  it('a Splunk rule shows its own query, stages and search terms', async () => {
    const id = data.rules.find((r) => r.source.corpus === 'splunk')!.id;
    const html = await (await app.request(`/rules/${id}`)).text();
    assert.match(html, /splunk \(original\)/);
    assert.match(html, /Stage 1: tstats/);
  });
});

describe('feed, search and indicators', () => {
  it('the feed lists rules newest first, filters and pages', async () => {
    const { body } = await json('/api/rules?per_page=5');
    assert.equal(body.per_page, 5);
    assert.equal(body.total, data.rules.length);
    const items = body.items as Array<{ modified?: string; date?: string }>;
    const dates = items.map((i) => i.modified ?? i.date ?? '');
    assert.deepEqual(dates, [...dates].sort().reverse());
    assert.match(String(body.next), /page=2/);
    const splunk = await json('/api/rules?source=splunk');
    assert.equal(splunk.body.total, 2);
    const html = await (await app.request('/?source=splunk&severity=medium')).text();
    assert.match(html, /Windows Ngrok Reverse Proxy Usage/);
    assert.ok(!html.includes('PUA - Ngrok Execution'));
  });

  it('search finds by words and says when q is missing', async () => {
    const { body } = await json('/api/search?q=ngrok');
    assert.ok((body.total as number) >= 3);
    assert.ok((body.items as Array<{ id: string }>).some((i) => i.id === SEED_ID));
    const missing = await json('/api/search');
    assert.equal(missing.status, 400);
    assert.equal((missing.body.error as { code: string }).code, 'missing-parameter');
    const page = await (await app.request('/search?q=ngrok')).text();
    assert.match(page, /PUA - Ngrok Execution/);
    assert.match(page, /data-facet="source"/);
  });

  it('indicator counts link to the rules that share them', async () => {
    const { body } = await json('/api/indicators?per_page=3');
    const top = (body.items as Array<{ field: string; operator: string; value: string; rules: number }>)[0]!;
    assert.ok(top.rules >= 2);
    const rules = await json(`/api/indicators/rules?field=${encodeURIComponent(top.field)}&operator=${top.operator}&value=${encodeURIComponent(top.value)}`);
    assert.equal(rules.body.total, top.rules);
    const bad = await json('/api/indicators/rules?operator=eq');
    assert.equal(bad.status, 400);
  });
});

describe('parameter validation', () => {
  const cases: Array<[string, string]> = [
    ['/api/rules?page=0', 'invalid-parameter'],
    ['/api/rules?page=abc', 'invalid-parameter'],
    ['/api/rules?per_page=1000', 'invalid-parameter'],
    ['/api/rules?severity=urgent', 'invalid-parameter'],
    ['/api/rules?technique=X1059', 'invalid-parameter'],
    ['/api/rules?tactic=%3Cscript%3E', 'invalid-parameter'],
    ['/api/rules?source=a%20b', 'invalid-parameter'],
    ['/api/rules?sort=random', 'invalid-parameter'],
    ['/api/rules?page=1&page=2', 'invalid-parameter'],
    ['/api/rules?sevrity=high', 'unknown-parameter'],
    ['/api/search?q=' + 'x'.repeat(300), 'invalid-parameter'],
    ['/api/search?q=a%00b', 'invalid-parameter'],
    ['/api/coverage?technique=T1059', 'unknown-parameter'],
    ['/api/coverage/layer?download=maybe', 'invalid-parameter'],
    [`/api/rules/${SEED_ID}?x=1`, 'unknown-parameter'],
  ];
  for (const [path, code] of cases) {
    it(path.slice(0, 70), async () => {
      const { status, body } = await json(path);
      assert.equal(status, 400);
      const err = body.error as { code: string; message: string; status: number };
      assert.equal(err.code, code);
      assert.equal(err.status, 400);
      assert.ok(err.message.length > 10);
    });
  }

  it('pages validate known parameters and ignore unknown ones', async () => {
    assert.equal((await app.request('/?utm_source=x')).status, 200);
    const bad = await app.request('/?severity=urgent');
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /&#39;severity&#39; must be one of/);
  });
});

describe('coverage', () => {
  it('the matrix has tactics as columns, counts and a drawer', async () => {
    const html = await (await app.request('/coverage')).text();
    assert.equal((html.match(/<div class="col" data-tactic=/g) ?? []).length, 14);
    assert.match(html, /data-technique="T1572" data-count="\d+"/);
    const drawer = await (await app.request('/coverage/drawer?technique=T1572&tactic=command-and-control')).text();
    assert.match(drawer, /data-drawer="T1572"/);
    assert.match(drawer, /PUA - Ngrok Execution/);
    assert.ok(!drawer.includes('<html'));
  });

  it('filters change the counts', async () => {
    const all = await json('/api/coverage');
    const splunk = await json('/api/coverage?source=splunk');
    const rules = (m: Record<string, unknown>) => (m.summary as { rules: number }).rules;
    assert.equal(rules(splunk.body), 2);
    assert.ok(rules(all.body) > rules(splunk.body));
  });

  it('serves a Navigator layer to download, and CSV', async () => {
    const res = await app.request('/api/coverage/layer?download=1&source=sigma');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('Content-Disposition') ?? '', /attachment; filename="ruleatlas-layer.json"/);
    const layer = (await res.json()) as { versions: { layer: string }; domain: string; techniques: Array<{ techniqueID: string; score?: number }> };
    assert.equal(layer.versions.layer, '4.5');
    assert.equal(layer.domain, 'enterprise-attack');
    assert.ok(layer.techniques.some((t) => t.techniqueID === 'T1572' && (t.score ?? 0) >= 1));
    const csv = await app.request('/api/coverage/csv');
    assert.match(csv.headers.get('Content-Type') ?? '', /^text\/csv/);
  });
});

describe('without a catalog', () => {
  const bare = createApp({ data: null, attack: null, log: () => {} });
  it('catalog pages say what to do (503) and the converter still works', async () => {
    const page = await bare.request('/');
    assert.equal(page.status, 503);
    assert.match(await page.text(), /ruleatlas ingest/);
    const api = await bare.request('/api/rules');
    assert.equal(api.status, 503);
    assert.equal(((await api.json()) as { error: { code: string } }).error.code, 'no-catalog');
    assert.equal((await bare.request('/convert')).status, 200);
  });
});
