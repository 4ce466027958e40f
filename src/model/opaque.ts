import { walkExpr, type OpaqueExpr } from './expr.js';
import type { Rule } from './rule.js';

/** A part of a rule's filtering logic that no reader could model, with the reason it gives. */
export interface OpaquePart {
  stage: number;
  command: string;
  node: OpaqueExpr;
}

/**
 * Every opaque node in the filtering stages of a rule. The catalog's "parsed with no opaque part"
 * share (the figure each reader is held to) is the share of rules for which this is empty.
 */
export function opaqueParts(rule: Pick<Rule, 'logic'>): OpaquePart[] {
  const out: OpaquePart[] = [];
  for (const s of rule.logic) {
    if (!s.filter) continue;
    walkExpr(s.filter, (n) => {
      if (n.kind === 'opaque') out.push({ stage: s.index, command: s.command, node: n });
    });
  }
  return out;
}
