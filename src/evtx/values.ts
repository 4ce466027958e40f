/**
 * BinXML value types and their decoding into JSON-ready JS values.
 *
 * The JSON forms follow what the `.jsonl` twins (evtx_dump, as printed by Chainsaw and Hayabusa)
 * contain: integers and booleans as JSON numbers/booleans, HexInt32/64 as `"0x…"` lowercase,
 * GUIDs upper-case without braces, binary as upper-case hex, SIDs as `S-1-5-…`, FILETIME and
 * SYSTEMTIME as `YYYY-MM-DDTHH:MM:SS.ffffffZ`, arrays (type | 0x80) as JSON arrays.
 * 64-bit integers beyond 2^53 become the nearest double, which is what `JSON.parse` gives for the
 * same decimal text, so readers of either agree.
 */
import { EvtxFormatError, i32At, i64At, u16At, u32At, u64At } from './cursor.js';
import { filetimeAt, systemtimeAt } from './time.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export const VT_NULL = 0x00;
export const VT_STRING = 0x01;
export const VT_ANSI_STRING = 0x02;
export const VT_INT8 = 0x03;
export const VT_UINT8 = 0x04;
export const VT_INT16 = 0x05;
export const VT_UINT16 = 0x06;
export const VT_INT32 = 0x07;
export const VT_UINT32 = 0x08;
export const VT_INT64 = 0x09;
export const VT_UINT64 = 0x0a;
export const VT_REAL32 = 0x0b;
export const VT_REAL64 = 0x0c;
export const VT_BOOL = 0x0d;
export const VT_BINARY = 0x0e;
export const VT_GUID = 0x0f;
export const VT_SIZE_T = 0x10;
export const VT_FILETIME = 0x11;
export const VT_SYSTEMTIME = 0x12;
export const VT_SID = 0x13;
export const VT_HEX_INT32 = 0x14;
export const VT_HEX_INT64 = 0x15;
export const VT_EVT_HANDLE = 0x20;
export const VT_BINXML = 0x21;
export const VT_EVT_XML = 0x23;
export const VT_ARRAY = 0x80;

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).toUpperCase().padStart(2, '0'));
/**
 * Code page 1252 for 0x80..0x9f (the rest is Latin-1). Node's TextDecoder treats the
 * 'windows-1252' label as ISO-8859-1, so the table is spelled out; undefined bytes map to
 * the C1 control of the same value, as the WHATWG decoder does.
 */
const CP1252_80_9F = '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function cp1252(b: Buffer, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) {
    const c = b[i];
    s += c >= 0x80 && c < 0xa0 ? CP1252_80_9F[c - 0x80] : String.fromCharCode(c);
  }
  return s;
}

/**
 * Fixed width in bytes of a scalar type, 0 for variable-size types (strings, binary, SID,
 * BinXml), -1 for type codes the format does not define.
 */
export function scalarWidth(type: number): number {
  switch (type) {
    case VT_INT8:
    case VT_UINT8:
      return 1;
    case VT_INT16:
    case VT_UINT16:
      return 2;
    case VT_INT32:
    case VT_UINT32:
    case VT_REAL32:
    case VT_BOOL:
    case VT_HEX_INT32:
      return 4;
    case VT_INT64:
    case VT_UINT64:
    case VT_REAL64:
    case VT_FILETIME:
    case VT_HEX_INT64:
      return 8;
    case VT_GUID:
    case VT_SYSTEMTIME:
      return 16;
    case VT_NULL:
    case VT_STRING:
    case VT_ANSI_STRING:
    case VT_BINARY:
    case VT_SIZE_T:
    case VT_SID:
    case VT_EVT_HANDLE:
    case VT_BINXML:
    case VT_EVT_XML:
      return 0;
    default:
      return -1;
  }
}

interface MaybeWellFormed {
  isWellFormed(): boolean;
  toWellFormed(): string;
}

/**
 * Lone surrogates become U+FFFD, as Rust's lossy UTF-16 decoding (and TextDecoder) do; Buffer's
 * own decoder would keep them and make strings that cannot round-trip through UTF-8.
 */
function wellFormed(s: string): string {
  const w = s as unknown as MaybeWellFormed;
  return w.isWellFormed() ? s : w.toWellFormed();
}

