/**
 * One 64 KiB chunk: its 512-byte header (record range, free-space offset, checksums, the
 * common-string and template hash tables) and its records.
 */
import { EvtxFormatError, u32At, u64At } from './cursor.js';
import { crc32 } from './crc32.js';
import { CHUNK_SIZE } from './file-header.js';
import { ChunkParser } from './binxml.js';
import { renderEvent } from './json.js';
import { filetimeAt } from './time.js';
import type { EvtxItem, EvtxOptions, EvtxProblem } from './types.js';

export const CHUNK_HEADER_SIZE = 512;
const MAGIC = Buffer.from('ElfChnk\0', 'latin1');
const RECORD_MAGIC = Buffer.from([0x2a, 0x2a, 0x00, 0x00]);
/** Record header (24) plus the trailing copy of the size (4). */
const MIN_RECORD_SIZE = 28;

export interface ChunkHeader {
  firstRecordNumber: number;
  lastRecordNumber: number;
  firstRecordId: number;
  lastRecordId: number;
  headerSize: number;
  lastRecordOffset: number;
  freeSpaceOffset: number;
  recordsChecksum: number;
  flags: number;
  headerChecksum: number;
  /**
   * 64 buckets of the common-string hash table and 32 of the template table (chunk offsets of
   * the first entry of each chain). A writer uses them to share names and templates; a reader
   * follows the offsets in the BinXML instead, so these are informational.
   */
  stringOffsets: number[];
  templateOffsets: number[];
}

export function isChunk(b: Buffer): boolean {
  return b.length >= 8 && b.subarray(0, 8).equals(MAGIC);
}

/** The header of a chunk that starts with the magic and has at least 512 bytes. */
export function parseChunkHeader(b: Buffer): ChunkHeader {
  const table = (start: number, n: number): number[] => Array.from({ length: n }, (_, i) => u32At(b, start + 4 * i));
  return {
    firstRecordNumber: u64At(b, 8),
    lastRecordNumber: u64At(b, 16),
    firstRecordId: u64At(b, 24),
    lastRecordId: u64At(b, 32),
    headerSize: u32At(b, 40),
    lastRecordOffset: u32At(b, 44),
    freeSpaceOffset: u32At(b, 48),
    recordsChecksum: u32At(b, 52),
    flags: u32At(b, 120),
    headerChecksum: u32At(b, 124),
    stringOffsets: table(128, 64),
    templateOffsets: table(384, 32),
  };
}

/** Reasons the chunk checksums do not match, empty when they do. */
export function checksumProblems(b: Buffer, h: ChunkHeader): string[] {
  const out: string[] = [];
  // The header CRC covers bytes 0..120 and 128..512 (everything but the flags and itself).
  const headerCrc = crc32(b, 128, CHUNK_HEADER_SIZE, crc32(b, 0, 120));
  if (headerCrc !== h.headerChecksum) out.push(`chunk header CRC-32 0x${headerCrc.toString(16)} != 0x${h.headerChecksum.toString(16)}`);
  if (h.freeSpaceOffset < CHUNK_HEADER_SIZE || h.freeSpaceOffset > b.length) {
    out.push(`free-space offset ${h.freeSpaceOffset} outside the chunk`);
  } else {
    const dataCrc = crc32(b, CHUNK_HEADER_SIZE, h.freeSpaceOffset);
    if (dataCrc !== h.recordsChecksum) out.push(`record data CRC-32 0x${dataCrc.toString(16)} != 0x${h.recordsChecksum.toString(16)}`);
  }
  return out;
}

/** Why no record header can start at `p`, or null if one can (magic, size in bounds). */
function recordHeaderProblem(b: Buffer, p: number): string | null {
  if (p + 24 > b.length) return 'record header runs past the chunk';
  if (u32At(b, p) !== 0x2a2a) return 'bad record magic (expected "**\\0\\0")';
  const size = u32At(b, p + 4);
  if (size < MIN_RECORD_SIZE) return `record size ${size} too small`;
  if (p + size > b.length) return `record size ${size} runs past the chunk`;
  return null;
}

