import { closest } from '../model/suggest.js';
import type { AttackIndex } from './attack-index.js';
import { primaryOlderTechnique, type HintCandidate, type TagHints } from './hints.js';
import type { AttackObject, Tactic, Technique } from './types.js';

/**
 * - `resolved`: the loaded bundle has the tag's object, live.
 * - `resolved-via-relation`: the object is revoked (followed through revoked-by) or deprecated
 *   (its notice names replacements); `via` says which.
 * - `resolved-via-hint`: the bundle does not know the id, the retagging hints map it back to
 *   loaded ids (a v19 tag on a v18 bundle); `via.candidates` keeps every candidate.
 * - `newer-than-loaded`: a well-formed id the bundle cannot know yet (beyond its id range, or a
 *   sub-technique of such an id); reported, never dropped.
 * - `unknown`: malformed or misspelled; `suggestion` holds the closest valid tag when there is one.
 * - `not-attack`: another namespace (`car.`, `cve.`, `detection.`); left to other readers.
 */
export type TagStatus =
  | 'resolved'
  | 'resolved-via-relation'
  | 'resolved-via-hint'
  | 'newer-than-loaded'
  | 'unknown'
  | 'not-attack';

export type TagKind = 'technique' | 'tactic' | 'group' | 'software' | 'mitigation' | 'data-source' | 'data-component';

export interface HintMatch extends HintCandidate {
  /** The candidate as the loaded bundle has it today (after revocations), if it has it. */
  loadedId: string | undefined;
}

export type TagVia =
  | { relation: 'revoked-by'; chain: string[] }
  /** `replacements`: live ids named by the deprecation notice (may be empty). */
  | { relation: 'deprecated'; deprecatedId: string; replacements: string[] }
  | { relation: 'hint'; hintSource: string; candidates: HintMatch[]; primary: string }
  /** Sigma before 2.0 wrote tactics with underscores (`defense_evasion`). */
  | { relation: 'legacy-spelling'; written: string };

export interface TagResolution {
  /** The tag as given. */
  tag: string;
  status: TagStatus;
  kind?: TagKind;
  /** Canonical id the tag names: `T1059.001`, `command-and-control`, `G0016`. */
  id?: string;
  /** What the tag stands for in the loaded bundle, after relations or hints. */
  object?: AttackObject;
  via?: TagVia;
  /**
   * Loaded ids a coverage count should use for this tag: one id normally, several when a
   * deprecation names several replacements, none when nothing in the bundle stands for it.
   */
  loadedIds: string[];
  /** The tag comes from a newer ATT&CK version than the loaded bundle. */
  newerThanLoaded: boolean;
  /**
   * For a newer-than-loaded sub-technique whose parent is known: the loaded technique the parent
   * stands for, so coverage can roll the rule up instead of losing it.
   */
  rollupId?: string;
  /** For loaded ids the hints say the newer version retagged (T1562.001 → T1685). */
  newerEquivalents?: HintCandidate[];
  /** Closest valid tag, for `unknown`. */
  suggestion?: string;
  notes: string[];
}

/**
 * How far past the bundle's highest id a well-formed id still reads as "newer": about two
 * releases of growth (v18.1 → v19 added T1685–T1690 after T1681; groups and software grow by a
 * few dozen a release). Beyond that the id is more likely a typo than a future object.
 */
const NEWER_WINDOW = { T: 50, G: 60, S: 120, M: 20, SUB: 10 } as const;

const TECHNIQUE = /^t(\d{4})(?:\.(\d{3}))?$/;
const LOOSE_TECHNIQUE = /^t(\d{1,4})(?:[._/-](\d{1,3}))?$/;
const LOOSE_NUMBERED = /^(ta|g|s|m|ds|dc)[-_]?(\d{1,3})$/;
const NUMBERED = /^(ta|g|s|m|ds|dc)(\d{4})$/;
const TACTIC_NAME = /^[a-z]+(?:[-_][a-z]+)*$/;

export class TagResolver {
  private readonly max = new Map<string, number>();
  private readonly maxSub = new Map<string, number>();
  private readonly tacticNames: string[];
  private readonly candidates: string[];

