import type { Rule } from '../model/index.js';

/** The query languages RuleAtlas writes. */
export type Language = 'kql' | 'spl' | 'lucene' | 'esql' | 'eql' | 'sql';

/** One conversion result, as `convert --format ndjson` prints it (plus the path). */
export interface Conversion {
  id: string;
  ok: boolean;
  queries: string[];
  error: string | null;
  fidelity: Fidelity;
}

/**
 * What the conversion kept, changed and lost. `exact` is true only when every predicate was
 * mapped one-to-one: nothing approximated, nothing dropped.
 */
export interface Fidelity {
  exact: boolean;
  target: string;
  pipelines: string[];
  /** Tables, indexes, data models or event categories the query reads. */
  sources: string[];
  /** Conditions the pipeline added for the log source (`EventID == 1`, `Channel == ...`). */
  conditions: string[];
  /** Field renames: Sigma field → target field(s). */
  fields: Array<{ from: string; to: string[] }>;
  /** Predicates rendered with different semantics, and how. */
  approximated: Array<{ what: string; how: string }>;
  /** Predicates or attributes left out of the query, and why. */
  dropped: Array<{ what: string; why: string }>;
  /** Why the rule could not be converted (empty when ok). */
  unsupported: Array<{ what: string; why: string }>;
}

/** Raised while converting: the rule cannot be expressed in the target. */
export class Unsupported extends Error {
  constructor(
    readonly what: string,
    readonly why: string,
  ) {
    super(`${what}: ${why}`);
  }
}

export interface ConvertOptions {
  /** Extra pipelines (ids or file paths) applied after the target's default ones. */
  pipelines?: string[];
  /** Rules of the same file/collection, so correlation rules can find the rules they refer to. */
  related?: Rule[];
}
