import type { AttackIndexData } from './index-data.js';
import type {
  Analytic,
  AttackCounts,
  AttackVersion,
  DataComponent,
  DataSource,
  DetectionStrategy,
  Group,
  Mitigation,
  Software,
  Tactic,
  Technique,
} from './types.js';

export interface TechniqueListOptions {
  /** Include sub-techniques (default false: techniques only). */
  subtechniques?: boolean;
  /** Include revoked and deprecated techniques (default false). */
  retired?: boolean;
}

export interface UsageOptions {
  /** Also count uses of the technique's sub-techniques (the ATT&CK site lists them separately). */
  subtechniques?: boolean;
}

/** `t1059/001`, ` T1059.001 ` → `T1059.001`: the ATT&CK site writes sub-techniques with a slash. */
export function normalizeAttackId(id: string): string {
  return id.trim().toUpperCase().replace('/', '.');
}

const isLive = (o: { revoked: boolean; deprecated: boolean }): boolean => !o.revoked && !o.deprecated;
const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Read-only queries over one ATT&CK domain bundle. Lookups take ATT&CK ids in any case; lists
 * hold live objects (neither revoked nor deprecated) unless asked otherwise, sorted by id.
 */
export class AttackIndex {
  private readonly tacticByKey = new Map<string, Tactic>();

  constructor(private readonly data: AttackIndexData) {
    for (const t of data.tactics) {
      this.tacticByKey.set(t.shortname.toLowerCase(), t);
      this.tacticByKey.set(t.id.toUpperCase(), t);
    }
  }

  get version(): AttackVersion {
    return this.data.version;
  }

  counts(): AttackCounts {
    const live = <T extends { revoked: boolean; deprecated: boolean }>(m: Map<string, T>, f: (x: T) => boolean = () => true): number => {
      let n = 0;
      for (const x of m.values()) if (isLive(x) && f(x)) n++;
      return n;
    };
    return {
      tactics: this.data.tactics.filter(isLive).length,
      techniques: live(this.data.techniques, (t) => !t.isSubtechnique),
      subtechniques: live(this.data.techniques, (t) => t.isSubtechnique),
      groups: live(this.data.groups),
      software: live(this.data.software),
      mitigations: live(this.data.mitigations),
      dataComponents: live(this.data.dataComponents),
      detectionStrategies: live(this.data.detectionStrategies),
      analytics: live(this.data.analytics),
    };
  }

  /** `T1059`, `t1059.001`, `T1059/001`, whatever its state (check `revoked` / `deprecated`). */
  technique(id: string): Technique | undefined {
    return this.data.techniques.get(normalizeAttackId(id));
  }

  techniques(options: TechniqueListOptions = {}): Technique[] {
    const out: Technique[] = [];
    for (const t of this.data.techniques.values()) {
      if (!options.retired && !isLive(t)) continue;
      if (!options.subtechniques && t.isSubtechnique) continue;
      out.push(t);
    }
    return out.sort(byId);
  }

  /** By shortname (`command-and-control`) or id (`TA0011`), any case. */
  tactic(nameOrId: string): Tactic | undefined {
    const key = nameOrId.trim();
    return this.tacticByKey.get(key.toLowerCase()) ?? this.tacticByKey.get(key.toUpperCase());
  }

  /** In matrix order (reconnaissance … impact). */
  tactics(): Tactic[] {
    return [...this.data.tactics];
  }

  techniquesOfTactic(tactic: string, options: Omit<TechniqueListOptions, 'retired'> = {}): Technique[] {
    const t = this.tactic(tactic);
    if (!t) return [];
    return this.techniques(options).filter((x) => x.tactics.includes(t.shortname));
  }

  /** Live sub-techniques of a technique. */
  subtechniques(parentId: string): Technique[] {
    const parent = this.technique(parentId);
    return parent ? parent.subtechniqueIds.map((id) => this.data.techniques.get(id)!) : [];
  }

  /**
   * Follows revoked-by relationships (they chain: T1073 → T1574.002 → T1574.001) to the object
   * that replaces `id` today. Returns the ids walked, starting with `id`; the last one is current.
   */
  revocationChain(id: string): string[] {
    const chain = [normalizeAttackId(id)];
    for (;;) {
      const next = this.data.revokedBy.get(chain[chain.length - 1]!);
      if (next === undefined || chain.includes(next)) return chain;
      chain.push(next);
    }
  }

  group(id: string): Group | undefined {
    return this.data.groups.get(normalizeAttackId(id));
  }

  groups(options: { retired?: boolean } = {}): Group[] {
    return [...this.data.groups.values()].filter((g) => options.retired || isLive(g)).sort(byId);
  }

