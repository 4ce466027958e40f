import type { SourceRecord } from '../event.js';

/** A record, or something that could not be read (the rest of the file is still read). */
export type SourceItem = { ok: true; record: SourceRecord } | SourceProblem;

export interface SourceProblem {
  ok: false;
  file: string;
  /** `error`: data was lost (a record, a chunk, a line); `warning`: read with a doubt. */
  severity: 'error' | 'warning';
  /** Where in the file: `line 12`, `chunk 3 @ 200704`, ... */
  where: string;
  reason: string;
}
