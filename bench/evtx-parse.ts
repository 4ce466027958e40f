/**
 * EVTX parsing throughput over every .evtx under ../shared/events (or the folder given), next to
 * a baseline measured in the same run: reading the same bytes from disk in the same 64 KiB
 * pieces without parsing them.
 *
 *   node --import tsx bench/evtx-parse.ts [folder] [--runs N]
 *
 * "file MB" counts whole files (the samples are mostly preallocated, half-empty chunks);
 * "record MB" counts only the bytes of the chunks' record areas, the part that is parsed.
 */
import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readEvtx } from '../src/evtx/index.js';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 5;
const folder = args.find((a, i) => !a.startsWith('--') && (runsAt < 0 || i !== runsAt + 1)) ?? fileURLToPath(new URL('../../shared/events/', import.meta.url));

function find(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) find(p, out);
    else if (name.endsWith('.evtx')) out.push(p);
  }
  return out;
}

const files = find(folder);
const CHUNK = 65536;
const buf = Buffer.allocUnsafe(CHUNK);

/** Reads every file as the reader does (the 4 KiB header, then 64 KiB chunks); returns file and record-area bytes. */
function readOnly(): { bytes: number; recordBytes: number } {
  let bytes = 0;
  let recordBytes = 0;
  for (const f of files) {
    const fd = openSync(f, 'r');
    try {
      const size = fstatSync(fd).size;
      bytes += readSync(fd, buf, 0, Math.min(4096, size), 0);
      for (let off = 4096; off < size; off += CHUNK) {
        const n = readSync(fd, buf, 0, Math.min(CHUNK, size - off), off);
        bytes += n;
        if (n >= 512 && buf.toString('latin1', 0, 8) === 'ElfChnk\0') {
          const free = buf.readUInt32LE(48);
          if (free >= 512 && free <= n) recordBytes += free - 512;
        }
      }
    } finally {
      closeSync(fd);
    }
  }
  return { bytes, recordBytes };
}

function parseAll(): { records: number; errors: number; warnings: number } {
  let records = 0;
  let errors = 0;
  let warnings = 0;
  for (const f of files) {
    for (const item of readEvtx(f)) {
      if (item.ok) records++;
      else if (item.severity === 'error') errors++;
      else warnings++;
    }
  }
  return { records, errors, warnings };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const mb = (n: number): string => (n / 1e6).toFixed(1);
const rssMb = (): string => (process.resourceUsage().maxRSS / 1024).toFixed(0);

readOnly(); // warm the page cache, so both sides read from memory
const baseTimes: number[] = [];
let sizes = { bytes: 0, recordBytes: 0 };
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  sizes = readOnly();
  baseTimes.push((performance.now() - t) / 1000);
}
const rssAfterBaseline = rssMb();

const parseTimes: number[] = [];
let counts = { records: 0, errors: 0, warnings: 0 };
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  counts = parseAll();
  parseTimes.push((performance.now() - t) / 1000);
}

const base = median(baseTimes);
const parse = median(parseTimes);
const best = Math.min(...parseTimes);
console.log(`${files.length} files under ${folder}: ${mb(sizes.bytes)} file MB, ${mb(sizes.recordBytes)} record MB`);
console.log(`baseline (read 64 KiB pieces, no parsing): ${base.toFixed(3)} s = ${mb(sizes.bytes / base)} MB/s`);
console.log(
  `readEvtx (median of ${runs}): ${parse.toFixed(3)} s = ${mb(sizes.bytes / parse)} file MB/s, ` +
    `${mb(sizes.recordBytes / parse)} record MB/s, ${(counts.records / parse).toFixed(0)} records/s ` +
    `(best ${mb(sizes.bytes / best)} file MB/s)`,
);
console.log(`records ${counts.records}, errors ${counts.errors}, warnings ${counts.warnings}`);
console.log(`peak RSS: ${rssAfterBaseline} MB after the baseline, ${rssMb()} MB after parsing`);
