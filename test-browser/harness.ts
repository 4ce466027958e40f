import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createApp } from '../src/server/app.js';
import { listen, type RunningServer } from '../src/server/serve.js';
import { ROOT } from '../test/helpers.js';
import { ingest } from '../src/catalog/ingest.js';
import { storeSiteData } from '../src/catalog/site-data.js';
import { CatalogStore } from '../src/catalog/store.js';
import { fixtureAttack, fixtureCorpora, hostileRule } from '../test/server/fixtures.js';

/** Where every browser test writes its screenshots. */
export const SCREENSHOTS = join(ROOT, 'reports', 'screenshots');

const CHROMIUM = process.env.RULEATLAS_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/**
 * The app on a free loopback port, over a real catalog store: fixture corpora (the seed rules,
 * neighbours across vendors, a hostile rule) ingested into a temporary SQLite file.
 */
export async function startServer(): Promise<RunningServer & { hostileId: string }> {
  const corpora = fixtureCorpora(60);
  const work = mkdtempSync(join(tmpdir(), 'ruleatlas-browser-'));
  const db = join(work, 'atlas.db');
  await ingest({ corpora, db, workers: 1 });
  const store = CatalogStore.open(db, { readonly: true });
  const app = createApp({ data: storeSiteData(store), attack: fixtureAttack(), log: (m) => console.error(m) });
  const server = await listen(app, { host: '127.0.0.1', port: 0 });
  return {
    ...server,
    hostileId: hostileRule().id,
    close: async () => {
      await server.close();
      store.close();
      rmSync(corpora, { recursive: true, force: true });
      rmSync(work, { recursive: true, force: true });
    },
  };
}

export interface Problems {
  /** Console errors and warnings, uncaught exceptions, failed requests and HTTP errors, as text. */
  list: string[];
}

/** A page that records everything that went wrong while it was open. */
export async function openPage(browser: Browser, base: string, path: string): Promise<{ page: Page; problems: Problems }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, baseURL: base });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  const page = await context.newPage();
  const problems: Problems = { list: [] };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.list.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.list.push(`uncaught: ${e.message}`));
  page.on('requestfailed', (r) => problems.list.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.list.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  const res = await page.goto(path, { waitUntil: 'load' });
  if (!res || res.status() !== 200) problems.list.push(`navigation to ${path}: ${res?.status()}`);
  return { page, problems };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
