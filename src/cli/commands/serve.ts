import { existsSync } from 'node:fs';
import { ingest } from '../../catalog/ingest.js';
import { defaultCorpora, defaultDb } from '../../catalog/paths.js';
import { storeSiteData } from '../../catalog/site-data.js';
import { CatalogStore } from '../../catalog/store.js';
import { createApp } from '../../server/app.js';
import { listen } from '../../server/serve.js';

export interface ServeOptions {
  db?: string;
  port: string;
  host: string;
  corpora?: string;
}

/**
 * `ruleatlas serve`: the web app and JSON API over the catalog store. When the store is missing or
 * older than the corpora it is (re)built first, so a fresh clone goes to a running app in one
 * command. Runs until interrupted; returns 2 on usage errors, 1 when the server cannot start.
 */
export async function serveCommand(opts: ServeOptions): Promise<number> {
  const port = Number(opts.port);
  if (!/^\d{1,5}$/.test(opts.port) || port > 65535) {
    console.error(`ruleatlas serve: --port must be a number from 0 to 65535, not '${opts.port}'`);
    return 2;
  }
  const db = opts.db ?? defaultDb();
  const corpora = opts.corpora ?? defaultCorpora();
  // An explicit --db that exists is served as it is unless --corpora asks for a refresh.
  if (existsSync(corpora) && (!existsSync(db) || opts.corpora !== undefined || opts.db === undefined)) {
    const tty = process.stderr.isTTY;
    if (tty) process.stderr.write(`checking the catalog at ${db} against ${corpora}…`);
    try {
      const s = await ingest({ corpora, db });
      if (tty) process.stderr.write('\r\x1b[K');
      if (!s.noop) console.error(`ingested ${s.rules} rules from ${corpora} in ${(s.ms / 1000).toFixed(1)} s`);
    } catch (e) {
      console.error(`ruleatlas serve: cannot ingest ${corpora}: ${(e as Error).message}`);
      if (!existsSync(db)) return 1;
    }
  } else if (!existsSync(db)) {
    console.error(`ruleatlas serve: no catalog at ${db} and no corpora at ${corpora} to build one from (run ruleatlas ingest --corpora DIR)`);
    return 1;
  }
  let store: CatalogStore;
  try {
    store = CatalogStore.open(db, { readonly: true });
  } catch (e) {
    console.error(`ruleatlas serve: cannot open the catalog ${db}: ${(e as Error).message}`);
    return 1;
  }
  const app = createApp({ data: storeSiteData(store) });
  let server;
  try {
    server = await listen(app, { host: opts.host, port });
  } catch (e) {
    console.error(`ruleatlas serve: cannot listen on ${opts.host}:${opts.port}: ${(e as Error).message}`);
    store.close();
    return 1;
  }
  console.log(`RuleAtlas listening on ${server.url}`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void server.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  store.close();
  return 0;
}
