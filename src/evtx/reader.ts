/**
 * Reading a whole EVTX file, chunk by chunk.
 *
 * The file header's chunk count is not trusted: files that were not closed cleanly have stale
 * counts and valid chunks after them, so every 64 KiB block up to the end of the file is looked
 * at. All-zero blocks (preallocated, never written) are skipped silently; anything else that is
 * not a chunk is reported and skipped, and reading goes on with the next block.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { readChunk } from './chunk.js';
import { CHUNK_SIZE, FILE_HEADER_SIZE, parseFileHeader } from './file-header.js';
import type { EvtxItem, EvtxOptions } from './types.js';

const ZEROS = Buffer.alloc(CHUNK_SIZE);

/** Random access to the file's bytes; the returned buffer may be reused by the next call. */
interface ByteSource {
  readonly size: number;
  read(offset: number, length: number): Buffer;
}

function* readSource(src: ByteSource, options: EvtxOptions): Generator<EvtxItem> {
  const header = parseFileHeader(src.read(0, Math.min(FILE_HEADER_SIZE, src.size)));
  if (typeof header === 'string') {
    yield { ok: false, severity: 'error', chunk: -1, offset: 0, reason: `${header}; looking for chunks anyway` };
  } else if (!header.checksumOk && (options.checksums ?? 'warn') !== 'off') {
    yield { ok: false, severity: 'warning', chunk: -1, offset: 0, reason: 'file header CRC-32 mismatch' };
  }
  for (let i = 0, offset = FILE_HEADER_SIZE; offset < src.size; i++, offset += CHUNK_SIZE) {
    const len = Math.min(CHUNK_SIZE, src.size - offset);
    const block = src.read(offset, len);
    if (block[0] === 0 && block.equals(ZEROS.subarray(0, len))) continue;
    yield* readChunk(block, i, offset, options);
  }
}

/**
 * Records (and problems) of an EVTX file, in file order, reading one 64 KiB chunk at a time
 * through a single reused buffer, so memory stays flat whatever the file size. Never throws on
 * bad bytes; throws only if the file cannot be opened or read. Breaking out of the loop closes
 * the file.
 *
 * ```ts
 * for (const item of readEvtx('Security.evtx')) {
 *   if (item.ok) handle(item.record.event);
 *   else if (item.severity === 'error') console.warn(`chunk ${item.chunk} @${item.offset}: ${item.reason}`);
 * }
 * ```
 */
export function* readEvtx(path: string, options: EvtxOptions = {}): Generator<EvtxItem> {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK_SIZE);
    const src: ByteSource = {
      size: fstatSync(fd).size,
      read(offset: number, length: number): Buffer {
        let got = 0;
        while (got < length) {
          const n = readSync(fd, buf, got, length - got, offset + got);
          if (n === 0) break;
          got += n;
        }
        return buf.subarray(0, got);
      },
    };
    yield* readSource(src, options);
  } finally {
    closeSync(fd);
  }
}

/** The same over bytes already in memory (views into `buf`, no copies). */
export function* readEvtxBuffer(buf: Uint8Array, options: EvtxOptions = {}): Generator<EvtxItem> {
  const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  yield* readSource({ size: b.length, read: (offset, length) => b.subarray(offset, offset + length) }, options);
}
