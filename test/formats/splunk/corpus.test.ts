import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readSplunkCorpus } from '../../../src/formats/splunk/index.js';
import { extractIndicators, hasErrors, walkExpr, type Expr, type OpaqueExpr, type Rule } from '../../../src/model/index.js';
import { ROOT, SHARED } from '../../helpers.js';

/**
 * The whole Splunk Security Content corpus (1,711 detections): share of rules whose filtering
 * logic parsed with no opaque part (target ≥ 95%), the macros it lacks, spans that land on the text
 * they describe. Writes reports/splunk-parse.json with every opaque part and error, by reason.
 */
const CORPUS = join(SHARED, 'corpora', 'splunk');

function opaqueParts(r: Rule): Array<{ stage: number; command: string; node: OpaqueExpr }> {
  const out: Array<{ stage: number; command: string; node: OpaqueExpr }> = [];
  for (const s of r.logic) {
    if (!s.filter) continue;
    walkExpr(s.filter, (n) => {
      if (n.kind === 'opaque') out.push({ stage: s.index, command: s.command, node: n });
    });
  }
  return out;
}

describe('Splunk corpus', () => {
  const t0 = performance.now();
  const corpus = readSplunkCorpus(CORPUS);
  const ms = performance.now() - t0;
  const { rules } = corpus;
  const texts = new Map(rules.map((r) => [r.id, readFileSync(join(CORPUS, r.source.path), 'utf8')]));

  it('reads all 1,711 detections with unique ids and provenance', () => {
    assert.equal(corpus.files.length, 1711);
    assert.equal(rules.length, 1711);
    assert.equal(new Set(rules.map((r) => r.id)).size, 1711);
    const r = rules.find((x) => x.source.path === 'detections/endpoint/3cx_supply_chain_attack_network_indicators.yml')!;
    assert.equal(r.source.url, 'https://github.com/splunk/security_content/blob/b13b314aed0e1778335a55620474e7d27289a20a/detections/endpoint/3cx_supply_chain_attack_network_indicators.yml');
    assert.equal(r.source.license, 'Apache-2.0');
    assert.equal(r.severity, 'critical');
  });

  it('parses every search into stages, with no error', () => {
    assert.deepEqual(rules.filter((r) => r.logic.length === 0).map((r) => r.source.path), []);
    assert.deepEqual(rules.filter(hasErrors).map((r) => `${r.source.path}: ${r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join('; ')}`), []);
    assert.ok(rules.filter((r) => r.logic.some((s) => s.filter)).length > 1700);
  });

  it('leaves no opaque part in the filtering logic of at least 95% of the detections', () => {
    const clean = rules.filter((r) => opaqueParts(r).length === 0).length;
    assert.ok(clean / rules.length >= 0.95, `${clean} of ${rules.length} (${((100 * clean) / rules.length).toFixed(1)}%)`);
  });

  it('reports exactly the macros the corpus lacks (drop_dm_object_name has a built-in definition)', () => {
    const undefinedMacros = new Set<string>();
    for (const r of rules) for (const d of r.diagnostics) if (d.code === 'spl.undefined-macro') undefinedMacros.add(/`([^`]+)`/.exec(d.message)![1]!);
    assert.deepEqual([...undefinedMacros].sort(), ['cim_corporate_web_domain_search', 'get_asset']);
    assert.ok(rules.some((r) => r.logic.some((s) => (s.args as { macro?: string } | undefined)?.macro === 'drop_dm_object_name')));
    assert.ok(!rules.some((r) => r.body.includes('`get_endpoint_data`')));
  });

  it('expands the corpus macros and labels what they produced', () => {
    const r = rules.find((x) => x.source.path.endsWith('windows_hijack_execution_flow_version_dll_side_load.yml'))!;
    const f = r.logic[0]!.filter!;
    assert.equal(f.kind === 'and' && f.args[0]!.label, 'sysmon');
    const indicators = extractIndicators(r).map((i) => `${i.field} ${i.operator} ${i.value}${i.negated ? ' (negated)' : ''}`);
    assert.ok(indicators.includes('source eq xmlwineventlog:microsoft-windows-sysmon/operational'));
    assert.ok(indicators.includes('EventCode eq 7'));
    assert.ok(indicators.includes('ImageLoaded endswith \\version.dll'));
    assert.ok(indicators.includes('ImageLoaded contains \\windows\\system32 (negated)'));
  });

  it('gives spans that land on the text they describe', () => {
    let checked = 0;
    const wrong: string[] = [];
    for (const r of rules) {
      const text = texts.get(r.id)!;
      for (const s of r.logic) {
        assert.ok(s.span.start >= r.bodySpan.start && s.span.end <= r.bodySpan.end && s.span.start < s.span.end, r.source.path);
        if (!s.filter) continue;
        walkExpr(s.filter, (n: Expr) => {
          if (n.kind !== 'match' && n.kind !== 'compare') return;
          const at = text.slice(n.span.start, n.span.end);
          if (at.startsWith('`')) return; // from a macro: the call site
          checked++;
          const last = n.field.split('.').pop()!;
          if (!at.includes(last) && !at.toLowerCase().includes(last.toLowerCase())) wrong.push(`${r.source.path}: ${n.field} at ${JSON.stringify(at)}`);
        });
      }
      for (const d of r.diagnostics) assert.ok(d.line >= 1 && d.column >= 1, r.source.path);
    }
    assert.ok(checked > 4000, `${checked} checked`);
    assert.deepEqual(wrong, []);
  });

  it('reads the whole corpus quickly', () => {
    assert.ok(ms < 10_000, `${ms.toFixed(0)} ms`);
  });

  it('writes reports/splunk-parse.json: every opaque part and error, by reason', () => {
    const byReason = new Map<string, Array<{ path: string; id: string; stage: number; command: string; text: string }>>();
    for (const r of rules) {
      for (const o of opaqueParts(r)) {
        const list = byReason.get(o.node.reason) ?? [];
        list.push({ path: r.source.path, id: r.id, stage: o.stage, command: o.command, text: o.node.text.length > 200 ? o.node.text.slice(0, 200) + '…' : o.node.text });
        byReason.set(o.node.reason, list);
      }
    }
    const opaqueRules = rules.filter((r) => opaqueParts(r).length > 0);
    // Stages that do not filter by an Expr but depend on data outside the rule (lookups, subsearches, models).
    const outside: Record<string, number> = {};
    for (const r of rules) {
      const seen = new Set<string>();
      for (const s of r.logic) if (s.args && typeof s.args.opaque === 'string') seen.add(s.command);
      for (const c of seen) outside[c] = (outside[c] ?? 0) + 1;
    }
    const byCode: Record<string, number> = {};
    for (const r of rules) for (const d of r.diagnostics) byCode[`${d.severity} ${d.code}`] = (byCode[`${d.severity} ${d.code}`] ?? 0) + 1;
    const report = {
      corpus: 'splunk',
      source: corpus.source,
      rules: rules.length,
      parsedWithoutOpaque: rules.length - opaqueRules.length,
      share: Number(((rules.length - opaqueRules.length) / rules.length).toFixed(4)),
      readMs: Math.round(ms),
      opaqueRules: opaqueRules.length,
      opaqueByReason: [...byReason].sort((a, b) => b[1].length - a[1].length).map(([reason, parts]) => ({ reason, count: parts.length, rules: new Set(parts.map((p) => p.path)).size, parts })),
      errors: rules.filter(hasErrors).map((r) => ({ path: r.source.path, errors: r.diagnostics.filter((d) => d.severity === 'error') })),
      diagnosticsByCode: byCode,
      rulesWithStagesOutsideTheRule: { note: 'non-filtering stages whose effect depends on data outside the rule (args.opaque): lookups, subsearches, ML models', byCommand: outside },
    };
    mkdirSync(join(ROOT, 'reports'), { recursive: true });
    writeFileSync(join(ROOT, 'reports', 'splunk-parse.json'), JSON.stringify(report, null, 2) + '\n');
    const back = JSON.parse(readFileSync(join(ROOT, 'reports', 'splunk-parse.json'), 'utf8')) as typeof report;
    assert.equal(back.rules, 1711);
    assert.equal(back.opaqueByReason.reduce((n, g) => n + g.count, 0), [...byReason.values()].reduce((n, l) => n + l.length, 0));
  });
});
