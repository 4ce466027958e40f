/** BinXML features and JSON rules on hand-built chunks, where every expected byte is known. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readEvtxBuffer } from '../../src/evtx/index.js';
import type { EvtxItem, EvtxOptions, EvtxRecord } from '../../src/evtx/index.js';
import { ChunkWriter, evtxFile, u16, u32, u64, utf16z, VT } from './builder.js';
import type { SubValue } from './builder.js';

const NS = 'http://schemas.microsoft.com/win/2004/08/events/event';
const T0 = 132479638492175623n; // 2020-10-23T21:57:29.2175623Z

/** The main template: System fields, then EventData with one feature per Data. */
function eventTemplate(w: ChunkWriter): void {
  w.open('Event', { attrs: true }).attr('xmlns').str(NS).closeStart();
  w.open('System').closeStart();
  w.open('Provider', { attrs: true }).attr('Name').str('Test-Provider').attr('Guid').subst(0, VT.guid).closeEmpty();
  w.open('EventID', { attrs: true }).attr('Qualifiers').subst(1, VT.uint16, true).closeStart().subst(2, VT.uint16).end();
  w.open('Keywords').closeStart().subst(3, VT.hex64).end();
  w.open('TimeCreated', { attrs: true }).attr('SystemTime').subst(4, VT.filetime).closeEmpty();
  w.open('Security', { attrs: true }).attr('UserID').subst(5, VT.sid, true).closeEmpty();
  w.end();
  w.open('EventData').closeStart();
  w.open('Data', { attrs: true }).attr('Name').str('Text').closeStart().subst(6, VT.string).end();
  w.open('Data', { attrs: true }).attr('Name').str('Mixed').closeStart();
  w.str('a').entityRef('amp').str('b').charRef(65).cdata('c').pi('target', 'ignored').subst(7, VT.string).end();
  w.open('Data', { attrs: true }).attr('Name').str('Empty').closeStart().subst(8, VT.string, true).end();
  w.open('Data', { attrs: true }).attr('Name').str('Count').closeStart().subst(9, VT.uint32).end();
  w.open('Data', { attrs: true }).attr('Name').str('List').closeStart().subst(10, VT.string | VT.array).end();
  w.open('Data', { attrs: true }).attr('Name').str('Nested').closeStart().subst(11, VT.binxml).end();
  w.end();
  w.end();
}

const GUID = Buffer.from([0x5f, 0x38, 0x70, 0x57, 0x2a, 0xc2, 0xe0, 0x43, 0xbf, 0x4c, 0x06, 0xf5, 0x69, 0x8f, 0xfb, 0xd9]);
const SID_SYSTEM = Buffer.from([1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0]);

function values(over: Partial<Record<number, SubValue>>): SubValue[] {
  const base: SubValue[] = [
    [VT.guid, GUID],
    [VT.null, Buffer.alloc(0)],
    [VT.uint16, u16(4624)],
    [VT.hex64, u64(0x8020000000000000n)],
    [VT.filetime, u64(T0)],
    [VT.null, Buffer.alloc(0)],
    [VT.string, utf16z('hello')],
    [VT.string, utf16z('tail')],
    [VT.null, Buffer.alloc(0)],
    [VT.uint32, u32(7)],
    [VT.string | VT.array, Buffer.concat([utf16z('x'), utf16z('y')])],
    [VT.null, Buffer.alloc(0)],
  ];
  for (const [i, v] of Object.entries(over)) base[Number(i)] = v as SubValue;
  return base;
}

/** A BinXml (0x21) value holding a fragment with its own template instance. */
function nestedValue(w: ChunkWriter): void {
  w.fragmentHeader();
  w.template(
    (d) => d.open('Inner', { attrs: true }).attr('Attr').str('x').closeStart().subst(0, VT.string).end(),
    [[VT.string, utf16z('deep')]],
    0x22,
  );
  w.eof();
}

