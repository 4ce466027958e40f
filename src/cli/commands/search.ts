import { writeOut } from '../output/write.js';
import { openCatalog } from './catalog-store.js';

/** `ruleatlas search QUERY`: full text over titles, descriptions, tags and indicator values. */
export function searchCommand(query: string, opts: { db?: string; json?: boolean; limit: string; source?: string }): number {
  const limit = Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10000) {
    console.error(`ruleatlas search: --limit must be a whole number from 1 to 10000, not '${opts.limit}'`);
    return 2;
  }
  const cat = openCatalog('search', opts.db);
  if (!cat) return 1;
  try {
    const page = cat.data.search({ text: query, offset: 0, limit, ...(opts.source ? { source: opts.source } : {}) });
    if (opts.json) {
      void writeOut(JSON.stringify({ query, total: page.total, items: page.items }) + '\n');
      return 0;
    }
    const lines = page.items.map((r) => `${r.id}\t${r.severity ?? '-'}\t${r.title}`);
    void writeOut(`${page.total} rule${page.total === 1 ? '' : 's'} match ${JSON.stringify(query)}${page.total > page.items.length ? ` (first ${page.items.length})` : ''}\n${lines.join('\n')}${lines.length ? '\n' : ''}`);
    return 0;
  } finally {
    cat.store.close();
  }
}
