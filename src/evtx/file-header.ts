/** The 4 KiB file header (`ElfFile\0`); only its first 128 bytes are defined. */
import { u16At, u32At, u64At } from './cursor.js';
import { crc32 } from './crc32.js';

export const FILE_HEADER_SIZE = 4096;
export const CHUNK_SIZE = 65536;
const MAGIC = Buffer.from('ElfFile\0', 'latin1');

export interface FileHeader {
  firstChunkNumber: number;
  lastChunkNumber: number;
  nextRecordId: number;
  headerSize: number;
  minorVersion: number;
  majorVersion: number;
  headerBlockSize: number;
  /** Often stale in files that were not closed cleanly; the reader looks past it. */
  chunkCount: number;
  /** 0x1 dirty (not closed cleanly), 0x2 full. */
  flags: number;
  checksum: number;
  /** CRC-32 of the first 120 bytes matches `checksum`. */
  checksumOk: boolean;
}

/** The header, or a reason it is not one. */
export function parseFileHeader(b: Buffer): FileHeader | string {
  if (b.length < 128) return `file header truncated: ${b.length} of 128 bytes`;
  if (!b.subarray(0, 8).equals(MAGIC)) return 'bad file header magic (expected "ElfFile\\0")';
  const checksum = u32At(b, 124);
  return {
    firstChunkNumber: u64At(b, 8),
    lastChunkNumber: u64At(b, 16),
    nextRecordId: u64At(b, 24),
    headerSize: u32At(b, 32),
    minorVersion: u16At(b, 36),
    majorVersion: u16At(b, 38),
    headerBlockSize: u16At(b, 40),
    chunkCount: u16At(b, 42),
    flags: u32At(b, 120),
    checksum,
    checksumOk: crc32(b, 0, 120) === checksum,
  };
}
