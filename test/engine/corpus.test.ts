// Every rule of the Sigma corpus over every event file of ../shared/events: no crash, every
// file read, and the literal prefilter changes nothing (the same hits with it and without it).
import './util.js';
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { it } from 'node:test';
import { Hunter, listEventFiles, readEventFile, RuleSet, type SourceRecord } from '../../src/engine/index.js';
import { loadRuleFile } from '../../src/formats/load.js';
import type { Rule } from '../../src/model/index.js';
import { SHARED, SIGMA, SIGMA_RULE_DIRS, listFiles } from '../helpers.js';

it('hunts all of ../shared/events with the whole Sigma corpus, identically with and without the prefilter', async () => {
  const rules: Rule[] = [];
  for (const d of [...SIGMA_RULE_DIRS, 'deprecated']) for (const f of listFiles(join(SIGMA, d))) rules.push(...loadRuleFile(f));
  const fast = new Hunter(new RuleSet(rules));
  const slow = new Hunter(new RuleSet(rules, { prefilter: false }));
  const { files, missing } = listEventFiles([join(SHARED, 'events')]);
  assert.deepEqual(missing, []);
  assert.ok(files.length > 900, `${files.length} event files`);
  const key = (h: { rule_id: string; file: string | null; record_id: number | null }) => `${h.rule_id} ${h.file} ${h.record_id}`;
  const a: string[] = [];
  const b: string[] = [];
  let events = 0;
  let errors = 0;
  const flat: SourceRecord[] = [];
  for (const f of files) {
    for await (const batch of readEventFile(f.path)) {
      for (const item of batch) {
        if (!item.ok) {
          if (item.severity === 'error') errors++;
          continue;
        }
        events++;
        fast.process(item.record, (h) => a.push(key(h)));
        slow.process(item.record, (h) => b.push(key(h)));
        if (f.path.includes('/otrf/') && flat.length < 5) flat.push(item.record);
      }
    }
  }
  fast.finish((h) => a.push(key(h)));
  slow.finish((h) => b.push(key(h)));
  assert.equal(errors, 0, 'every file reads cleanly');
  assert.ok(events > 30_000, `${events} events`);
  assert.ok(a.length > 5_000, `${a.length} hits`);
  assert.deepEqual(a, b);
  assert.ok(fast.stats.evaluations * 10 < slow.stats.evaluations, `the prefilter runs ${fast.stats.evaluations} predicates instead of ${slow.stats.evaluations}`);
  assert.equal(flat.length, 5, 'flat OTRF events were read');
});
