import type { Diagnostic, Rule } from '../../model/index.js';

/**
 * Checks across a corpus: the same id or title in two rules (pySigma's identifier_uniqueness and
 * title uniqueness validators). Adds findings to the rules concerned, pointing at the other one.
 */
export function corpusFindings(rules: Rule[]): void {
  const byId = new Map<string, Rule[]>();
  const byTitle = new Map<string, Rule[]>();
  for (const r of rules) {
    if (r.nativeId) push(byId, r.nativeId, r);
    if (r.title && r.kind === 'detection') push(byTitle, r.title.trim().toLowerCase(), r);
  }
  for (const [id, group] of byId) if (group.length > 1) flag(group, 'sigma.duplicate-id', 'warning', 'id', (o) => `id '${id}' is also used by ${o.source.path}`);
  for (const [, group] of byTitle) if (group.length > 1) flag(group, 'sigma.duplicate-title', 'warning', 'title', (o) => `title '${o.title}' is also used by ${o.source.path}`);
}

function push(map: Map<string, Rule[]>, key: string, r: Rule): void {
  const g = map.get(key);
  if (g) g.push(r);
  else map.set(key, [r]);
}

function flag(group: Rule[], code: string, severity: 'error' | 'warning', key: string, message: (other: Rule) => string): void {
  for (const r of group) {
    const other = group.find((o) => o !== r)!;
    const d: Diagnostic = {
      severity,
      code,
      message: message(other),
      file: r.source.path,
      line: keyLine(r, key),
      column: 1,
      related: [{ message: 'the other rule', file: other.source.path, line: keyLine(other, key), column: 1 }],
    };
    r.diagnostics.push(d);
  }
}

/** The line of a top-level key in a rule's document (lines count from the document's start). */
function keyLine(r: Rule, key: string): number {
  const m = new RegExp(`^${key}:`, 'm').exec(r.body);
  return m ? r.body.slice(0, m.index).split('\n').length : 1;
}
