import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadAttackSync, loadTagHints, TagResolver } from '../../src/attack/index.js';
import { enrichRule, memoryCache, rewriteSection, unsupportedClaim } from '../../src/enrich/index.js';
import { readSigma } from '../../src/formats/sigma/index.js';
import { SHARED, SIGMA } from '../helpers.js';

const SEED = join(SIGMA, 'rules', 'windows', 'process_creation', 'proc_creation_win_pua_ngrok.yml');

describe('deterministic enrichment', () => {
  const { index } = loadAttackSync(join(SHARED, 'attack', 'enterprise-attack.json'));
  const resolver = new TagResolver(index, loadTagHints(join(SHARED, 'attack', 'sigma-v18-to-v19-tag-changes.json')));
  const bundle = JSON.parse(readFileSync(join(SHARED, 'attack', 'enterprise-attack.json'), 'utf8')) as { objects: Array<Record<string, unknown>> };
  const seed = readSigma(readFileSync(SEED, 'utf8'), { file: SEED })[0]!;
  const e = enrichRule(seed, { attack: index, resolver, corpusCount: (i) => (i.value === ' tcp ' ? 40 : 1) });

  it("seed 000's rule has all five sections, none empty, each with provenance", () => {
    for (const [name, s] of Object.entries(e)) {
      assert.ok(s.provenance.facts.length > 0, name);
      assert.equal(s.provenance.kind, 'deterministic');
      assert.ok(['low', 'medium', 'high'].includes(s.confidence), name);
      assert.ok(JSON.stringify(s.content).length > 30, name);
    }
  });

  it('ATT&CK context agrees with the bundle, read independently', () => {
    const t = e.attack.content.techniques[0]!;
    const stix = bundle.objects.find((o) => o.type === 'attack-pattern' && (o.external_references as Array<{ source_name: string; external_id?: string }>).some((r) => r.source_name === 'mitre-attack' && r.external_id === 'T1572'))!;
    assert.equal(t.name, stix.name);
    assert.deepEqual(t.tactics, (stix.kill_chain_phases as Array<{ phase_name: string }>).map((p) => p.phase_name));
    assert.ok(t.software.some((s) => s.name === 'ngrok'));
    assert.deepEqual(e.attack.content.tactics.map((x) => x.id), ['TA0011']);
  });

  it('required data sources name the channel, event and title, and a table per backend', () => {
    const need = e.dataSources.content.needs[0]!;
    assert.equal(need.channel, 'Microsoft-Windows-Sysmon/Operational');
    assert.deepEqual(need.eventIds, [{ id: 1, title: 'Process creation' }]);
    const asim = e.dataSources.content.backends.find((b) => b.target.includes('ASIM'))!;
    assert.equal(asim.source, 'imProcessCreate');
    assert.equal(e.dataSources.content.backends.find((b) => b.target === 'Defender XDR')!.source, 'DeviceProcessEvents');
  });

  it('the hypothesis rests on the most specific indicators and names who uses the technique', () => {
    const h = e.hypothesis.content;
    assert.ok(!h.indicators.some((i) => i.value === ' tcp '), 'a widely shared indicator is not the most specific');
    assert.match(h.statement, /Protocol Tunneling \(T1572/);
    assert.match(h.statement, /ngrok \(S0508\)/);
  });

  it('false-positive guidance keeps the rule own list and flags widely shared indicators', () => {
    assert.equal(e.falsePositives.content.stated.length, 2);
    assert.ok(e.falsePositives.content.common.some((c) => c.value === ' tcp ' && c.corpusCount === 40));
  });

  it('confidence gives its reasons', () => {
    assert.ok(e.confidence.content.reasons.some((r) => r.startsWith('status test')));
    assert.ok(e.confidence.content.reasons.some((r) => /Sentinel KQL/.test(r)));
  });

  it('tags newer than the loaded ATT&CK are shown, not lost', () => {
    const r = readSigma('title: t\ntags:\n    - attack.stealth\n    - attack.t1686.002\nlogsource:\n    product: windows\n    service: system\ndetection:\n    s:\n        EventID: 1\n    condition: s\n', { file: 'x.yml' })[0]!;
    const x = enrichRule(r, { attack: index, resolver });
    assert.ok(x.attack.content.newerThanLoaded.includes('T1686.002') || x.attack.content.newerThanLoaded.includes('stealth'), JSON.stringify(x.attack.content));
  });
});

describe('LLM rewriting (against a local stand-in server)', () => {
  let server: Server;
  let url = '';
  let reply = '';
  let calls = 0;
  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        calls++;
        const request = JSON.parse(body) as { model: string; messages: Array<{ role: string; content: string }> };
        assert.equal(request.messages[0]!.role, 'system');
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: reply } }] }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const addr = server.address() as { port: number };
    url = `http://127.0.0.1:${addr.port}/v1`;
  });
  after(() => server.close());

  const section = { content: { statement: 'x', technique: 'T1572', indicators: [{ field: 'CommandLine', value: ' tcp 3389' }] }, confidence: 'medium' as const, provenance: { kind: 'deterministic' as const, facts: ['rule indicators'] } };

  it('accepts prose that only restates the facts, marks it llm, and caches it', async () => {
    reply = 'Hunt for command lines containing " tcp 3389", a sign of T1572 tunneling.';
    const cache = memoryCache();
    const first = await rewriteSection('hypothesis', section, { url, model: 'stand-in' }, cache);
    assert.equal(first.rejected, undefined);
    assert.equal(first.section.text, reply);
    assert.equal(first.section.provenance.kind, 'llm');
    assert.equal(first.section.provenance.model, 'stand-in');
    const before = calls;
    const second = await rewriteSection('hypothesis', section, { url, model: 'stand-in' }, cache);
    assert.equal(second.cached, true);
    assert.equal(calls, before);
  });

  it('rejects prose that invents a fact, keeping the deterministic section', async () => {
    reply = 'This is APT29 (G0016) using T1090 through port 8443.';
    const r = await rewriteSection('hypothesis', section, { url, model: 'stand-in' }, memoryCache());
    assert.match(r.rejected!, /G0016|T1090|8443/);
    assert.equal(r.section.provenance.kind, 'deterministic');
  });

  it('a failing endpoint leaves the deterministic section', async () => {
    const r = await rewriteSection('hypothesis', section, { url: 'http://127.0.0.1:1/v1', model: 'x', timeoutMs: 2000 }, memoryCache());
    assert.match(r.rejected!, /LLM call failed/);
  });

  it('checks quoted values, ids, URLs and numbers against the facts', () => {
    const facts = JSON.stringify({ v: 'C:\\Windows\\x.exe', id: 'T1059', n: 4688 });
    assert.equal(unsupportedClaim('Look for "C:\\Windows\\x.exe" (T1059, event 4688).', facts), null);
    assert.match(unsupportedClaim('See https://evil.example/x', facts)!, /cites/);
    assert.match(unsupportedClaim('Look for "rundll32"', facts)!, /quotes/);
  });
});