  constructor(
    readonly index: AttackIndex,
    readonly hints?: TagHints,
  ) {
    for (const t of index.techniques({ subtechniques: true, retired: true })) {
      const [parent, sub] = t.id.split('.');
      this.bump('T', Number(parent!.slice(1)));
      if (sub !== undefined) this.bumpSub(parent!, Number(sub));
    }
    // Revoked entries can carry ids outside the normal series (S9000 "Ngrok"); only live ones count.
    for (const g of index.groups()) this.bump('G', Number(g.id.slice(1)));
    for (const s of index.allSoftware()) this.bump('S', Number(s.id.slice(1)));
    for (const m of index.mitigations()) if (m.id.startsWith('M')) this.bump('M', Number(m.id.slice(1)));
    this.tacticNames = validTacticShortnames(index, hints);
    this.candidates = [...this.tacticNames, ...index.techniques({ subtechniques: true }).map((t) => t.id.toLowerCase())];
  }

  /** Valid tactic shortnames: the bundle's, in matrix order, then those only the hints know (v19). */
  validTacticShortnames(): string[] {
    return [...this.tacticNames];
  }

  resolveAll(tags: Iterable<string>): TagResolution[] {
    return [...tags].map((t) => this.resolve(t));
  }

  /** Resolves one rule tag (`attack.t1059.001`, `attack.stealth`, `attack.g0016`, ...). */
  resolve(tag: string): TagResolution {
    const lower = tag.trim().toLowerCase();
    if (!lower.startsWith('attack.')) return { tag, status: 'not-attack', loadedIds: [], newerThanLoaded: false, notes: [] };
    const value = lower.slice('attack.'.length);
    const technique = TECHNIQUE.exec(value);
    if (technique) return this.technique(tag, value.toUpperCase());
    const numbered = NUMBERED.exec(value);
    if (numbered) return this.numbered(tag, numbered[1]!, value.toUpperCase());
    if (TACTIC_NAME.test(value)) return this.tacticTag(tag, value);
    return this.malformed(tag, value);
  }

  /** Resolves a bare technique id (`T1059.001`), as `Rule.attack.techniques` holds them. */
  resolveTechnique(id: string): TagResolution {
    return this.resolve(`attack.${id.trim().replace('/', '.')}`);
  }

  /** Resolves a bare tactic shortname (`stealth`) or TA id. */
  resolveTactic(name: string): TagResolution {
    return this.resolve(`attack.${name.trim()}`);
  }

  private technique(tag: string, id: string): TagResolution {
    const base = { tag, kind: 'technique' as const, id, notes: [] as string[] };
    const found = this.index.technique(id);
    if (found) return this.loadedTechnique(base, found);

    const hinted = this.hints?.techniqueToOlder.get(id);
    if (hinted && hinted.length > 0) return this.viaTechniqueHint(base, hinted);

    const [parentId, sub] = id.split('.') as [string, string | undefined];
    const number = Number(parentId.slice(1));
    if (sub === undefined) {
      if (this.isNewer('T', number)) {
        return { ...base, status: 'newer-than-loaded', loadedIds: [], newerThanLoaded: true, notes: [this.newerNote('technique', id)] };
      }
      return this.unknown(base, `no technique ${id} in ATT&CK ${this.index.version.attack ?? ''}`.trim());
    }
    // A sub-technique: newer if its parent is newer, or if it extends a loaded parent's series.
    const parent = this.technique(`attack.${parentId.toLowerCase()}`, parentId);
    const parentLoaded = this.index.technique(parentId);
    const subNumber = Number(sub);
    const extendsLoaded =
      parentLoaded !== undefined &&
      !parentLoaded.revoked &&
      !parentLoaded.deprecated &&
      subNumber > (this.maxSub.get(parentId) ?? 0) &&
      subNumber <= (this.maxSub.get(parentId) ?? 0) + NEWER_WINDOW.SUB;
    if (parent.newerThanLoaded || extendsLoaded) {
      const rollup = parent.loadedIds[0];
      const notes = [this.newerNote('sub-technique', id)];
      if (rollup) notes.push(`counted under ${rollup}${parent.newerThanLoaded ? ` (parent ${parentId} ${describeVia(parent)})` : ''}`);
      return { ...base, status: 'newer-than-loaded', loadedIds: [], newerThanLoaded: true, rollupId: rollup, notes };
    }
    return this.unknown(base, `no sub-technique ${id} in ATT&CK ${this.index.version.attack ?? ''}`.trim());
  }

