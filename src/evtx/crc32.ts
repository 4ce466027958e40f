/**
 * CRC-32 (IEEE 802.3, the zlib one) as EVTX uses for file and chunk checksums. Node's native
 * `zlib.crc32` (20.15+) is about five times faster than the table code kept for older runtimes.
 */
import zlib from 'node:zlib';

type NativeCrc = (data: Uint8Array, value?: number) => number;
const native = (zlib as unknown as { crc32?: NativeCrc }).crc32;

const TABLES: Int32Array[] = (() => {
  const t = Array.from({ length: 8 }, () => new Int32Array(256));
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[0][n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = t[0][n];
    for (let k = 1; k < 8; k++) {
      c = t[0][c & 0xff] ^ (c >>> 8);
      t[k][n] = c;
    }
  }
  return t;
})();

/**
 * CRC of `b[start..end)`, continuing from `crc` (the previous result, 0 to start), so
 * discontiguous ranges (the chunk header skips bytes 120..128) can be chained.
 */
export function crc32(b: Uint8Array, start: number, end: number, crc = 0): number {
  if (native !== undefined) return native(b.subarray(start, end), crc);
  return crc32Table(b, start, end, crc);
}

/** The portable slice-by-8 implementation (exported for tests against the native one). */
export function crc32Table(b: Uint8Array, start: number, end: number, crc = 0): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = TABLES;
  let c = ~crc;
  let i = start;
  for (; i + 8 <= end; i += 8) {
    const lo = c ^ (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24));
    c =
      t7[lo & 0xff] ^ t6[(lo >>> 8) & 0xff] ^ t5[(lo >>> 16) & 0xff] ^ t4[lo >>> 24] ^
      t3[b[i + 4]] ^ t2[b[i + 5]] ^ t1[b[i + 6]] ^ t0[b[i + 7]];
  }
  for (; i < end; i++) c = t0[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}
