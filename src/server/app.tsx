/** @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { CONVERT_LIMITS } from './convert/limits.js';
import { ApiError, describeError, errorBody } from './http/errors.js';
import { securityHeaders } from './http/security.js';
import { openApiDocument } from './openapi.js';
import { ErrorPage } from './pages/error.js';
import { assetRoutes } from './routes/assets.js';
import { convertRoutes } from './routes/convert.js';
import { catalogRoutes } from './routes/catalog.js';
import type { AppOptions } from './options.js';

/**
 * The web app and JSON API: a thin Hono app whose routes call library functions. Errors go one
 * way, through `onError`: JSON under `/api/`, an HTML fragment for fragment endpoints, a page
 * elsewhere. Tests drive it with `app.request()`; `serve.ts` puts it on a socket.
 */
export function createApp(options: AppOptions = {}): Hono {
  const app = new Hono();
  const log = options.log ?? ((m: string) => console.error(m));

  app.use('*', securityHeaders());
  app.use(
    '*',
    bodyLimit({
      maxSize: CONVERT_LIMITS.maxBodyBytes,
      onError: () => {
        throw new ApiError(413, 'body-too-large', `the request body is larger than ${CONVERT_LIMITS.maxBodyBytes} bytes`, { limit: CONVERT_LIMITS.maxBodyBytes });
      },
    }),
  );

  assetRoutes(app);
  convertRoutes(app);
  catalogRoutes(app, options);
  app.get('/api/openapi.json', (c) => c.json(openApiDocument()));

  app.notFound((c) => respond(c, 404, 'not-found', `nothing at ${new URL(c.req.url).pathname.slice(0, 200)}`));
  app.onError((err, c) => {
    const d = describeError(err);
    if (d.status >= 500 && !(err instanceof ApiError)) log(`ruleatlas serve: ${c.req.method} ${new URL(c.req.url).pathname}: ${(err as Error).stack ?? err}`);
    return respond(c, d.status, d.code, d.message, d.details);
  });
  return app;
}

const FRAGMENTS = ['/convert/results', '/coverage/drawer'];

function respond(c: Context, status: number, code: string, message: string, details?: Record<string, unknown>): Response | Promise<Response> {
  const path = new URL(c.req.url).pathname;
  const s = status as 400;
  if (path.startsWith('/api/') || path === '/api') return c.json(errorBody(status, code, message, details), s);
  if (FRAGMENTS.includes(path)) {
    return c.html(
      <section class="panel" data-error={code}>
        <p class="bad">{message}</p>
      </section>,
      s,
    );
  }
  return c.html(<ErrorPage status={status} code={code} message={message} />, s);
}
