import type { Diagnostic } from './diagnostic.js';
import type { Expr } from './expr.js';
import type { Span } from './span.js';

/** The rule languages RuleAtlas reads. */
export type RuleFormat = 'sigma' | 'splunk' | 'kql' | 'elastic' | 'yaral';

/** Where a rule came from: enough to cite it and to find it again upstream. */
export interface RuleSource {
  /** Corpus folder name: `sigma`, `splunk`, `elastic`, `sentinel`, `chronicle`, or `local`. */
  corpus: string;
  /** `owner/name` of the upstream repository, when known. */
  repository?: string;
  commit?: string;
  /** Path of the file, relative to the corpus root when the rule came from a corpus. */
  path: string;
  /** Link to the file upstream, when the repository and commit are known. */
  url?: string;
  retrievedAt?: string;
  license?: string;
  /** Index of the YAML document within a multi-document file (0 for single documents). */
  document?: number;
}

export type Severity = 'informational' | 'low' | 'medium' | 'high' | 'critical';

/** What a stage does to the event stream. */
export type StageRole = 'source' | 'filter' | 'transform' | 'aggregate' | 'output' | 'correlate';

/**
 * One step of a rule's pipeline. Sigma rules have one `detection` stage; an SPL search has one
 * stage per `|` command, a KQL query one per tabular operator.
 */
export interface Stage {
  /** 0-based position in the pipeline. */
  index: number;
  /** The command as the language names it: `detection`, `search`, `where`, `tstats`, `stats`, `summarize`, ... */
  command: string;
  role: StageRole;
  /** The stage's source text. */
  text: string;
  span: Span;
  /** The predicate a filtering stage applies. */
  filter?: Expr;
  /** Command arguments that are not predicates: `by` fields, `span=1s`, table names, ... */
  args?: Record<string, unknown>;
}

export type CorrelationType =
  | 'event_count'
  | 'value_count'
  | 'temporal'
  | 'temporal_ordered'
  | 'value_sum'
  | 'value_avg'
  | 'value_percentile';

export const CORRELATION_TYPES: readonly CorrelationType[] = [
  'event_count',
  'value_count',
  'temporal',
  'temporal_ordered',
  'value_sum',
  'value_avg',
  'value_percentile',
];

export type ConditionOperator = 'gt' | 'gte' | 'lt' | 'lte' | 'eq' | 'neq';

/** A Sigma correlation (meta) rule: how the events of other rules are aggregated over time. */
export interface Correlation {
  type: CorrelationType;
  /** Referenced rules, by id or name, as written. */
  rules: string[];
  groupBy: string[];
  timespan: { text: string; seconds: number };
  /** Thresholds, ANDed (`gt: 100, lte: 200`). Empty for temporal types without a condition. */
  condition: Array<{ op: ConditionOperator; value: number }>;
  /** The field(s) value_* correlations aggregate. */
  field?: string[];
  /** alias name → (rule name → field in that rule's events). */
  aliases?: Record<string, Record<string, string>>;
  /** Whether the referenced rules also produce their own queries. */
  generate: boolean;
  span: Span;
}

/** A Sigma meta filter: a detection that narrows (excludes from) other rules. */
export interface RuleFilter {
  /** Ids or names of the rules the filter applies to. */
  rules: string[];
  span: Span;
}

export interface AttackTags {
  /** Tactic short names as tagged (`command-and-control`, `stealth`). */
  tactics: string[];
  /** Technique ids, upper case (`T1572`, `T1059.001`). */
  techniques: string[];
  /** Group (`G0016`) and software (`S0002`) ids. */
  groups: string[];
  software: string[];
}

/**
 * A detection rule of any vendor, in the shared intermediate form.
 */
export interface Rule {
  /** `<source>:<native id>`, e.g. `sigma:ee37eb7c-a4e7-4cd5-8fa4-efa27f1c3f31`. */
  id: string;
  /** The id the rule carries in its own format, when it has one. */
  nativeId: string | null;
  format: RuleFormat;
  kind: 'detection' | 'correlation' | 'filter';
  source: RuleSource;
  title: string;
  name?: string;
  description?: string;
  author?: string;
  /** ISO dates `YYYY-MM-DD` as written (unparsed dates are kept as text). */
  date?: string;
  modified?: string;
  status?: string;
  severity?: Severity;
  tags: string[];
  attack: AttackTags;
  /** Sigma logsource (category, product, service, definition, ...). */
  logsource?: Record<string, string>;
  /** Data sources the rule needs, as the vendor names them. */
  dataSources: string[];
  references: string[];
  falsePositives: string[];
  /** Fields the rule suggests showing. */
  fields?: string[];
  related?: Array<{ id: string; type: string }>;
  /** The original text of the rule document. */
  body: string;
  /** Where `body` sits in the file (spans are file offsets). */
  bodySpan: Span;
  /** The 1-based line of the file where `body` starts (1 unless the file holds several documents). */
  bodyLine?: number;
  logic: Stage[];
  correlation?: Correlation;
  filter?: RuleFilter;
  diagnostics: Diagnostic[];
  /** Attributes outside the format's schema, kept as they are. */
  custom?: Record<string, unknown>;
}

/** The filtering stages of a rule, in pipeline order. */
export function filteringStages(rule: Rule): Stage[] {
  return rule.logic.filter((s) => s.filter !== undefined);
}

/**
 * Whether a reader reported an error (the rule did not parse into usable logic). Quality findings
 * of the linter (`lint.*`) never make a parsed rule unparsed, even at error severity.
 */
export function hasErrors(rule: Pick<Rule, 'diagnostics'>): boolean {
  return rule.diagnostics.some((d) => d.severity === 'error' && !d.code.startsWith('lint.'));
}

/** A rule with no logic yet: what readers start from (and what an unreadable file becomes). */
export function blankRule(format: RuleFormat, source: RuleSource, body: string, bodySpan: Span): Rule {
  return {
    id: '',
    nativeId: null,
    format,
    kind: 'detection',
    source,
    title: '',
    tags: [],
    attack: { tactics: [], techniques: [], groups: [], software: [] },
    dataSources: [],
    references: [],
    falsePositives: [],
    body,
    bodySpan,
    logic: [],
    diagnostics: [],
  };
}
