import type { MiddlewareHandler } from 'hono';

interface Entry {
  body: ArrayBuffer;
  type: string;
  extra: Array<[string, string]>;
}

/**
 * Rendered catalog reads, kept until the catalog changes. A rule page costs milliseconds to
 * render and is the same bytes for everyone until the next ingest, so answering from memory is
 * what keeps p95 low under many connections. Bounded by total bytes, least recently used first.
 */
export function responseCache(generation: () => string, maxBytes = 64 * 1024 * 1024): MiddlewareHandler {
  const entries = new Map<string, Entry>();
  let bytes = 0;
  let seen = '';
  return async (c, next) => {
    if (c.req.method !== 'GET') return next();
    const gen = generation();
    if (gen !== seen) {
      entries.clear();
      bytes = 0;
      seen = gen;
    }
    const url = new URL(c.req.url);
    const key = url.pathname + url.search;
    const hit = entries.get(key);
    if (hit) {
      entries.delete(key);
      entries.set(key, hit);
      const headers = new Headers(hit.extra);
      headers.set('Content-Type', hit.type);
      return new Response(hit.body, { status: 200, headers });
    }
    await next();
    const res = c.res;
    if (res.status !== 200 || !res.body) return;
    const body = await res.clone().arrayBuffer();
    if (body.byteLength > maxBytes / 8) return;
    const extra: Array<[string, string]> = [];
    for (const h of ['Content-Disposition']) {
      const v = res.headers.get(h);
      if (v) extra.push([h, v]);
    }
    entries.set(key, { body, type: res.headers.get('Content-Type') ?? 'application/octet-stream', extra });
    bytes += body.byteLength;
    for (const [k, e] of entries) {
      if (bytes <= maxBytes) break;
      entries.delete(k);
      bytes -= e.body.byteLength;
    }
  };
}
