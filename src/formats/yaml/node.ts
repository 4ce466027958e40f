/**
 * A YAML tree with a span on every node: what the rule readers walk. Offsets are into the file
 * text (UTF-16 code units), `end` exclusive and with trailing whitespace trimmed.
 */
export type YNode = YScalar | YMap | YSeq;

export type ScalarStyle = 'plain' | 'single' | 'double' | 'literal' | 'folded';

export interface YScalar {
  kind: 'scalar';
  /** The value under the YAML 1.2 core schema (strings, numbers, booleans, null). */
  value: string | number | boolean | null;
  style: ScalarStyle;
  /** The source text of a single-line plain scalar (numbers keep their digits: `0x17`, long hashes). */
  raw?: string;
  start: number;
  end: number;
}

export interface YPair {
  key: YNode;
  value: YNode | null;
}

export interface YMap {
  kind: 'map';
  pairs: YPair[];
  start: number;
  end: number;
}

export interface YSeq {
  kind: 'seq';
  items: Array<YNode | null>;
  start: number;
  end: number;
}

export interface YamlProblem {
  message: string;
  offset: number;
  severity: 'error' | 'warning';
}

export interface YDocument {
  /** null for an empty document. */
  root: YNode | null;
  start: number;
  end: number;
  /** Problems that make the document unusable (syntax errors). */
  errors: YamlProblem[];
  /** Problems worth telling (duplicate keys: the last one wins, as in PyYAML). */
  warnings: YamlProblem[];
}

/** Finds a key of a mapping (exact, case-sensitive). The last duplicate wins, as in PyYAML. */
export function getPair(map: YMap, key: string): YPair | undefined {
  let found: YPair | undefined;
  for (const p of map.pairs) if (p.key.kind === 'scalar' && String(p.key.value) === key) found = p;
  return found;
}

export function keyText(p: YPair): string {
  return p.key.kind === 'scalar' ? String(p.key.value ?? '') : '';
}

/** Converts a subtree to plain JavaScript values (maps to objects, last duplicate key wins). */
export function toPlain(node: YNode | null): unknown {
  if (node === null) return null;
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'seq':
      return node.items.map(toPlain);
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const p of node.pairs) out[keyText(p)] = toPlain(p.value);
      return out;
    }
  }
}

/** A short description of a node's type for messages. */
export function describeNode(node: YNode | null): string {
  if (node === null) return 'an empty value';
  if (node.kind === 'map') return 'a map';
  if (node.kind === 'seq') return 'a list';
  const v = node.value;
  if (v === null) return 'null';
  return typeof v === 'string' ? 'a string' : `a ${typeof v}`;
}
