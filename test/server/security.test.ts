import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createApp } from '../../src/server/app.js';
import { packRule } from '../../src/server/convert/url-state.js';
import { fixtureAttack, fixtureRules, hostileRule, XSS } from './fixtures.js';
import { memoryData } from './memory-data.js';

const hostile = hostileRule();
const app = createApp({ data: memoryData([...fixtureRules(5), hostile]), attack: fixtureAttack(), log: () => {} });

/** Every tag in a page: escaped text holds no '<', so only real markup is seen. */
function tags(html: string): Array<{ name: string; attrs: string }> {
  return [...html.matchAll(/<([a-zA-Z][\w-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g)].map((m) => ({ name: m[1]!.toLowerCase(), attrs: m[2]! }));
}

function assertInert(html: string, where: string): void {
  for (const t of tags(html)) {
    assert.ok(!/\son[a-z]+\s*=/i.test(t.attrs), `${where}: event-handler attribute in <${t.name}${t.attrs}>`);
    if (t.name === 'script') assert.match(t.attrs, /^ src="\/assets\/[a-z-]+\.js\?v=[\w-]+" defer=""$/, `${where}: only our own scripts`);
    assert.ok(!['img', 'svg', 'iframe', 'object', 'embed'].includes(t.name), `${where}: injected <${t.name}>`);
    for (const m of t.attrs.matchAll(/\b(href|src|action)="([^"]*)"/g)) assert.ok(!/^\s*(javascript|data:text|vbscript)/i.test(m[2]!) || m[2] === 'data:,', `${where}: ${m[1]}=${m[2]}`);
  }
}

describe('hostile rule text is rendered inert', () => {
  const pages = [
    '/',
    `/rules/${hostile.id}`,
    '/search?q=alert',
    '/indicators?q=alert',
    '/indicators/rules?field=CommandLine&operator=contains&value=%3Cscript%3Ealert(1)%3C%2Fscript%3E',
    '/coverage?technique=T1059&tactic=execution',
    '/coverage/drawer?technique=T1059',
    `/convert?r=${packRule(hostile.body)}`,
  ];
  for (const path of pages) {
    it(path.slice(0, 60), async () => {
      const res = await app.request(path);
      assert.equal(res.status, 200);
      const html = await res.text();
      assertInert(html, path);
      // The payload is there, as text.
      assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;') || html.includes('&lt;script&gt;alert'), `${path}: the payload is shown escaped`);
      assert.ok(!html.includes('<script>alert'), path);
    });
  }

  it('the rule page shows every payload as text, and never links javascript: references', async () => {
    const html = await (await app.request(`/rules/${hostile.id}`)).text();
    for (const x of XSS.slice(0, 4)) assert.ok(html.includes(x.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')), `shown escaped: ${x}`);
    assert.ok(!/href="javascript:/i.test(html));
    assert.ok(html.includes('javascript:alert(5)'), 'the reference is still listed, as text');
  });

  it('the converter fragment escapes a pasted payload', async () => {
    const res = await app.request('/convert/results', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: hostile.body });
    assertInert(await res.text(), 'fragment');
  });

  it('JSON answers are JSON, never sniffed as HTML', async () => {
    for (const path of [`/api/rules/${hostile.id}`, '/api/search?q=alert', '/api/nope', '/api/rules/%3Cscript%3E']) {
      const res = await app.request(path);
      assert.match(res.headers.get('Content-Type') ?? '', /^application\/json/, path);
      assert.equal(res.headers.get('X-Content-Type-Options'), 'nosniff');
    }
    const body = (await (await app.request(`/api/rules/${hostile.id}`)).json()) as { rule: { title: string } };
    assert.equal(body.rule.title, `${XSS[0]} ${XSS[1]}`, 'the API returns the text as it is; escaping is the page renderer\'s job');
  });
});

describe('security headers', () => {
  it('every response carries a strict CSP and the other headers', async () => {
    for (const path of ['/', '/convert', '/api/rules', '/nope', '/assets/app.css']) {
      const res = await app.request(path);
      const csp = res.headers.get('Content-Security-Policy') ?? '';
      assert.match(csp, /default-src 'none'/, path);
      assert.match(csp, /script-src 'self'(;|$)/, path);
      assert.ok(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval'), path);
      assert.match(csp, /frame-ancestors 'none'/, path);
      assert.equal(res.headers.get('X-Frame-Options'), 'DENY', path);
      assert.equal(res.headers.get('Referrer-Policy'), 'same-origin', path);
    }
  });

  it('pages have no inline script or style for the CSP to block', async () => {
    for (const path of ['/', `/rules/${hostile.id}`, '/coverage', '/convert', '/indicators', '/search?q=x']) {
      const html = await (await app.request(path)).text();
      for (const t of tags(html)) {
        assert.ok(!/\sstyle=/.test(t.attrs), `${path}: inline style on <${t.name}>`);
        if (t.name === 'script') assert.match(t.attrs, /src="/, `${path}: inline script`);
      }
      assert.ok(!/<style/i.test(html), path);
    }
  });
});

describe('no path traversal through any route', () => {
  const probes = [
    '/rules/..%2f..%2fetc%2fpasswd',
    '/rules/..%2F..%2Fetc%2Fpasswd',
    '/rules/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '/rules/sigma:..%2f..%2f..%2fetc%2fpasswd',
    '/rules/sigma:..%5c..%5cwindows%5cwin.ini',
    '/rules/..%252f..%252fetc%252fpasswd',
    '/api/rules/..%2f..%2fetc%2fpasswd',
    '/api/rules/sigma:%2e%2e%2fpackage.json',
    '/assets/..%2f..%2fpackage.json',
    '/assets/%2e%2e%2fsrc%2fserver%2fapp.tsx',
    '/assets/..%5c..%5cpackage.json',
    '/assets/constructor',
    '/assets/__proto__',
    '/../../etc/passwd',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/convert/..%2f..%2fpackage.json',
    '/coverage/..%2f..%2fpackage.json',
  ];
  for (const path of probes) {
    it(path, async () => {
      const res = await app.request(path);
      assert.ok(res.status === 400 || res.status === 404, `${path}: ${res.status}`);
      const text = await res.text();
      assert.ok(!text.includes('root:x:0:0') && !text.includes('"name": "ruleatlas"') && !text.includes('createApp'), `${path} leaked a file`);
    });
  }
});

describe('request bodies are bounded everywhere', () => {
  it('a large body is refused on every POST route, before any handler reads it', async () => {
    const big = 'x'.repeat(300_000);
    for (const path of ['/api/convert', '/convert', '/convert/results', '/api/rules', '/']) {
      const res = await app.request(path, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: big });
      assert.equal(res.status, 413, path);
    }
  });
});
