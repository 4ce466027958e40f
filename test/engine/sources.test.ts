import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { readEventFile, readEvents, type SourceItem } from '../../src/engine/index.js';
import { SHARED } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'ruleatlas-sources-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function all(it: AsyncIterable<SourceItem[]>): Promise<SourceItem[]> {
  const out: SourceItem[] = [];
  for await (const b of it) out.push(...b);
  return out;
}

const ok = (items: SourceItem[]) => items.filter((i): i is Extract<SourceItem, { ok: true }> => i.ok).map((i) => i.record);
const bad = (items: SourceItem[]) => items.filter((i) => !i.ok);

function write(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

const ev = (n: number) => ({ Event: { System: { EventID: n, Channel: 'Security', EventRecordID: n }, EventData: { Text: `e{v}"[${n}]` } } });

describe('event sources', () => {
  it('JSON lines, with blank lines, CRLF, a BOM and a bad line reported by number', async () => {
    const p = write('a.jsonl', '\ufeff' + JSON.stringify(ev(1)) + '\r\n\n' + JSON.stringify(ev(2)) + '\n{oops\n' + JSON.stringify(ev(3)));
    const items = await all(readEventFile(p));
    assert.deepEqual(ok(items).map((r) => (r.event as { Event: { System: { EventID: number } } }).Event.System.EventID), [1, 2, 3]);
    assert.equal(bad(items).length, 1);
    assert.match((bad(items)[0] as { where: string }).where, /line 4/);
  });

  it('a JSON array of events, pretty-printed, with braces and brackets inside strings', async () => {
    const p = write('b.json', JSON.stringify([ev(1), ev(2), ev(3)], null, 2));
    const items = await all(readEventFile(p));
    assert.equal(ok(items).length, 3);
    assert.equal(bad(items).length, 0);
    assert.equal((ok(items)[2]!.event as { Event: { EventData: { Text: string } } }).Event.EventData.Text, 'e{v}"[3]');
  });

  it('concatenated pretty-printed objects, and a truncated last one', async () => {
    const p = write('c.json', JSON.stringify(ev(1), null, 1) + '\n' + JSON.stringify(ev(2), null, 1) + '\n{"Event": {"System": ');
    const items = await all(readEventFile(p));
    assert.equal(ok(items).length, 2);
    assert.match((bad(items)[0] as { reason: string }).reason, /truncated/);
  });

  it('gzipped JSON lines, and a large file read in chunks', async () => {
    const lines = Array.from({ length: 30_000 }, (_, i) => JSON.stringify(ev(i))).join('\n');
    const p = write('d.jsonl.gz', gzipSync(lines));
    assert.equal(ok(await all(readEventFile(p))).length, 30_000);
    const big = write('big.json', '[' + Array.from({ length: 60_000 }, (_, i) => JSON.stringify(ev(i))).join(',\n') + ']');
    assert.ok(readFileSync(big).length > 4 << 20, 'larger than the whole-file threshold');
    const items = await all(readEventFile(big));
    assert.equal(ok(items).length, 60_000);
    assert.equal(bad(items).length, 0);
  });

  it('folders are searched for event files; missing paths are reported', async () => {
    const sub = join(dir, 'folder', 'nested');
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, 'x.ndjson'), JSON.stringify(ev(7)) + '\n');
    writeFileSync(join(sub, 'notes.txt'), 'not events');
    const items = await all(readEvents([join(dir, 'folder'), join(dir, 'nope')]));
    assert.equal(ok(items).length, 1);
    assert.match((bad(items)[0] as { reason: string }).reason, /no such file/);
  });

  it('EVTX, and gzipped EVTX, give the records of the JSONL twin', async () => {
    const base = join(SHARED, 'events', 'evtx-attack-samples');
    const evtx = join(base, 'src', 'Execution', 'Sysmon_Exec_CompiledHTML.evtx');
    const twin = join(base, 'jsonl', 'Execution', 'Sysmon_Exec_CompiledHTML.jsonl');
    const a = ok(await all(readEventFile(evtx)));
    const b = ok(await all(readEventFile(twin)));
    assert.ok(a.length > 0);
    assert.deepEqual(
      a.map((r) => r.event),
      b.map((r) => r.event),
    );
    const gz = write('e.evtx.gz', gzipSync(readFileSync(evtx)));
    assert.equal(ok(await all(readEventFile(gz))).length, a.length);
  });

  it('flat OTRF events come out as they are', async () => {
    const p = join(SHARED, 'events', 'otrf', 'json', 'credential_access', 'host', 'cmd_sam_copy_esentutl_2020-10-1900290001.json');
    const items = await all(readEventFile(p));
    assert.ok(ok(items).length > 100);
    assert.equal(bad(items).length, 0);
    assert.ok('Channel' in (ok(items)[0]!.event as object));
  });

  it('binary garbage is reported, not thrown', async () => {
    const p = write('junk.json', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x00, 0x7d, 0x5d, 0x5d]));
    const items = await all(readEventFile(p));
    assert.equal(ok(items).length, 0);
    assert.ok(bad(items).length >= 1);
  });
});

describe('hunt()', () => {
  it('yields hits and read problems from files and folders', async () => {
    const { hunt } = await import('../../src/engine/index.js');
    const { readSigma } = await import('../../src/formats/sigma/index.js');
    const rs = readSigma("title: T\nid: 12121212-2222-4333-8444-555555555555\nlogsource:\n    product: windows\n    service: security\ndetection:\n    sel:\n        EventID: 3\n    condition: sel\n", { file: 'x.yml' });
    const p = write('h.jsonl', [1, 2, 3, 3].map((n) => JSON.stringify(ev(n))).join('\n') + '\nnot json\n');
    const out = [];
    for await (const x of hunt(rs, [p, join(dir, 'missing.jsonl')])) out.push(x);
    assert.equal(out.filter((x) => 'rule_id' in x).length, 2);
    assert.equal(out.filter((x) => 'ok' in x && !x.ok).length, 2);
  });
});
