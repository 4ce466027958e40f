/** Value types decoded from hand-built bytes, and a few checked against records in the samples. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import zlib from 'node:zlib';
import { crc32, crc32Table } from '../../src/evtx/crc32.js';
import { readEvtx } from '../../src/evtx/index.js';
import { formatFiletime, systemtimeAt } from '../../src/evtx/time.js';
import { decodeSized } from '../../src/evtx/values.js';
import type { JsonValue } from '../../src/evtx/values.js';
import { sample } from './samples.js';

function decode(type: number, bytes: number[] | Buffer): JsonValue {
  const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes);
  // Decode from the middle of a larger buffer, so offset mistakes show.
  const big = Buffer.concat([Buffer.from([0xee, 0xee, 0xee]), b, Buffer.from([0xee, 0xee])]);
  return decodeSized(big, new DataView(big.buffer, big.byteOffset, big.byteLength), 3, b.length, type);
}

function u64le(v: bigint): number[] {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(v);
  return [...b];
}

function utf16(s: string): number[] {
  return [...Buffer.from(s, 'utf16le')];
}

test('FILETIME: epochs, 100 ns truncation to microseconds, far dates', () => {
  const ft = (v: bigint): JsonValue => decode(0x11, u64le(v));
  assert.equal(ft(0n), '1601-01-01T00:00:00.000000Z');
  assert.equal(ft(116444736000000000n), '1970-01-01T00:00:00.000000Z');
  // 2020-10-23T21:57:29.2175623Z: the 7th fraction digit is dropped, not rounded.
  assert.equal(ft(132479638492175623n), '2020-10-23T21:57:29.217562Z');
  assert.equal(ft(132479638492175629n), '2020-10-23T21:57:29.217562Z');
  // One tick before a second boundary, where a float division would round up.
  assert.equal(ft(132479638499999999n), '2020-10-23T21:57:29.999999Z');
  assert.equal(ft(125911584000000000n), '2000-01-01T00:00:00.000000Z');
  assert.equal(ft(126233856000000000n), '2001-01-08T00:00:00.000000Z');
  // Leap day.
  assert.equal(ft(131011776000000000n), '2016-02-29T00:00:00.000000Z');
  // The largest FILETIME (year 30828, as Windows documents).
  assert.equal(ft(0x7fffffffffffffffn), '30828-09-14T02:48:05.477580Z');
  assert.equal(formatFiletime(0, 0), '1601-01-01T00:00:00.000000Z');
});

test('SYSTEMTIME: fields in order, milliseconds as microseconds, impossible dates are null', () => {
  const st = (y: number, mo: number, dow: number, d: number, h: number, mi: number, s: number, ms: number): Buffer => {
    const b = Buffer.alloc(16);
    [y, mo, dow, d, h, mi, s, ms].forEach((v, i) => b.writeUInt16LE(v, 2 * i));
    return b;
  };
  assert.equal(decode(0x12, st(2021, 6, 0, 13, 6, 19, 28, 351)), '2021-06-13T06:19:28.351000Z');
  assert.equal(decode(0x12, st(2020, 2, 6, 29, 23, 59, 59, 999)), '2020-02-29T23:59:59.999000Z');
  assert.equal(systemtimeAt(st(2021, 2, 0, 29, 0, 0, 0, 0), 0), null, '2021 is not a leap year');
  assert.equal(decode(0x12, st(0, 0, 0, 0, 0, 0, 0, 0)), null);
  assert.equal(decode(0x12, st(2021, 13, 0, 1, 0, 0, 0, 0)), null);
});

test('SID: revision, 48-bit big-endian authority, little-endian sub-authorities', () => {
  assert.equal(decode(0x13, [1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0]), 'S-1-5-18');
  const domain = Buffer.from([1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  domain.writeUInt32LE(3463664321, 12);
  domain.writeUInt32LE(2923530833, 16);
  domain.writeUInt32LE(3546627382, 20);
  domain.writeUInt32LE(1000, 24);
  assert.equal(decode(0x13, domain), 'S-1-5-21-3463664321-2923530833-3546627382-1000');
  // Authority above 2^32 (only the big-endian reading gives this number).
  assert.equal(decode(0x13, [1, 0, 0, 1, 0, 0, 0, 0]), 'S-1-4294967296');
  // A sub-authority count larger than the bytes: what fits is printed, nothing is read past the value.
  assert.equal(decode(0x13, [1, 3, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0]), 'S-1-5-32');
  // SID arrays are variable-width items back to back.
  assert.deepEqual(decode(0x93, [1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 32, 2, 0, 0]), ['S-1-5-18', 'S-1-5-32-544']);
});

test('GUID: little-endian first three groups, upper case, no braces', () => {
  const bytes = [0x5f, 0x38, 0x70, 0x57, 0x2a, 0xc2, 0xe0, 0x43, 0xbf, 0x4c, 0x06, 0xf5, 0x69, 0x8f, 0xfb, 0xd9];
  assert.equal(decode(0x0f, bytes), '5770385F-C22A-43E0-BF4C-06F5698FFBD9');
  assert.deepEqual(decode(0x8f, [...bytes, ...new Array<number>(16).fill(0)]), ['5770385F-C22A-43E0-BF4C-06F5698FFBD9', '00000000-0000-0000-0000-000000000000']);
});

test('hex integers: lower case, 0x prefix, no padding; 64-bit values exact', () => {
  assert.equal(decode(0x14, [0xe4, 0x03, 0, 0]), '0x3e4');
  assert.equal(decode(0x14, [0, 0, 0, 0]), '0x0');
  assert.equal(decode(0x14, [0xff, 0xff, 0xff, 0xff]), '0xffffffff');
  assert.equal(decode(0x15, u64le(0x8000000000000000n)), '0x8000000000000000');
  assert.equal(decode(0x15, u64le(0x8020000000000000n)), '0x8020000000000000');
  assert.equal(decode(0x15, u64le(0x100000001n)), '0x100000001');
  assert.equal(decode(0x15, u64le(0x30550n)), '0x30550');
  // The formatting cache must not confuse values that share a slot.
  for (let i = 0; i < 2000; i++) assert.equal(decode(0x15, u64le(BigInt(i) * 0x100000001n)), '0x' + (BigInt(i) * 0x100000001n).toString(16));
  assert.deepEqual(decode(0x94, [1, 0, 0, 0, 0xff, 0, 0, 0]), ['0x1', '0xff']);
  // SizeT prints as a hex integer of its width.
  assert.equal(decode(0x10, [0x10, 0, 0, 0]), '0x10');
  assert.equal(decode(0x10, u64le(0x7ff612340000n)), '0x7ff612340000');
});

test('integers, reals and booleans are JSON numbers and booleans', () => {
  assert.equal(decode(0x03, [0xff]), -1);
  assert.equal(decode(0x04, [0xff]), 255);
  assert.equal(decode(0x05, [0x00, 0x80]), -32768);
  assert.equal(decode(0x06, [0x00, 0x80]), 32768);
  assert.equal(decode(0x07, [0xff, 0xff, 0xff, 0xff]), -1);
  assert.equal(decode(0x08, [0xff, 0xff, 0xff, 0xff]), 4294967295);
  assert.equal(decode(0x09, u64le(0xffffffffffffffffn)), -1);
  assert.equal(decode(0x09, u64le(-(2n ** 40n) & 0xffffffffffffffffn)), -(2 ** 40));
  assert.equal(decode(0x0a, u64le(9007199254740993n)), 9007199254740992, 'beyond 2^53: the double JSON.parse would give');
  assert.equal(decode(0x0a, u64le(0xffffffffffffffffn)), JSON.parse('18446744073709551615') as number);
  const f32 = Buffer.alloc(4);
  f32.writeFloatLE(3199.234);
  assert.equal(decode(0x0b, f32), 3199.234, 'float32 prints as its shortest decimal, not 3199.2340087890625');
  const f64 = Buffer.alloc(8);
  f64.writeDoubleLE(0.1);
  assert.equal(decode(0x0c, f64), 0.1);
  f64.writeDoubleLE(Number.NaN);
  assert.equal(decode(0x0c, f64), null, 'JSON has no NaN');
  assert.equal(decode(0x0d, [1, 0, 0, 0]), true);
  assert.equal(decode(0x0d, [0, 0, 0, 0]), false);
  assert.equal(decode(0x0d, [0, 0, 0, 1]), true);
  // A declared size too small for the type gives null instead of reading the next value.
  assert.equal(decode(0x08, [1, 2]), null);
});

test('strings: UTF-16 cut at NUL, ANSI as windows-1252, lone surrogates replaced', () => {
  assert.equal(decode(0x01, [...utf16('NT AUTHORITY'), 0, 0]), 'NT AUTHORITY');
  assert.equal(decode(0x01, [...utf16('abc'), 0, 0, ...utf16('junk')]), 'abc');
  assert.equal(decode(0x01, []), '');
  assert.equal(decode(0x01, [0x41, 0x00, 0x00, 0xd8]), 'A\ufffd');
  assert.equal(decode(0x01, utf16('Microsoft® Windows®')), 'Microsoft® Windows®');
  assert.equal(decode(0x02, [0x80, 0x41, 0xe9, 0x00, 0x42]), '€Aé');
});

test('binary is upper-case hex; arrays are JSON arrays', () => {
  assert.equal(decode(0x0e, [0x22, 0x00, 0x00, 0xc0, 0xab]), '220000C0AB');
  assert.equal(decode(0x0e, []), '');
  assert.deepEqual(decode(0x81, [...utf16('sa'), 0, 0, 0, 0, ...utf16(' [CLIENT]'), 0, 0]), ['sa', '', ' [CLIENT]']);
  assert.deepEqual(decode(0x81, []), []);
  assert.deepEqual(decode(0x88, [1, 0, 0, 0, 2, 0, 0, 0, 3, 0]), [1, 2], 'a trailing partial item is dropped');
  assert.deepEqual(decode(0x84, [1, 2, 3]), [1, 2, 3]);
  assert.deepEqual(decode(0x8d, [1, 0, 0, 0, 0, 0, 0, 0]), [true, false]);
  assert.deepEqual(decode(0x91, [...u64le(116444736000000000n), ...u64le(0n)]), ['1970-01-01T00:00:00.000000Z', '1601-01-01T00:00:00.000000Z']);
  assert.deepEqual(decode(0x82, [0x61, 0, 0x62, 0x80, 0]), ['a', 'b€']);
  // Null, handles and EvtXml have no JSON form but null.
  assert.equal(decode(0x00, [1, 2, 3]), null);
  assert.equal(decode(0x20, [1, 2, 3, 4]), null);
  assert.throws(() => decode(0x42, [1]), /unknown value type 0x42/);
});

test('CRC-32: table code agrees with zlib and with known check values', () => {
  const check = Buffer.from('123456789');
  assert.equal(crc32Table(check, 0, check.length), 0xcbf43926);
  assert.equal(crc32(check, 0, check.length), 0xcbf43926);
  const data = Buffer.alloc(70000);
  for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
  const z = (zlib as unknown as { crc32?: (d: Uint8Array, v?: number) => number }).crc32;
  const chained = crc32Table(data, 128, 512, crc32Table(data, 0, 120));
  assert.equal(chained, crc32Table(Buffer.concat([data.subarray(0, 120), data.subarray(128, 512)]), 0, 504));
  if (z !== undefined) assert.equal(crc32Table(data, 3, 69999), z(data.subarray(3, 69999)));
});

/** The first record of `file` whose event satisfies `pick`. */
function findEvent(file: string, pick: (e: Record<string, unknown>) => boolean): Record<string, unknown> {
  for (const item of readEvtx(sample(file))) if (item.ok && pick(item.record.event)) return item.record.event;
  throw new Error(`no matching record in ${file}`);
}