/** UTF-16LE text between `start` and `end`, cut at the first NUL (substitution strings carry one). */
export function utf16z(b: Buffer, start: number, end: number): string {
  if (end <= start) return '';
  const s = b.toString('utf16le', start, end);
  const z = s.indexOf('\0');
  return wellFormed(z < 0 ? s : s.slice(0, z));
}

/** UTF-16LE text without NUL handling (length-prefixed strings in names and Value tokens). */
export function utf16(b: Buffer, start: number, end: number): string {
  if (end <= start) return '';
  return wellFormed(b.toString('utf16le', start, end));
}

/** ANSI text (code page 1252, as the evtx crate assumes) up to the first NUL. */
function ansiz(b: Buffer, start: number, end: number): string {
  let e = start;
  while (e < end && b[e] !== 0) e++;
  return cp1252(b, start, e);
}

// Keywords, logon ids and status codes repeat from record to record: a small direct-mapped cache
// saves most of the formatting.
const HEX_CACHE_SIZE = 256;
const hexLo = new Float64Array(HEX_CACHE_SIZE).fill(-1);
const hexHi = new Float64Array(HEX_CACHE_SIZE);
const hexStr: string[] = new Array<string>(HEX_CACHE_SIZE).fill('');

function hexInt(lo: number, hi: number): string {
  const slot = (lo ^ (lo >>> 8) ^ (hi >>> 20) ^ hi) & (HEX_CACHE_SIZE - 1);
  if (hexLo[slot] === lo && hexHi[slot] === hi) return hexStr[slot];
  const s = hi === 0 ? '0x' + lo.toString(16) : '0x' + hi.toString(16) + lo.toString(16).padStart(8, '0');
  hexLo[slot] = lo;
  hexHi[slot] = hi;
  hexStr[slot] = s;
  return s;
}

export function guidAt(b: Buffer, p: number): string {
  return (
    HEX[b[p + 3]] + HEX[b[p + 2]] + HEX[b[p + 1]] + HEX[b[p]] + '-' +
    HEX[b[p + 5]] + HEX[b[p + 4]] + '-' +
    HEX[b[p + 7]] + HEX[b[p + 6]] + '-' +
    HEX[b[p + 8]] + HEX[b[p + 9]] + '-' +
    HEX[b[p + 10]] + HEX[b[p + 11]] + HEX[b[p + 12]] + HEX[b[p + 13]] + HEX[b[p + 14]] + HEX[b[p + 15]]
  );
}

/** Size in bytes of the SID starting at `p` (8-byte header plus 4 per sub-authority). */
function sidSize(b: Buffer, p: number): number {
  return 8 + 4 * b[p + 1];
}

/**
 * `S-<revision>-<authority>-<sub>…`; the 48-bit authority is big-endian, sub-authorities
 * little-endian. Sub-authorities that do not fit in `end` are left out rather than read past it.
 */
export function sidAt(b: Buffer, p: number, end: number): string {
  if (p + 8 > end) return 'S-?';
  const authority = ((b[p + 2] << 8) | b[p + 3]) * 0x100000000 + u32BE(b, p + 4);
  let s = 'S-' + String(b[p]) + '-' + String(authority);
  const n = b[p + 1];
  for (let i = 0, q = p + 8; i < n && q + 4 <= end; i++, q += 4) s += '-' + String(u32At(b, q));
  return s;
}

function u32BE(b: Buffer, p: number): number {
  return b[p] * 0x1000000 + ((b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]);
}

/** The shortest decimal that reads back as the same float32, as Rust's float formatting prints it. */
function real32(v: number): number | null {
  if (!Number.isFinite(v)) return null;
  for (let digits = 1; digits < 10; digits++) {
    const n = Number(v.toPrecision(digits));
    if (Math.fround(n) === v) return n;
  }
  return v;
}

