/**
 * Events from JSON text, streamed chunk by chunk so memory stays flat:
 * - lines (`.jsonl`, `.ndjson`): one event per line, split on newline bytes;
 * - values (`.json` and anything else): a JSON array of events, or events one after another
 *   (pretty-printed or not), split by a byte scanner that tracks depth and strings, so only one
 *   event's text is ever decoded at a time.
 */
import type { SourceRecord } from '../event.js';
import type { SourceItem } from './types.js';

export interface ChunkSource {
  chunks: AsyncIterable<Buffer>;
  /** Bytes of the file read so far (compressed bytes for gzip), for progress. */
  bytesRead(): number;
}

const BATCH = 256;

function record(file: string, n: number, event: unknown): SourceItem {
  const r: SourceRecord = { file, recordId: n, timestamp: null, event };
  return { ok: true, record: r };
}

function problem(file: string, where: string, reason: string): SourceItem {
  return { ok: false, file, severity: 'error', where, reason };
}

function parse(file: string, n: number, text: string, where: string): SourceItem {
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return problem(file, where, `not an event object: ${text.slice(0, 60)}`);
    return record(file, n, v);
  } catch (e) {
    return problem(file, where, `invalid JSON: ${(e as Error).message}`);
  }
}

export async function* jsonLines(file: string, src: ChunkSource): AsyncGenerator<SourceItem[]> {
  let carry: Buffer | null = null;
  let line = 0;
  let batch: SourceItem[] = [];
  for await (const chunk of src.chunks) {
    const buf: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(10, start);
      if (nl < 0) break;
      line++;
      const item = lineItem(file, line, buf, start, nl);
      if (item) batch.push(item);
      start = nl + 1;
    }
    carry = start < buf.length ? buf.subarray(start) : null;
    if (batch.length >= BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (carry) {
    line++;
    const item = lineItem(file, line, carry, 0, carry.length);
    if (item) batch.push(item);
  }
  if (batch.length) yield batch;
}

function lineItem(file: string, line: number, buf: Buffer, start: number, end: number): SourceItem | null {
  let s = start;
  let e = end;
  // Skip blank lines cheaply, without decoding them.
  while (s < e && (buf[s] === 0x20 || buf[s] === 0x09 || buf[s] === 0x0d)) s++;
  while (e > s && (buf[e - 1] === 0x20 || buf[e - 1] === 0x09 || buf[e - 1] === 0x0d)) e--;
  if (s === e) return null;
  if (line === 1 && buf[s] === 0xef && buf[s + 1] === 0xbb && buf[s + 2] === 0xbf) s += 3;
  return parse(file, line, buf.toString('utf8', s, e), `line ${line}`);
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJ = 0x7b;
const CLOSE_OBJ = 0x7d;
const OPEN_ARR = 0x5b;
const CLOSE_ARR = 0x5d;

export async function* jsonValues(file: string, src: ChunkSource): AsyncGenerator<SourceItem[]> {
  let carry: Buffer | null = null;
  let depth = 0;
  let inString = false;
  let escaped = false;
  /** Depth at which events sit: 0 for a stream of objects, 1 inside a top-level array. */
  let base = 0;
  let start = -1;
  let seenTop = false;
  let offset = 0;
  let n = 0;
  let batch: SourceItem[] = [];
  for await (const chunk of src.chunks) {
    const buf: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
    const bufOffset = offset - (carry ? carry.length : 0);
    let i = carry ? carry.length : 0;
    for (; i < buf.length; i++) {
      const b = buf[i]!;
      if (inString) {
        if (escaped) escaped = false;
        else if (b === BACKSLASH) escaped = true;
        else if (b === QUOTE) inString = false;
        continue;
      }
      if (b === QUOTE) inString = true;
      else if (b === OPEN_OBJ || b === OPEN_ARR) {
        if (depth === 0 && !seenTop) {
          seenTop = true;
          if (b === OPEN_ARR) {
            base = 1;
            depth = 1;
            continue;
          }
        }
        if (depth === base && b === OPEN_OBJ) start = i;
        depth++;
      } else if (b === CLOSE_OBJ || b === CLOSE_ARR) {
        depth--;
        if (depth < 0) {
          batch.push(problem(file, `byte ${bufOffset + i}`, `unbalanced '${String.fromCharCode(b)}'`));
          depth = 0;
        } else if (depth === base && start >= 0 && b === CLOSE_OBJ) {
          n++;
          batch.push(parse(file, n, buf.toString('utf8', start, i + 1), `event ${n} (byte ${bufOffset + start})`));
          start = -1;
        }
        if (depth === 0 && base === 1) {
          // The array ended; another may follow.
          base = 0;
          seenTop = false;
        }
      }
    }
    offset += chunk.length;
    carry = start >= 0 ? buf.subarray(start) : null;
    if (start >= 0) start = 0;
    if (batch.length >= BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (carry || depth > 0) batch.push(problem(file, `byte ${offset}`, 'the file ends inside an event (truncated JSON)'));
  if (batch.length) yield batch;
}
