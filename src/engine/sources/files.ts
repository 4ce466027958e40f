import { expandPaths, fileSize } from '../../io/files.js';

/** Extensions an event folder is searched for (each also gzipped, `.jsonl.gz`). */
export const EVENT_EXTENSIONS = ['.evtx', '.jsonl', '.ndjson', '.json'];

export function isEventFile(name: string): boolean {
  const n = name.toLowerCase().replace(/\.gz$/, '');
  return EVENT_EXTENSIONS.some((x) => n.endsWith(x));
}

export interface EventFile {
  path: string;
  bytes: number;
}

/**
 * Files of the given paths: files as given (whatever their extension: the content decides), and
 * folders searched recursively for event files, in name order.
 */
export function listEventFiles(paths: readonly string[]): { files: EventFile[]; missing: string[] } {
  const { files, missing } = expandPaths(paths, isEventFile);
  return { files: files.map((path) => ({ path, bytes: fileSize(path) })), missing };
}
