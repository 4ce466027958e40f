// The SigmaHQ regression cases (../shared/events/sigma-regression/manifest.json): each case passes
// when its own rule, from the sigma corpus, hits its events at least `expected_match_count`
// times (at least once when none is given), read from the .jsonl twin and from the .evtx itself.
import './util.js';
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Hunter, readEventFile, type Hit } from '../../src/engine/index.js';
import { loadRuleFile } from '../../src/formats/load.js';
import { SHARED, SIGMA } from '../helpers.js';

const BASE = join(SHARED, 'events', 'sigma-regression');

interface Case {
  rule_id: string;
  sigma_repo_rule_path: string;
  evtx: string;
  jsonl: string;
  expected_match_count: number | null;
}

const manifest = JSON.parse(readFileSync(join(BASE, 'manifest.json'), 'utf8')) as { cases: Case[]; counts: { cases: number } };

async function hitsOf(c: Case, file: string): Promise<{ hits: number; problems: number }> {
  const hunter = new Hunter(loadRuleFile(join(SIGMA, c.sigma_repo_rule_path)));
  const all: Hit[] = [];
  let problems = 0;
  for await (const batch of readEventFile(join(BASE, file))) {
    for (const item of batch) {
      if (item.ok) hunter.process(item.record, (h) => all.push(h));
      else if (item.severity === 'error') problems++;
    }
  }
  hunter.finish((h) => all.push(h));
  return { hits: all.filter((h) => h.rule_id === `sigma:${c.rule_id}`).length, problems };
}

for (const mode of ['jsonl', 'evtx'] as const) {
  describe(`sigma regression cases from the ${mode === 'jsonl' ? '.jsonl twins' : '.evtx files'}`, () => {
    it(`has all ${manifest.counts.cases} cases`, () => assert.equal(manifest.cases.length, 123));
    for (const c of manifest.cases) {
      it(`${c.sigma_repo_rule_path}`, async () => {
        const { hits, problems } = await hitsOf(c, mode === 'jsonl' ? c.jsonl : c.evtx);
        assert.equal(problems, 0);
        assert.ok(hits >= (c.expected_match_count ?? 1), `${hits} hits, expected ${c.expected_match_count ?? 'at least 1'}`);
      });
    }
  });
}