  private loadedTechnique(base: { tag: string; kind: 'technique'; id: string; notes: string[] }, t: Technique): TagResolution {
    const newerEquivalents = this.hints?.techniqueToNewer.get(t.id);
    const notes = [...base.notes];
    if (newerEquivalents) {
      notes.push(`retagged in the newer version as ${newerEquivalents.map(countText).join(', ')}`);
    }
    const extra = newerEquivalents ? { newerEquivalents } : {};
    if (!t.revoked && !t.deprecated) {
      return { ...base, ...extra, status: 'resolved', object: t, loadedIds: [t.id], newerThanLoaded: false, notes };
    }
    if (t.revoked) {
      const chain = this.index.revocationChain(t.id);
      const current = this.index.technique(chain[chain.length - 1]!);
      if (current && !current.revoked && !current.deprecated) {
        notes.push(`${t.id} was revoked by ${chain.slice(1).join(' → ')}`);
        return {
          ...base,
          ...extra,
          status: 'resolved-via-relation',
          object: current,
          via: { relation: 'revoked-by', chain },
          loadedIds: [current.id],
          newerThanLoaded: false,
          notes,
        };
      }
      notes.push(`${t.id} is revoked and nothing live replaces it`);
      return { ...base, ...extra, status: 'resolved-via-relation', object: t, via: { relation: 'revoked-by', chain }, loadedIds: [], newerThanLoaded: false, notes };
    }
    const replacements = t.deprecationSuggestions
      .map((id) => this.index.technique(id))
      .filter((x): x is Technique => x !== undefined && !x.revoked && !x.deprecated)
      .map((x) => x.id);
    notes.push(
      replacements.length > 0
        ? `${t.id} is deprecated; its notice points to ${replacements.join(', ')}`
        : `${t.id} is deprecated with no replacement`,
    );
    const single = replacements.length === 1 ? this.index.technique(replacements[0]!) : undefined;
    return {
      ...base,
      ...extra,
      status: 'resolved-via-relation',
      object: single ?? t,
      via: { relation: 'deprecated', deprecatedId: t.id, replacements },
      loadedIds: replacements,
      newerThanLoaded: false,
      notes,
    };
  }

  private viaTechniqueHint(base: { tag: string; kind: 'technique'; id: string; notes: string[] }, hinted: HintCandidate[]): TagResolution {
    const candidates: HintMatch[] = hinted.map((c) => ({ ...c, loadedId: this.currentTechniqueId(c.id) }));
    const primaryCandidate = primaryOlderTechnique(this.hints!, base.id) ?? hinted[0]!;
    const primary = candidates.find((c) => c.id === primaryCandidate.id)!;
    if (primary.loadedId === undefined) {
      return {
        ...base,
        status: 'newer-than-loaded',
        loadedIds: [],
        newerThanLoaded: true,
        notes: [this.newerNote('technique', base.id), `the hint's candidates are not in the loaded bundle either`],
      };
    }
    const object = this.index.technique(primary.loadedId)!;
    return {
      ...base,
      status: 'resolved-via-hint',
      object,
      via: { relation: 'hint', hintSource: this.hints!.source, candidates, primary: primary.loadedId },
      loadedIds: [primary.loadedId],
      newerThanLoaded: true,
      notes: [
        `${base.id} is newer than ATT&CK ${this.index.version.attack ?? '(loaded)'}; retagging hint maps it to ` +
          candidates.map(countText).join(', '),
      ],
    };
  }

  private currentTechniqueId(id: string): string | undefined {
    const chain = this.index.revocationChain(id);
    const t = this.index.technique(chain[chain.length - 1]!);
    return t && !t.revoked && !t.deprecated ? t.id : undefined;
  }