type Obj = Record<string, Record<string, Record<string, unknown>>>;

test('value types as they occur in real records', () => {
  // Real64 (0x0c) in a BITS client event.
  const bits = findEvent('hayabusa-sample-evtx/src/YamatoSecurity/Persistence/T1197_BitsClient.evtx', (e) => (e as Obj).Event.System.EventID === 308);
  assert.deepEqual((bits as Obj).Event.EventData, { number: 3199.234 });
  // UInt64 max and a FILETIME inside EventData.
  const bits2 = findEvent('hayabusa-sample-evtx/src/YamatoSecurity/Persistence/T1197_BitsClient.evtx', (e) => (e as Obj).Event.EventData?.bandwidthLimit !== undefined);
  // 2^64 - 1 in the twin; as a double it is 2^64, which is what JSON.parse gives too.
  assert.equal((bits2 as Obj).Event.EventData.bandwidthLimit, 2 ** 64);
  assert.equal((bits2 as Obj).Event.EventData.fileTime, '2021-05-19T02:42:52.000000Z');
  assert.equal((bits2 as Obj).Event.EventData.ignoreBandwidthLimitsOnLan, false);
  // ANSI strings (0x02) and a GUID in a Winsock catalog event.
  const winsock = findEvent('evtx-attack-samples/src/Persistence/Persistence_Winsock_Catalog Change EventId_1.evtx', () => true);
  assert.equal((winsock as Obj).Event.EventData.Installer, 'C:\\Windows\\System32\\MsiExec.exe');
  assert.equal((winsock as Obj).Event.EventData.GUID, '7E35F09E-CF45-CF00-3594-397712626D0F');
  // A string array (0x81) in an unnamed <Data>, and binary in <Binary>.
  const mssql = findEvent('evtx-attack-samples/src/Credential Access/MSSQL_multiple_failed_logon_EventID_18456.evtx', () => true);
  assert.deepEqual((mssql as Obj).Event.EventData.Data, { '#text': ['sa', ' Reason: Password did not match that for the login provided.', ' [CLIENT: 10.0.2.17]'] });
  assert.match((mssql as Obj).Event.EventData.Binary as string, /^[0-9A-F]+$/);
  // HexInt64 keywords, SID, FILETIME attribute, EventID with Qualifiers.
  const app = findEvent('hayabusa-sample-evtx/src/DeepBlueCLI/many-events-application.evtx', () => true);
  const sys = (app as Obj).Event.System;
  assert.equal(sys.Keywords, '0x80000000000000');
  assert.deepEqual(sys.EventID, { '#attributes': { Qualifiers: 16384 }, '#text': 4625 });
  assert.match((sys.TimeCreated as Record<string, Record<string, string>>)['#attributes'].SystemTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
});
