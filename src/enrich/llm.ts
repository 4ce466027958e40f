import { createHash } from 'node:crypto';
import type { Enrichment, Section } from './types.js';

/**
 * An optional LLM layer over the deterministic sections: an OpenAI-compatible chat-completions
 * endpoint rewrites a section's facts into prose. The output is checked against the facts (no
 * ATT&CK id, quoted value, number or URL the facts do not hold), cached by (model, section,
 * facts), and kept only when it passes; the deterministic section stays otherwise.
 *
 * Configured by environment: RULEATLAS_LLM_URL (base URL, e.g. http://127.0.0.1:8000/v1),
 * RULEATLAS_LLM_MODEL, RULEATLAS_LLM_API_KEY (optional).
 */
export interface LlmConfig {
  url: string;
  model: string;
  apiKey?: string;
  timeoutMs?: number;
}

export interface LlmCache {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
}

export function llmConfigFromEnv(env: NodeJS.ProcessEnv = process.env): LlmConfig | null {
  if (!env.RULEATLAS_LLM_URL || !env.RULEATLAS_LLM_MODEL) return null;
  return { url: env.RULEATLAS_LLM_URL, model: env.RULEATLAS_LLM_MODEL, ...(env.RULEATLAS_LLM_API_KEY ? { apiKey: env.RULEATLAS_LLM_API_KEY } : {}) };
}

const SYSTEM = [
  'You write for SOC analysts. Rewrite the facts you are given into clear, concise prose.',
  'Use only the facts given. Do not add ATT&CK ids, group or software names, field values, numbers or URLs that are not in the facts.',
  'Quote field values exactly as the facts do. Answer with plain text only, at most four sentences.',
].join(' ');

const INSTRUCTIONS: Partial<Record<keyof Enrichment, string>> = {
  hypothesis: 'Write a specific, testable hunt hypothesis from these facts, then one sentence on how to test it.',
  falsePositives: 'Write false-positive guidance from these facts: what benign activity may match and which filters to consider.',
  attack: 'Summarize the ATT&CK context of the rule: technique, tactic, and who uses it.',
  dataSources: 'Say what must be collected for the rule to work, and where it lives in each backend.',
  confidence: 'Explain the confidence level from these reasons.',
};

export interface RewriteResult {
  section: Section<unknown>;
  /** Why the LLM text was not used, when it was not. */
  rejected?: string;
  cached: boolean;
}

/** Rewrites one section's prose through the LLM; the facts (content) never change. */
export async function rewriteSection(kind: keyof Enrichment, section: Section<unknown>, config: LlmConfig, cache?: LlmCache): Promise<RewriteResult> {
  const facts = JSON.stringify(section.content);
  const key = createHash('sha256').update(`${config.model}\n${kind}\n${facts}`).digest('hex');
  let text = cache?.get(key);
  const cached = text !== undefined;
  if (text === undefined) {
    try {
      text = await complete(config, `${INSTRUCTIONS[kind] ?? 'Rewrite these facts as prose.'}\n\nFacts (JSON):\n${facts}`);
    } catch (e) {
      return { section, rejected: `the LLM call failed: ${(e as Error).message}`, cached: false };
    }
  }
  const problem = unsupportedClaim(text, facts);
  if (problem) return { section, rejected: problem, cached };
  if (!cached) cache?.set(key, text);
  return {
    section: {
      ...section,
      text,
      provenance: { kind: 'llm', facts: section.provenance.facts, model: config.model, generatedAt: new Date().toISOString() },
    },
    cached,
  };
}

async function complete(config: LlmConfig, prompt: string): Promise<string> {
  const url = config.url.replace(/\/+$/, '') + '/chat/completions';
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {}) },
    body: JSON.stringify({ model: config.model, temperature: 0, messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: prompt }] }),
    signal: AbortSignal.timeout(config.timeoutMs ?? 30000),
  });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const body = (await res.json()) as { choices?: Array<{ message?: { content?: string } }> };
  const text = body.choices?.[0]?.message?.content?.trim();
  if (!text) throw new Error('the response has no message content');
  return text;
}

/**
 * The first claim of the text the facts do not support, or null. Checked: ATT&CK ids, quoted
 * strings, URLs, and numbers of two or more digits. (Proper names are not checked: they cannot be
 * told from ordinary words reliably; ids and values are what an analyst would act on.)
 */
export function unsupportedClaim(text: string, facts: string): string | null {
  const haystack = facts.toLowerCase().replace(/\\\\/g, '\\');
  const has = (s: string): boolean => haystack.includes(s.toLowerCase()) || haystack.includes(JSON.stringify(s).slice(1, -1).toLowerCase());
  for (const m of text.matchAll(/\b(?:T\d{4}(?:\.\d{3})?|TA\d{4}|G\d{4}|S\d{4}|M\d{4}|DET\d{4}|DC\d{4})\b/g)) if (!has(m[0])) return `names ${m[0]}, which the facts do not hold`;
  for (const m of text.matchAll(/https?:\/\/[^\s)"']+/g)) if (!has(m[0].replace(/[.,;]$/, ''))) return `cites ${m[0]}, which the facts do not hold`;
  for (const m of text.matchAll(/["“]([^"”]{2,})["”]/g)) if (!has(m[1]!)) return `quotes "${m[1]}", which the facts do not hold`;
  for (const m of text.matchAll(/\b\d{2,}\b/g)) if (!has(m[0])) return `states the number ${m[0]}, which the facts do not hold`;
  return null;
}

/** An in-memory cache (the catalog keeps its own in the store). */
export function memoryCache(): LlmCache {
  const m = new Map<string, string>();
  return { get: (k) => m.get(k), set: (k, v) => void m.set(k, v) };
}
