/** Where the sample logs live and how an `.evtx` maps to its `.jsonl` twin. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `../shared/events` relative to the project root (this file is in `<root>/test/evtx/`). */
export const EVENTS_DIR = fileURLToPath(new URL('../../../shared/events/', import.meta.url));

/** Every `.evtx` under the events folder, sorted, as absolute paths. */
export function evtxFiles(dir = EVENTS_DIR): string[] {
  const out: string[] = [];
  const visit = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) visit(p);
      else if (name.endsWith('.evtx')) out.push(p);
    }
  };
  if (existsSync(dir)) visit(dir);
  return out;
}

/** Each dataset keeps `src/<path>.evtx` and `jsonl/<path>.jsonl` side by side. */
export function twinOf(evtx: string): string {
  const rel = relative(EVENTS_DIR, evtx).split('/');
  const i = rel.indexOf('src');
  if (i < 0) throw new Error(`no src/ folder in ${evtx}`);
  rel[i] = 'jsonl';
  return join(EVENTS_DIR, ...rel).replace(/\.evtx$/, '.jsonl');
}

export function sample(rel: string): string {
  return join(EVENTS_DIR, rel);
}

export function rel(p: string): string {
  return relative(EVENTS_DIR, p);
}
