import jsyaml from 'js-yaml';
import type { ScalarStyle, YDocument, YMap, YNode, YScalar, YSeq } from './node.js';
import { resolvePlain } from './resolve.js';

/**
 * The fast path: js-yaml composes values about 7x faster than `yaml` on the Sigma corpus
 * (bench/sigma-parse), but has no node positions. Its `listener` reports the start and end of
 * every `composeNode` call; this rebuilds a positioned tree from those events and cross-checks it
 * against the composed values. Anything it cannot account for (aliases, empty sequence entries,
 * syntax errors) returns `null`, and the caller re-reads the file with `yaml`, which is exact.
 */

interface Built {
  start: number;
  end: number;
  kind: string | null;
  result: unknown;
  children: Built[];
}

interface ListenerState {
  position: number;
  kind: string | null;
  result: unknown;
}

const OPTIONS_BASE = { schema: jsyaml.CORE_SCHEMA, json: true } as const;

class Unrepresentable extends Error {}

export function parseFast(text: string): YDocument[] | null {
  const roots: Built[] = [];
  const stack: Built[] = [];
  const listener = (event: 'open' | 'close', state: ListenerState): void => {
    if (event === 'open') {
      stack.push({ start: state.position, end: state.position, kind: null, result: undefined, children: [] });
      return;
    }
    const node = stack.pop()!;
    node.end = state.position;
    node.kind = state.kind;
    node.result = state.result;
    const parent = stack[stack.length - 1];
    const only = node.children.length === 1 ? node.children[0]! : undefined;
    // composeNode sometimes wraps the real node in a second call that returns the same result.
    const built = only && only.kind === node.kind && only.result === node.result ? only : node;
    if (parent) parent.children.push(built);
    else roots.push(built);
  };
  const values: unknown[] = [];
  try {
    jsyaml.loadAll(text, (doc) => values.push(doc), { ...OPTIONS_BASE, listener });
  } catch {
    return null;
  }
  if (roots.length !== values.length) return null;
  const bounds = documentBounds(text, roots.length);
  if (!bounds) return null;
  try {
    return roots.map((root, i) => {
      const node = convert(text, root);
      const [start, end] = bounds[i]!;
      return { root: node, start, end, errors: [], warnings: duplicateKeyWarnings(node) };
    });
  } catch (e) {
    if (e instanceof Unrepresentable) return null;
    throw e;
  }
}

function convert(text: string, b: Built): YNode | null {
  const start = skipSpaceAndComments(text, b.start);
  switch (b.kind) {
    case null:
      if (b.result !== null && b.result !== undefined) throw new Unrepresentable('alias or tagged node');
      // An empty value (`key:`) is a null scalar where the value would have started.
      return { kind: 'scalar', value: null, style: 'plain', start: b.start, end: b.start };
    case 'scalar': {
      const r = b.result;
      if (r !== null && typeof r !== 'string' && typeof r !== 'number' && typeof r !== 'boolean') throw new Unrepresentable('scalar type');
      return makeScalar(text, r, scalarStyle(text, start), start, trimEnd(text, start, b.end));
    }
    case 'mapping': {
      let children = b.children;
      // A trailing failed key attempt leaves an empty open/close pair.
      if (children.length % 2 === 1 && children[children.length - 1]!.kind === null) children = children.slice(0, -1);
      if (children.length % 2 !== 0) throw new Unrepresentable('mapping structure');
      const map: YMap = { kind: 'map', pairs: [], start, end: start };
      for (let i = 0; i < children.length; i += 2) {
        const key = convert(text, children[i]!);
        if (key === null || key.kind !== 'scalar') throw new Unrepresentable('non-scalar key');
        map.pairs.push({ key, value: convert(text, children[i + 1]!) });
      }
      const keys = b.result && typeof b.result === 'object' ? Object.keys(b.result).length : -1;
      const distinct = new Set(map.pairs.map((p) => String((p.key as { value: unknown }).value))).size;
      if (keys !== distinct) throw new Unrepresentable('mapping keys');
      map.end = lastEnd(map.pairs.map((p) => p.value ?? p.key), start, text, b.end);
      return map;
    }
    case 'sequence': {
      const arr = b.result as unknown[];
      if (!Array.isArray(arr) || arr.length !== b.children.length) throw new Unrepresentable('sequence entries');
      const seq: YSeq = { kind: 'seq', items: b.children.map((c) => convert(text, c)), start, end: start };
      seq.end = lastEnd(seq.items, start, text, b.end);
      if (text.charCodeAt(start) === 0x5b /* [ */) seq.end = trimEnd(text, start, b.end);
      return seq;
    }
    default:
      throw new Unrepresentable(`node kind ${b.kind}`);
  }
}

