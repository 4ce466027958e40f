// Shared inputs for the ATT&CK tests: paths into ../shared (never copied into the repo) and a
// deliberately simple reader of Sigma tags, independent of the project's YAML and Sigma readers.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const shared = fileURLToPath(new URL('../../../shared/', import.meta.url));
export const BUNDLE_PATH = join(shared, 'attack/enterprise-attack.json');
export const HINTS_PATH = join(shared, 'attack/sigma-v18-to-v19-tag-changes.json');
export const SIGMA_ROOT = join(shared, 'corpora/sigma');
export const SIGMA_LAYER_PATH = join(SIGMA_ROOT, 'other/sigma_attack_nav_coverage.json');

export interface SigmaRuleTags {
  path: string;
  id: string;
  level: string | undefined;
  tags: string[];
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...yamlFiles(p));
    else if (e.name.endsWith('.yml') || e.name.endsWith('.yaml')) out.push(p);
  }
  return out.sort();
}

/**
 * The `tags:` block list of each rule file (SigmaHQ writes tags only as a block list at the top
 * level; commented-out items such as `# - attack.t1098.007` are skipped).
 */
export function readSigmaTags(folder: string): SigmaRuleTags[] {
  return yamlFiles(join(SIGMA_ROOT, folder)).map((path) => {
    const text = readFileSync(path, 'utf8');
    const tags: string[] = [];
    let inTags = false;
    for (const line of text.split(/\r?\n/)) {
      if (/^tags:\s*$/.test(line)) {
        inTags = true;
        continue;
      }
      if (!inTags) continue;
      const item = /^\s+-\s+([^\s#]+)\s*(?:#.*)?$/.exec(line);
      if (item) tags.push(item[1]!);
      else if (/^\S/.test(line)) inTags = false;
    }
    return {
      path,
      id: /^id:\s*(\S+)/m.exec(text)?.[1] ?? path,
      level: /^level:\s*(\S+)/m.exec(text)?.[1],
      tags,
    };
  });
}

/** The raw bundle, parsed here without any project code. */
export function rawBundle(): { objects: Array<Record<string, unknown> & { type: string; id: string }> } {
  return JSON.parse(readFileSync(BUNDLE_PATH, 'utf8')) as { objects: Array<Record<string, unknown> & { type: string; id: string }> };
}

export function externalId(o: Record<string, unknown>): string | undefined {
  const refs = o['external_references'] as Array<{ source_name: string; external_id?: string }> | undefined;
  return refs?.find((r) => r.source_name === 'mitre-attack')?.external_id;
}

export function isLiveRaw(o: Record<string, unknown>): boolean {
  return o['revoked'] !== true && o['x_mitre_deprecated'] !== true;
}
