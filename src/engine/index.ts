/**
 * The matcher: Sigma rules (any rule in the intermediate form) over Windows events.
 *
 * ```ts
 * for await (const x of hunt(rules, ['logs/'], { minLevel: 'medium' })) console.log(x);
 * // or, with control over reading and output:
 * const hunter = new Hunter(rules, { minLevel: 'medium' });
 * for await (const batch of readEvents(['logs/'])) {
 *   for (const item of batch) if (item.ok) hunter.process(item.record, (hit) => console.log(hit));
 * }
 * hunter.finish((hit) => console.log(hit));
 * ```
 *
 * Regular expressions run on V8's RegExp: enable the linear-time fallback before compiling rules
 * (`v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks')`, as
 * bin/ruleatlas does) so no pattern can stall a hunt.
 */
export { Hunter, type Hit, type HuntOptions, type HuntStats } from './hunter.js';
export { hunt } from './hunt.js';
export { RuleSet, LEVELS, levelRank, testedFields, type RuleReport, type RuleState, type RuleSetOptions, type LoadedRule, type CompiledItem } from './ruleset.js';
export { EventView, parseTime, type SourceRecord } from './event.js';
export { compileExpr, type Pred, type CompileEnv, type Compiled } from './compile.js';
export { FieldRegistry, MatchContext } from './fields.js';
export { AhoCorasick } from './aho-corasick.js';
export { CorrelationState, DEFAULT_LIMITS, type CorrelationLimits, type CorrelationInput, type CorrelationFiring, type EventRef } from './correlation.js';
export { parseCidr, parseIP, cidrTest } from './cidr.js';
export { readEvents, readEventFile, readEventFiles, listEventFiles, isEventFile, EVENT_EXTENSIONS, type SourceItem, type SourceProblem, type ReadOptions, type ReadProgress, type EventFile } from './sources/index.js';
export { ndjsonLine, csvHeader, csvLine, TimelineWriter } from './output.js';