/** The next offset at or after `from` (and before `end`) where a whole, self-consistent record starts. */
function nextRecord(b: Buffer, from: number, end: number): number {
  for (let q = b.indexOf(RECORD_MAGIC, from); q >= 0 && q + 24 <= end; q = b.indexOf(RECORD_MAGIC, q + 1)) {
    if (recordHeaderProblem(b, q) === null && u32At(b, q + u32At(b, q + 4) - 4) === u32At(b, q + 4)) return q;
  }
  return -1;
}

function problem(severity: 'error' | 'warning', chunk: number, offset: number, reason: string, recordId?: number): EvtxProblem {
  const p: EvtxProblem = { ok: false, severity, chunk, offset, reason };
  if (recordId !== undefined) p.recordId = recordId;
  return p;
}

/**
 * Items for one chunk. `b` holds the chunk's bytes (shorter than 64 KiB only at a truncated end
 * of file) and is only read while the generator runs: the caller may reuse it afterwards.
 */
export function* readChunk(b: Buffer, chunk: number, fileOffset: number, options: EvtxOptions = {}): Generator<EvtxItem> {
  if (!isChunk(b)) {
    yield problem('error', chunk, fileOffset, 'bad chunk magic (expected "ElfChnk\\0"); chunk skipped');
    return;
  }
  if (b.length < CHUNK_HEADER_SIZE) {
    yield problem('error', chunk, fileOffset, `chunk truncated to ${b.length} bytes, before the end of its header`);
    return;
  }
  const h = parseChunkHeader(b);
  if (b.length < CHUNK_SIZE) {
    yield problem('warning', chunk, fileOffset, `chunk truncated to ${b.length} of ${CHUNK_SIZE} bytes; reading the records that are there`);
  }
  const mode = options.checksums ?? 'warn';
  if (mode !== 'off') {
    const bad = checksumProblems(b, h);
    if (bad.length > 0) {
      if (mode === 'skip') {
        yield problem('error', chunk, fileOffset, `${bad.join('; ')}; chunk skipped`);
        return;
      }
      yield problem('warning', chunk, fileOffset, bad.join('; '));
    }
  }

  // Records end at the free-space offset; if that is damaged, scan the whole chunk.
  const free = h.freeSpaceOffset;
  const end = free >= CHUNK_HEADER_SIZE && free <= b.length ? free : b.length;
  const parser = new ChunkParser(b);
  let pos = CHUNK_HEADER_SIZE;
  while (pos + 24 <= end) {
    const bad = recordHeaderProblem(b, pos);
    if (bad !== null) {
      const next = nextRecord(b, pos + 1, end);
      const skipped = next < 0 ? `rest of chunk (${end - pos} bytes) skipped` : `skipped ${next - pos} bytes to the next record`;
      yield problem('error', chunk, fileOffset + pos, `${bad}; ${skipped}`);
      if (next < 0) break;
      pos = next;
      continue;
    }
    const size = u32At(b, pos + 4);
    const recordId = u64At(b, pos + 8);
    const sizeCopyOk = u32At(b, pos + size - 4) === size;
    let item: EvtxItem;
    try {
      const event = renderEvent(parser.parseRecord(pos + 24, pos + size - 4));
      item =
        event === null
          ? problem('error', chunk, fileOffset + pos, `record ${recordId}: no element in its BinXML`, recordId)
          : { ok: true, record: { recordId, timestamp: filetimeAt(b, pos + 16), chunk, offset: fileOffset + pos, event } };
    } catch (e) {
      const where = e instanceof EvtxFormatError ? ` (at file offset ${fileOffset + e.at})` : '';
      item = problem('error', chunk, fileOffset + pos, `record ${recordId}: ${e instanceof Error ? e.message : String(e)}${where}`, recordId);
    }
    yield item;
    if (sizeCopyOk) {
      pos += size;
    } else {
      // The size field or its copy is damaged: find where the next record really starts.
      const next = nextRecord(b, pos + 24, end);
      yield problem('warning', chunk, fileOffset + pos, `record ${recordId}: size ${size} disagrees with its trailing copy; resynchronised ${next < 0 ? 'nowhere (rest of chunk skipped)' : `at offset ${fileOffset + next}`}`, recordId);
      if (next < 0) break;
      pos = next;
    }
  }
}
