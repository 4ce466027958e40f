import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createApp } from '../../src/server/app.js';
import { CONVERT_LIMITS, yamlDepth } from '../../src/server/convert/limits.js';
import { packRule, unpackRule } from '../../src/server/convert/url-state.js';
import { targets } from '../../src/translate/targets.js';

const app = createApp({ log: () => {} });

const RULE = `title: Ngrok Tunnel
id: 0d4bd9d6-0000-4000-8000-000000000001
status: test
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        Image|endswith: '\\ngrok.exe'
        CommandLine|contains: ' tcp '
    condition: selection
level: high
`;

const post = (body: string, type = 'application/json') => app.request('/api/convert', { method: 'POST', headers: { 'Content-Type': type }, body });

describe('POST /api/convert', () => {
  it('translates a rule into every target, with fidelity and findings', async () => {
    const res = await post(JSON.stringify({ rule: RULE }));
    assert.equal(res.status, 200);
    const body = (await res.json()) as { rules: Array<{ title: string; parsed: boolean; translations: Array<{ target: string; ok: boolean; queries: string[]; fidelity: { exact: boolean; sources: string[] } }> }> };
    assert.equal(body.rules.length, 1);
    const r = body.rules[0]!;
    assert.equal(r.title, 'Ngrok Tunnel');
    assert.ok(r.parsed);
    assert.deepEqual(r.translations.map((t) => t.target), targets().map((t) => t.name));
    const asim = r.translations.find((t) => t.target === 'kql-asim')!;
    assert.ok(asim.ok);
    assert.match(asim.queries[0]!, /^imProcessCreate\b/);
    assert.ok(asim.queries[0]!.includes('TargetProcessName endswith @"\\ngrok.exe"'), asim.queries[0]);
    assert.deepEqual(asim.fidelity.sources, ['imProcessCreate']);
  });

  it('takes the rule as text too, and a subset of targets', async () => {
    const text = await post(RULE, 'application/yaml');
    assert.equal(text.status, 200);
    const some = await post(JSON.stringify({ rule: RULE, targets: ['splunk', 'eql'] }));
    const body = (await some.json()) as { rules: Array<{ translations: Array<{ target: string }> }> };
    assert.deepEqual(body.rules[0]!.translations.map((t) => t.target), ['splunk', 'eql']);
  });

  it('reports a broken rule as findings, not as a failed request', async () => {
    const res = await post(JSON.stringify({ rule: 'title: x\ndetection:\n  sel:\n    a|nosuchmodifier: 1\n  condition: sel or\n' }));
    assert.equal(res.status, 200);
    const body = (await res.json()) as { rules: Array<{ parsed: boolean; findings: Array<{ code: string; line: number }> }> };
    assert.equal(body.rules[0]!.parsed, false);
    assert.ok(body.rules[0]!.findings.some((f) => f.code === 'sigma.unknown-modifier' && f.line === 4));
  });

  it('refuses bad bodies with a clear 4xx', async () => {
    const cases: Array<[string, string, number, string]> = [
      ['{', 'application/json', 400, 'invalid-json'],
      ['[1]', 'application/json', 400, 'invalid-body'],
      ['{"rule": 5}', 'application/json', 400, 'invalid-body'],
      ['{"rule": "x", "extra": 1}', 'application/json', 400, 'unknown-field'],
      ['{"rule": "x", "targets": ["nope"]}', 'application/json', 400, 'unknown-target'],
      ['{"rule": "x", "targets": "splunk"}', 'application/json', 400, 'invalid-body'],
      ['rule', 'application/octet-stream', 415, 'unsupported-media-type'],
    ];
    for (const [body, type, status, code] of cases) {
      const res = await post(body, type);
      assert.equal(res.status, status, body);
      const err = (await res.json()) as { error: { code: string; message: string } };
      assert.equal(err.error.code, code, body);
      assert.ok(err.error.message.length > 10);
    }
  });

  it('refuses oversized input: the body limit and the text limit', async () => {
    const huge = await post(JSON.stringify({ rule: 'a'.repeat(CONVERT_LIMITS.maxBodyBytes + 10) }));
    assert.equal(huge.status, 413);
    assert.equal(((await huge.json()) as { error: { code: string } }).error.code, 'body-too-large');
    // Chunked, no Content-Length: the limit still holds while the body streams in.
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < 50; i++) c.enqueue(new TextEncoder().encode('x'.repeat(10_000)));
        c.close();
      },
    });
    const chunked = await app.request('/api/convert', { method: 'POST', headers: { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' }, body: stream, duplex: 'half' } as RequestInit);
    assert.equal(chunked.status, 413);
    const long = await post(JSON.stringify({ rule: `title: x\ndescription: ${'y'.repeat(CONVERT_LIMITS.maxChars)}\n` }));
    assert.equal(long.status, 413);
    assert.equal(((await long.json()) as { error: { code: string } }).error.code, 'rule-too-large');
  });

  it('refuses deeply nested input before the parser sees it', async () => {
    const flow = `title: x\ndetection:\n  sel:\n    a: ${'['.repeat(500)}1${']'.repeat(500)}\n  condition: sel\n`;
    let block = 'title: x\ndetection:\n  sel:\n';
    for (let i = 0; i < 200; i++) block += ' '.repeat(4 + i) + `k${i}:\n`;
    const seqs = `title: x\ndetection:\n  sel:\n    a:\n${'      ' + '- '.repeat(200)}1\n  condition: sel\n`;
    for (const rule of [flow, block, seqs]) {
      const res = await post(JSON.stringify({ rule }));
      assert.equal(res.status, 422);
      const err = (await res.json()) as { error: { code: string; details: { limit: number } } };
      assert.equal(err.error.code, 'rule-too-deep');
      assert.equal(err.error.details.limit, CONVERT_LIMITS.maxDepth);
    }
  });

  it('refuses other methods and lists targets', async () => {
    assert.equal((await app.request('/api/convert')).status, 404);
    const res = await app.request('/api/targets');
    const body = (await res.json()) as { targets: Array<{ name: string }> };
    assert.equal(body.targets.length, targets().length);
  });
});

