/**
 * Pipelines are data (YAML files under src/translate/pipelines/): where a rule's log source lives
 * in a target (table, index, data model) with the conditions that select it, and how Sigma field
 * names map onto that source's fields. A backend renders; a pipeline decides what to render.
 */

/** How one Sigma field maps: a field name, several (ORed), or a rule with a reason. */
export type FieldRule =
  | string
  | string[]
  | { field: string | string[]; approximate?: string; type?: string; values?: Record<string, string | string[]>; valueTemplate?: string }
  /** `Hashes|contains: 'MD5=...'` style values split into per-algorithm fields. */
  | { hashes: Record<string, string>; approximate?: string }
  /** A `DOMAIN\user` value matched on the user part only. */
  | { user: string; domain?: string; approximate?: string }
  /** The field has no equivalent: the rule cannot be converted. */
  | { error: string }
  /** The predicate is left out (broadens or narrows the rule: recorded in the fidelity report). */
  | { drop: string };

export interface SourceRule {
  /** Every key must equal the rule's logsource value (case-insensitive). */
  logsource: Record<string, string>;
  /** Keys the rule's logsource must NOT have (e.g. a category-only entry that excludes services). */
  without?: string[];
  /** What the query reads: table or function (KQL), index/sourcetype (SPL), data model, event category. */
  source: string;
  /** The index pattern to read, for targets that read indexes (ES|QL). */
  index?: string;
  /** Field maps to look a field up in, in order. */
  fields?: string[];
  /**
   * Only rules whose logic requires one of these event ids (a top-level `EventID` test) come here;
   * the test is then implied by `conditions` and removed.
   */
  eventIds?: number[];
  /** Other field tests this source guarantees (`Provider_Name: [Service Control Manager]`), removed likewise. */
  implied?: Record<string, Array<string | number>>;
  /** Target-field conditions ANDed before the rule's own logic. Values may be lists (any of). */
  conditions?: Record<string, string | number | Array<string | number>>;
  /**
   * Add the Windows channel and event ids of the rule's log source (logsources/windows.yml)
   * as conditions in Sigma field names, mapped like the rule's own fields.
   */
  windows?: boolean;
  /**
   * With `windows`: cover every source of the log source (process_creation: Sysmon 1 and Security
   * 4688), each branch with the source's own field names. For targets over raw events.
   */
  allSources?: boolean;
  /** Why this log source has no home in the target: the rule fails with this reason. */
  error?: string;
  /** Notes recorded as approximations whenever this source is used. */
  approximate?: string;
}

export interface Pipeline {
  id: string;
  title: string;
  /** Languages (backends) the pipeline is meant for. */
  languages: string[];
  /** What to do with a field no field map names: keep it as written, or fail the rule. */
  unmapped: 'keep' | 'error';
  /** Template for unmapped fields when `unmapped: keep` (`{field}` is the Sigma name). */
  unmappedTemplate?: string;
  /** Type of fields produced by the template (e.g. `dynamic` for KQL `EventData.X`). */
  unmappedType?: string;
  sources: SourceRule[];
  fieldmaps: Record<string, Record<string, FieldRule>>;
  /**
   * Every mapped field must be a column of the source's schema (resolved case-insensitively to the
   * column's own spelling); others fail the rule with a clear reason.
   */
  checkColumns?: boolean;
  /** Column types of the tables the pipeline targets: table → column → type. */
  schemas?: Record<string, Record<string, string>>;
  /** The file it was read from. */
  file?: string;
}
