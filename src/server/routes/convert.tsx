/** @jsxImportSource hono/jsx */
import type { Context, Hono } from 'hono';
import { targets } from '../../translate/targets.js';
import { EXAMPLE_RULE } from '../convert/example.js';
import { CONVERT_LIMITS } from '../convert/limits.js';
import { convertText, type ConvertResult } from '../convert/service.js';
import { unpackRule } from '../convert/url-state.js';
import { ApiError, badRequest, describeError } from '../http/errors.js';
import { ConverterPage, ConvertResults, type Refusal } from '../pages/converter.js';

const TEXT_TYPES = ['text/plain', 'text/yaml', 'application/yaml', 'application/x-yaml', 'text/x-yaml'];

/** The converter page, its fragment endpoint, and `POST /api/convert`. */
export function convertRoutes(app: Hono): void {
  app.get('/convert', (c) => {
    const url = new URL(c.req.url);
    const packed = url.searchParams.get('r');
    let text = EXAMPLE_RULE;
    let notice: string | undefined;
    if (packed !== null) {
      if (packed.length > CONVERT_LIMITS.maxChars) throw new ApiError(414, 'url-too-long', 'the rule in the link is longer than the converter takes');
      const unpacked = unpackRule(packed);
      if (unpacked === null) notice = 'The rule in this link could not be read (damaged, or larger than the converter takes); the example is shown instead.';
      else text = unpacked;
    }
    return c.html(page(text, notice));
  });

  // Without script, the form posts here and gets the whole page back.
  app.post('/convert', async (c) => {
    const form = await c.req.parseBody();
    const rule = form.rule;
    if (typeof rule !== 'string') throw badRequest('missing-rule', "the form needs a 'rule' field with the Sigma text");
    return c.html(page(rule));
  });

  app.post('/convert/results', async (c) => {
    const text = await c.req.text();
    const { result, refusal } = attempt(text);
    return c.html(<ConvertResults result={result} refusal={refusal} />, refusal ? (refusal.status as 413 | 422) : 200);
  });

  app.post('/api/convert', async (c) => {
    const { rule, only } = await readConvertBody(c);
    return c.json(convertText(rule, only));
  });

  app.get('/api/targets', (c) => c.json({ targets: targets().map((t) => ({ name: t.name, language: t.language, description: t.description, pipelines: t.pipelines })) }));
}

function page(text: string, notice?: string) {
  const { result, refusal } = attempt(text);
  return <ConverterPage text={text} result={result} refusal={refusal} notice={notice} />;
}

function attempt(text: string): { result: ConvertResult | null; refusal: Refusal | null } {
  try {
    return { result: text.trim() ? convertText(text) : null, refusal: null };
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    const d = describeError(e);
    return { result: null, refusal: { status: d.status, code: d.code, message: d.message } };
  }
}

/** The body of `POST /api/convert`: JSON `{rule, targets?}` or the rule text itself. */
async function readConvertBody(c: Context): Promise<{ rule: string; only?: string[] }> {
  const type = (c.req.header('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (TEXT_TYPES.includes(type)) return { rule: await c.req.text() };
  if (type !== 'application/json') {
    throw new ApiError(415, 'unsupported-media-type', `send the rule as application/json ({"rule": "...", "targets": [...]}) or as text (${TEXT_TYPES.join(', ')})`);
  }
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch {
    throw badRequest('invalid-json', 'the body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('invalid-body', 'the body must be a JSON object {"rule": "...", "targets": [...]}');
  const { rule, targets: only, ...rest } = body as Record<string, unknown>;
  const extra = Object.keys(rest);
  if (extra.length) throw badRequest('unknown-field', `unknown field '${extra[0]}' (the body takes rule and targets)`);
  if (typeof rule !== 'string') throw badRequest('invalid-body', "'rule' must be a string holding the Sigma YAML");
  if (only === undefined) return { rule };
  const names = targets().map((t) => t.name);
  if (!Array.isArray(only) || only.length > names.length || !only.every((t): t is string => typeof t === 'string')) {
    throw badRequest('invalid-body', `'targets' must be an array of target names (${names.join(', ')})`);
  }
  const unknown = only.find((t) => !names.includes(t));
  if (unknown !== undefined) throw badRequest('unknown-target', `unknown target '${unknown.slice(0, 40)}' (use ${names.join(', ')})`);
  return { rule, only };
}