  private numbered(tag: string, prefix: string, id: string): TagResolution {
    if (prefix === 'ta') {
      const t = this.index.tactic(id);
      if (t) return this.loadedTactic(tag, t, []);
      return this.unknown({ tag, kind: 'tactic', id, notes: [] }, `no tactic ${id}`);
    }
    const kind: TagKind =
      prefix === 'g' ? 'group' : prefix === 's' ? 'software' : prefix === 'm' ? 'mitigation' : prefix === 'ds' ? 'data-source' : 'data-component';
    const base = { tag, kind, id, notes: [] as string[] };
    const object =
      kind === 'group'
        ? this.index.group(id)
        : kind === 'software'
          ? this.index.software(id)
          : kind === 'mitigation'
            ? this.index.mitigation(id)
            : kind === 'data-source'
              ? this.index.dataSource(id)
              : this.index.dataComponent(id);
    if (object) {
      if (!object.revoked && !object.deprecated) {
        return { ...base, status: 'resolved', object, loadedIds: [object.id], newerThanLoaded: false };
      }
      if (object.revoked) {
        const chain = this.index.revocationChain(object.id);
        const last = chain[chain.length - 1]!;
        const current = kind === 'group' ? this.index.group(last) : kind === 'software' ? this.index.software(last) : undefined;
        const live = current && !current.revoked && !current.deprecated ? current : undefined;
        return {
          ...base,
          status: 'resolved-via-relation',
          object: live ?? object,
          via: { relation: 'revoked-by', chain },
          loadedIds: live ? [live.id] : [],
          newerThanLoaded: false,
          notes: [`${object.id} was revoked by ${chain.slice(1).join(' → ')}`],
        };
      }
      const note =
        kind === 'data-source'
          ? `${object.id} (${object.name}) is deprecated: ATT&CK v18 retired data sources for data components and detection strategies`
          : `${object.id} (${object.name}) is deprecated with no replacement`;
      return {
        ...base,
        status: 'resolved-via-relation',
        object,
        via: { relation: 'deprecated', deprecatedId: object.id, replacements: [] },
        loadedIds: [],
        newerThanLoaded: false,
        notes: [note],
      };
    }
    const letter = prefix.toUpperCase() as 'G' | 'S' | 'M';
    if ((letter === 'G' || letter === 'S' || letter === 'M') && this.isNewer(letter, Number(id.slice(1)))) {
      return { ...base, status: 'newer-than-loaded', loadedIds: [], newerThanLoaded: true, notes: [this.newerNote(kind, id)] };
    }
    return this.unknown(base, `no ${kind} ${id} in ATT&CK ${this.index.version.attack ?? ''}`.trim());
  }

  private tacticTag(tag: string, value: string): TagResolution {
    const direct = this.index.tactic(value);
    if (direct) return this.loadedTactic(tag, direct, []);
    const hyphenated = value.replace(/_/g, '-');
    if (hyphenated !== value) {
      const legacy = this.index.tactic(hyphenated);
      if (legacy) {
        const r = this.loadedTactic(tag, legacy, [`legacy underscore spelling of ${hyphenated}`]);
        return { ...r, via: { relation: 'legacy-spelling', written: value } };
      }
    }
    const hinted = this.hints?.tacticToOlder.get(hyphenated);
    if (hinted && hinted.length > 0) {
      const candidates: HintMatch[] = hinted.map((c) => ({ ...c, loadedId: this.index.tactic(c.id)?.shortname }));
      const primary = candidates.find((c) => c.loadedId !== undefined);
      if (primary) {
        return {
          tag,
          kind: 'tactic',
          id: hyphenated,
          status: 'resolved-via-hint',
          object: this.index.tactic(primary.loadedId!)!,
          via: { relation: 'hint', hintSource: this.hints!.source, candidates, primary: primary.loadedId! },
          loadedIds: [primary.loadedId!],
          newerThanLoaded: true,
          notes: [
            `tactic ${hyphenated} is newer than ATT&CK ${this.index.version.attack ?? '(loaded)'}; retagging hint maps it to ` +
              candidates.map(countText).join(', '),
          ],
        };
      }
    }
    return this.unknown({ tag, kind: 'tactic', id: hyphenated, notes: [] }, `no tactic ${hyphenated}`);
  }

  private loadedTactic(tag: string, t: Tactic, notes: string[]): TagResolution {
    const newerEquivalents = this.hints?.tacticToNewer.get(t.shortname);
    const all = [...notes];
    if (newerEquivalents) {
      all.push(`retagged in the newer version as ${newerEquivalents.map(countText).join(', ')}`);
    }
    return {
      tag,
      kind: 'tactic',
      id: t.shortname,
      status: 'resolved',
      object: t,
      loadedIds: [t.shortname],
      newerThanLoaded: false,
      notes: all,
      ...(newerEquivalents ? { newerEquivalents } : {}),
    };
  }