/** Three records: the template inline, the template by offset, and elements without a template. */
function sampleChunk(): { chunk: Buffer; offsets: number[] } {
  const w = new ChunkWriter();
  let def = 0;
  const offsets = [
    w.record(1, T0, (r) => {
      def = r.template(eventTemplate, values({ 11: [VT.binxml, nestedValue] }));
    }),
    w.record(2, T0 + 10_000_000n, (r) => {
      r.template(def, values({ 1: [VT.uint16, u16(16384)], 2: [VT.uint16, u16(4625)], 5: [VT.sid, SID_SYSTEM], 8: [VT.string, utf16z('now set')] }));
    }),
    w.record(3, T0 + 20_000_000n, (r) => {
      r.open('Event', { depId: false }).closeStart();
      r.open('EventData', { depId: false }).closeStart();
      r.open('Data', { depId: false }).closeStart().str('one').end();
      r.open('Data', { depId: false }).closeStart().str('two').end();
      r.open('Data', { depId: false }).closeEmpty();
      r.open('Binary', { depId: false }).closeEmpty();
      r.end();
      r.open('X', { depId: false }).closeStart().str('1').end();
      r.open('X', { depId: false }).closeStart().str('2').end();
      r.open('X', { depId: false, attrs: true }).attr('a').str('').closeStart().str('3').str('4').end();
      r.end();
    }),
  ];
  return { chunk: w.finish(), offsets };
}

function read(file: Buffer, options?: EvtxOptions): { records: EvtxRecord[]; problems: EvtxItem[] } {
  const records: EvtxRecord[] = [];
  const problems: EvtxItem[] = [];
  for (const item of readEvtxBuffer(file, options)) {
    if (item.ok) records.push(item.record);
    else problems.push(item);
  }
  return { records, problems };
}

const expected1 = {
  Event: {
    '#attributes': { xmlns: NS },
    System: {
      Provider: { '#attributes': { Name: 'Test-Provider', Guid: '5770385F-C22A-43E0-BF4C-06F5698FFBD9' } },
      // Qualifiers is an optional substitution with a null value: the attribute disappears,
      // and with it the need for an object.
      EventID: 4624,
      Keywords: '0x8020000000000000',
      TimeCreated: { '#attributes': { SystemTime: '2020-10-23T21:57:29.217562Z' } },
      Security: null,
    },
    EventData: {
      Text: 'hello',
      Mixed: 'a&bActail',
      Empty: '',
      Count: 7,
      List: ['x', 'y'],
      Nested: { Inner: { '#attributes': { Attr: 'x' }, '#text': 'deep' } },
    },
  },
};

test('a template, its substitutions and a nested BinXml value render to the twins JSON shape', () => {
  const { chunk, offsets } = sampleChunk();
  const { records, problems } = read(evtxFile([chunk]));
  assert.deepEqual(problems, []);
  assert.equal(records.length, 3);
  assert.deepStrictEqual(records[0].event, expected1);
  assert.equal(records[0].recordId, 1);
  assert.equal(records[0].timestamp, '2020-10-23T21:57:29.217562Z');
  assert.equal(records[0].chunk, 0);
  assert.equal(records[0].offset, 4096 + offsets[0]);
});

test('the second record reuses the cached template by offset, with its own values', () => {
  const { records } = read(evtxFile([sampleChunk().chunk]));
  const e = records[1].event as typeof expected1;
  assert.deepStrictEqual(e.Event.System.EventID, { '#attributes': { Qualifiers: 16384 }, '#text': 4625 });
  assert.deepStrictEqual(e.Event.System.Security, { '#attributes': { UserID: 'S-1-5-18' } });
  assert.equal(e.Event.EventData.Empty, 'now set');
  // A normal substitution with a null value in a <Data> is "", not null.
  assert.equal(e.Event.EventData.Nested, '');
  assert.equal(records[1].timestamp, '2020-10-23T21:57:30.217562Z');
});

