import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, Scalar, type Node as YamlNode } from 'yaml';
import { duplicateKeyWarnings, makeScalar, skipSpaceAndComments, trimEnd } from './fast.js';
import type { ScalarStyle, YDocument, YNode, YamlProblem } from './node.js';

/**
 * The exact path: `yaml` keeps a range on every node, recovers after errors and reports each
 * with its position. Used for files the fast path cannot account for, and for broken files.
 */
export function parseExact(text: string): YDocument[] {
  const docs = parseAllDocuments(text, { uniqueKeys: false, prettyErrors: false, schema: 'core', version: '1.2' });
  const list = Array.isArray(docs) ? docs : [];
  const out: YDocument[] = [];
  for (const doc of list) {
    const errors = doc.errors.map((e) => ({ message: firstLine(e.message), offset: e.pos[0], severity: 'error' as const }));
    const warnings: YamlProblem[] = doc.warnings.map((e) => ({ message: firstLine(e.message), offset: e.pos[0], severity: 'warning' as const }));
    let root: YNode | null = null;
    try {
      root = convert(text, doc.contents as YamlNode | null, 0);
    } catch (e) {
      errors.push({ message: e instanceof Error ? e.message : String(e), offset: doc.range[0], severity: 'error' });
    }
    if (root === null && errors.length === 0 && doc.contents === null && isBlank(text.slice(doc.range[0], doc.range[2]))) continue;
    warnings.push(...duplicateKeyWarnings(root));
    out.push({ root, start: doc.range[0], end: doc.range[2], errors, warnings });
  }
  return out;
}

const MAX_DEPTH = 500;

function convert(text: string, node: YamlNode | null, depth: number): YNode | null {
  if (node === null || node === undefined) return null;
  if (depth > MAX_DEPTH) throw new Error(`nesting deeper than ${MAX_DEPTH} levels`);
  if (isAlias(node)) throw new Error(`YAML alias *${node.source} is not supported in rules`);
  const [start, valueEnd] = node.range ?? [0, 0, 0];
  if (isScalar(node)) {
    const v = node.value;
    const value = v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : String(v);
    return makeScalar(text, value, styleOf(node), start, trimEnd(text, start, valueEnd));
  }
  if (isMap(node)) {
    const pairs = [];
    for (const item of node.items) {
      if (!isPair(item)) continue;
      const key = convert(text, item.key as YamlNode | null, depth + 1);
      if (key === null) throw new Error('a mapping key is empty');
      pairs.push({ key, value: convert(text, item.value as YamlNode | null, depth + 1) });
    }
    const last = pairs.length ? (pairs[pairs.length - 1]!.value ?? pairs[pairs.length - 1]!.key).end : valueEnd;
    return { kind: 'map', pairs, start: skipSpaceAndComments(text, start), end: node.flow ? valueEnd : last };
  }
  if (isSeq(node)) {
    const items = node.items.map((i) => convert(text, i as YamlNode | null, depth + 1));
    let last = valueEnd;
    if (!node.flow) for (let i = items.length - 1; i >= 0; i--) if (items[i]) { last = items[i]!.end; break; }
    return { kind: 'seq', items, start: skipSpaceAndComments(text, start), end: last };
  }
  throw new Error('unsupported YAML node');
}

function styleOf(node: Scalar): ScalarStyle {
  switch (node.type) {
    case Scalar.QUOTE_SINGLE:
      return 'single';
    case Scalar.QUOTE_DOUBLE:
      return 'double';
    case Scalar.BLOCK_LITERAL:
      return 'literal';
    case Scalar.BLOCK_FOLDED:
      return 'folded';
    default:
      return 'plain';
  }
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return i === -1 ? s : s.slice(0, i);
}

function isBlank(s: string): boolean {
  return !/^\s*[^\s#]/m.test(s.replace(/^(---|\.\.\.)\s*$/gm, ''));
}
