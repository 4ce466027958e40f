import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../src/server/serve.js';
import { SEED_ID } from '../test/server/fixtures.js';
import { launch, openPage, screenshot, startServer } from './harness.js';

let browser: Browser;
let server: RunningServer & { hostileId: string };

before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const PAGES: Array<[string, string, RegExp]> = [
  ['feed', '/', /Detection feed/],
  ['rule-seed-000', `/rules/${SEED_ID}`, /PUA - Ngrok Execution/],
  ['rule-splunk', '/rules/splunk:', /Ngrok Reverse Proxy Usage/],
  ['search', '/search?q=ngrok', /rules match/],
  ['indicators', '/indicators', /Indicator explorer/],
  ['indicator-rules', '/indicators/rules?field=Image&operator=endswith&value=ngrok.exe', /rules look for this indicator/],
  ['coverage', '/coverage', /ATT&CK coverage/],
  ['coverage-drawer', '/coverage?technique=T1572&tactic=command-and-control', /Protocol Tunneling/],
  ['converter', '/convert', /Sigma converter/],
];

describe('every page renders with no console errors', () => {
  for (const [name, path, expect] of PAGES) {
    it(name, async () => {
      let target = path;
      if (path === '/rules/splunk:') {
        const res = await fetch(`${server.url}/api/rules?source=splunk&per_page=1`);
        target = `/rules/${((await res.json()) as { items: Array<{ id: string }> }).items[0]!.id}`;
      }
      const { page, problems } = await openPage(browser, server.url, target);
      assert.match(await page.locator('main').innerText(), expect);
      await page.waitForLoadState('networkidle');
      const file = await screenshot(page, name);
      assert.ok(statSync(file).size > 10_000, `${file} written`);
      assert.deepEqual(problems.list, [], `${name}: ${problems.list.join('\n')}`);
      await page.context().close();
    });
  }
});

describe('a hostile rule', () => {
  it('renders inert: no script runs, no dialog opens, the payloads show as text', async () => {
    const { page, problems } = await openPage(browser, server.url, `/rules/${server.hostileId}`);
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.reload({ waitUntil: 'networkidle' });
    const text = await page.locator('main').innerText();
    assert.ok(text.includes('<script>alert(1)</script>'), 'the payload is shown as text');
    assert.equal(await page.locator('main script, main img[onerror], main svg[onload]').count(), 0);
    await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
    assert.deepEqual(dialogs, []);
    await screenshot(page, 'rule-hostile');
    assert.deepEqual(problems.list, []);
    await page.context().close();
  });
});

describe('the seed 000 rule page', () => {
  it('shows every section of both seeds', async () => {
    const { page, problems } = await openPage(browser, server.url, `/rules/${SEED_ID}`);
    const text = await page.locator('main').innerText();
    // Seed 000: header, provenance and the enriched sections.
    for (const s of ['PUA - Ngrok Execution', 'SIGMA', 'HIGH', 'SigmaHQ', 'T1572', 'imProcessCreate', 'Retrieved', 'Confidence', 'Commit', 'License', 'Hunt hypothesis', 'Detection rule', 'Sigma (original)', 'Required data sources', 'False positive guidance', 'MITRE ATT&CK context', 'Protocol Tunneling', 'References', 'Back to the feed', 'Coverage →']) {
      assert.ok(text.includes(s), `seed 000: ${s}`);
    }
    // Seed 002: stages, indicators with counts, search terms, event coverage, similar rules.
    for (const s of ['Stages and predicates', 'Stage 1: detection', 'Indicators', 'Search terms', 'Event coverage', 'Similar rules across vendors', 'Lint findings']) assert.ok(text.includes(s), `seed 002: ${s}`);
    assert.ok(text.includes('Event ID 1') && text.includes('Process creation'), 'event coverage row');
    assert.ok(text.includes('title: PUA - Ngrok Execution'), 'the original body');
    assert.ok(await page.locator('#rule-body .k').count() > 10, 'the body is highlighted');
    assert.match(text, /imProcessCreate\n\| where/, 'the ASIM translation shows first');
    // Tabs: another target's panel appears on click, with its fidelity notes.
    await page.locator('#tab-t-splunk').click();
    const splunk = page.locator('#panel-t-splunk');
    assert.ok(await splunk.isVisible());
    assert.ok(!(await page.locator('#panel-t-kql-asim').isVisible()));
    assert.match(await splunk.innerText(), /Channel|EventCode|source=/);
    // Copy puts the query on the clipboard.
    await splunk.getByRole('button', { name: /Copy SPL/ }).click();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, await page.locator('#t-splunk-q').innerText());
    assert.deepEqual(problems.list, []);
    await page.context().close();
  });
});