describe('nesting depth', () => {
  it('counts block levels, compact sequences and flow brackets, not block scalars or quoted brackets', () => {
    assert.equal(yamlDepth('a: 1\nb: 2\n'), 1);
    assert.equal(yamlDepth('a:\n  b:\n    c: 1\n'), 3);
    assert.equal(yamlDepth('a:\n  - - - 1\n'), 5);
    assert.equal(yamlDepth('a: [[1]]\n'), 3);
    assert.equal(yamlDepth("a: '[[[[['\nb: \"{{{{\"\n"), 1);
    assert.equal(yamlDepth('a: |\n        deeply\n            indented\n                text\nb: 1\n'), 1);
    assert.equal(yamlDepth('a: 1 # [[[[[[\n'), 1);
  });
});

describe('the converter page', () => {
  it('opens with an example and translations rendered on the server', async () => {
    const res = await app.request('/convert');
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /<textarea id="rule"/);
    assert.match(html, /role="tablist"/);
    assert.match(html, /data-target="kql-asim"/);
  });

  it('restores the rule from a shareable URL, exactly', async () => {
    assert.equal(unpackRule(packRule(RULE)), RULE);
    const res = await app.request(`/convert?r=${packRule(RULE)}`);
    const html = await res.text();
    assert.match(html, /Ngrok Tunnel/);
    assert.ok(html.includes('<textarea id="rule" name="rule" spellcheck="false" autocomplete="off" autocapitalize="off">\ntitle: Ngrok Tunnel\n'));
  });

  it('says so when the link is damaged, and caps what a link can inflate to', async () => {
    const bad = await app.request('/convert?r=%%%');
    assert.equal(bad.status, 200);
    assert.match(await bad.text(), /could not be read/);
    assert.equal(unpackRule(packRule('a'.repeat(CONVERT_LIMITS.maxChars * 5))), null);
  });

  it('serves the results fragment the page script swaps in, and refusals as fragments', async () => {
    const ok = await app.request('/convert/results', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: RULE });
    assert.equal(ok.status, 200);
    const html = await ok.text();
    assert.ok(!html.includes('<html'), 'a fragment, not a page');
    assert.match(html, /data-rule="pasted:0d4bd9d6-0000-4000-8000-000000000001"/);
    const deep = await app.request('/convert/results', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: `a: ${'['.repeat(100)}` });
    assert.equal(deep.status, 422);
    assert.match(await deep.text(), /data-refusal="rule-too-deep"/);
  });

  it('works without script: the form posts the rule and gets the page', async () => {
    const res = await app.request('/convert', { method: 'POST', body: new URLSearchParams({ rule: RULE }) });
    assert.equal(res.status, 200);
    assert.match(await res.text(), /Ngrok Tunnel/);
  });
});
