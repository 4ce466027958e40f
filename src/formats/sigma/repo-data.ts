import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { LogsourceFields } from './validators.js';

/**
 * SigmaHQ keeps the fields each logsource allows in `tests/logsource.json` at the repository root.
 * Found by walking up from a rule's folder, so linting any SigmaHQ checkout uses its own list.
 */
const cache = new Map<string, LogsourceFields | null>();

export function findLogsourceFields(ruleFile: string): LogsourceFields | null {
  let dir = dirname(resolve(ruleFile));
  const visited: string[] = [];
  for (;;) {
    const cached = cache.get(dir);
    if (cached !== undefined) return remember(visited, cached);
    visited.push(dir);
    const candidate = join(dir, 'tests', 'logsource.json');
    if (existsSync(candidate)) return remember(visited, loadLogsourceFields(candidate));
    const parent = dirname(dir);
    if (parent === dir) return remember(visited, null);
    dir = parent;
  }
}

function remember(dirs: string[], value: LogsourceFields | null): LogsourceFields | null {
  for (const d of dirs) cache.set(d, value);
  return value;
}

export function loadLogsourceFields(path: string): LogsourceFields | null {
  try {
    const data = JSON.parse(readFileSync(path, 'utf8')) as LogsourceFields;
    return data && typeof data.legit === 'object' ? data : null;
  } catch {
    return null;
  }
}
