import { createApp } from '../../server/app.js';
import { listen } from '../../server/serve.js';

export interface ServeOptions {
  db?: string;
  port: string;
  host: string;
  corpora?: string;
}

/**
 * `ruleatlas serve`: the web app and JSON API. Runs until interrupted; returns 2 on usage errors,
 * 1 when the server cannot start.
 */
export async function serveCommand(opts: ServeOptions): Promise<number> {
  const port = Number(opts.port);
  if (!/^\d{1,5}$/.test(opts.port) || port > 65535) {
    console.error(`ruleatlas serve: --port must be a number from 0 to 65535, not '${opts.port}'`);
    return 2;
  }
  const app = createApp({ data: null });
  let server;
  try {
    server = await listen(app, { host: opts.host, port });
  } catch (e) {
    console.error(`ruleatlas serve: cannot listen on ${opts.host}:${opts.port}: ${(e as Error).message}`);
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
  return 0;
}
