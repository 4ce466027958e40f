import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

/**
 * Conditional GETs for catalog reads. The tag is derived from the catalog's generation (it changes
 * whenever an ingest changes anything) and the request URL, so a match is answered with 304
 * before any query runs or any page renders.
 */
export function catalogEtag(generation: () => string): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    const url = new URL(c.req.url);
    const tag = `W/"${createHash('sha1').update(generation()).update('\0').update(url.pathname).update('?').update(url.search).digest('base64url').slice(0, 22)}"`;
    if (matches(c.req.header('If-None-Match'), tag)) {
      return c.body(null, 304, { ETag: tag, 'Cache-Control': 'no-cache' });
    }
    await next();
    if (c.res.status === 200) {
      c.res.headers.set('ETag', tag);
      if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'no-cache');
    }
  };
}

function matches(header: string | undefined, tag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = tag.replace(/^W\//, '');
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === bare);
}
