import type { JsonValue } from './values.js';

/** One event record, rendered to the JSON shape Chainsaw and Hayabusa print. */
export interface EvtxRecord {
  /**
   * The record identifier from the record header (a u64, exact up to 2^53, which real logs never
   * reach). It usually equals `System.EventRecordID`, but logs saved from Event Viewer or with
   * `wevtutil epl` renumber it from 1 while `EventRecordID` keeps the original value.
   */
  recordId: number;
  /** The record header's write time, `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
  timestamp: string;
  /** Index of the 64 KiB chunk (0 = first chunk after the file header). */
  chunk: number;
  /** File offset of the record header. */
  offset: number;
  /** `{"Event": {"#attributes": …, "System": …, "EventData"/"UserData": …}}` */
  event: { [key: string]: JsonValue };
}

/**
 * Something that could not be read, or was read with a doubt. Errors lose data (a chunk or a
 * record); warnings do not (a bad checksum, a truncated last chunk that still had records).
 */
export interface EvtxProblem {
  ok: false;
  severity: 'error' | 'warning';
  /** Chunk index, or -1 for the file header. */
  chunk: number;
  /** File offset of the damaged structure. */
  offset: number;
  /** Set when the record header was readable. */
  recordId?: number;
  reason: string;
}

export type EvtxItem = { ok: true; record: EvtxRecord } | EvtxProblem;

export interface EvtxOptions {
  /**
   * What a chunk whose header or record-data CRC-32 does not match becomes:
   * `'warn'` (default): a warning item, and its records are still read (a chunk copied while it
   * was being written can carry a stale checksum over good records; the evtx crate does not
   * check by default); `'skip'`: an error item and the chunk is skipped (what the crate does with
   * `validate_checksums`); `'off'`: not computed.
   */
  checksums?: 'warn' | 'skip' | 'off';
}
