import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../helpers.js';

const BIN = join(ROOT, 'bin', 'ruleatlas');
const FIX = join(ROOT, 'test', 'fixtures', 'sigma');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: ROOT });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('CLI (compiled: run `npm run build` first)', () => {
  it('--version matches package.json', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(run('--version').out.trim(), pkg.version);
  });

  it('lint --format ndjson prints one line per rule document with the fixed fields', () => {
    const r = run('lint', '--format', 'ndjson', FIX);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines.length, 5); // multi.yml holds two documents
    for (const l of lines) {
      assert.deepEqual(Object.keys(l).slice(0, 5), ['path', 'id', 'title', 'parsed', 'findings']);
      for (const f of l.findings as Array<Record<string, unknown>>) assert.deepEqual(Object.keys(f), ['code', 'severity', 'message', 'line', 'column']);
    }
    const byPath = (p: string) => lines.filter((l) => String(l.path).endsWith(p));
    assert.equal(byPath('good.yml')[0]!.parsed, true);
    assert.equal(byPath('broken-modifier.yml')[0]!.parsed, false);
    const f = (byPath('broken-modifier.yml')[0]!.findings as Array<{ code: string; line: number; column: number }>)[0]!;
    assert.deepEqual([f.code, f.line, f.column], ['sigma.unknown-modifier', 8, 9]);
    assert.equal(byPath('broken-yaml.yml')[0]!.parsed, false);
    assert.deepEqual(byPath('multi.yml').map((l) => l.parsed), [true, true]);
  });

  it('lint --format sarif writes a SARIF 2.1.0 log', () => {
    const r = run('lint', '--format', 'sarif', FIX);
    assert.equal(r.code, 0);
    const log = JSON.parse(r.out) as { version: string; runs: Array<{ tool: { driver: { name: string; rules: Array<{ id: string }> } }; results: Array<Record<string, unknown>> }> };
    assert.equal(log.version, '2.1.0');
    const run0 = log.runs[0]!;
    assert.equal(run0.tool.driver.name, 'ruleatlas');
    const ids = new Set(run0.tool.driver.rules.map((x) => x.id));
    assert.ok(run0.results.length >= 2);
    for (const res of run0.results) {
      assert.ok(ids.has(res.ruleId as string));
      assert.ok(['error', 'warning', 'note', 'none'].includes(res.level as string));
      assert.equal(typeof (res.message as { text: string }).text, 'string');
      const loc = (res.locations as Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }>)[0]!;
      assert.ok(loc.physicalLocation.artifactLocation.uri.length > 0);
      assert.ok(loc.physicalLocation.region.startLine >= 1 && loc.physicalLocation.region.startColumn >= 1);
    }
  });

  it('exit codes: 0 with findings, 1 when an input cannot be read, 2 on usage errors', () => {
    assert.equal(run('lint', join(FIX, 'broken-modifier.yml')).code, 0);
    assert.equal(run('lint', join(FIX, 'nope.yml')).code, 1);
    assert.equal(run('lint', '--format', 'xml', FIX).code, 2);
    assert.equal(run('lint').code, 2);
    assert.equal(run('no-such-command').code, 2);
  });

  it('explain prints stages, predicates and indicators; --json the Rule', () => {
    const text = run('explain', join(FIX, 'good.yml'));
    assert.equal(text.code, 0);
    assert.match(text.out, /Stage 1: detection/);
    assert.match(text.out, /Image endswith "\\\\whoami.exe"/);
    const json = JSON.parse(run('explain', '--json', join(FIX, 'good.yml')).out) as { id: string; logic: unknown[] };
    assert.equal(json.id, 'sigma:3f7f2a4e-5a3c-4b7e-9f47-6d1f2b8e9a10');
    assert.equal(json.logic.length, 1);
    const multi = JSON.parse(run('explain', '--json', join(FIX, 'multi.yml')).out) as unknown[];
    assert.equal(multi.length, 2);
  });
});
