/**
 * The parts of the ATT&CK STIX 2.1 bundle the index reads. Only the fields used are declared, and
 * all of them optional where the bundle does not always carry them (checked against Enterprise
 * v18.1: e.g. `revoked` is absent on most detection strategies and analytics, and
 * `x_mitre_data_source_ref` is present on 7 of 109 data components, empty when present).
 */

export interface StixExternalReference {
  source_name: string;
  external_id?: string;
  url?: string;
  description?: string;
}

export interface StixKillChainPhase {
  kill_chain_name: string;
  phase_name: string;
}

/** Fields every ATT&CK domain object shares. */
export interface StixCommon {
  type: string;
  id: string;
  spec_version?: string;
  created?: string;
  modified?: string;
  name?: string;
  description?: string;
  external_references?: StixExternalReference[];
  revoked?: boolean;
  x_mitre_deprecated?: boolean;
  x_mitre_version?: string;
  x_mitre_domains?: string[];
  x_mitre_attack_spec_version?: string;
}

export interface StixTactic extends StixCommon {
  type: 'x-mitre-tactic';
  x_mitre_shortname: string;
}

export interface StixMatrix extends StixCommon {
  type: 'x-mitre-matrix';
  /** Tactics in the order the matrix shows them (reconnaissance … impact). */
  tactic_refs: string[];
}

export interface StixCollection extends StixCommon {
  type: 'x-mitre-collection';
  x_mitre_contents?: Array<{ object_ref: string; object_modified: string }>;
}

export interface StixAttackPattern extends StixCommon {
  type: 'attack-pattern';
  kill_chain_phases?: StixKillChainPhase[];
  x_mitre_platforms?: string[];
  x_mitre_is_subtechnique?: boolean;
  x_mitre_detection?: string;
}

export interface StixIntrusionSet extends StixCommon {
  type: 'intrusion-set';
  aliases?: string[];
}

export interface StixSoftware extends StixCommon {
  type: 'malware' | 'tool';
  x_mitre_aliases?: string[];
  x_mitre_platforms?: string[];
}

export interface StixCourseOfAction extends StixCommon {
  type: 'course-of-action';
}

export interface StixDataSource extends StixCommon {
  type: 'x-mitre-data-source';
  x_mitre_platforms?: string[];
}

/** A log source as ATT&CK names it: `WinEventLog:Security` / `EventCode=4688`. */
export interface StixLogSource {
  name: string;
  channel: string;
}

export interface StixDataComponent extends StixCommon {
  type: 'x-mitre-data-component';
  /** v18: empty string or absent; data sources no longer own data components. */
  x_mitre_data_source_ref?: string;
  x_mitre_log_sources?: StixLogSource[];
}

export interface StixDetectionStrategy extends StixCommon {
  type: 'x-mitre-detection-strategy';
  /** Embedded references (not relationships) to the strategy's analytics. */
  x_mitre_analytic_refs?: string[];
}

export interface StixAnalytic extends StixCommon {
  type: 'x-mitre-analytic';
  x_mitre_platforms?: string[];
  /** Embedded references to data components, each with the concrete log source and channel. */
  x_mitre_log_source_references?: Array<StixLogSource & { x_mitre_data_component_ref: string }>;
  x_mitre_mutable_elements?: Array<{ field: string; description: string }>;
}

export interface StixRelationship extends StixCommon {
  type: 'relationship';
  relationship_type: string;
  source_ref: string;
  target_ref: string;
}

export type StixObject =
  | StixTactic
  | StixMatrix
  | StixCollection
  | StixAttackPattern
  | StixIntrusionSet
  | StixSoftware
  | StixCourseOfAction
  | StixDataSource
  | StixDataComponent
  | StixDetectionStrategy
  | StixAnalytic
  | StixRelationship;

export interface StixBundle {
  type: 'bundle';
  id: string;
  objects: StixCommon[];
}

/** The ATT&CK id (`T1059.001`, `TA0002`, `G0016`, `DET0103`, ...) and page of an object. */
export function mitreReference(o: StixCommon): StixExternalReference | undefined {
  return o.external_references?.find((r) => r.source_name === 'mitre-attack' && r.external_id !== undefined);
}
