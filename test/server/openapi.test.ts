import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createApp } from '../../src/server/app.js';
import { fixtureAttack, fixtureRules, SEED_ID } from './fixtures.js';
import { memoryData } from './memory-data.js';

const app = createApp({ data: memoryData(fixtureRules(3)), attack: fixtureAttack(), log: () => {} });
type Doc = { openapi: string; info: { title: string; version: string }; paths: Record<string, Record<string, Operation>>; components: Record<string, Record<string, unknown>> };
type Operation = { operationId: string; summary: string; parameters?: Array<{ name: string; in: string; required?: boolean; schema?: unknown }>; responses: Record<string, unknown>; requestBody?: unknown };

describe('/api/openapi.json', async () => {
  const res = await app.request('/api/openapi.json');
  const doc = (await res.json()) as Doc;

  it('is an OpenAPI 3.1 document with the required fields', () => {
    assert.equal(res.status, 200);
    assert.equal(doc.openapi, '3.1.0');
    assert.ok(doc.info.title && doc.info.version);
    assert.ok(Object.keys(doc.paths).length >= 10);
  });

  it('every operation is well formed: unique id, responses, typed parameters', () => {
    const ids = new Set<string>();
    const METHODS = ['get', 'post', 'put', 'delete', 'patch'];
    for (const [path, item] of Object.entries(doc.paths)) {
      assert.ok(path.startsWith('/api/'), path);
      for (const [method, op] of Object.entries(item)) {
        assert.ok(METHODS.includes(method), `${path} ${method}`);
        assert.ok(op.operationId && !ids.has(op.operationId), `${path}: operationId`);
        ids.add(op.operationId);
        assert.ok(op.summary, `${path}: summary`);
        assert.ok(Object.keys(op.responses).some((c) => /^2\d\d$/.test(c)), `${path}: a success response`);
        const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        for (const p of op.parameters ?? []) {
          assert.ok(['query', 'path', 'header'].includes(p.in), `${path}: ${p.name}.in`);
          assert.ok(p.schema, `${path}: ${p.name} has a schema`);
          if (p.in === 'path') assert.ok(p.required && templated.includes(p.name), `${path}: path parameter ${p.name}`);
        }
        for (const t of templated) assert.ok(op.parameters?.some((p) => p.in === 'path' && p.name === t), `${path}: {${t}} declared`);
      }
    }
  });

  it('every $ref resolves', () => {
    const refs: string[] = [];
    JSON.stringify(doc, (k, v) => (k === '$ref' ? (refs.push(v as string), v) : v));
    assert.ok(refs.length > 20);
    for (const r of refs) {
      assert.match(r, /^#\/components\//);
      const target = r.slice(2).split('/').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], doc);
      assert.ok(target, `unresolved ${r}`);
    }
  });

  it('documents what the app serves: every documented GET answers, every query parameter is accepted', async () => {
    const sample: Record<string, string> = { '/api/rules/{id}': `/api/rules/${SEED_ID}`, '/api/search': '/api/search?q=ngrok', '/api/indicators/rules': '/api/indicators/rules?field=Image&operator=endswith&value=ngrok.exe' };
    for (const [path, item] of Object.entries(doc.paths)) {
      if (!item.get) continue;
      const url = sample[path] ?? path;
      const r = await app.request(url);
      assert.equal(r.status, 200, `${url}: ${r.status}`);
      // Each documented optional query parameter is known to the route (unknown ones are 400).
      for (const p of item.get.parameters ?? []) {
        if (p.in !== 'query' || p.required) continue;
        const value = p.name === 'page' || p.name === 'per_page' ? '1' : p.name === 'download' ? 'true' : p.name === 'severity' ? 'high' : p.name === 'technique' ? 'T1059' : p.name === 'tactic' ? 'execution' : p.name === 'sort' ? 'title' : 'windows';
        const u = new URL(url, 'http://x');
        u.searchParams.set(p.name, value);
        const res2 = await app.request(u.pathname + u.search);
        assert.equal(res2.status, 200, `${u.pathname}${u.search}: ${res2.status} ${res2.status !== 200 ? await res2.text() : ''}`);
      }
    }
  });

  it('the API routes the app has are all documented', async () => {
    const routes = (app.routes as Array<{ path: string; method: string }>).filter((r) => r.path.startsWith('/api/') && r.method !== 'ALL');
    for (const r of routes) {
      const path = r.path.replace(/:(\w+)\{[^}]*\}/g, '{$1}').replace(/:(\w+)/g, '{$1}');
      assert.ok(doc.paths[path]?.[r.method.toLowerCase()], `${r.method} ${r.path} is not documented`);
    }
  });
});
