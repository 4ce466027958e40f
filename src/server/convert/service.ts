import { readSigma } from '../../formats/sigma/index.js';
import { lintRule } from '../../lint/index.js';
import { bySeverityThenPosition, hasErrors, printExpr, type Diagnostic, type Rule } from '../../model/index.js';
import { convert } from '../../translate/convert.js';
import { targets } from '../../translate/targets.js';
import type { Fidelity, Language } from '../../translate/types.js';
import { ApiError } from '../http/errors.js';
import { CONVERT_LIMITS, documentCount, yamlDepth } from './limits.js';

/** One target's translation of one pasted rule. */
export interface TargetResult {
  target: string;
  language: Language;
  description: string;
  ok: boolean;
  queries: string[];
  error: string | null;
  fidelity: Fidelity;
}

export interface Finding {
  code: string;
  severity: Diagnostic['severity'];
  message: string;
  line: number;
  column: number;
}

export interface ConvertedRule {
  id: string;
  title: string;
  kind: Rule['kind'];
  /** Whether the reader could read the rule's logic (lint findings never change this). */
  parsed: boolean;
  findings: Finding[];
  stages: Array<{ index: number; command: string; predicates: string }>;
  translations: TargetResult[];
}

export interface ConvertResult {
  rules: ConvertedRule[];
  /** Milliseconds spent reading, linting and translating. */
  elapsedMs: number;
}

/** Refuses text the converter will not read: too long, too deep, too many documents. */
export function checkConvertInput(text: string): void {
  if (text.length > CONVERT_LIMITS.maxChars) {
    throw new ApiError(413, 'rule-too-large', `the rule text is ${text.length} characters; the converter takes at most ${CONVERT_LIMITS.maxChars} (a Sigma rule is a few thousand)`, { limit: CONVERT_LIMITS.maxChars });
  }
  if (text.includes('\u0000')) throw new ApiError(422, 'rule-binary', 'the rule text contains NUL characters');
  const docs = documentCount(text);
  if (docs > CONVERT_LIMITS.maxDocuments) {
    throw new ApiError(422, 'rule-too-many-documents', `the text holds ${docs} YAML documents; the converter takes at most ${CONVERT_LIMITS.maxDocuments}`, { limit: CONVERT_LIMITS.maxDocuments });
  }
  const depth = yamlDepth(text);
  if (depth > CONVERT_LIMITS.maxDepth) {
    throw new ApiError(422, 'rule-too-deep', `the rule nests ${depth} levels deep; the converter takes at most ${CONVERT_LIMITS.maxDepth} (a Sigma rule uses about five)`, { limit: CONVERT_LIMITS.maxDepth, depth });
  }
}

/**
 * Reads pasted Sigma text (one or more documents) and translates every rule into every target
 * (or the ones asked for), with the reader's and the linter's findings.
 */
export function convertText(text: string, only?: string[]): ConvertResult {
  checkConvertInput(text);
  const t0 = performance.now();
  const rules = readSigma(text, { file: 'pasted.yml', source: { corpus: 'local', path: 'pasted.yml' }, idPrefix: 'pasted' });
  const chosen = only?.length ? targets().filter((t) => only.includes(t.name)) : targets();
  const out = rules.map((rule): ConvertedRule => {
    const parsed = !hasErrors(rule);
    const findings = [...rule.diagnostics, ...(parsed ? lintRule(rule) : [])].sort(bySeverityThenPosition);
    return {
      id: rule.id,
      title: rule.title,
      kind: rule.kind,
      parsed,
      findings: findings.map((d) => ({ code: d.code, severity: d.severity, message: d.message, line: d.line, column: d.column })),
      stages: rule.logic.map((s) => ({ index: s.index, command: s.command, predicates: s.filter ? printExpr(s.filter) : '' })),
      translations: chosen.map((t) => {
        const c = convert(rule, t.name, { related: rules });
        return { target: t.name, language: t.language, description: t.description, ok: c.ok, queries: c.queries, error: c.error, fidelity: c.fidelity };
      }),
    };
  });
  return { rules: out, elapsedMs: Math.round((performance.now() - t0) * 10) / 10 };
}
