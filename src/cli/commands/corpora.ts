import { defaultDataDir } from '../../catalog/paths.js';
import { fetchCorpora } from '../../catalog/fetch.js';
import { CORPUS_PINS } from '../../catalog/pins.js';
import { join } from 'node:path';

/** `ruleatlas corpora fetch`: the upstream rule repositories at their pinned commits. */
export async function corporaFetchCommand(opts: { dest?: string; source?: string[]; baseUrl?: string }): Promise<number> {
  const dest = opts.dest ?? join(defaultDataDir(), 'corpora');
  try {
    const results = await fetchCorpora({ dest, only: opts.source ?? [], ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}), onProgress: (m) => console.error(m) });
    for (const r of results) console.log(`${r.name}\t${r.files} files\t${r.dir}`);
    console.log(`ingest them with: ruleatlas ingest --corpora ${dest}`);
    return 0;
  } catch (e) {
    console.error(`ruleatlas corpora fetch: ${(e as Error).message}`);
    return 1;
  }
}

export function corporaListCommand(): number {
  for (const p of CORPUS_PINS) console.log(`${p.name}\t${p.repository} @ ${p.commit.slice(0, 12)}\t${p.license}`);
  return 0;
}
