import { readFileSync } from 'node:fs';

/** One side of a retagging pair and how many rule files made that change. */
export interface HintCandidate {
  id: string;
  files: number;
}

/**
 * Retagging hints between two ATT&CK versions (here v18 → v19), as observed in a Sigma commit
 * that moved its rules to v19 (`sigma-v18-to-v19-tag-changes.json`).
 *
 * What the file is, and why it is read this way: each pair says "in N files, tag `v18` was
 * replaced by tag `v19`". It is a co-occurrence count over one diff, not an official mapping:
 * - it is many-to-many (T1562.004 became T1686.003 in 20 files and T1686 in 7; T1685 came from
 *   T1562.001, T1562, T1562.006, …), so candidates are kept ranked by file count;
 * - small counts are often noise from files that changed several tags at once (T1562.001 → T1690
 *   in 1 file), so every candidate keeps its count for the caller to weigh;
 * - a pair can name a v19 id that v18 also has (`defense-evasion → execution`, 143 files: those
 *   rules moved tactic); a hint only explains ids the loaded bundle does not know, it never
 *   overrides a direct match.
 */
export interface TagHints {
  source: string;
  /** v19 technique id → v18 candidates, most files first. */
  techniqueToOlder: Map<string, HintCandidate[]>;
  /** v18 technique id → v19 ids it was retagged to, most files first. */
  techniqueToNewer: Map<string, HintCandidate[]>;
  tacticToOlder: Map<string, HintCandidate[]>;
  tacticToNewer: Map<string, HintCandidate[]>;
}

interface HintFile {
  source?: unknown;
  technique_pairs?: unknown;
  tactic_pairs?: unknown;
}

export function loadTagHints(path: string): TagHints {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: cannot read tag hints: ${(e as Error).message}`);
  }
  return parseTagHints(parsed, path);
}

/** Validates and indexes the hint file's `{source, technique_pairs, tactic_pairs}` shape. */
export function parseTagHints(value: unknown, origin = 'tag hints'): TagHints {
  if (typeof value !== 'object' || value === null) throw new Error(`${origin}: expected an object`);
  const file = value as HintFile;
  const hints: TagHints = {
    source: typeof file.source === 'string' ? file.source : origin,
    techniqueToOlder: new Map(),
    techniqueToNewer: new Map(),
    tacticToOlder: new Map(),
    tacticToNewer: new Map(),
  };
  const techniques = pairs(file.technique_pairs, 'technique_pairs', origin);
  const tactics = pairs(file.tactic_pairs, 'tactic_pairs', origin);
  for (const p of techniques) {
    const older = p.v18.toUpperCase();
    const newer = p.v19.toUpperCase();
    add(hints.techniqueToOlder, newer, older, p.files);
    add(hints.techniqueToNewer, older, newer, p.files);
  }
  for (const p of tactics) {
    const older = p.v18.toLowerCase();
    const newer = p.v19.toLowerCase();
    add(hints.tacticToOlder, newer, older, p.files);
    add(hints.tacticToNewer, older, newer, p.files);
  }
  for (const m of [hints.techniqueToOlder, hints.techniqueToNewer, hints.tacticToOlder, hints.tacticToNewer]) {
    for (const list of m.values()) list.sort((a, b) => b.files - a.files || (a.id < b.id ? -1 : 1));
  }
  return hints;
}

/**
 * The single v18 technique that best stands for a v19 one: the most files; on a tie, a candidate
 * that is not already the best match of another v19 technique (T1690 ties T1562.001 and
 * T1562.003 at 1 file, but T1562.001 is plainly T1685's source with 131), then the lowest id.
 */
export function primaryOlderTechnique(hints: TagHints, newerId: string): HintCandidate | undefined {
  const list = hints.techniqueToOlder.get(newerId.toUpperCase());
  if (!list || list.length === 0) return undefined;
  const top = list.filter((c) => c.files === list[0]!.files);
  if (top.length === 1) return top[0];
  const claimed = new Set<string>();
  for (const [other, cands] of hints.techniqueToOlder) {
    if (other === newerId.toUpperCase() || cands.length === 0) continue;
    const best = cands.filter((c) => c.files === cands[0]!.files);
    if (best.length === 1) claimed.add(best[0]!.id);
  }
  return top.find((c) => !claimed.has(c.id)) ?? top[0];
}

function pairs(value: unknown, field: string, origin: string): Array<{ v18: string; v19: string; files: number }> {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new Error(`${origin}: ${field} must be an array`);
  return value.map((p: unknown, i) => {
    const o = p as { v18?: unknown; v19?: unknown; files?: unknown };
    if (typeof o?.v18 !== 'string' || typeof o.v19 !== 'string') {
      throw new Error(`${origin}: ${field}[${i}] needs string v18 and v19`);
    }
    return { v18: o.v18, v19: o.v19, files: typeof o.files === 'number' ? o.files : 0 };
  });
}

function add(map: Map<string, HintCandidate[]>, key: string, id: string, files: number): void {
  const list = map.get(key) ?? [];
  const existing = list.find((c) => c.id === id);
  if (existing) existing.files += files;
  else list.push({ id, files });
  map.set(key, list);
}
