import { expandPaths as expand } from '../io/files.js';

/** Expands files and folders (recursively) into files with one of the extensions, sorted. */
export function expandPaths(paths: string[], extensions: string[]): { files: string[]; missing: string[] } {
  return expand(paths, (name) => extensions.some((x) => name.endsWith(x)));
}
