import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Files of the given paths: files as given, and folders searched recursively (in name order) for
 * files `accept` takes. Paths that cannot be read are listed in `missing`, never thrown.
 */
export function expandPaths(paths: readonly string[], accept: (name: string) => boolean): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      missing.push(dir);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && accept(e.name)) files.push(p);
    }
  };
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      missing.push(p);
      continue;
    }
    if (st.isDirectory()) walk(p);
    else files.push(p);
  }
  return { files, missing };
}

/** The size of a file in bytes, 0 when it cannot be read. */
export function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
