/**
 * Event sources: EVTX, JSON lines, JSON arrays and streams of JSON objects (nested
 * `{"Event": ...}` or flat), plain or gzipped, from files or folders. Everything streams: a file
 * is read in 1 MiB chunks (EVTX in 64 KiB chunks by src/evtx), and records come out in batches.
 */
import { closeSync, createReadStream, createWriteStream, fstatSync, mkdtempSync, openSync, readFileSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { evtxRecords } from './evtx.js';
import { listEventFiles, type EventFile } from './files.js';
import { jsonLines, jsonValues, type ChunkSource } from './json.js';
import type { SourceItem } from './types.js';

export type { SourceItem, SourceProblem } from './types.js';
export { listEventFiles, isEventFile, EVENT_EXTENSIONS, type EventFile } from './files.js';

const CHUNK = 1 << 20;
const EVTX_MAGIC = Buffer.from('ElfFile\0', 'latin1');

export interface ReadProgress {
  file: string;
  /** Bytes of this file read so far. */
  bytes: number;
  fileBytes: number;
}

export interface ReadOptions {
  onProgress?: (p: ReadProgress) => void;
}

/**
 * The first bytes of a file. Synchronous on purpose, like the small-file reads below: a hunt over
 * thousands of small files would otherwise spend most of its time waiting on the thread pool.
 */
function head(path: string, n: number): { magic: Buffer; size: number } {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    return { magic: buf.subarray(0, readSync(fd, buf, 0, n, 0)), size: fstatSync(fd).size };
  } finally {
    closeSync(fd);
  }
}

function isGzip(b: Buffer): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

/** Files up to this size are read in one call: a stream's set-up costs more than it saves. */
const WHOLE_FILE = 4 << 20;

async function* once(buf: Buffer): AsyncGenerator<Buffer> {
  yield buf;
}

/** Chunks of a file, decompressed when gzipped. */
async function chunksOf(path: string, gz: boolean, size: number): Promise<ChunkSource> {
  if (!gz && size > 0 && size <= WHOLE_FILE) {
    const buf = readFileSync(path);
    return { chunks: once(buf), bytesRead: () => buf.length };
  }
  const raw = createReadStream(path, { highWaterMark: CHUNK });
  const stream = gz ? raw.pipe(createGunzip({ chunkSize: CHUNK })) : raw;
  if (gz) raw.on('error', (e) => stream.destroy(e));
  return { chunks: stream as AsyncIterable<Buffer>, bytesRead: () => raw.bytesRead };
}

/** JSON lines split fastest on newlines; anything else goes through the value scanner, which reads lines too. */
function textKind(name: string): 'lines' | 'values' {
  const n = name.toLowerCase().replace(/\.gz$/, '');
  return n.endsWith('.jsonl') || n.endsWith('.ndjson') ? 'lines' : 'values';
}

/** Records and problems of one file; the content (magic bytes) decides the format, the name only between JSON lines and JSON values. */
export async function* readEventFile(path: string, options: ReadOptions = {}): AsyncGenerator<SourceItem[]> {
  let magic: Buffer;
  let fileBytes: number;
  try {
    ({ magic, size: fileBytes } = head(path, 8));
  } catch (e) {
    yield [{ ok: false, file: path, severity: 'error', where: 'file', reason: `cannot read: ${(e as Error).message}` }];
    return;
  }
  const progress = (bytes: number): void => options.onProgress?.({ file: path, bytes, fileBytes });
  try {
    if (magic.equals(EVTX_MAGIC) || (magic.length === 0 && path.toLowerCase().endsWith('.evtx'))) {
      yield* evtxRecords(path, path, progress);
    } else if (isGzip(magic) && (await gzipHoldsEvtx(path))) {
      // EVTX needs random access to its chunks: inflate to a temporary file, streaming.
      const dir = mkdtempSync(join(tmpdir(), 'ruleatlas-evtx-'));
      try {
        const tmp = join(dir, 'events.evtx');
        await pipeline(createReadStream(path), createGunzip(), createWriteStream(tmp));
        yield* evtxRecords(path, tmp, () => undefined);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    } else {
      const src = await chunksOf(path, isGzip(magic), fileBytes);
      const kind = textKind(path);
      for await (const batch of kind === 'lines' ? jsonLines(path, src) : jsonValues(path, src)) {
        progress(src.bytesRead());
        yield batch;
      }
    }
  } catch (e) {
    yield [{ ok: false, file: path, severity: 'error', where: 'file', reason: `reading stopped: ${(e as Error).message}` }];
  }
  progress(fileBytes);
}

async function gzipHoldsEvtx(path: string): Promise<boolean> {
  const src = await chunksOf(path, true, 0);
  for await (const chunk of src.chunks) {
    (src.chunks as unknown as { destroy(): void }).destroy();
    return chunk.subarray(0, 8).equals(EVTX_MAGIC);
  }
  return false;
}

/** Records of every file of the paths (folders searched recursively), file by file. */
export async function* readEvents(paths: readonly string[], options: ReadOptions = {}): AsyncGenerator<SourceItem[]> {
  const { files, missing } = listEventFiles(paths);
  for (const m of missing) yield [{ ok: false, file: m, severity: 'error', where: 'file', reason: 'no such file or folder' }];
  for (const f of files) yield* readEventFile(f.path, options);
}

/** The same over a listing already made (the CLI lists once for its progress bar). */
export async function* readEventFiles(files: readonly EventFile[], options: ReadOptions = {}): AsyncGenerator<SourceItem[]> {
  for (const f of files) yield* readEventFile(f.path, options);
}
