/**
 * Damaged files: a fixed-seed fuzz over real samples (the reader never throws, always ends, and
 * every item it yields is well formed), and targeted damage that must not cost the undamaged
 * chunks or records anything.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readEvtx, readEvtxBuffer } from '../../src/evtx/index.js';
import type { EvtxItem, EvtxRecord } from '../../src/evtx/index.js';
import { sample } from './samples.js';

const CHUNK = 65536;
const HEADER = 4096;

/** mulberry32: small, fast, and the same sequence on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Real files with different providers and value types, cut to at most `chunks` chunks. */
const SOURCES: Array<{ file: string; chunks: number }> = [
  { file: 'hayabusa-sample-evtx/src/DeepBlueCLI/many-events-application.evtx', chunks: 4 },
  { file: 'hayabusa-sample-evtx/src/DeepBlueCLI/smb-password-guessing-security.evtx', chunks: 3 },
  { file: 'evtx-attack-samples/src/Credential Access/MSSQL_multiple_failed_logon_EventID_18456.evtx', chunks: 1 },
  { file: 'hayabusa-sample-evtx/src/YamatoSecurity/Persistence/T1197_BitsClient.evtx', chunks: 1 },
  { file: 'evtx-attack-samples/src/AutomatedTestingTools/Malware/rundll32_cmd_schtask.evtx', chunks: 1 },
  { file: 'evtx-attack-samples/src/Persistence/Persistence_Winsock_Catalog Change EventId_1.evtx', chunks: 1 },
];

function load(file: string, chunks: number): Buffer {
  const b = readFileSync(sample(file));
  return b.subarray(0, Math.min(b.length, HEADER + chunks * CHUNK));
}

type Mutation = (b: Buffer, r: () => number) => { data: Buffer; what: string };

const pick = (r: () => number, n: number): number => Math.floor(r() * n);

/** Offsets of record headers, so some damage lands on the fields that steer parsing. */
function recordOffsets(b: Buffer): number[] {
  const out: number[] = [];
  for (let i = b.indexOf('**\0\0', HEADER, 'latin1'); i >= 0; i = b.indexOf('**\0\0', i + 1, 'latin1')) out.push(i);
  return out;
}

const MUTATIONS: Record<string, Mutation> = {
  bitflips(b, r) {
    const n = 1 + pick(r, 64);
    for (let i = 0; i < n; i++) b[HEADER + pick(r, b.length - HEADER)] ^= 1 << pick(r, 8);
    return { data: b, what: `${n} bit flips` };
  },
  byteRun(b, r) {
    const len = 1 + pick(r, 2048);
    const at = HEADER + pick(r, b.length - HEADER);
    const mode = pick(r, 3);
    for (let i = at; i < Math.min(b.length, at + len); i++) b[i] = mode === 0 ? pick(r, 256) : mode === 1 ? 0 : 0xff;
    return { data: b, what: `run of ${len} ${['random', 'zero', '0xff'][mode]} bytes at ${at}` };
  },
  truncate(b, r) {
    const at = pick(r, b.length);
    return { data: b.subarray(0, at), what: `truncated to ${at}` };
  },
  zeroChunkHeader(b, r) {
    const chunks = Math.max(1, Math.floor((b.length - HEADER) / CHUNK));
    const c = pick(r, chunks);
    b.fill(0, HEADER + c * CHUNK, Math.min(b.length, HEADER + c * CHUNK + 512));
    return { data: b, what: `zeroed header of chunk ${c}` };
  },
  chunkHeaderFields(b, r) {
    const chunks = Math.max(1, Math.floor((b.length - HEADER) / CHUNK));
    const c = HEADER + pick(r, chunks) * CHUNK;
    const field = [8, 16, 24, 32, 40, 44, 48, 52, 124][pick(r, 9)];
    if (c + field + 4 <= b.length) b.writeUInt32LE(pick(r, 2) === 0 ? pick(r, 0x20000) : pick(r, 2 ** 32), c + field);
    return { data: b, what: `chunk field +${field} at ${c}` };
  },
  recordSizes(b, r) {
    const recs = recordOffsets(b);
    const n = 1 + pick(r, 4);
    for (let i = 0; i < n && recs.length > 0; i++) {
      const at = recs[pick(r, recs.length)];
      const v = [0, 1, 27, 28, 0xffff, 0xffffffff, pick(r, 70000)][pick(r, 7)];
      if (at + 8 <= b.length) b.writeUInt32LE(v >>> 0, at + 4);
    }
    return { data: b, what: `${n} record sizes` };
  },
  binxmlWords(b, r) {
    // Random u32s right after record headers: template ids, definition offsets, counts.
    const recs = recordOffsets(b);
    const n = 1 + pick(r, 6);
    for (let i = 0; i < n && recs.length > 0; i++) {
      const at = recs[pick(r, recs.length)] + 24 + pick(r, 64);
      if (at + 4 <= b.length) b.writeUInt32LE(pick(r, 3) === 0 ? pick(r, CHUNK) : pick(r, 2 ** 32), at);
    }
    return { data: b, what: `${n} BinXML words` };
  },
  fileHeader(b, r) {
    b.fill(pick(r, 256), 0, 1 + pick(r, 128));
    return { data: b, what: 'file header overwritten' };
  },
  shuffledChunks(b, r) {
    const chunks = Math.floor((b.length - HEADER) / CHUNK);
    if (chunks < 2) return MUTATIONS.bitflips(b, r);
    const x = pick(r, chunks);
    const y = (x + 1 + pick(r, chunks - 1)) % chunks;
    const tmp = Buffer.from(b.subarray(HEADER + x * CHUNK, HEADER + (x + 1) * CHUNK));
    b.copy(b, HEADER + x * CHUNK, HEADER + y * CHUNK, HEADER + (y + 1) * CHUNK);
    tmp.copy(b, HEADER + y * CHUNK);
    return { data: b, what: `chunks ${x} and ${y} swapped` };
  },
};