  software(id: string): Software | undefined {
    return this.data.software.get(normalizeAttackId(id));
  }

  allSoftware(options: { retired?: boolean } = {}): Software[] {
    return [...this.data.software.values()].filter((s) => options.retired || isLive(s)).sort(byId);
  }

  mitigation(id: string): Mitigation | undefined {
    return this.data.mitigations.get(normalizeAttackId(id));
  }

  mitigations(options: { retired?: boolean } = {}): Mitigation[] {
    return [...this.data.mitigations.values()].filter((m) => options.retired || isLive(m)).sort(byId);
  }

  dataSource(id: string): DataSource | undefined {
    return this.data.dataSources.get(normalizeAttackId(id));
  }

  dataComponent(id: string): DataComponent | undefined {
    return this.data.dataComponents.get(normalizeAttackId(id));
  }

  dataComponents(options: { retired?: boolean } = {}): DataComponent[] {
    return [...this.data.dataComponents.values()].filter((d) => options.retired || isLive(d)).sort(byId);
  }

  detectionStrategy(id: string): DetectionStrategy | undefined {
    return this.data.detectionStrategies.get(normalizeAttackId(id));
  }

  analytic(id: string): Analytic | undefined {
    return this.data.analytics.get(normalizeAttackId(id));
  }

  groupsUsing(techniqueId: string, options: UsageOptions = {}): Group[] {
    return this.usersOf(this.data.groupsByTechnique, this.data.groups, techniqueId, options);
  }

  softwareUsing(techniqueId: string, options: UsageOptions = {}): Software[] {
    return this.usersOf(this.data.softwareByTechnique, this.data.software, techniqueId, options);
  }

  /** Live techniques a group or a piece of software `uses`. */
  techniquesUsedBy(groupOrSoftwareId: string): Technique[] {
    const ids = this.data.techniquesByUser.get(normalizeAttackId(groupOrSoftwareId)) ?? [];
    return ids.map((id) => this.data.techniques.get(id)!).filter(isLive);
  }

  mitigationsFor(techniqueId: string): Mitigation[] {
    const ids = this.data.mitigationsByTechnique.get(normalizeAttackId(techniqueId)) ?? [];
    return ids.map((id) => this.data.mitigations.get(id)!).filter(isLive);
  }

  /** Strategies with a `detects` relationship to the technique (v18: exactly one per technique). */
  detectionStrategiesFor(techniqueId: string): DetectionStrategy[] {
    const ids = this.data.strategiesByTechnique.get(normalizeAttackId(techniqueId)) ?? [];
    return ids.map((id) => this.data.detectionStrategies.get(id)!).filter(isLive);
  }

  /** The analytics of the technique's detection strategies. */
  analyticsFor(techniqueId: string): Analytic[] {
    const out: Analytic[] = [];
    for (const s of this.detectionStrategiesFor(techniqueId)) {
      for (const id of s.analyticIds) {
        const a = this.data.analytics.get(id);
        if (a && isLive(a)) out.push(a);
      }
    }
    return out.sort(byId);
  }

  /**
   * Data components needed to detect the technique: technique ← strategy → analytics → log
   * source references → data components (plus direct `detects` from pre-v18 bundles).
   */
  dataComponentsFor(techniqueId: string): DataComponent[] {
    const ids = new Set(this.data.directDataComponentsByTechnique.get(normalizeAttackId(techniqueId)) ?? []);
    for (const a of this.analyticsFor(techniqueId)) for (const l of a.logSources) ids.add(l.dataComponentId);
    const out: DataComponent[] = [];
    for (const id of ids) {
      const dc = this.data.dataComponents.get(id);
      if (dc) out.push(dc);
    }
    return out.sort(byId);
  }

  /** Platforms of live techniques, sorted: the values a Navigator platform filter can take. */
  platforms(): string[] {
    const set = new Set<string>();
    for (const t of this.data.techniques.values()) if (isLive(t)) for (const p of t.platforms) set.add(p);
    return [...set].sort();
  }

  private usersOf<T extends Group | Software>(
    byTechnique: Map<string, string[]>,
    objects: Map<string, T>,
    techniqueId: string,
    options: UsageOptions,
  ): T[] {
    const ids = new Set(byTechnique.get(normalizeAttackId(techniqueId)) ?? []);
    if (options.subtechniques) {
      for (const sub of this.technique(techniqueId)?.subtechniqueIds ?? []) {
        for (const id of byTechnique.get(sub) ?? []) ids.add(id);
      }
    }
    const out: T[] = [];
    for (const id of ids) {
      const o = objects.get(id);
      if (o && isLive(o)) out.push(o);
    }
    return out.sort(byId);
  }
}
