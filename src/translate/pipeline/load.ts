import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import jsyaml from 'js-yaml';
import type { Pipeline } from './types.js';

/** Built-in pipelines live next to this module's folder (copied to dist by the build). */
const BUILTIN_DIR = new URL('../pipelines/', import.meta.url);

const cache = new Map<string, Pipeline>();

/** Ids of the built-in pipelines. */
export function builtinPipelineIds(): string[] {
  return readdirSync(BUILTIN_DIR)
    .filter((f) => f.endsWith('.yml'))
    .map((f) => f.slice(0, -4))
    .sort();
}

/** A built-in pipeline by id, or a pipeline file by path. Throws with a clear message when invalid. */
export function loadPipeline(idOrPath: string): Pipeline {
  const cached = cache.get(idOrPath);
  if (cached) return cached;
  const isPath = idOrPath.includes('/') || idOrPath.endsWith('.yml') || idOrPath.endsWith('.yaml') || idOrPath.endsWith('.json');
  const file = isPath ? idOrPath : join(fileURLToPath(BUILTIN_DIR), `${idOrPath}.yml`);
  if (!existsSync(file)) throw new Error(`unknown pipeline '${idOrPath}' (built-in: ${builtinPipelineIds().join(', ')})`);
  let data: unknown;
  try {
    data = jsyaml.load(readFileSync(file, 'utf8'), { schema: jsyaml.CORE_SCHEMA });
  } catch (e) {
    throw new Error(`pipeline ${file}: ${(e as Error).message.split('\n')[0]}`);
  }
  const p = validate(data, file);
  cache.set(idOrPath, p);
  return p;
}

const SCHEMA_DIR = new URL('../schemas/', import.meta.url);

/** Column types from a generated schema file (`kql-tables` → schemas/kql-tables.json). */
function schemaFile(name: unknown, fail: (m: string) => never): Record<string, Record<string, string>> {
  if (name === undefined) return {};
  if (typeof name !== 'string') return fail("'schemaFile' must be a name");
  const file = join(fileURLToPath(SCHEMA_DIR), `${name}.json`);
  if (!existsSync(file)) return fail(`schema file '${name}' not found`);
  const data = JSON.parse(readFileSync(file, 'utf8')) as { tables?: Record<string, Record<string, string>>; functions?: Record<string, Record<string, string>> };
  return { ...data.tables, ...data.functions };
}

function validate(data: unknown, file: string): Pipeline {
  const fail = (msg: string): never => {
    throw new Error(`pipeline ${file}: ${msg}`);
  };
  if (!data || typeof data !== 'object') fail('not a map');
  const d = data as Record<string, unknown>;
  if (typeof d.id !== 'string') fail("'id' must be a string");
  if (!Array.isArray(d.sources)) fail("'sources' must be a list");
  const fieldmaps = (d.fieldmaps ?? {}) as Record<string, Record<string, unknown>>;
  for (const [i, s] of (d.sources as unknown[]).entries()) {
    const src = s as Record<string, unknown>;
    if (!src || typeof src !== 'object' || typeof src.logsource !== 'object') fail(`sources[${i}] needs a 'logsource' map`);
    if (typeof src.source !== 'string' && typeof src.error !== 'string') fail(`sources[${i}] needs 'source' or 'error'`);
    for (const f of (src.fields as string[] | undefined) ?? []) if (!fieldmaps[f]) fail(`sources[${i}] names unknown field map '${f}'`);
  }
  return {
    id: d.id as string,
    title: typeof d.title === 'string' ? d.title : (d.id as string),
    languages: Array.isArray(d.languages) ? (d.languages as string[]) : [],
    unmapped: d.unmapped === 'keep' ? 'keep' : 'error',
    ...(d.checkColumns === true ? { checkColumns: true } : {}),
    ...(typeof d.unmappedTemplate === 'string' ? { unmappedTemplate: d.unmappedTemplate } : {}),
    ...(typeof d.unmappedType === 'string' ? { unmappedType: d.unmappedType } : {}),
    sources: d.sources as Pipeline['sources'],
    fieldmaps: fieldmaps as Pipeline['fieldmaps'],
    ...(d.schemas || d.schemaFile ? { schemas: { ...schemaFile(d.schemaFile, fail), ...(d.schemas as Pipeline['schemas']) } } : {}),
    file,
  };
}
