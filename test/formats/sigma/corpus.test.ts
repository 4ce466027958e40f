import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { loadRuleFile } from '../../../src/formats/load.js';
import { corpusFindings, findLogsourceFields } from '../../../src/formats/sigma/index.js';
import { hasErrors, walkExpr, type Rule } from '../../../src/model/index.js';
import { ROOT, SIGMA, SIGMA_RULE_DIRS, listFiles } from '../../helpers.js';

/**
 * The whole SigmaHQ corpus: every non-deprecated rule parses (pySigma accepts all 3,780); anything
 * rejected (deprecated folder) has a positioned finding. Writes reports/sigma-corpus.json.
 */
describe('Sigma corpus', () => {
  const dirs = [...SIGMA_RULE_DIRS, 'deprecated'];
  const files = dirs.flatMap((d) => listFiles(join(SIGMA, d)));
  const rules: Rule[] = [];
  const fields = findLogsourceFields(files[0]!);
  for (const f of files) rules.push(...loadRuleFile(f, { validation: fields ? { logsourceFields: fields } : {} }));
  corpusFindings(rules);

  it('reads all 3,952 files', () => {
    assert.equal(files.length, 3952);
    assert.equal(new Set(rules.map((r) => r.source.path)).size, 3952);
  });

  it('parses every non-deprecated rule, with no opaque logic', () => {
    const live = rules.filter((r) => !r.source.path.includes('/deprecated/'));
    assert.equal(live.length, 3780);
    const failed = live.filter(hasErrors).map((r) => `${r.source.path}: ${r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join('; ')}`);
    assert.deepEqual(failed, []);
    const opaque = live.filter((r) => r.logic.some((s) => s.filter && containsOpaque(s.filter)));
    assert.deepEqual(opaque.map((r) => r.source.path), []);
  });

  it('gives every rejected rule a positioned finding with its reason', () => {
    for (const r of rules.filter(hasErrors)) {
      const e = r.diagnostics.find((d) => d.severity === 'error')!;
      assert.ok(e.line >= 1 && e.column >= 1 && e.message.length > 10, r.source.path);
    }
  });

  it('finds what a careful reader would (known issues in this corpus)', () => {
    const find = (path: string, code: string) => rules.find((r) => r.source.path.endsWith(path))!.diagnostics.some((d) => d.code === code);
    // A modifier written into a search identifier's name, so the intended `endswith` never applies.
    assert.ok(find('proc_creation_macos_file_and_directory_discovery.yml', 'sigma.identifier-name'));
    // An obsolete aggregation condition in the deprecated folder.
    assert.ok(find('deprecated/other/generic_brute_force.yml', 'sigma.condition-syntax'));
  });

  it('writes a report of findings by code', () => {
    const byCode: Record<string, number> = {};
    for (const r of rules) for (const d of r.diagnostics) byCode[`${d.severity} ${d.code}`] = (byCode[`${d.severity} ${d.code}`] ?? 0) + 1;
    const rejected = rules.filter(hasErrors).map((r) => ({ path: relative(SIGMA, r.source.path), errors: r.diagnostics.filter((d) => d.severity === 'error') }));
    mkdirSync(join(ROOT, 'reports'), { recursive: true });
    writeFileSync(join(ROOT, 'reports', 'sigma-corpus.json'), JSON.stringify({ files: files.length, rules: rules.length, parsed: rules.length - rejected.length, byCode, rejected }, null, 2));
    assert.ok(JSON.parse(readFileSync(join(ROOT, 'reports', 'sigma-corpus.json'), 'utf8')).parsed >= 3780);
  });
});

function containsOpaque(e: Parameters<typeof walkExpr>[0]): boolean {
  let found = false;
  walkExpr(e, (n) => {
    if (n.kind === 'opaque') found = true;
  });
  return found;
}
