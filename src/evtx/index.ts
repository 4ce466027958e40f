/**
 * The EVTX reader: Windows XML Event Log files (file header, 64 KiB chunks, event records,
 * BinXML with per-chunk template caches) to the JSON shape Chainsaw and Hayabusa print.
 */
export { readEvtx, readEvtxBuffer } from './reader.js';
export type { EvtxItem, EvtxOptions, EvtxProblem, EvtxRecord } from './types.js';
export type { JsonValue } from './values.js';
export { parseFileHeader, CHUNK_SIZE, FILE_HEADER_SIZE } from './file-header.js';
export type { FileHeader } from './file-header.js';
export { parseChunkHeader, readChunk } from './chunk.js';
export type { ChunkHeader } from './chunk.js';
export { formatFiletime } from './time.js';
