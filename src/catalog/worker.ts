import { parentPort } from 'node:worker_threads';
import type { Rule } from '../model/index.js';
import type { Corpus } from './corpora.js';
import { runRegressions } from './regression.js';
import { attackContext, deriveRule, enrichmentContext, readCorpusRules, type CorpusFacts, type Derived, type ReadRule } from './work.js';

/**
 * An ingest worker: reads the corpora it is given, and derives the enrichment of the rules it is
 * given (as stored JSON) from the whole catalog's counts. Messages are plain data (see `ingest.ts`).
 */
export type ToWorker = { type: 'read'; corpora: Corpus[] } | { type: 'derive'; rules: string[]; facts: CorpusFacts; attack: string | false | undefined; regression: string | null | false };
export type FromWorker =
  | { type: 'progress'; source: string; done: number; files: number }
  | { type: 'source'; name: string; ms: number; rules: Array<Omit<ReadRule, 'rule'>> }
  | { type: 'read-done' }
  | { type: 'derived'; items: Derived[] }
  | { type: 'derive-done' }
  | { type: 'error'; message: string };

const port = parentPort!;
const post = (m: FromWorker): void => port.postMessage(m);

port.on('message', async (m: ToWorker) => {
  try {
    if (m.type === 'read') {
      for (const c of m.corpora) {
        const t0 = performance.now();
        const rules = readCorpusRules(c, (done) => post({ type: 'progress', source: c.name, done, files: c.files.length }));
        post({ type: 'source', name: c.name, ms: performance.now() - t0, rules: rules.map(({ rule: _rule, ...row }) => row) });
      }
      post({ type: 'read-done' });
    } else {
      const rules = m.rules.map((json) => JSON.parse(json) as Rule);
      const regression = await runRegressions(rules, m.regression);
      const ctx = { ...enrichmentContext(m.facts, attackContext(m.attack)), regression: (r: Rule) => regression.get(r.id) };
      let batch: Derived[] = [];
      for (const rule of rules) {
        batch.push(deriveRule(rule, ctx));
        if (batch.length === 500) {
          post({ type: 'derived', items: batch });
          batch = [];
        }
      }
      post({ type: 'derived', items: batch });
      post({ type: 'derive-done' });
    }
  } catch (e) {
    post({ type: 'error', message: (e as Error).stack ?? String(e) });
  }
});
