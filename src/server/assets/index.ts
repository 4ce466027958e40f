import { createHash } from 'node:crypto';
import { COVERAGE_JS, CONVERTER_JS, UI_JS } from './client.js';
import { STYLES } from './styles.js';

/** A static asset held in memory: never a file path from a request, so no route reaches the disk. */
export interface Asset {
  body: string;
  type: string;
  /** Content hash: the URL carries it, so the asset can be cached for a year. */
  hash: string;
}

const make = (body: string, type: string): Asset => ({ body, type, hash: createHash('sha256').update(body).digest('base64url').slice(0, 12) });

export const ASSETS: Record<string, Asset> = {
  'app.css': make(STYLES, 'text/css; charset=utf-8'),
  'ui.js': make(UI_JS, 'text/javascript; charset=utf-8'),
  'converter.js': make(CONVERTER_JS, 'text/javascript; charset=utf-8'),
  'coverage.js': make(COVERAGE_JS, 'text/javascript; charset=utf-8'),
};

/** The versioned URL of an asset. */
export function assetUrl(name: keyof typeof ASSETS & string): string {
  return `/assets/${name}?v=${ASSETS[name]!.hash}`;
}
