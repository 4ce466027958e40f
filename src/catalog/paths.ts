import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root (this file is src/catalog/ or dist/catalog/). */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The store when the user names none: $RULEATLAS_DB, else `.data/atlas.db` in the project. */
export function defaultDb(): string {
  return process.env.RULEATLAS_DB ?? join(ROOT, '.data', 'atlas.db');
}

/** The folder of corpus folders when the user names none: $RULEATLAS_CORPORA, else `../shared/corpora` beside the project. */
export function defaultCorpora(): string {
  return process.env.RULEATLAS_CORPORA ?? join(ROOT, '..', 'shared', 'corpora');
}

/** Where `corpora fetch` puts what it downloads. */
export function defaultDataDir(): string {
  return process.env.RULEATLAS_DATA ?? join(ROOT, '.data');
}
