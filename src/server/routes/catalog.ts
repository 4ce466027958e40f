import type { Hono } from 'hono';
import { catalogCache } from '../http/response-cache.js';
import type { AppOptions } from '../options.js';
import { catalogApi } from './catalog-api.js';
import { CatalogContext } from './catalog-context.js';
import { catalogPages } from './catalog-pages.js';

const CATALOG_READS = ['/', '/rules/*', '/search', '/indicators', '/indicators/*', '/coverage', '/coverage/*', '/api/status', '/api/rules', '/api/rules/*', '/api/search', '/api/indicators', '/api/indicators/*', '/api/coverage', '/api/coverage/*'];

/** Catalog pages and API, with ETags on every read and rendered reads kept until the catalog changes. */
export function catalogRoutes(app: Hono, options: AppOptions): void {
  const ctx = new CatalogContext(options);
  const generation = (): string => ctx.generation();
  const cache = catalogCache(generation);
  for (const path of CATALOG_READS) app.use(path, cache);
  catalogPages(app, ctx);
  catalogApi(app, ctx);
}
