import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findUp } from '../find-up.js';
import type { LogsourceFields } from './validators.js';

/**
 * SigmaHQ keeps the fields each logsource allows in `tests/logsource.json` at the repository root.
 * Found by walking up from a rule's folder, so linting any SigmaHQ checkout uses its own list.
 */
const cache = new Map<string, LogsourceFields | null>();

export function findLogsourceFields(ruleFile: string): LogsourceFields | null {
  return findUp(ruleFile, cache, (dir) => {
    const candidate = join(dir, 'tests', 'logsource.json');
    return existsSync(candidate) ? loadLogsourceFields(candidate) : null;
  });
}

export function loadLogsourceFields(path: string): LogsourceFields | null {
  try {
    const data = JSON.parse(readFileSync(path, 'utf8')) as LogsourceFields;
    return data && typeof data.legit === 'object' ? data : null;
  } catch {
    return null;
  }
}