/** Builds a scalar; single-line plain scalars are resolved by {@link resolvePlain} in both paths. */
export function makeScalar(text: string, value: YScalar['value'], style: ScalarStyle, start: number, end: number): YScalar {
  if (style !== 'plain') return { kind: 'scalar', value, style, start, end };
  const raw = text.slice(start, end);
  if (raw.includes('\n') || start === end) return { kind: 'scalar', value, style, start, end };
  return { kind: 'scalar', value: resolvePlain(raw), style, raw, start, end };
}

function lastEnd(nodes: Array<YNode | null>, start: number, text: string, fallback: number): number {
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i];
    if (n) return n.end;
  }
  return trimEnd(text, start, fallback);
}

function scalarStyle(text: string, at: number): ScalarStyle {
  let i = at;
  // Skip node properties (anchor `&a`, tag `!!str`) before the scalar itself.
  while (text[i] === '&' || text[i] === '!') {
    while (i < text.length && !/\s/.test(text[i]!)) i++;
    while (text[i] === ' ') i++;
  }
  switch (text[i]) {
    case "'":
      return 'single';
    case '"':
      return 'double';
    case '|':
      return 'literal';
    case '>':
      return 'folded';
    default:
      return 'plain';
  }
}

/** Skips spaces, line breaks and comments. */
export function skipSpaceAndComments(text: string, at: number): number {
  let i = at;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
    else if (c === 0x23 /* # */) {
      while (i < text.length && text.charCodeAt(i) !== 0x0a) i++;
    } else return i;
  }
}

export function trimEnd(text: string, start: number, end: number): number {
  let e = Math.min(end, text.length);
  while (e > start) {
    const c = text.charCodeAt(e - 1);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) e--;
    else break;
  }
  return e;
}

/**
 * Document boundaries from `---` / `...` marker lines. Returns null when they do not account for
 * exactly `count` documents (the caller then uses the exact reader).
 */
function documentBounds(text: string, count: number): Array<[number, number]> | null {
  const starts: number[] = [];
  const ends: number[] = [];
  let sawContent = false;
  let docStart = 0;
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    const isStart = text.startsWith('---', lineStart) && isMarkerEnd(text.charCodeAt(lineStart + 3));
    const isEnd = text.startsWith('...', lineStart) && isMarkerEnd(text.charCodeAt(lineStart + 3));
    if (isStart || isEnd) {
      if (sawContent) {
        starts.push(docStart);
        ends.push(lineStart);
        sawContent = false;
      }
      docStart = isStart ? lineStart : lineEnd + 1;
      if (isStart && lineStart + 3 < lineEnd && /\S/.test(text.slice(lineStart + 3, lineEnd).replace(/#.*/, ''))) sawContent = true;
    } else if (!sawContent) {
      const line = text.slice(lineStart, lineEnd);
      if (/^\s*[^\s#]/.test(line) && !line.startsWith('%')) sawContent = true;
    }
    if (lineEnd === text.length) break;
    lineStart = lineEnd + 1;
  }
  if (sawContent) {
    starts.push(docStart);
    ends.push(text.length);
  }
  if (starts.length !== count) return null;
  return starts.map((s, i) => [s, ends[i]!]);
}

function isMarkerEnd(c: number): boolean {
  return Number.isNaN(c) || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

export function duplicateKeyWarnings(root: YNode | null): YDocument['warnings'] {
  const out: YDocument['warnings'] = [];
  const visit = (n: YNode | null): void => {
    if (!n) return;
    if (n.kind === 'seq') n.items.forEach(visit);
    else if (n.kind === 'map') {
      const seen = new Set<string>();
      for (const p of n.pairs) {
        const k = p.key.kind === 'scalar' ? String(p.key.value) : '';
        if (seen.has(k)) out.push({ message: `duplicate key '${k}': the last value wins`, offset: p.key.start, severity: 'warning' });
        seen.add(k);
        visit(p.value);
      }
    }
  };
  visit(root);
  return out;
}
