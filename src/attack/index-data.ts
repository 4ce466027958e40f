import type {
  Analytic,
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

/**
 * Everything `AttackIndex` answers from, with every cross reference already turned into ATT&CK
 * ids. Built once by `buildAttackIndexData` from a bundle; immutable afterwards.
 */
export interface AttackIndexData {
  version: AttackVersion;
  /** In matrix order. */
  tactics: Tactic[];
  /** Every attack-pattern, revoked and deprecated ones included, by upper-case id. */
  techniques: Map<string, Technique>;
  groups: Map<string, Group>;
  software: Map<string, Software>;
  mitigations: Map<string, Mitigation>;
  dataSources: Map<string, DataSource>;
  dataComponents: Map<string, DataComponent>;
  detectionStrategies: Map<string, DetectionStrategy>;
  analytics: Map<string, Analytic>;
  /** technique id → group ids that `use` it. */
  groupsByTechnique: Map<string, string[]>;
  softwareByTechnique: Map<string, string[]>;
  /** group or software id → technique ids it `uses`. */
  techniquesByUser: Map<string, string[]>;
  mitigationsByTechnique: Map<string, string[]>;
  strategiesByTechnique: Map<string, string[]>;
  /**
   * Data components that `detect` a technique directly. Empty for v18 bundles (the link goes
   * through strategies and analytics); filled by v15–v17 bundles, which had that relationship.
   */
  directDataComponentsByTechnique: Map<string, string[]>;
  /** Objects revoked by another, whatever their kind: revoked id → replacing id. */
  revokedBy: Map<string, string>;
}