/** One fixed-width scalar at `p` (the caller has checked `p + scalarWidth(type) <= end`). */
function scalarAt(b: Buffer, dv: DataView, p: number, type: number, width: number): JsonValue {
  switch (type) {
    case VT_INT8:
      return (b[p] << 24) >> 24;
    case VT_UINT8:
      return b[p];
    case VT_INT16:
      return (u16At(b, p) << 16) >> 16;
    case VT_UINT16:
      return u16At(b, p);
    case VT_INT32:
      return i32At(b, p);
    case VT_UINT32:
      return u32At(b, p);
    case VT_INT64:
      return i64At(b, p);
    case VT_UINT64:
      return u64At(b, p);
    case VT_REAL32:
      return real32(dv.getFloat32(p, true));
    case VT_REAL64: {
      const v = dv.getFloat64(p, true);
      return Number.isFinite(v) ? v : null;
    }
    case VT_BOOL:
      // The width is 4 (a Win32 BOOL); any non-zero byte is true.
      for (let i = 0; i < width; i++) if (b[p + i] !== 0) return true;
      return false;
    case VT_GUID:
      return guidAt(b, p);
    case VT_FILETIME:
      return filetimeAt(b, p);
    case VT_SYSTEMTIME:
      return systemtimeAt(b, p);
    case VT_HEX_INT32:
      return hexInt(u32At(b, p), 0);
    case VT_HEX_INT64:
      return hexInt(u32At(b, p), u32At(b, p + 4));
    default:
      return null;
  }
}

/**
 * A substitution value: `size` bytes of `type` at `p`. BinXml (0x21) is handled by the BinXML
 * parser, not here. Sizes that disagree with a fixed-width type give null (the crate reads the
 * fixed width and re-synchronises on the declared size; the value it prints is garbage either way).
 */
export function decodeSized(b: Buffer, dv: DataView, p: number, size: number, type: number): JsonValue {
  const end = p + size;
  switch (type) {
    case VT_NULL:
    case VT_EVT_HANDLE:
    case VT_EVT_XML:
      return null;
    case VT_STRING:
      return utf16z(b, p, end);
    case VT_ANSI_STRING:
      return ansiz(b, p, end);
    case VT_BINARY:
      return b.toString('hex', p, end).toUpperCase();
    case VT_SID:
      return sidAt(b, p, end);
    case VT_SIZE_T:
      // Pointer-sized: 4 or 8 bytes depending on the writer's architecture; printed as HexInt.
      if (size === 4) return hexInt(u32At(b, p), 0);
      if (size === 8) return hexInt(u32At(b, p), u32At(b, p + 4));
      return null;
    default:
      break;
  }
  if (type & VT_ARRAY) return decodeArray(b, dv, p, end, type & 0x7f);
  const width = scalarWidth(type);
  if (width <= 0) throw new EvtxFormatError(`unknown value type 0x${type.toString(16)}`, p);
  if (size < width) return null;
  return scalarAt(b, dv, p, type, width);
}

function decodeArray(b: Buffer, dv: DataView, p: number, end: number, type: number): JsonValue {
  const out: JsonValue[] = [];
  switch (type) {
    case VT_STRING: {
      // NUL-terminated strings one after the other.
      let s = p;
      for (let q = p; q + 1 < end; q += 2) {
        if (b[q] === 0 && b[q + 1] === 0) {
          out.push(utf16(b, s, q));
          s = q + 2;
        }
      }
      if (s + 1 < end) out.push(utf16(b, s, end - ((end - s) & 1)));
      return out;
    }
    case VT_ANSI_STRING: {
      let s = p;
      for (let q = p; q < end; q++) {
        if (b[q] === 0) {
          out.push(cp1252(b, s, q));
          s = q + 1;
        }
      }
      if (s < end) out.push(cp1252(b, s, end));
      return out;
    }
    case VT_SID:
      for (let q = p; q + 8 <= end; q += sidSize(b, q)) out.push(sidAt(b, q, end));
      return out;
    case VT_SIZE_T:
      // Without the writer's pointer width the element size is a guess; 8 is what 64-bit Windows writes.
      for (let q = p; q + 8 <= end; q += 8) out.push(hexInt(u32At(b, q), u32At(b, q + 4)));
      return out;
    default: {
      const width = scalarWidth(type);
      // Arrays of binary, handles or BinXml have no defined element size.
      if (width <= 0) return null;
      for (let q = p; q + width <= end; q += width) out.push(scalarAt(b, dv, q, type, width));
      return out;
    }
  }
}

/**
 * The text form of a value, used where the twins concatenate (several text nodes in one element
 * or attribute) and for `<Data Name="…">` keys.
 */
export function textOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(textOf).join(',');
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return '';
}