/** Everything an item promises, checked on whatever the reader made of the damage. */
function checkItem(item: EvtxItem, size: number, what: string): void {
  if (item.ok) {
    const r = item.record;
    assert.ok(Number.isFinite(r.recordId) && r.recordId >= 0, `${what}: record id`);
    assert.match(r.timestamp, /^-?\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/, `${what}: timestamp`);
    assert.ok(r.offset >= HEADER && r.offset < size, `${what}: record offset ${r.offset}`);
    assert.equal(typeof r.event, 'object');
    assert.ok(Object.keys(r.event).length > 0, `${what}: event has a root element`);
    // JSON-safe: no undefined, NaN, bigint or cycles.
    assert.deepStrictEqual(JSON.parse(JSON.stringify(r.event)), r.event, `${what}: event survives JSON`);
  } else {
    assert.ok(item.severity === 'error' || item.severity === 'warning', `${what}: severity`);
    assert.ok(Number.isInteger(item.chunk) && item.chunk >= -1, `${what}: chunk`);
    assert.ok(Number.isInteger(item.offset) && item.offset >= 0 && item.offset <= size, `${what}: offset ${item.offset}`);
    assert.ok(typeof item.reason === 'string' && item.reason.length > 0, `${what}: reason`);
  }
}

test('300 fixed-seed mutants of real files: never throws, always ends, items well formed', (t) => {
  const random = rng(Number(process.env.EVTX_FUZZ_SEED ?? 0x5eed_2026));
  const count = Number(process.env.EVTX_FUZZ_MUTANTS ?? 300);
  const originals = SOURCES.map((s) => ({ ...s, bytes: load(s.file, s.chunks) }));
  const kinds = Object.keys(MUTATIONS);
  const dir = mkdtempSync(join(tmpdir(), 'evtx-fuzz-'));
  const stats = { mutants: 0, records: 0, errors: 0, warnings: 0, viaFile: 0 };
  try {
    for (let m = 0; m < count; m++) {
      const src = originals[m % originals.length];
      let data: Buffer = Buffer.from(src.bytes);
      const steps: string[] = [];
      for (let k = 1 + pick(random, 3); k > 0; k--) {
        const kind = kinds[pick(random, kinds.length)];
        const out = MUTATIONS[kind](data, random);
        data = out.data;
        steps.push(`${kind}: ${out.what}`);
      }
      const what = `mutant ${m} of ${src.file} (${steps.join('; ')})`;
      // Items are at least 24 bytes of input apart (a record header), plus a few per chunk.
      const bound = data.length / 8 + 64;
      let items: EvtxItem[] = [];
      try {
        if (m % 10 === 0) {
          const path = join(dir, `m${m}.evtx`);
          writeFileSync(path, data);
          for (const item of readEvtx(path)) {
            items.push(item);
            assert.ok(items.length <= bound, `${what}: too many items`);
          }
          stats.viaFile++;
          // The file and buffer APIs agree.
          assert.deepStrictEqual([...readEvtxBuffer(data)], items, `${what}: file and buffer readers differ`);
        } else {
          items = [];
          for (const item of readEvtxBuffer(data)) {
            items.push(item);
            assert.ok(items.length <= bound, `${what}: too many items`);
          }
        }
      } catch (e) {
        if (e instanceof assert.AssertionError) throw e;
        assert.fail(`${what}: the reader threw ${String(e)}`);
      }
      for (const item of items) checkItem(item, data.length, what);
      stats.mutants++;
      for (const item of items) {
        if (item.ok) stats.records++;
        else if (item.severity === 'error') stats.errors++;
        else stats.warnings++;
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  t.diagnostic(`${stats.mutants} mutants (${stats.viaFile} through files): ${stats.records} records, ${stats.errors} errors, ${stats.warnings} warnings`);
  assert.equal(stats.mutants, count);
  // The damage must actually be seen, and most records must survive it.
  assert.ok(stats.errors > 100, `errors reported: ${stats.errors}`);
  assert.ok(stats.records > 1000, `records recovered: ${stats.records}`);
});

function records(items: EvtxItem[]): EvtxRecord[] {
  return items.filter((i): i is { ok: true; record: EvtxRecord } => i.ok).map((i) => i.record);
}

test('one corrupted chunk costs only that chunk: the records of the others are unchanged', () => {
  const original = readFileSync(sample('hayabusa-sample-evtx/src/DeepBlueCLI/many-events-application.evtx'));
  const baseline = records([...readEvtxBuffer(original)]);
  const chunks = new Set(baseline.map((r) => r.chunk));
  assert.ok(chunks.size >= 10, 'a file with many chunks');
  const victim = 7;
  const others = baseline.filter((r) => r.chunk !== victim);
  assert.ok(others.length < baseline.length && others.length > 0);
  const at = HEADER + victim * CHUNK;

  // Bad magic: the chunk is skipped with one error that says where.
  const badMagic = Buffer.from(original);
  badMagic.write('NotAChnk', at, 'latin1');
  const items = [...readEvtxBuffer(badMagic)];
  assert.deepStrictEqual(records(items), others);
  const problems = items.filter((i) => !i.ok);
  assert.equal(problems.length, 1);
  assert.deepEqual({ ...problems[0], reason: undefined }, { ok: false, severity: 'error', chunk: victim, offset: at, reason: undefined });

  // Garbage in the middle of its records: the other chunks are untouched, the damaged chunk keeps
  // the records before the damage, and everything wrong is reported against that chunk.
  const garbage = Buffer.from(original);
  const random = rng(7);
  const from = at + 20000;
  for (let i = from; i < from + 8000; i++) garbage[i] = pick(random, 256);
  const items2 = [...readEvtxBuffer(garbage)];
  const got = records(items2);
  assert.deepStrictEqual(got.filter((r) => r.chunk !== victim), others);
  const before = baseline.filter((r) => r.chunk === victim && r.offset + 2000 < from);
  assert.ok(before.length > 0);
  assert.deepStrictEqual(got.filter((r) => r.chunk === victim).slice(0, before.length), before);
  const problems2 = items2.filter((i) => !i.ok);
  assert.ok(problems2.length >= 1);
  assert.ok(problems2.every((p) => !p.ok && p.chunk === victim), 'problems only in the damaged chunk');
  assert.ok(problems2.some((p) => !p.ok && p.severity === 'error'), 'the lost records are reported');
});

test('a corrupted record costs only that record: the rest of its chunk is read', () => {
  const original = readFileSync(sample('hayabusa-sample-evtx/src/DeepBlueCLI/many-events-application.evtx'));
  const baseline = records([...readEvtxBuffer(original)]);
  const inChunk = baseline.filter((r) => r.chunk === 3);
  const victim = inChunk[Math.floor(inChunk.length / 2)];
  const damaged = Buffer.from(original);
  damaged.fill(0x41, victim.offset, victim.offset + 64);
  const items = [...readEvtxBuffer(damaged, { checksums: 'off' })];
  assert.deepStrictEqual(records(items), baseline.filter((r) => r !== victim));
  const problems = items.filter((i) => !i.ok);
  assert.equal(problems.length, 1);
  assert.equal(!problems[0].ok && problems[0].offset, victim.offset);
});

test('a file cut in the middle of a chunk yields the records before the cut', () => {
  const original = readFileSync(sample('hayabusa-sample-evtx/src/DeepBlueCLI/many-events-application.evtx'));
  const baseline = records([...readEvtxBuffer(original)]);
  const cut = HEADER + 5 * CHUNK + 30000;
  const items = [...readEvtxBuffer(original.subarray(0, cut))];
  const expected = baseline.filter((r) => r.chunk < 5 || (r.chunk === 5 && r.offset + 3000 < cut));
  const got = records(items);
  assert.deepStrictEqual(got.slice(0, expected.length), expected);
  assert.ok(got.every((r) => r.offset < cut));
  assert.ok(items.some((i) => !i.ok && i.severity === 'warning' && /truncated/.test(i.reason)));
});
