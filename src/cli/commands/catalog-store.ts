import { existsSync } from 'node:fs';
import { defaultDb } from '../../catalog/paths.js';
import { storeSiteData } from '../../catalog/site-data.js';
import { CatalogStore } from '../../catalog/store.js';
import type { SiteData } from '../../server/data.js';

/** The catalog store for a read command, or a message saying how to build one. */
export function openCatalog(command: string, db: string | undefined, options: { writable?: boolean } = {}): { store: CatalogStore; data: SiteData } | null {
  const file = db ?? defaultDb();
  if (!existsSync(file)) {
    console.error(`ruleatlas ${command}: no catalog at ${file} (build one with: ruleatlas ingest${db ? ` --db ${db}` : ''})`);
    return null;
  }
  try {
    const store = CatalogStore.open(file, { readonly: !options.writable });
    return { store, data: storeSiteData(store) };
  } catch (e) {
    console.error(`ruleatlas ${command}: cannot open the catalog ${file}: ${(e as Error).message}`);
    return null;
  }
}
