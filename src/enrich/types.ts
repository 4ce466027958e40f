import type { AttackIndex, TagResolver } from '../attack/index.js';
import type { Indicator, Rule } from '../model/index.js';

/**
 * Where a section's statements come from. Deterministic sections name the facts they were built
 * from; LLM sections also name the model and when it wrote, and keep the facts it was given.
 */
export interface Provenance {
  kind: 'deterministic' | 'llm';
  /** The sources of the facts: `ATT&CK 18.1 (enterprise-attack)`, `rule tags`, `corpus indicator counts`, ... */
  facts: string[];
  model?: string;
  generatedAt?: string;
}

export type Confidence = 'low' | 'medium' | 'high';

export interface Section<T> {
  content: T;
  /** How far the section can be trusted, and why. */
  confidence: Confidence;
  provenance: Provenance;
  /** Prose for people, when the section has a narrative (LLM-written or templated). */
  text?: string;
}

export interface AttackContext {
  techniques: Array<{
    id: string;
    name: string;
    tactics: string[];
    parent?: { id: string; name: string };
    description: string;
    url?: string;
    /** How the rule's tag reached this technique (`direct`, `revoked-by`, `hint`, ...). */
    resolvedVia: string;
    groups: Array<{ id: string; name: string }>;
    software: Array<{ id: string; name: string }>;
    detectionStrategies: Array<{ id: string; name: string }>;
    dataComponents: Array<{ id: string; name: string }>;
  }>;
  tactics: Array<{ shortname: string; name: string; id?: string }>;
  /** Tags the loaded ATT&CK does not know yet (newer versions), kept visible. */
  newerThanLoaded: string[];
  unknown: string[];
}

export interface DataSourceNeed {
  /** What must be collected: a Windows channel and event, a cloud log, a vendor data source. */
  source: string;
  channel?: string;
  eventIds?: Array<{ id: number; title?: string }>;
  /** Audit policy, Sysmon configuration or logging setting that makes the events exist. */
  configuration?: string[];
}

export interface DataSources {
  needs: DataSourceNeed[];
  /** The table, index or data model per backend, or why the backend has none. */
  backends: Array<{ target: string; source: string | null; note?: string }>;
  notes: string[];
}

export interface Hypothesis {
  statement: string;
  /** The most specific indicators the statement rests on (lowest corpus counts first). */
  indicators: Array<{ field: string; operator: string; value: string; corpusCount?: number }>;
  actors: string[];
  technique?: string;
}

export interface FalsePositiveGuidance {
  /** What the rule itself says. */
  stated: string[];
  /** Indicators many rules share: broad, likely to meet benign activity. */
  common: Array<{ field: string; operator: string; value: string; corpusCount: number }>;
  /** Values other rules exclude on the same fields: software known to do the same thing benignly. */
  benign: Array<{ field: string; values: string[] }>;
  /** Filters worth adding, in the rule's own field names. */
  suggestedFilters: string[];
}

export interface ConfidenceFacts {
  level: Confidence;
  score: number;
  reasons: string[];
}

export interface Enrichment {
  attack: Section<AttackContext>;
  dataSources: Section<DataSources>;
  hypothesis: Section<Hypothesis>;
  falsePositives: Section<FalsePositiveGuidance>;
  confidence: Section<ConfidenceFacts>;
}

/** What enrichment may consult; everything is optional and each missing piece is said. */
export interface EnrichContext {
  attack?: AttackIndex;
  resolver?: TagResolver;
  /** Number of OTHER rules in the corpus with the same indicator. */
  corpusCount?: (indicator: Indicator) => number;
  /** Values other rules exclude (negated indicators) for a canonical field, most common first. */
  excludedValues?: (field: string) => Array<{ value: string; rules: number }>;
  /** Regression evidence for the rule (SigmaHQ regression cases run by the hunting engine). */
  regression?: (rule: Rule) => { cases: number; passed: number } | undefined;
  /** The rule's indicators as the catalog keys them (canonical fields, normalized values); from `canonical` when absent. */
  indicators?: (rule: Rule) => Indicator[];
  /** Canonical field names (from the taxonomy); identity when absent. */
  canonical?: (field: string, rule: Rule) => string;
  /** Today, for rule age. */
  now?: Date;
}
