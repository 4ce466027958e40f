import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import * as tar from 'tar';
import { CORPUS_PINS, type CorpusPin } from './pins.js';

export interface FetchOptions {
  /** Folder of corpus folders to create or update. */
  dest: string;
  /** Corpus names (default: all pinned). */
  only?: string[];
  /** Where archives come from: `{base}/{owner}/{name}/tar.gz/{commit}` (GitHub's codeload layout). */
  baseUrl?: string;
  onProgress?: (message: string) => void;
  /** Refuse archives larger than this (bytes). */
  maxBytes?: number;
}

export interface FetchResult {
  name: string;
  files: number;
  bytes: number;
  dir: string;
}

const DEFAULT_BASE = 'https://codeload.github.com';

/**
 * Downloads each pinned corpus as its repository's archive at the pinned commit, keeps the rule
 * folders, and writes the SOURCE.md the catalog reads provenance from. A corpus is replaced only
 * once its new copy is complete (extracted beside it, then renamed), so a failed download never
 * leaves half a corpus behind.
 */
export async function fetchCorpora(options: FetchOptions): Promise<FetchResult[]> {
  const pins = options.only?.length ? CORPUS_PINS.filter((p) => options.only!.includes(p.name)) : [...CORPUS_PINS];
  const unknown = (options.only ?? []).filter((n) => !CORPUS_PINS.some((p) => p.name === n));
  if (unknown.length) throw new Error(`unknown corpus ${unknown.join(', ')} (known: ${CORPUS_PINS.map((p) => p.name).join(', ')})`);
  mkdirSync(options.dest, { recursive: true });
  const out: FetchResult[] = [];
  for (const pin of pins) out.push(await fetchOne(pin, options));
  return out;
}

async function fetchOne(pin: CorpusPin, options: FetchOptions): Promise<FetchResult> {
  const url = `${(options.baseUrl ?? DEFAULT_BASE).replace(/\/$/, '')}/${pin.repository}/tar.gz/${pin.commit}`;
  const final = join(options.dest, pin.name);
  const partial = join(options.dest, `.${pin.name}.partial`);
  const archive = join(options.dest, `.${pin.name}.tar.gz`);
  rmSync(partial, { recursive: true, force: true });
  options.onProgress?.(`${pin.name}: downloading ${url}`);
  const res = await fetch(url, { redirect: 'follow' });
  if (!res.ok || !res.body) throw new Error(`${pin.name}: ${url} answered ${res.status} ${res.statusText}`);
  const max = options.maxBytes ?? 4 * 1024 ** 3;
  let bytes = 0;
  const counted = Readable.fromWeb(res.body as WebReadableStream<Uint8Array>).on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > max) counted.destroy(new Error(`${pin.name}: the archive is over ${max} bytes`));
  });
  try {
    await pipeline(counted, createWriteStream(archive));
    mkdirSync(partial, { recursive: true });
    let files = 0;
    const keep = pin.keep.map(globToRegExp);
    await tar.x({
      file: archive,
      cwd: partial,
      // Archives hold one top folder (`name-commit/`); paths are kept relative to the repository.
      strip: 1,
      filter: (path) => {
        const rel = path.split('/').slice(1).join('/');
        const ok = rel !== '' && keep.some((re) => re.test(rel));
        if (ok && !path.endsWith('/')) files++;
        return ok;
      },
    });
    if (files === 0) throw new Error(`${pin.name}: the archive holds none of ${pin.keep.join(', ')}`);
    writeFileSync(
      join(partial, 'SOURCE.md'),
      `# Provenance\n- Repository: ${pin.repository} @ ${pin.commit} (fetched ${new Date().toISOString()} from ${url})\n- Staged: ${pin.keep.join(', ')}\n- License: ${pin.license}\n`,
    );
    rmSync(final, { recursive: true, force: true });
    renameSync(partial, final);
    options.onProgress?.(`${pin.name}: ${files} files in ${final}`);
    return { name: pin.name, files, bytes, dir: final };
  } finally {
    rmSync(archive, { force: true });
    if (existsSync(partial)) rmSync(partial, { recursive: true, force: true });
  }
}

/** `rules` keeps the folder and everything under it; `*` matches one path segment. */
function globToRegExp(glob: string): RegExp {
  const body = glob.split('/').map((seg) => seg.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')).join('/');
  return new RegExp(`^${body}(/.*)?$`);
}
