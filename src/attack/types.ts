/**
 * ATT&CK objects as the index hands them out: keyed by their ATT&CK ids (`T1059.001`), with
 * references between objects resolved to ids rather than STIX UUIDs, so callers never see the
 * bundle's internals.
 */

export interface AttackObjectBase {
  /** STIX id (`attack-pattern--…`), for tracing back into the bundle. */
  stixId: string;
  /** ATT&CK id: `T1059.001`, `TA0002`, `G0016`, `S0002`, `M1038`, `DC0032`, `DET0103`, `AN0110`. */
  id: string;
  name: string;
  description: string;
  url: string | undefined;
  revoked: boolean;
  deprecated: boolean;
}

export interface Tactic extends AttackObjectBase {
  kind: 'tactic';
  /** `command-and-control`: what kill_chain_phases and Sigma tags use. */
  shortname: string;
  /** 0-based column in the Enterprise matrix. */
  order: number;
}

export interface Technique extends AttackObjectBase {
  kind: 'technique';
  isSubtechnique: boolean;
  /** Parent technique id for sub-techniques (from the subtechnique-of relationship). */
  parentId: string | undefined;
  /** Live sub-techniques, sorted by id. */
  subtechniqueIds: string[];
  /** Tactic shortnames, in matrix order. */
  tactics: string[];
  platforms: string[];
  /** Direct target of the revoked-by relationship; follow with `AttackIndex.current()`. */
  revokedById: string | undefined;
  /**
   * Techniques a deprecated technique's notice points to ("Please use [..](…/T1059)"): ATT&CK
   * has no relationship for deprecation, only this sentence.
   */
  deprecationSuggestions: string[];
}

export interface Group extends AttackObjectBase {
  kind: 'group';
  aliases: string[];
  revokedById: string | undefined;
}

export interface Software extends AttackObjectBase {
  kind: 'software';
  softwareType: 'malware' | 'tool';
  aliases: string[];
  platforms: string[];
  revokedById: string | undefined;
}

export interface Mitigation extends AttackObjectBase {
  kind: 'mitigation';
}

/** Retired in v18 (every one is deprecated); kept so old `attack.ds0005` tags still resolve. */
export interface DataSource extends AttackObjectBase {
  kind: 'data-source';
}

export interface LogSource {
  name: string;
  channel: string;
}

export interface DataComponent extends AttackObjectBase {
  kind: 'data-component';
  logSources: LogSource[];
}

export interface DetectionStrategy extends AttackObjectBase {
  kind: 'detection-strategy';
  analyticIds: string[];
  /** Techniques the strategy `detects`. */
  techniqueIds: string[];
}

export interface AnalyticLogSource extends LogSource {
  dataComponentId: string;
}

export interface Analytic extends AttackObjectBase {
  kind: 'analytic';
  platforms: string[];
  logSources: AnalyticLogSource[];
  /** Tunables ATT&CK says an implementation should adapt (thresholds, allow-lists). */
  mutableElements: Array<{ field: string; description: string }>;
  /** The detection strategy that lists this analytic. */
  strategyId: string | undefined;
}

export type AttackObject =
  | Tactic
  | Technique
  | Group
  | Software
  | Mitigation
  | DataSource
  | DataComponent
  | DetectionStrategy
  | Analytic;

export type AttackKind = AttackObject['kind'];

export interface AttackVersion {
  /** `x_mitre_version` of the x-mitre-collection: `18.1`. */
  attack: string | undefined;
  /** `enterprise-attack`, from the matrix's external id (falls back to objects' x_mitre_domains). */
  domain: string | undefined;
  collectionName: string | undefined;
  /** When the collection was last modified (ISO time). */
  modified: string | undefined;
  /** ATT&CK spec version of the collection object (`3.3.0`). */
  specVersion: string | undefined;
}

/** How many live (neither revoked nor deprecated) objects of each kind the index holds. */
export interface AttackCounts {
  tactics: number;
  techniques: number;
  subtechniques: number;
  groups: number;
  software: number;
  mitigations: number;
  dataComponents: number;
  detectionStrategies: number;
  analytics: number;
}
