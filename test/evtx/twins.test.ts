/**
 * Every sample `.evtx` under ../shared/events reads exactly as its `.jsonl` twin (the JSON that
 * evtx_dump, Chainsaw and Hayabusa produce), record by record, field by field.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { readEvtx } from '../../src/evtx/index.js';
import type { EvtxProblem } from '../../src/evtx/index.js';
import { EVENTS_DIR, evtxFiles, rel, twinOf } from './samples.js';

/**
 * Places where we deliberately print something other than the twin, with the reason. Each entry
 * names one file, one record (0-based) and one JSON path. Empty: today every field matches.
 */
const DELIBERATE_DIFFERENCES: ReadonlyArray<{ file: string; record: number; path: string[]; reason: string }> = [];

function applyDeliberateDifferences(file: string, index: number, twin: Record<string, unknown>): void {
  for (const d of DELIBERATE_DIFFERENCES) {
    if (d.file !== file || d.record !== index) continue;
    let o: Record<string, unknown> = twin;
    for (const k of d.path.slice(0, -1)) o = o[k] as Record<string, unknown>;
    delete o[d.path[d.path.length - 1]];
  }
}

interface IndexEntry {
  evtx: string;
  events: number;
  libevtx_records?: number;
}

test('every sample .evtx equals its .jsonl twin', async (t) => {
  const files = evtxFiles();
  // A wrong path or an empty folder must fail, not pass with nothing compared.
  assert.ok(files.length >= 400, `expected the ~434 sample files under ${EVENTS_DIR}, found ${files.length}`);

  const index = new Map<string, IndexEntry>();
  const indexJson = JSON.parse(readFileSync(`${EVENTS_DIR}evtx-attack-samples/index.json`, 'utf8')) as { files: IndexEntry[] };
  for (const e of indexJson.files) index.set(`evtx-attack-samples/src/${e.evtx}`, e);

  let records = 0;
  const perDataset = new Map<string, { files: number; records: number }>();
  for (const file of files) {
    const name = rel(file);
    await t.test(name, () => {
      const twin = readFileSync(twinOf(file), 'utf8')
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      const got: Record<string, unknown>[] = [];
      const problems: EvtxProblem[] = [];
      for (const item of readEvtx(file)) {
        if (item.ok) got.push(item.record.event);
        else problems.push(item);
      }
      assert.deepEqual(problems, [], 'the samples are undamaged: no errors and no checksum warnings');
      assert.equal(got.length, twin.length, 'record count');
      const listed = index.get(name);
      if (listed !== undefined) {
        assert.equal(got.length, listed.events, 'record count in index.json');
        if (listed.libevtx_records !== undefined) assert.equal(got.length, listed.libevtx_records, 'libevtx record count');
      }
      for (let i = 0; i < got.length; i++) {
        applyDeliberateDifferences(name, i, twin[i]);
        assert.deepStrictEqual(got[i], twin[i], `record ${i} of ${name}`);
      }
      records += got.length;
      const dataset = name.split('/')[0];
      const d = perDataset.get(dataset) ?? { files: 0, records: 0 };
      d.files++;
      d.records += got.length;
      perDataset.set(dataset, d);
      t.diagnostic(`${got.length} records`);
    });
  }
  for (const [dataset, d] of perDataset) t.diagnostic(`${dataset}: ${d.files} files, ${d.records} records`);
  t.diagnostic(`total: ${files.length} files, ${records} records compared; ${DELIBERATE_DIFFERENCES.length} deliberate differences`);
});
