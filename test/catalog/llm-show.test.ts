import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ingest } from '../../src/catalog/ingest.js';
import { ROOT } from '../helpers.js';
import { smallCorpora } from './small-corpora.js';

const SEED0 = 'sigma:ee37eb7c-a4e7-4cd5-8fa4-efa27f1c3f31';

/** `ruleatlas show` with the LLM layer, against a local stand-in for an OpenAI-compatible server. */
describe('show with an LLM configured', () => {
  let work: string;
  let corpora: string;
  let db: string;
  let server: Server;
  let url: string;
  const prompts: string[] = [];

  before(async () => {
    corpora = smallCorpora();
    work = mkdtempSync(join(tmpdir(), 'ruleatlas-llm-'));
    db = join(work, 'atlas.db');
    await ingest({ corpora, db, workers: 1 });
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const prompt = (JSON.parse(body) as { messages: Array<{ content: string }> }).messages[1]!.content;
        prompts.push(prompt);
        // A fact-safe answer, except for confidence, where the stand-in invents a technique id.
        const content = prompt.startsWith('Explain the confidence') ? 'Confidence is medium because of T9999.' : 'An adversary may tunnel traffic out through a reverse proxy; look for the tool on hosts that should not run it.';
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ choices: [{ message: { content } }] }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`;
  });
  after(async () => {
    await new Promise((r) => server.close(r));
    rmSync(work, { recursive: true, force: true });
    rmSync(corpora, { recursive: true, force: true });
  });

  const show = () =>
    new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const p = spawn(process.execPath, [join(ROOT, 'bin', 'ruleatlas'), 'show', '--json', '--db', db, SEED0], { env: { ...process.env, RULEATLAS_LLM_URL: url, RULEATLAS_LLM_MODEL: 'stand-in' } });
      let out = '';
      let err = '';
      p.stdout.on('data', (c: Buffer) => (out += c.toString()));
      p.stderr.on('data', (c: Buffer) => (err += c.toString()));
      p.on('close', (code) => resolve({ code, out, err }));
    });

  it('rewrites each section as prose with LLM provenance, keeps a section whose text invents a fact, and caches in the store', async () => {
    const first = await show();
    assert.equal(first.code, 0, first.err);
    assert.equal(prompts.length, 5);
    const doc = JSON.parse(first.out) as { sections: Record<string, { text?: string; provenance: { kind: string; model?: string; facts: string[] }; content: unknown }> };
    const h = doc.sections.hunt_hypothesis!;
    assert.equal(h.provenance.kind, 'llm');
    assert.equal(h.provenance.model, 'stand-in');
    assert.ok(h.provenance.facts.length > 0, 'the facts it was given are named');
    assert.match(h.text ?? '', /reverse proxy/);
    assert.ok(h.content, 'the facts stay beside the prose');
    assert.equal(doc.sections.confidence!.provenance.kind, 'deterministic');
    assert.match(first.err, /kept the deterministic confidence section: the LLM's text names T9999/);
    const second = await show();
    assert.equal(second.code, 0, second.err);
    assert.equal(prompts.length, 6, 'only the rejected section asks again; the others come from the cache');
    assert.equal((JSON.parse(second.out) as typeof doc).sections.hunt_hypothesis!.provenance.kind, 'llm');
  });
});
