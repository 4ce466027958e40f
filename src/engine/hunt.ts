import type { Rule } from '../model/index.js';
import { Hunter, type Hit, type HuntOptions } from './hunter.js';
import type { RuleSet } from './ruleset.js';
import { readEvents, type ReadOptions, type SourceProblem } from './sources/index.js';

/**
 * Hunts files and folders in one call: the hits, and what could not be read, in reading order
 * (correlation hits decided at the end come last). For control over reading or output, use
 * {@link Hunter} with {@link readEvents} directly, as the CLI does.
 */
export async function* hunt(rules: readonly Rule[] | RuleSet, paths: readonly string[], options: HuntOptions & ReadOptions = {}): AsyncGenerator<Hit | SourceProblem> {
  const hunter = new Hunter(rules, options);
  const out: Array<Hit | SourceProblem> = [];
  const emit = (h: Hit): void => {
    out.push(h);
  };
  for await (const batch of readEvents(paths, options)) {
    for (const item of batch) {
      if (item.ok) hunter.process(item.record, emit);
      else out.push(item);
    }
    yield* out;
    out.length = 0;
  }
  hunter.finish(emit);
  yield* out;
}
