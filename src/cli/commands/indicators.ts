import { writeOut } from '../output/write.js';
import { openCatalog } from './catalog-store.js';

/** `ruleatlas indicators`: the most shared indicators of the catalog, optionally of one field. */
export function indicatorsCommand(opts: { db?: string; top: string; field?: string; operator?: string; json?: boolean }): number {
  const top = Number(opts.top);
  if (!Number.isInteger(top) || top < 1 || top > 100000) {
    console.error(`ruleatlas indicators: --top must be a whole number from 1 to 100000, not '${opts.top}'`);
    return 2;
  }
  const cat = openCatalog('indicators', opts.db);
  if (!cat) return 1;
  try {
    const page = cat.data.indicators({ offset: 0, limit: top, ...(opts.field ? { field: opts.field } : {}), ...(opts.operator ? { operator: opts.operator } : {}) });
    if (opts.json) {
      void writeOut(JSON.stringify({ total: page.total, items: page.items }) + '\n');
      return 0;
    }
    const rows = page.items.map((i) => [String(i.rules), i.field, i.operator, JSON.stringify(i.display), i.sources.join(',')]);
    const head = ['rules', 'field', 'operator', 'value', 'sources'];
    const width = head.map((h, c) => Math.min(60, Math.max(h.length, ...rows.map((r) => r[c]!.length))));
    const line = (cells: string[]): string => cells.map((x, c) => (c === 0 ? x.padStart(width[c]!) : x.length > width[c]! ? x.slice(0, width[c]! - 1) + '…' : x.padEnd(width[c]!))).join('  ').trimEnd();
    void writeOut([line(head), ...rows.map(line), `${page.total} distinct indicators${opts.field ? ` on ${opts.field}` : ''}`].join('\n') + '\n');
    return 0;
  } finally {
    cat.store.close();
  }
}
