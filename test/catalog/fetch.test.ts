import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tar from 'tar';
import { fetchCorpora } from '../../src/catalog/fetch.js';
import { ingest } from '../../src/catalog/ingest.js';
import { CORPUS_PINS } from '../../src/catalog/pins.js';
import { SHARED } from '../helpers.js';

/**
 * `corpora fetch` against a local stand-in for GitHub's archive host (these machines reach no web
 * host): it serves a tar.gz in codeload's layout, built here from a few real Sigma rules.
 */
describe('corpora fetch', () => {
  let work: string;
  let server: Server;
  let base: string;
  const requests: string[] = [];
  const pin = CORPUS_PINS.find((p) => p.name === 'sigma')!;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'ruleatlas-fetch-'));
    const top = join(work, 'src', `sigma-${pin.commit}`);
    mkdirSync(join(top, 'rules', 'windows'), { recursive: true });
    mkdirSync(join(top, 'tools'), { recursive: true });
    writeFileSync(join(top, 'rules', 'windows', 'ngrok.yml'), readFileSync(join(SHARED, 'corpora', 'sigma', 'rules', 'windows', 'process_creation', 'proc_creation_win_pua_ngrok.yml')));
    writeFileSync(join(top, 'tools', 'not-a-rule.yml'), 'title: tooling, not kept\n');
    writeFileSync(join(top, 'LICENSE'), 'DRL 1.1\n');
    const archive = join(work, 'sigma.tar.gz');
    await tar.c({ gzip: true, file: archive, cwd: join(work, 'src') }, [`sigma-${pin.commit}`]);
    const body = readFileSync(archive);
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      if (req.url === `/${pin.repository}/tar.gz/${pin.commit}`) {
        res.writeHead(200, { 'content-type': 'application/x-gzip' }).end(body);
      } else res.writeHead(404).end('not found');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const addr = server.address() as { port: number };
    base = `http://127.0.0.1:${addr.port}`;
  });
  after(async () => {
    await new Promise((r) => server.close(r));
    rmSync(work, { recursive: true, force: true });
  });

  it('downloads the pinned commit, keeps the rule folders, writes SOURCE.md; the result ingests', async () => {
    const dest = join(work, 'corpora');
    const results = await fetchCorpora({ dest, only: ['sigma'], baseUrl: base });
    assert.deepEqual(requests, [`/${pin.repository}/tar.gz/${pin.commit}`]);
    assert.equal(results[0]!.files, 2);
    assert.ok(existsSync(join(dest, 'sigma', 'rules', 'windows', 'ngrok.yml')));
    assert.ok(!existsSync(join(dest, 'sigma', 'tools')), 'only the pinned folders are kept');
    assert.match(readFileSync(join(dest, 'sigma', 'SOURCE.md'), 'utf8'), new RegExp(`Repository: SigmaHQ/sigma @ ${pin.commit}`));
    const s = await ingest({ corpora: dest, db: join(work, 'atlas.db'), workers: 1 });
    const sigma = s.sources.find((x) => x.name === 'sigma')!;
    assert.equal(sigma.rules, 1);
    assert.equal(sigma.commit, pin.commit);
  });

  it('an upstream error leaves the existing corpus as it was and names the URL', async () => {
    const dest = join(work, 'corpora');
    await assert.rejects(fetchCorpora({ dest, only: ['splunk'], baseUrl: base }), /splunk: http:\/\/127\.0\.0\.1:\d+\/splunk\/security_content\/tar\.gz\/[0-9a-f]{40} answered 404/);
    assert.ok(existsSync(join(dest, 'sigma', 'rules', 'windows', 'ngrok.yml')));
    assert.ok(!existsSync(join(dest, 'splunk')));
  });

  it('refuses an unknown corpus name', async () => {
    await assert.rejects(fetchCorpora({ dest: join(work, 'x'), only: ['nope'], baseUrl: base }), /unknown corpus nope/);
  });
});
