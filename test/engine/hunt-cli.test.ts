import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, SHARED, SIGMA } from '../helpers.js';

const BIN = join(ROOT, 'bin', 'ruleatlas');
const RULES = join(SIGMA, 'rules', 'windows', 'process_creation');
const EVENTS = join(SHARED, 'events', 'evtx-attack-samples', 'src', 'Execution');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, 'hunt', ...args], { encoding: 'utf8', cwd: ROOT, maxBuffer: 64 << 20 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('ruleatlas hunt (compiled: run `npm run build` first)', () => {
  it('--format ndjson: one line per hit, the fixed keys first', () => {
    const r = run('--rules', RULES, '--events', EVENTS, '--format', 'ndjson');
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(lines.length > 20, `${lines.length} hits`);
    for (const l of lines) {
      assert.deepEqual(Object.keys(l).slice(0, 9), ['rule_id', 'rule_title', 'level', 'file', 'record_id', 'timestamp', 'channel', 'event_id', 'fields']);
      assert.match(String(l.rule_id), /^sigma:[0-9a-f-]{36}$/);
      assert.equal(typeof l.record_id, 'number');
    }
    assert.match(r.err, /events from \d+ files/);
  });

  it('--format table: a timeline and a summary by level and rule; --min-level filters', () => {
    const r = run('--rules', RULES, '--events', EVENTS, '--min-level', 'high');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^Timestamp\s+Level\s+Rule/m);
    assert.match(r.out, /Hits by level: (critical \d+, )?high \d+$/m);
    assert.match(r.out, /Rules with hits \(\d+\):/);
    assert.doesNotMatch(r.out, /^\S+ \S+\s+medium /m);
  });

  it('--format csv with --from/--to', () => {
    const all = run('--rules', RULES, '--events', EVENTS, '--format', 'csv');
    const some = run('--rules', RULES, '--events', EVENTS, '--format', 'csv', '--from', '2019-05-01T00:00:00Z', '--to', '2019-06-01T00:00:00Z');
    assert.equal(some.code, 0, some.err);
    const header = some.out.split('\n')[0]!;
    assert.equal(header, 'rule_id,rule_title,level,file,record_id,timestamp,channel,event_id,fields,kind,computer');
    const n = (s: string) => s.trim().split('\n').length - 1;
    assert.ok(n(some.out) > 0 && n(some.out) < n(all.out), `${n(some.out)} of ${n(all.out)}`);
  });

  it('usage errors exit 2, unreadable inputs exit 1', () => {
    assert.equal(run('--rules', RULES, '--events', EVENTS, '--format', 'xml').code, 2);
    assert.equal(run('--rules', RULES, '--events', EVENTS, '--min-level', 'severe').code, 2);
    assert.equal(run('--rules', RULES, '--events', EVENTS, '--from', 'soon').code, 2);
    const missing = run('--rules', RULES, '--events', join(EVENTS, 'no-such-file.evtx'), '--format', 'ndjson');
    assert.equal(missing.code, 1);
    assert.match(missing.err, /cannot read events/);
  });
});
