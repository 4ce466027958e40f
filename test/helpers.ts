import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSigma } from '../src/formats/sigma/index.js';
import type { Expr, Rule } from '../src/model/index.js';

/** The project root, whatever the working directory. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** `../shared` beside the project (or $RULEATLAS_SHARED). */
export const SHARED = process.env.RULEATLAS_SHARED ?? resolve(ROOT, '..', 'shared');
export const SIGMA = join(SHARED, 'corpora', 'sigma');
export const SIGMA_RULE_DIRS = ['rules', 'rules-emerging-threats', 'rules-threat-hunting', 'rules-placeholder', 'rules-compliance'];

export function listFiles(dir: string, ext: string[] = ['.yml', '.yaml']): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (ext.some((x) => e.name.endsWith(x))) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

/** Reads one inline Sigma document. */
export function sigma(text: string): Rule {
  const rules = readSigma(text, { file: 'inline.yml' });
  return rules[0]!;
}

/** A minimal rule around a detection section (indented by the caller as YAML under `detection:`). */
export function rule(detection: string, extra = ''): Rule {
  return sigma(`title: Test rule\nid: 11111111-2222-4333-8444-555555555555\nlogsource:\n    category: process_creation\n    product: windows\ndetection:\n${detection}\n${extra}`);
}

/** The filter expression of a rule, with spans and labels removed for comparison. */
export function logic(r: Rule): unknown {
  const f = r.logic[0]?.filter;
  return f ? strip(f) : undefined;
}

export function strip(e: Expr): unknown {
  return JSON.parse(JSON.stringify(e, (k, v) => (k === 'span' || k === 'label' ? undefined : v)));
}

export function codes(r: Rule): string[] {
  return r.diagnostics.map((d) => d.code);
}

export function errors(r: Rule): string[] {
  return r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`);
}