test('elements without a template: unnamed Data are gathered, repeated names are suffixed', () => {
  const { records } = read(evtxFile([sampleChunk().chunk]));
  assert.deepStrictEqual(records[2].event, {
    Event: {
      EventData: { Data: { '#text': ['one', 'two', ''] }, Binary: null },
      X: '1',
      X_1: '2',
      // An empty attribute value is kept; two text nodes become an array under #text.
      X_2: { '#attributes': { a: '' }, '#text': ['3', '4'] },
    },
  });
});

test('checksums: a changed byte is a warning by default, skips the chunk on request, or is not checked', () => {
  const { chunk } = sampleChunk();
  const at = chunk.indexOf(Buffer.from('hello', 'utf16le'));
  assert.ok(at > 512);
  chunk[at] = 'j'.charCodeAt(0);
  const file = evtxFile([chunk]);

  const warn = read(file);
  assert.equal(warn.records.length, 3);
  assert.equal((warn.records[0].event as typeof expected1).Event.EventData.Text, 'jello');
  assert.equal(warn.problems.length, 1);
  assert.match((warn.problems[0] as { reason: string }).reason, /record data CRC-32/);
  assert.equal((warn.problems[0] as { severity: string }).severity, 'warning');

  const skip = read(file, { checksums: 'skip' });
  assert.equal(skip.records.length, 0);
  assert.equal(skip.problems.length, 1);
  assert.equal((skip.problems[0] as { severity: string }).severity, 'error');

  const off = read(file, { checksums: 'off' });
  assert.equal(off.records.length, 3);
  assert.equal(off.problems.length, 0);
});

test('the header chunk count is not trusted; empty chunks are skipped silently', () => {
  const { chunk } = sampleChunk();
  const file = evtxFile([chunk, Buffer.alloc(65536), chunk], 1);
  const { records, problems } = read(file);
  assert.deepEqual(problems, []);
  assert.deepEqual(records.map((r) => [r.chunk, r.recordId]), [[0, 1], [0, 2], [0, 3], [2, 1], [2, 2], [2, 3]]);
  assert.deepStrictEqual(records[3].event, expected1);
});

test('a damaged record is reported with its offset and the records after it in the chunk still come', () => {
  const { chunk, offsets } = sampleChunk();
  chunk.writeUInt32LE(0xdeadbeef, offsets[1]); // record 2's magic
  const { records, problems } = read(evtxFile([chunk]), { checksums: 'off' });
  assert.deepEqual(records.map((r) => r.recordId), [1, 3]);
  assert.equal(problems.length, 1);
  const p = problems[0] as { offset: number; chunk: number; reason: string; severity: string };
  assert.equal(p.offset, 4096 + offsets[1]);
  assert.equal(p.chunk, 0);
  assert.equal(p.severity, 'error');
  assert.match(p.reason, /^bad record magic .*; skipped \d+ bytes to the next record$/);
});

test('a record whose BinXML is broken is an error with its record id; the next record still comes', () => {
  const { chunk, offsets } = sampleChunk();
  // Record 2 refers to the template by offset; point it at garbage.
  const instance = chunk.indexOf(Buffer.from([0x0c, 0x01]), offsets[1] + 24);
  chunk.writeUInt32LE(40000, instance + 6);
  const { records, problems } = read(evtxFile([chunk]), { checksums: 'off' });
  assert.deepEqual(records.map((r) => r.recordId), [1, 3]);
  assert.equal(problems.length, 1);
  const p = problems[0] as { recordId?: number; reason: string; offset: number };
  assert.equal(p.recordId, 2);
  assert.equal(p.offset, 4096 + offsets[1]);
  assert.match(p.reason, /^record 2: template at 40000/);
});

test('a file that is not EVTX yields problems, not exceptions', () => {
  assert.deepEqual([...readEvtxBuffer(Buffer.alloc(0))].map((i) => !i.ok && i.reason), ['file header truncated: 0 of 128 bytes; looking for chunks anyway']);
  const text = Buffer.from('not an event log at all, just text'.repeat(3000));
  const items = [...readEvtxBuffer(text)];
  assert.ok(items.length > 0 && items.every((i) => !i.ok));
  assert.match((items[0] as { reason: string }).reason, /bad file header magic/);
});
