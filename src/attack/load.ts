import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { AttackIndex } from './attack-index.js';
import { buildAttackIndexData } from './build.js';
import type { StixBundle } from './stix-types.js';

/** Milliseconds spent in each step of a load, for the benchmark and the `/status` page. */
export interface AttackLoadTimings {
  readMs: number;
  parseMs: number;
  indexMs: number;
  totalMs: number;
}

export interface LoadedAttack {
  index: AttackIndex;
  timings: AttackLoadTimings;
}

/**
 * Reads an ATT&CK STIX 2.1 bundle (`enterprise-attack.json`) and indexes it. The caller resolves
 * the path (no network, no default location baked in here). Throws when the file is not a bundle.
 */
export async function loadAttack(path: string): Promise<LoadedAttack> {
  const t0 = performance.now();
  const bytes = await readFile(path);
  return indexBytes(bytes, path, t0);
}

export function loadAttackSync(path: string): LoadedAttack {
  const t0 = performance.now();
  return indexBytes(readFileSync(path), path, t0);
}

/** Indexes an already parsed bundle (tests build small ones by hand). */
export function indexBundle(bundle: unknown, origin = 'bundle'): AttackIndex {
  return new AttackIndex(buildAttackIndexData(asBundle(bundle, origin)));
}

function indexBytes(bytes: Buffer, path: string, t0: number): LoadedAttack {
  const t1 = performance.now();
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw new Error(`${path}: not JSON: ${(e as Error).message}`);
  }
  const t2 = performance.now();
  const index = indexBundle(parsed, path);
  const t3 = performance.now();
  return { index, timings: { readMs: t1 - t0, parseMs: t2 - t1, indexMs: t3 - t2, totalMs: t3 - t0 } };
}

function asBundle(value: unknown, origin: string): StixBundle {
  if (typeof value !== 'object' || value === null) throw new Error(`${origin}: not a STIX bundle (not an object)`);
  const v = value as Partial<StixBundle>;
  if (v.type !== 'bundle' || !Array.isArray(v.objects)) {
    throw new Error(`${origin}: not a STIX bundle (expected type "bundle" with an objects array)`);
  }
  for (const [i, o] of v.objects.entries()) {
    if (typeof o !== 'object' || o === null || typeof o.type !== 'string' || typeof o.id !== 'string') {
      throw new Error(`${origin}: object ${i} has no type or id`);
    }
  }
  return v as StixBundle;
}
