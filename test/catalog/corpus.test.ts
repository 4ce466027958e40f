/**
 * The catalog over every corpus in ../shared/corpora: parse shares per source (with a report of
 * the rest), corpus counts against an independent count over the raw Sigma YAML, every rule's five
 * enrichment sections, ATT&CK facts against the raw bundle, seed 000's page content, and the
 * CLI's show, search, indicators and coverage (a Navigator layer checked against the format).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import YAML from 'yaml';
import { ingest, type IngestSummary } from '../../src/catalog/ingest.js';
import { storeSiteData } from '../../src/catalog/site-data.js';
import { CatalogStore } from '../../src/catalog/store.js';
import { READERS } from '../../src/formats/load.js';
import type { Enrichment } from '../../src/enrich/index.js';
import { ROOT, SHARED, listFiles } from '../helpers.js';

const SEED0 = 'sigma:ee37eb7c-a4e7-4cd5-8fa4-efa27f1c3f31';
const NEED: Record<string, number> = { sigma: 0.99, splunk: 0.95, sentinel: 0.95, elastic: 0.95, chronicle: 0.9 };
const FORMAT_OF: Record<string, string> = { sigma: 'sigma', splunk: 'splunk', sentinel: 'kql', elastic: 'elastic', chronicle: 'yaral' };
const BIN = join(ROOT, 'bin', 'ruleatlas');

describe('the catalog of every corpus', () => {
  let work: string;
  let db: string;
  let summary: IngestSummary;
  let store: CatalogStore;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'ruleatlas-catalog-'));
    db = join(work, 'atlas.db');
    summary = await ingest({ corpora: join(SHARED, 'corpora'), db });
    store = CatalogStore.open(db, { readonly: true });
  });
  after(() => {
    store?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('reads every corpus that has a reader; the others are listed as skipped with the reason', () => {
    for (const [name, format] of Object.entries(FORMAT_OF)) {
      const ingested = summary.sources.find((s) => s.name === name);
      if (READERS.has(format as never)) assert.ok(ingested && ingested.rules > 0, `${name} is in the catalog`);
      else assert.ok(summary.skipped.some((s) => s.name === name && s.reason.includes(`no ${format} reader`)), `${name} is skipped with its reason`);
    }
    assert.ok(summary.skipped.some((s) => s.name === 'sentinel-asim'));
  });

  it('parses the filtering logic of each source with no opaque part at the share it is held to; report in reports/catalog-parse.json', () => {
    const report: Record<string, unknown> = {};
    for (const s of summary.sources) {
      const rows = store.db.prepare('SELECT id, path, parsed, opaque, format FROM rules WHERE source = ?').all(s.name) as Array<{ id: string; path: string; parsed: number; opaque: string | null; format: string }>;
      // Elastic's ML rules are opaque by nature (a job, not a query): the figure is over the others.
      const held = rows.filter((r) => !(s.name === 'elastic' && r.opaque && /machine.learning|ML job/i.test(r.opaque)));
      const clean = held.filter((r) => r.parsed && !r.opaque).length;
      const share = clean / held.length;
      const reasons = new Map<string, string[]>();
      for (const r of held) {
        if (r.parsed && !r.opaque) continue;
        const why = r.parsed ? (JSON.parse(r.opaque!) as string[]) : ['did not parse: ' + ((store.rule(r.id)!.rule.diagnostics.find((d) => d.severity === 'error')?.code) ?? 'error')];
        for (const w of new Set(why)) reasons.set(w, [...(reasons.get(w) ?? []), r.path]);
      }
      report[s.name] = { rules: rows.length, held: held.length, clean, share: Number(share.toFixed(4)), reasons: Object.fromEntries([...reasons].sort((a, b) => b[1].length - a[1].length)) };
      assert.ok(share >= NEED[s.name]!, `${s.name}: ${(share * 100).toFixed(1)}% parsed with no opaque part (need ${NEED[s.name]! * 100}%)`);
    }
    mkdirSync(join(ROOT, 'reports'), { recursive: true });
    writeFileSync(join(ROOT, 'reports', 'catalog-parse.json'), JSON.stringify(report, null, 2) + '\n');
  });

  it('counts indicators as an independent count over the raw Sigma YAML does', () => {
    // Independent: the `yaml` library over the files, plain field|modifier: value pairs only.
    const expected = new Map<string, Set<string>>();
    const parsed = new Set((store.db.prepare("SELECT id FROM rules WHERE source = 'sigma' AND parsed = 1").all() as Array<{ id: string }>).map((r) => r.id));
    const plainOps: Record<string, string> = { '': 'eq', contains: 'contains', startswith: 'startswith', endswith: 'endswith' };
    const files = ['rules', 'rules-emerging-threats', 'rules-threat-hunting', 'rules-placeholder', 'rules-compliance', 'deprecated'].flatMap((d) => listFiles(join(SHARED, 'corpora', 'sigma', d)));
    for (const f of files) {
      // The failsafe schema keeps every scalar as written (`00000429` stays a string, as Sigma means it).
      for (const doc of YAML.parseAllDocuments(readFileSync(f, 'utf8'), { schema: 'failsafe' })) {
        const d = doc.toJS() as { id?: string; detection?: Record<string, unknown> } | null;
        if (!d?.id || !d.detection) continue;
        const id = `sigma:${d.id}`;
        // Rules the reader refused (e.g. Sigma 1 `| count()` aggregations) have no indicators.
        if (!parsed.has(id)) continue;
        const maps: Array<Record<string, unknown>> = [];
        for (const [name, sel] of Object.entries(d.detection)) {
          if (name === 'condition' || name === 'timeframe') continue;
          if (Array.isArray(sel)) maps.push(...sel.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x)));
          else if (sel && typeof sel === 'object') maps.push(sel as Record<string, unknown>);
        }
        for (const m of maps) {
          for (const [key, raw] of Object.entries(m)) {
            const [field, ...all] = key.split('|');
            // `all` changes how values combine, not the values; `windash` keeps the value as written among its variants.
            const mods = all.filter((m) => m !== 'all' && m !== 'windash');
            const op = plainOps[mods.join('|')];
            if (!op || !field) continue;
            for (const v of Array.isArray(raw) ? raw : [raw]) {
              if (typeof v !== 'string') continue;
              const text = v;
              // Wildcards and escapes need the spec's rules; flags after a space or at the start are what
              // other rules' `windash` variants produce: both left to the unit tests.
              if (/[*?\\]/.test(text) || text === '' || /(^|\s)[-/\u2013\u2014\u2015]/.test(text)) continue;
              const k = `${field}\u0000${op}\u0000${text.toLowerCase()}`;
              (expected.get(k) ?? expected.set(k, new Set()).get(k)!).add(id);
            }
          }
        }
      }
    }
    const got = new Map<string, number>();
    for (const r of store.db.prepare("SELECT source_field AS field, operator, value, count(DISTINCT rule_id) AS n FROM indicators WHERE source = 'sigma' AND origin = 'rule' GROUP BY 1, 2, 3").iterate() as Iterable<{ field: string; operator: string; value: string; n: number }>) {
      got.set(`${r.field}\u0000${r.operator}\u0000${r.value}`, r.n);
    }
    assert.ok(expected.size > 10000, `${expected.size} plain indicators`);
    const wrong = [...expected].filter(([k, ids]) => got.get(k) !== ids.size).map(([k, ids]) => `${k.split('\u0000').join(' | ')}: raw ${ids.size}, store ${got.get(k) ?? 0}`);
    assert.deepEqual(wrong.slice(0, 20), [], `${wrong.length} of ${expected.size} counts differ`);
  });

  it('gives every rule all five enrichment sections, none empty, each with provenance', () => {
    const rows = store.db.prepare('SELECT r.id, d.enrichment FROM rules r LEFT JOIN derived d ON d.rule_id = r.id').all() as Array<{ id: string; enrichment: string | null }>;
    assert.equal(rows.length, summary.rules);
    for (const r of rows) {
      assert.ok(r.enrichment, `${r.id} is enriched`);
      const e = JSON.parse(r.enrichment) as Enrichment;
      for (const k of ['attack', 'dataSources', 'hypothesis', 'falsePositives', 'confidence'] as const) {
        const s = e[k];
        assert.ok(s && s.content && s.provenance && s.confidence, `${r.id}: ${k}`);
        assert.ok(s.provenance.kind === 'deterministic' && s.provenance.facts.length > 0, `${r.id}: ${k} provenance`);
      }
      assert.ok(e.hypothesis.content.statement.length > 20, `${r.id}: hypothesis`);
      assert.ok(e.confidence.content.reasons.length > 0, `${r.id}: confidence reasons`);
      assert.ok(e.dataSources.content.needs.length + e.dataSources.content.notes.length > 0, `${r.id}: data sources`);
      assert.ok(e.falsePositives.content.stated.length + e.falsePositives.content.common.length + e.falsePositives.content.suggestedFilters.length + e.falsePositives.content.benign.length > 0 || (e.falsePositives.text ?? '').length > 0, `${r.id}: false positives`);
    }
  });

  it("runs the SigmaHQ regression cases into the confidence of the rules they belong to", () => {
    const manifest = JSON.parse(readFileSync(join(SHARED, 'events', 'sigma-regression', 'manifest.json'), 'utf8')) as { cases: Array<{ rule_id: string }> };
    const withCases = new Set(manifest.cases.map((c) => `sigma:${c.rule_id}`));
    const rows = store.db.prepare("SELECT rule_id, enrichment FROM derived WHERE rule_id LIKE 'sigma:%'").all() as Array<{ rule_id: string; enrichment: string }>;
    let firing = 0;
    for (const r of rows) {
      const reasons = (JSON.parse(r.enrichment) as Enrichment).confidence.content.reasons.join('; ');
      if (withCases.has(r.rule_id)) {
        assert.match(reasons, /fires on (its \d+|\d+ of \d+) regression event set/, r.rule_id);
        if (/fires on its/.test(reasons)) firing++;
      } else assert.match(reasons, /no regression events/, r.rule_id);
    }
    assert.equal(firing, withCases.size, 'every rule fires on its own regression events');
  });

  it('states ATT&CK facts that agree with the raw bundle, for a sample of rules of each source', () => {
    const bundle = JSON.parse(readFileSync(join(SHARED, 'attack', 'enterprise-attack.json'), 'utf8')) as { objects: Array<Record<string, unknown>> };
    const byId = new Map<string, { name: string; tactics: string[] }>();
    for (const o of bundle.objects) {
      if (o.type !== 'attack-pattern' || o.revoked || o.x_mitre_deprecated) continue;
      const ext = (o.external_references as Array<{ source_name: string; external_id?: string }>).find((x) => x.source_name === 'mitre-attack');
      if (ext?.external_id) byId.set(ext.external_id, { name: o.name as string, tactics: ((o.kill_chain_phases as Array<{ phase_name: string }>) ?? []).map((k) => k.phase_name) });
    }
    for (const s of summary.sources) {
      const sample = store.db.prepare("SELECT d.enrichment FROM rules r JOIN derived d ON d.rule_id = r.id WHERE r.source = ? AND d.enrichment LIKE '%\"techniques\":[{%' ORDER BY r.id LIMIT 40").all(s.name) as Array<{ enrichment: string }>;
      assert.ok(sample.length >= 10, `${s.name}: rules with techniques`);
      for (const row of sample) {
        for (const t of (JSON.parse(row.enrichment) as Enrichment).attack.content.techniques) {
          const truth = byId.get(t.id);
          assert.ok(truth, `${t.id} is a live technique`);
          assert.equal(t.name, truth.name);
          assert.deepEqual([...t.tactics].sort(), [...truth.tactics].sort());
        }
      }
    }
  });

  it("reproduces seed 000's sections for the ngrok rule", () => {
    const rec = storeSiteData(store).rule(SEED0)!;
    const e = rec.enrichment!;
    assert.ok(e.attack.content.techniques.some((t) => t.id === 'T1572' && t.name === 'Protocol Tunneling'));
    assert.match(e.hypothesis.content.statement, /ngrok|tunnel/i);
    assert.ok(e.dataSources.content.backends.some((b) => b.source === 'imProcessCreate'));
    assert.ok(e.dataSources.content.needs.some((n) => n.eventIds?.some((x) => x.id === 1 || x.id === 4688)));
    assert.ok(e.falsePositives.content.stated.some((f) => /ngrok/i.test(f)));
    assert.ok(['low', 'medium', 'high'].includes(e.confidence.content.level));
    assert.ok(rec.indicators.some((i) => i.field === 'process.command_line' && i.sourceField === 'CommandLine' && i.display === ' tcp 3389'));
    assert.ok(rec.eventCoverage.length > 0);
    assert.ok(rec.similar.length > 0);
  });

  it('ruleatlas show --json, search, indicators and coverage read the store', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: ROOT });
    const show = run('show', '--json', '--db', db, SEED0);
    assert.equal(show.status, 0, show.stderr);
    const doc = JSON.parse(show.stdout) as Record<string, unknown> & { sections: Record<string, { provenance: unknown }> };
    for (const k of ['attack_context', 'required_data_sources', 'hunt_hypothesis', 'false_positive_guidance', 'confidence']) assert.ok(doc.sections[k]?.provenance, k);
    assert.equal((doc.provenance as { repository: string }).repository, 'SigmaHQ/sigma');
    const missing = run('show', '--db', db, 'sigma:no-such-rule');
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /no rule sigma:no-such-rule/);
    const exp = YAML.parse(run('show', '--db', db, '--export', 'yaml', SEED0).stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(exp), ['id', 'title', 'description', 'logic_format', 'logic', 'techniques', 'technique_id', 'data_category', 'references']);
    assert.deepEqual(exp.technique_id, ['T1572']);
    const search = JSON.parse(run('search', '--json', '--db', db, 'ngrok').stdout) as { total: number; items: Array<{ id: string }> };
    assert.ok(search.items.some((i) => i.id === SEED0));
    const ind = JSON.parse(run('indicators', '--json', '--db', db, '--top', '5', '--field', 'process.executable').stdout) as { items: Array<{ field: string; rules: number }> };
    assert.equal(ind.items.length, 5);
    assert.ok(ind.items.every((i) => i.field === 'process.executable') && ind.items[0]!.rules >= ind.items[4]!.rules);

    const layerFile = join(work, 'layer.json');
    const cov = run('coverage', '--db', db, '--layer', layerFile, '--csv', join(work, 'cov.csv'));
    assert.equal(cov.status, 0, cov.stderr);
    checkNavigatorLayer(JSON.parse(readFileSync(layerFile, 'utf8')));
    const only = run('coverage', '--db', db, '--source', 'splunk', '--data-source', 'sysmon', '--json');
    assert.equal(only.status, 0, only.stderr);
    const s = JSON.parse(only.stdout) as { summary: { rules: number; bySource: Record<string, number> } };
    assert.ok(s.summary.rules > 0 && s.summary.rules < summary.sources.find((x) => x.name === 'splunk')!.rules);
    assert.deepEqual(Object.keys(s.summary.bySource), ['splunk']);
  });
});

/** The ATT&CK Navigator layer format 4.5: required fields and their types. */
function checkNavigatorLayer(L: Record<string, unknown>): void {
  assert.equal(typeof L.name, 'string');
  assert.equal(L.domain, 'enterprise-attack');
  const v = L.versions as Record<string, unknown>;
  assert.equal(v.layer, '4.5');
  assert.equal(typeof v.attack, 'string');
  assert.match(String(v.navigator), /^\d+\.\d+\.\d+$/);
  const techniques = L.techniques as Array<Record<string, unknown>>;
  assert.ok(Array.isArray(techniques) && techniques.length > 100);
  for (const t of techniques) {
    assert.match(String(t.techniqueID), /^T\d{4}(\.\d{3})?$/);
    assert.match(String(t.tactic), /^[a-z-]+$/);
    if ('score' in t) assert.equal(typeof t.score, 'number');
    if ('comment' in t) assert.equal(typeof t.comment, 'string');
    if ('enabled' in t) assert.equal(typeof t.enabled, 'boolean');
    for (const m of (t.metadata as Array<Record<string, unknown>>) ?? []) assert.ok(m.divider === true || (typeof m.name === 'string' && typeof m.value === 'string'));
    for (const l of (t.links as Array<Record<string, unknown>>) ?? []) assert.ok(l.divider === true || (typeof l.label === 'string' && /^https?:\/\//.test(String(l.url))));
  }
  const g = L.gradient as { colors: string[]; minValue: number; maxValue: number } | undefined;
  if (g) assert.ok(Array.isArray(g.colors) && typeof g.minValue === 'number' && typeof g.maxValue === 'number');
}
