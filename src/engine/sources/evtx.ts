import { readEvtx } from '../../evtx/index.js';
import type { SourceItem } from './types.js';

const BATCH = 256;

/** Records of an EVTX file through src/evtx, in batches; `progress` gets the file offset reached. */
export async function* evtxRecords(file: string, path: string, progress: (offset: number) => void): AsyncGenerator<SourceItem[]> {
  let batch: SourceItem[] = [];
  for (const item of readEvtx(path)) {
    if (item.ok) {
      const r = item.record;
      batch.push({ ok: true, record: { file, recordId: r.recordId, timestamp: r.timestamp, event: r.event } });
      if (batch.length >= BATCH) {
        progress(r.offset);
        yield batch;
        batch = [];
      }
    } else {
      const where = item.chunk < 0 ? 'file header' : `chunk ${item.chunk} @ ${item.offset}${item.recordId !== undefined ? ` (record ${item.recordId})` : ''}`;
      batch.push({ ok: false, file, severity: item.severity, where, reason: item.reason });
    }
  }
  if (batch.length) yield batch;
}
