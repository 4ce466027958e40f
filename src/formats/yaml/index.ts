import { parseExact } from './exact.js';
import { parseFast } from './fast.js';
import type { YDocument } from './node.js';

export * from './node.js';

export interface ParseYamlOptions {
  /** Skip the fast path (tests compare both). */
  exact?: boolean;
}

/**
 * Reads every document of a YAML file into positioned trees. Never throws: syntax errors are
 * reported on the document they break, with an offset.
 */
export function parseYamlDocuments(text: string, options: ParseYamlOptions = {}): YDocument[] {
  if (!options.exact) {
    const fast = parseFast(text);
    if (fast) return fast;
  }
  return parseExact(text);
}
export * from './resolve.js';
