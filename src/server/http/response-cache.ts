import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';

interface Entry {
  text: string;
  /** The same bytes gzipped once, for clients that accept it (every browser). */
  gzip: Uint8Array | null;
  bytes: number;
  type: string;
  tag: string;
  extra: Record<string, string>;
}

/**
 * Conditional GETs and rendered reads for the catalog, in one middleware so a hit costs one map
 * lookup. The ETag derives from the catalog's generation (it changes whenever an ingest changes
 * anything) and the URL, so a matching If-None-Match is answered with 304 before any query runs.
 * A rule page costs milliseconds to render and is the same bytes for everyone until the next
 * ingest, so it is answered from memory afterwards (bounded by total bytes, least recently used
 * first). Hits are built from a string body and plain headers: the server's fast path.
 */
export function catalogCache(generation: () => string, maxBytes = 64 * 1024 * 1024): MiddlewareHandler {
  const entries = new Map<string, Entry>();
  let bytes = 0;
  let seen = '';
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    const gen = generation();
    if (gen !== seen) {
      entries.clear();
      bytes = 0;
      seen = gen;
    }
    const url = new URL(c.req.url);
    const key = url.pathname + url.search;
    const hit = entries.get(key);
    const tag = hit?.tag ?? `W/"${createHash('sha1').update(gen).update('\0').update(key).digest('base64url').slice(0, 22)}"`;
    if (matches(c.req.header('If-None-Match'), tag)) return c.body(null, 304, { ETag: tag, 'Cache-Control': 'no-cache' });
    if (hit) {
      entries.delete(key);
      entries.set(key, hit);
      const headers: Record<string, string> = { 'Content-Type': hit.type, ETag: tag, 'Cache-Control': 'no-cache', Vary: 'Accept-Encoding', ...hit.extra };
      if (c.req.method === 'HEAD') return c.body(null, 200, headers);
      if (hit.gzip && /\bgzip\b/.test(c.req.header('Accept-Encoding') ?? '')) {
        headers['Content-Encoding'] = 'gzip';
        return c.body(hit.gzip as Uint8Array<ArrayBuffer>, 200, headers);
      }
      return c.body(hit.text, 200, headers);
    }
    await next();
    const res = c.res;
    if (res.status !== 200) return;
    res.headers.set('ETag', tag);
    if (!res.headers.has('Cache-Control')) res.headers.set('Cache-Control', 'no-cache');
    const type = res.headers.get('Content-Type') ?? 'application/octet-stream';
    if (c.req.method !== 'GET' || !res.body || !/^(text\/|application\/json)/.test(type)) return;
    const text = await res.clone().text();
    const size = Buffer.byteLength(text);
    if (size > maxBytes / 8) return;
    const extra: Record<string, string> = {};
    const disposition = res.headers.get('Content-Disposition');
    if (disposition) extra['Content-Disposition'] = disposition;
    const gzip = size >= 1024 ? new Uint8Array(gzipSync(text, { level: 6 })) : null;
    entries.set(key, { text, gzip, bytes: size + (gzip?.byteLength ?? 0), type, tag, extra });
    bytes += size + (gzip?.byteLength ?? 0);
    for (const [k, e] of entries) {
      if (bytes <= maxBytes) break;
      entries.delete(k);
      bytes -= e.bytes;
    }
  };
}

function matches(header: string | undefined, tag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = tag.replace(/^W\//, '');
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === bare);
}