describe('the converter', () => {
  it('updates as you type and keeps the rule in a shareable URL', async () => {
    const { page, problems } = await openPage(browser, server.url, '/convert');
    const editor = page.locator('#rule');
    await editor.fill('');
    await editor.pressSequentially('title: Typed rule\nlogsource:\n    category: process_creation\n    product: windows\ndetection:\n    sel:\n        Image|endswith: \'\\evil.exe\'\n    condition: sel\n', { delay: 2 });
    await page.waitForFunction(() => document.querySelector('#results')?.textContent?.includes('Typed rule'));
    await page.waitForFunction(() => document.querySelector('#panel-r0-kql-asim')?.textContent?.includes('evil.exe'));
    const asim = await page.locator('#panel-r0-kql-asim').innerText();
    assert.match(asim, /imProcessCreate/);
    // Type more: the translation follows.
    await editor.press('End');
    await editor.pressSequentially('level: high\nfalsepositives:\n    - none\n', { delay: 2 });
    await editor.evaluate((el: HTMLTextAreaElement) => {
      el.value = el.value.replace("'\\evil.exe'", "'\\other.exe'");
      el.dispatchEvent(new Event('input'));
    });
    await page.waitForFunction(() => document.querySelector('#panel-r0-kql-asim')?.textContent?.includes('other.exe'));
    await page.waitForFunction(() => new URL(location.href).searchParams.has('r'));
    const shared = page.url();
    const value = await editor.inputValue();
    await screenshot(page, 'converter-typed');
    // A broken rule shows findings, not a crash.
    await editor.fill('title: x\ndetection:\n    sel:\n        a|nosuch: 1\n    condition: sel\n');
    await page.waitForFunction(() => document.querySelector('#results')?.textContent?.includes('sigma.unknown-modifier'));
    // The shared URL restores the rule exactly.
    const { page: again, problems: p2 } = await openPage(browser, server.url, shared.slice(server.url.length));
    assert.equal(await again.locator('#rule').inputValue(), value);
    assert.match(await again.locator('#panel-r0-kql-asim').innerText(), /other\.exe/);
    assert.deepEqual([...problems.list, ...p2.list], []);
    await page.context().close();
    await again.context().close();
  });

  it('shows a refusal for deeply nested input', async () => {
    const { page, problems } = await openPage(browser, server.url, '/convert');
    await page.locator('#rule').fill(`a: ${'['.repeat(200)}`);
    await page.waitForFunction(() => document.querySelector('#results')?.getAttribute('data-state') === 'refused');
    assert.match(await page.locator('#results').innerText(), /levels deep/);
    // The 422 of the fragment is expected; nothing else went wrong.
    assert.deepEqual(problems.list.filter((p) => !/422/.test(p)), []);
    await page.context().close();
  });
});

describe('the coverage heatmap', () => {
  it('filters cells as you type, by count, and by source; opens and closes the drawer', async () => {
    const { page, problems } = await openPage(browser, server.url, '/coverage');
    const visible = () => page.locator('#matrix .cell:visible').count();
    const all = await visible();
    assert.ok(all > 200, `${all} cells`);
    await page.locator('#find').fill('tunnel');
    const found = await visible();
    assert.ok(found >= 1 && found < 10, `${found} cells match "tunnel"`);
    assert.ok(await page.locator('#matrix .cell[data-technique="T1572"]').isVisible());
    assert.equal(await page.locator('#shown').innerText(), String(found));
    await page.locator('#find').fill('');
    await page.locator('#min').fill('3');
    const busy = await visible();
    assert.ok(busy > 0 && busy < all);
    for (const n of await page.locator('#matrix .cell:visible').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))))) assert.ok(n >= 3);
    await page.locator('#min').fill('0');
    // Server-side filter: only Splunk rules.
    const before = Number(await page.locator('#matrix .cell[data-technique="T1572"]').first().getAttribute('data-count'));
    await page.locator('select[name=source]').selectOption('splunk');
    await Promise.all([page.waitForURL(/source=splunk/), page.getByRole('button', { name: 'Apply' }).click()]);
    const after = Number(await page.locator('#matrix .cell[data-technique="T1572"]').first().getAttribute('data-count'));
    assert.ok(after < before, `T1572: ${before} rules → ${after} Splunk rules`);
    // The drawer lists the technique's rules.
    await page.locator('#matrix .cell[data-technique="T1572"]').first().click();
    await page.waitForSelector('#drawer:not([hidden]) [data-drawer="T1572"]');
    const drawer = await page.locator('#drawer').innerText();
    assert.match(drawer, /Ngrok Reverse Proxy Usage/);
    assert.ok(!drawer.includes('PUA - Ngrok Execution'), 'the drawer keeps the source filter');
    assert.match(page.url(), /technique=T1572/);
    await screenshot(page, 'coverage-filtered-drawer');
    await page.keyboard.press('Escape');
    assert.ok(await page.locator('#drawer').isHidden());
    // The layer download link carries the filter.
    assert.match((await page.locator('#layer-download').getAttribute('href')) ?? '', /source=splunk/);
    assert.deepEqual(problems.list, []);
    await page.context().close();
  });
});
