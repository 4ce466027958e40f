import { dirname, resolve } from 'node:path';

/**
 * Walks up from a file's folder to the first folder where `probe` finds something (the repository
 * data a rule belongs to: SigmaHQ's tests/logsource.json, Security Content's macros/). Results are
 * cached per folder in `cache`, so a corpus of thousands of files probes each folder once.
 */
export function findUp<T>(file: string, cache: Map<string, T | null>, probe: (dir: string) => T | null): T | null {
  let dir = dirname(resolve(file));
  const visited: string[] = [];
  const remember = (value: T | null): T | null => {
    for (const d of visited) cache.set(d, value);
    return value;
  };
  for (;;) {
    const cached = cache.get(dir);
    if (cached !== undefined) return remember(cached);
    visited.push(dir);
    const found = probe(dir);
    if (found !== null) return remember(found);
    const parent = dirname(dir);
    if (parent === dir) return remember(null);
    dir = parent;
  }
}