  private malformed(tag: string, value: string): TagResolution {
    const loose = LOOSE_TECHNIQUE.exec(value);
    if (loose) {
      // `t1059.1`, `t1059-001`: the id is recognisable, only its form is wrong.
      const id = `T${loose[1]!.padStart(4, '0')}${loose[2] !== undefined ? `.${loose[2].padStart(3, '0')}` : ''}`;
      const fixed = this.technique(`attack.${id.toLowerCase()}`, id);
      if (fixed.status !== 'unknown') {
        return {
          tag,
          kind: 'technique',
          status: 'unknown',
          loadedIds: [],
          newerThanLoaded: false,
          suggestion: `attack.${id.toLowerCase()}`,
          notes: [`malformed technique id; ATT&CK writes it ${id}`],
        };
      }
    }
    const numbered = LOOSE_NUMBERED.exec(value);
    if (numbered) {
      const fixed = this.resolve(`attack.${numbered[1]}${numbered[2]!.padStart(4, '0')}`);
      if (fixed.status !== 'unknown') {
        return {
          tag,
          ...(fixed.kind ? { kind: fixed.kind } : {}),
          status: 'unknown',
          loadedIds: [],
          newerThanLoaded: false,
          suggestion: fixed.tag,
          notes: [`malformed id; ATT&CK writes it ${fixed.id ?? fixed.tag}`],
        };
      }
    }
    return this.unknown({ tag, notes: [] }, `not a valid ATT&CK tag`, value);
  }

  private unknown(base: { tag: string; kind?: TagKind; id?: string; notes: string[] }, why: string, value?: string): TagResolution {
    const word = value ?? base.id?.toLowerCase() ?? base.tag.toLowerCase().replace(/^attack\./, '');
    const pool =
      base.kind === 'tactic'
        ? this.tacticNames
        : base.kind === 'technique'
          ? this.candidates.filter((c) => c.startsWith('t'))
          : base.kind === undefined
            ? this.candidates
            : this.idsOf(base.kind);
    const best = closest(word, pool);
    return {
      ...base,
      status: 'unknown',
      loadedIds: [],
      newerThanLoaded: false,
      ...(best ? { suggestion: `attack.${best.toLowerCase()}` } : {}),
      notes: [...base.notes, why],
    };
  }

  private idsOf(kind: TagKind): string[] {
    const ids =
      kind === 'group'
        ? this.index.groups().map((g) => g.id)
        : kind === 'software'
          ? this.index.allSoftware().map((s) => s.id)
          : kind === 'mitigation'
            ? this.index.mitigations().map((m) => m.id)
            : kind === 'data-component'
              ? this.index.dataComponents().map((d) => d.id)
              : [];
    return ids.map((id) => id.toLowerCase());
  }

  private bump(key: string, n: number): void {
    if (Number.isFinite(n) && n > (this.max.get(key) ?? 0)) this.max.set(key, n);
  }

  private bumpSub(parent: string, n: number): void {
    if (n > (this.maxSub.get(parent) ?? 0)) this.maxSub.set(parent, n);
  }

  private isNewer(key: 'T' | 'G' | 'S' | 'M', n: number): boolean {
    const max = this.max.get(key) ?? 0;
    return n > max && n <= max + NEWER_WINDOW[key];
  }

  private newerNote(kind: string, id: string): string {
    return `${kind} ${id} is not in ATT&CK ${this.index.version.attack ?? '(loaded)'} but fits a newer version's id range`;
  }
}

/**
 * Tactic shortnames a tag may use: the loaded bundle's in matrix order, then the ones only the
 * hints know (v19's `stealth`, `defense-impairment`).
 */
export function validTacticShortnames(index: AttackIndex, hints?: TagHints): string[] {
  const out = index.tactics().map((t) => t.shortname);
  for (const name of hints?.tacticToOlder.keys() ?? []) if (!out.includes(name)) out.push(name);
  return out;
}

/** Counts per status, for reports. */
export function countByStatus(resolutions: Iterable<TagResolution>): Record<TagStatus, number> {
  const counts: Record<TagStatus, number> = {
    resolved: 0,
    'resolved-via-relation': 0,
    'resolved-via-hint': 0,
    'newer-than-loaded': 0,
    unknown: 0,
    'not-attack': 0,
  };
  for (const r of resolutions) counts[r.status]++;
  return counts;
}

function countText(c: HintCandidate): string {
  return `${c.id} (${c.files} ${c.files === 1 ? 'file' : 'files'})`;
}

function describeVia(r: TagResolution): string {
  if (r.via?.relation === 'hint') return `maps to ${r.via.primary} by hint`;
  return 'is newer';
}
