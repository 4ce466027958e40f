import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { CONVERT_LIMITS } from './limits.js';

/**
 * The converter keeps its rule in the URL as `?r=` deflate-raw + base64url (what the page script
 * writes with CompressionStream). Inflation is capped, so a small parameter cannot expand into a
 * large allocation.
 */
export function packRule(text: string): string {
  return deflateRawSync(Buffer.from(text, 'utf8')).toString('base64url');
}

export function unpackRule(param: string): string | null {
  if (!/^[A-Za-z0-9_-]*$/.test(param)) return null;
  try {
    return inflateRawSync(Buffer.from(param, 'base64url'), { maxOutputLength: CONVERT_LIMITS.maxChars * 4 }).toString('utf8');
  } catch {
    return null;
  }
}
