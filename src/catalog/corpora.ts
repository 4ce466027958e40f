import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { expandPaths } from '../io/files.js';

/**
 * Where each vendor keeps its rules inside its repository. A corpus folder is recognized by name
 * (the folder names of `../shared/corpora/`, which are also the rule-id prefixes).
 */
interface Layout {
  /** Folders under the corpus root that hold rules (all of them when empty). */
  folders: string[];
  extensions: string[];
}

const LAYOUTS: Record<string, Layout> = {
  sigma: { folders: ['rules', 'rules-emerging-threats', 'rules-threat-hunting', 'rules-placeholder', 'rules-compliance', 'rules-dfir', 'deprecated'], extensions: ['.yml', '.yaml'] },
  splunk: { folders: ['detections'], extensions: ['.yml', '.yaml'] },
  elastic: { folders: ['rules', 'rules_building_block'], extensions: ['.toml'] },
  sentinel: { folders: [], extensions: ['.yml', '.yaml'] },
  chronicle: { folders: ['rules'], extensions: ['.yaral'] },
};

/** Folders that sit beside the corpora but hold reference data, not rules. */
const REFERENCE_DATA: Record<string, string> = {
  'sentinel-asim': 'ASIM parsers and table schemas: reference data for the taxonomy, not rules',
};

export interface Provenance {
  repository?: string;
  commit?: string;
  committedAt?: string;
  license?: string;
}

export interface Corpus {
  /** Folder name: the source of every rule in it (`sigma`, `splunk`, ...). */
  name: string;
  root: string;
  files: CorpusFile[];
  provenance: Provenance;
}

export interface CorpusFile {
  path: string;
  /** Relative to the corpus root, with forward slashes. */
  rel: string;
  size: number;
  mtimeMs: number;
}

export interface CorpusScan {
  corpora: Corpus[];
  skipped: Array<{ name: string; reason: string }>;
}

/** The corpora of a folder of corpus folders (like `../shared/corpora/`), in a stable order. */
export function scanCorpora(dir: string): CorpusScan {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`no corpora folder at ${dir}`);
  const corpora: Corpus[] = [];
  const skipped: CorpusScan['skipped'] = [];
  for (const name of readdirSync(dir).sort()) {
    const root = join(dir, name);
    if (!statSync(root).isDirectory() || name.startsWith('.')) continue;
    const layout = LAYOUTS[name];
    if (!layout) {
      skipped.push({ name, reason: REFERENCE_DATA[name] ?? 'not a corpus RuleAtlas knows (expected one of ' + Object.keys(LAYOUTS).join(', ') + ')' });
      continue;
    }
    corpora.push({ name, root, files: listRuleFiles(root, layout), provenance: readProvenance(root) });
  }
  return { corpora, skipped };
}

/** One corpus folder, named explicitly (for a corpus outside the standard layout). */
export function scanCorpus(root: string, name: string): Corpus {
  const layout = LAYOUTS[name] ?? { folders: [], extensions: ['.yml', '.yaml', '.toml', '.yaral'] };
  return { name, root, files: listRuleFiles(root, layout), provenance: readProvenance(root) };
}

export function knownCorpora(): string[] {
  return Object.keys(LAYOUTS);
}

function listRuleFiles(root: string, layout: Layout): CorpusFile[] {
  const dirs = layout.folders.length === 0 ? [root] : layout.folders.map((f) => join(root, f)).filter((d) => existsSync(d));
  const { files } = expandPaths(dirs, (name) => !name.startsWith('.') && layout.extensions.some((x) => name.toLowerCase().endsWith(x)));
  return files
    .map((p) => {
      const st = statSync(p);
      return { path: p, rel: relative(root, p).split(sep).join('/'), size: st.size, mtimeMs: Math.trunc(st.mtimeMs) };
    })
    .sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

/**
 * Repository, commit and license from the corpus's SOURCE.md (`- Repository: owner/name @ sha
 * (committed …)`, `- License: …`). A forked snapshot names the upstream commit on its own line.
 */
export function readProvenance(root: string): Provenance {
  const file = join(root, 'SOURCE.md');
  if (!existsSync(file)) return {};
  const text = readFileSync(file, 'utf8');
  const out: Provenance = {};
  const repo = /Repository:\s*([\w.-]+\/[\w.-]+)\s*@\s*([0-9a-f]{7,40})(?:\s*\(committed\s*([^);]+))?/i.exec(text);
  if (repo) {
    out.repository = repo[1]!;
    out.commit = repo[2]!;
    if (repo[3]) out.committedAt = repo[3].trim();
  } else {
    // "its content is upstream Azure/Azure-Sentinel @ b819f67… (2022-08-10)"
    const up = /upstream\s+([\w.-]+\/[\w.-]+)\s*@\s*([0-9a-f]{7,40})(?:\s*\(([^)]+)\))?/i.exec(text);
    if (up) {
      out.repository = up[1]!;
      out.commit = up[2]!;
      if (up[3]) out.committedAt = up[3].trim();
    }
  }
  const lic = /License:\s*(.+)/i.exec(text);
  if (lic) out.license = lic[1]!.trim();
  return out;
}

/** Link to a file upstream at the pinned commit (GitHub layout). */
export function upstreamUrl(p: Provenance, rel: string): string | undefined {
  if (!p.repository || !p.commit) return undefined;
  return `https://github.com/${p.repository}/blob/${p.commit}/${rel.split('/').map(encodeURIComponent).join('/')}`;
}
