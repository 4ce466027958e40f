import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hunter, readEventFile } from '../engine/index.js';
import type { Rule } from '../model/index.js';

/** The SigmaHQ regression cases: per rule, event files on which it must fire (at least n times). */
interface Case {
  rule_id: string;
  jsonl: string;
  expected_match_count: number | null;
}

export interface RegressionResult {
  cases: number;
  passed: number;
}

/** Where the regression cases are unless the user says: $RULEATLAS_REGRESSION, else ../shared/events/sigma-regression. */
export function defaultRegressionDir(): string | null {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const dir = process.env.RULEATLAS_REGRESSION ?? join(root, '..', 'shared', 'events', 'sigma-regression');
  return existsSync(join(dir, 'manifest.json')) ? dir : null;
}

/**
 * Runs each rule that has regression cases over its cases' events with the hunting engine (the
 * rule as the catalog read it), so a rule's confidence can say "fires on its regression events"
 * as a fact rather than a hope. Rules without cases are absent from the result.
 */
export async function runRegressions(rules: Iterable<Rule>, dir: string | null | false): Promise<Map<string, RegressionResult>> {
  const out = new Map<string, RegressionResult>();
  if (!dir) return out;
  let cases: Case[];
  try {
    cases = (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { cases: Case[] }).cases;
  } catch {
    return out;
  }
  const byRule = new Map<string, Case[]>();
  for (const c of cases) byRule.set(c.rule_id, [...(byRule.get(c.rule_id) ?? []), c]);
  for (const rule of rules) {
    if (rule.format !== 'sigma' || !rule.nativeId) continue;
    const mine = byRule.get(rule.nativeId);
    if (!mine) continue;
    let passed = 0;
    for (const c of mine) {
      const hunter = new Hunter([rule]);
      let hits = 0;
      try {
        for await (const batch of readEventFile(join(dir, c.jsonl))) {
          for (const item of batch) if (item.ok) hunter.process(item.record, (h) => void (h.rule_id === rule.id && hits++));
        }
        hunter.finish((h) => void (h.rule_id === rule.id && hits++));
      } catch {
        continue;
      }
      if (hits >= (c.expected_match_count ?? 1)) passed++;
    }
    out.set(rule.id, { cases: mine.length, passed });
  }
  return out;
}
