import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Rule, RuleSource } from '../../model/index.js';
import { loadMacros, type MacroTable } from './macros.js';
import { readSplunk } from './reader.js';

/**
 * Provenance from a corpus folder's SOURCE.md (`Repository: owner/name @ <sha>`, `License: ...`),
 * stamped on every rule read from it. (Its commit date is not a retrieval date, so not `retrievedAt`.)
 */
export function readSourceMd(root: string, corpus = 'splunk'): Partial<RuleSource> {
  const out: Partial<RuleSource> = { corpus };
  const file = join(root, 'SOURCE.md');
  if (!existsSync(file)) return out;
  const md = readFileSync(file, 'utf8');
  const repo = /Repository:\s*([\w.-]+\/[\w.-]+)\s*@\s*([0-9a-f]{7,40})/i.exec(md);
  if (repo) {
    out.repository = repo[1]!;
    out.commit = repo[2]!;
  }
  const license = /License:\s*([^\s(]+)/i.exec(md);
  if (license) out.license = license[1]!;
  return out;
}

export interface SplunkCorpus {
  rules: Rule[];
  macros: MacroTable;
  source: Partial<RuleSource>;
  files: string[];
}

/** Every detection of a Security Content checkout (`<root>/detections/**.yml`), macros expanded from `<root>/macros`. */
export function readSplunkCorpus(root: string, options: { idPrefix?: string; corpus?: string } = {}): SplunkCorpus {
  const macros = existsSync(join(root, 'macros')) ? loadMacros(join(root, 'macros')) : new Map();
  const source = readSourceMd(root, options.corpus ?? 'splunk');
  const files = listYaml(join(root, 'detections'));
  const rules: Rule[] = [];
  for (const file of files) {
    const path = relative(root, file).split(sep).join('/');
    rules.push(...readSplunk(readFileSync(file, 'utf8'), { file, source: { ...source, path }, idPrefix: options.idPrefix ?? 'splunk', macros }));
  }
  return { rules, macros, source, files };
}

function listYaml(dir: string): string[] {
  const out: string[] = [];
  if (!existsSync(dir)) return out;
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}
