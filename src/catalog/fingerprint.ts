import { createHash } from 'node:crypto';
import { VERSION } from '../version.js';
import type { Corpus } from './corpora.js';

/**
 * Bumped whenever what the ingest derives from the same files changes (a reader, the indicator
 * extraction, the enrichment), so a store made by older code is rebuilt rather than trusted.
 */
export const DERIVATION_VERSION = 4;

/** What a corpus looks like on disk: every rule file's path, size and mtime, plus the code version. */
export function corpusFingerprint(c: Corpus): string {
  const h = createHash('sha1');
  h.update(`${VERSION}\u0000${DERIVATION_VERSION}\u0000${c.root}\n`);
  for (const f of c.files) h.update(`${f.rel}\u0000${f.size}\u0000${f.mtimeMs}\n`);
  return h.digest('hex');
}
