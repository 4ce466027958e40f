import type { Hono } from 'hono';
import { ASSETS } from '../assets/index.js';
import { notFound } from '../http/errors.js';

/** `/assets/<name>`: in-memory assets only; a versioned URL is cached for a year. */
export function assetRoutes(app: Hono): void {
  app.get('/assets/:name', (c) => {
    const asset = Object.hasOwn(ASSETS, c.req.param('name')) ? ASSETS[c.req.param('name')] : undefined;
    if (!asset) throw notFound('the asset');
    const etag = `"${asset.hash}"`;
    const cache = c.req.query('v') === asset.hash ? 'public, max-age=31536000, immutable' : 'no-cache';
    if (c.req.header('If-None-Match') === etag) return c.body(null, 304, { ETag: etag, 'Cache-Control': cache });
    return c.body(asset.body, 200, { 'Content-Type': asset.type, ETag: etag, 'Cache-Control': cache });
  });
}
