import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import jsyaml from 'js-yaml';
import type { Rule } from '../../src/model/index.js';
import { canonicalIndicators } from '../../src/taxonomy/fields-indicators.js';
import { resolveRuleField, ruleFieldScope, type RuleFieldScope } from '../../src/taxonomy/fields-context.js';
import { fieldTaxonomy, isCanonical, type FieldResolution } from '../../src/taxonomy/fields.js';
import { listFiles, ROOT, SIGMA, SIGMA_RULE_DIRS } from '../helpers.js';
import { chronicleUsages, elasticUsages, readerUsages, sentinelUsages, sigmaRules, splunkRules } from './corpus-fields.js';

const tax = fieldTaxonomy();

/**
 * Every field a Sigma rule's detection names, read straight from the YAML (not through the
 * reader or the taxonomy): keys of selection maps and of maps in selection lists, modifiers cut.
 */
function sigmaFieldsFromYaml(): Map<string, Array<Record<string, string>>> {
  const byField = new Map<string, Array<Record<string, string>>>();
  for (const dir of SIGMA_RULE_DIRS) {
    for (const file of listFiles(join(SIGMA, dir))) {
      for (const doc of jsyaml.loadAll(readFileSync(file, 'utf8'), null, { json: true })) {
        if (!doc || typeof doc !== 'object') continue;
        const d = doc as Record<string, unknown>;
        const detection = d.detection;
        if (!detection || typeof detection !== 'object') continue;
        const logsource = (d.logsource ?? {}) as Record<string, string>;
        const fields = new Set<string>();
        const keys = (m: unknown): void => {
          if (!m || typeof m !== 'object' || Array.isArray(m)) return;
          for (const k of Object.keys(m)) {
            const f = k.split('|')[0]!;
            if (f) fields.add(f);
          }
        };
        for (const [name, sel] of Object.entries(detection)) {
          if (name === 'condition' || name === 'timeframe') continue;
          if (Array.isArray(sel)) sel.forEach(keys);
          else keys(sel);
        }
        for (const f of fields) {
          const list = byField.get(f) ?? byField.set(f, []).get(f)!;
          list.push(logsource);
        }
      }
    }
  }
  return byField;
}

describe('every Sigma field used by at least 5 corpus rules has a canonical field', () => {
  const byField = sigmaFieldsFromYaml();
  const frequent = [...byField].filter(([, uses]) => uses.length >= 5);

  it('finds the frequent fields in the corpus', () => {
    assert.ok(frequent.length >= 100, `${frequent.length} fields used by ≥ 5 rules`);
    assert.ok(byField.has('CommandLine') && byField.get('CommandLine')!.length > 1000);
  });

  it('resolves each of them, in the logsource of every rule that uses it', () => {
    const missing: string[] = [];
    for (const [field, uses] of frequent) {
      for (const ls of uses) {
        const r = tax.resolve('sigma', field, Object.values(ls).filter((v) => typeof v === 'string'));
        if (!isCanonical(r)) missing.push(`${field} [${Object.values(ls).join('/')}] → ${r.canonical}`);
      }
    }
    assert.deepEqual([...new Set(missing)], []);
  });
});

describe('tests/logsource.json: the fields Sigma allows per log source', () => {
  type Part = Record<string, { common?: string[]; category?: Record<string, string[]>; service?: Record<string, string[]> }>;
  const data = JSON.parse(readFileSync(join(SIGMA, 'tests', 'logsource.json'), 'utf8')) as { legit: Part; addon: Part };
  const check = (product: string, kind: 'category' | 'service', filter: (name: string) => boolean): { all: number; bad: string[] } => {
    let all = 0;
    const bad: string[] = [];
    for (const part of [data.legit, data.addon]) {
      const p = part[product];
      if (!p) continue;
      for (const [name, fields] of Object.entries(p[kind] ?? {})) {
        if (!filter(name)) continue;
        const ctx = product === 'empty' ? [name] : [product, name];
        for (const f of new Set([...fields, ...(p.common ?? [])])) {
          all++;
          if (!isCanonical(tax.resolve('sigma', f, ctx))) bad.push(`${product}/${name}: ${f}`);
        }
      }
    }
    return { all, bad };
  };

  it('every field of every Windows category, and the common ones, has a canonical field', () => {
    const { all, bad } = check('windows', 'category', () => true);
    assert.ok(all > 100, `${all} fields`);
    assert.deepEqual(bad, []);
  });

  it('most fields of the generic categories elsewhere (Linux, macOS, proxy, webserver)', () => {
    for (const product of ['linux', 'macos', 'empty']) {
      const { all, bad } = check(product, 'category', (n) => n !== 'sysmon_status');
      assert.ok(all > 0);
      assert.ok(bad.length / all <= 0.2, `${product}: ${bad.length}/${all} without a canonical field: ${bad.join(', ')}`);
    }
  });
});

interface Figures {
  rules: number;
  usages: number;
  canonical: number;
  /** Usages whose canonical field the data file declares (or a Windows EventData field). */
  declared: number;
  local: number;
  derived: number;
  share: number;
  declaredShare: number;
  method: string;
  via: Record<string, number>;
  unmapped: Array<{ field: string; count: number }>;
}

function figures(method: string, rules: number, usages: Array<{ field: string; resolution: FieldResolution }>): Figures {
  const via: Record<string, number> = {};
  const unmapped = new Map<string, number>();
  let canonical = 0;
  let declared = 0;
  let local = 0;
  let derived = 0;
  for (const { field, resolution: r } of usages) {
    via[r.via] = (via[r.via] ?? 0) + 1;
    if (r.via === 'local') local++;
    else if (r.via === 'derived') derived++;
    else if (isCanonical(r)) {
      canonical++;
      if (tax.fields.has(r.canonical) || r.via === 'windows') declared++;
    } else unmapped.set(field, (unmapped.get(field) ?? 0) + 1);
  }
  // Vendor-local names (Splunk's sourcetype, index) and fields the rule computes are not observables.
  const counted = usages.length - local - derived;
  return {
    rules,
    usages: counted,
    canonical,
    declared,
    local,
    derived,
    share: counted ? canonical / counted : 0,
    declaredShare: counted ? declared / counted : 0,
    method,
    via,
    unmapped: [...unmapped].sort((a, b) => b[1] - a[1]).slice(0, 40).map(([field, count]) => ({ field, count })),
  };
}

function fromRules(rules: Rule[]): Figures {
  const usages: Array<{ field: string; resolution: FieldResolution }> = [];
  for (const r of rules) {
    const scope = ruleFieldScope(r);
    for (const f of readerUsages(r)) usages.push({ field: f, resolution: resolveRuleField(scope, f) });
  }
  return figures('reader', rules.length, usages);
}

function fromScan(list: Array<{ rule: Rule; field: string }>): Figures {
  const scopes = new Map<Rule, RuleFieldScope>();
  const usages = list.map(({ rule, field }) => {
    let s = scopes.get(rule);
    if (!s) scopes.set(rule, (s = ruleFieldScope(rule)));
    return { field, resolution: resolveRuleField(s, field) };
  });
  return figures('scanner (approximate: no reader in the tree yet)', scopes.size, usages);
}

describe('coverage: the share of field usages in each corpus that map to a canonical field', () => {
  const report: Record<string, Figures> = {};
  let sigma: Rule[] = [];
  let splunk: Rule[] = [];
  before(() => {
    sigma = sigmaRules();
    splunk = splunkRules();
  });

  it('sigma (reader): at least 98%', () => {
    report.sigma = fromRules(sigma);
    assert.ok(report.sigma.share >= 0.98, JSON.stringify(report.sigma.unmapped.slice(0, 10)));
  });

  it('splunk (reader): at least 85% of the event fields (Splunk metadata and computed fields aside)', () => {
    report.splunk = fromRules(splunk);
    assert.ok(report.splunk.local > 500 && report.splunk.derived > 100, 'sourcetype/index and eval/stats fields are recognized');
    assert.ok(report.splunk.share >= 0.85, JSON.stringify(report.splunk.unmapped.slice(0, 10)));
  });

  it('elastic (scanner): ECS names are canonical; at least 60% are fields the taxonomy declares', () => {
    report.elastic = fromScan(elasticUsages());
    assert.ok(report.elastic.usages > 5000);
    assert.ok(report.elastic.share >= 0.99);
    assert.ok(report.elastic.declaredShare >= 0.6, String(report.elastic.declaredShare));
  });

  it('chronicle (scanner): at least 75%', () => {
    report.chronicle = fromScan(chronicleUsages());
    assert.ok(report.chronicle.usages > 3000);
    assert.ok(report.chronicle.share >= 0.75, JSON.stringify(report.chronicle.unmapped.slice(0, 10)));
  });

  it('sentinel (scanner): at least 40% (most rules query vendor tables with their own columns)', () => {
    report.sentinel = fromScan(sentinelUsages());
    assert.ok(report.sentinel.usages > 3000);
    assert.ok(report.sentinel.share >= 0.4, JSON.stringify(report.sentinel.unmapped.slice(0, 10)));
  });

  it('writes reports/taxonomy-fields.json', () => {
    mkdirSync(join(ROOT, 'reports'), { recursive: true });
    const summary = Object.fromEntries(Object.entries(report).map(([k, v]) => [k, { ...v, share: Number(v.share.toFixed(4)), declaredShare: Number(v.declaredShare.toFixed(4)) }]));
    writeFileSync(join(ROOT, 'reports', 'taxonomy-fields.json'), JSON.stringify({ canonicalFields: tax.fields.size, corpora: summary }, null, 2) + '\n');
    assert.equal(Object.keys(report).length, 5);
  });

  it('canonicalizes the Sigma and Splunk corpora, indicators and all, quickly', () => {
    const t0 = performance.now();
    let n = 0;
    for (const r of [...sigma, ...splunk]) n += canonicalIndicators(r).length;
    const ms = performance.now() - t0;
    assert.ok(n > 30000, `${n} indicators`);
    assert.ok(ms < 3000, `${ms.toFixed(0)} ms`);
  });
});

describe('Splunk data_sources: the CIM field maps Splunk publishes agree with the taxonomy', () => {
  /** Where Splunk's map and the taxonomy differ on purpose, and why. */
  const ACCEPTED: Record<string, string> = {
    'Sysmon EventID 1 ParentImage': "Splunk maps the parent's path to parent_process_name; a path is not a name",
    'Powershell Script Block Logging 4104 ScriptBlockText': 'a script block is not a command line: powershell.file.script_block_text, as ECS has it',
    'Powershell Script Block Logging 4104 Path': 'the script file, not the process executable',
    'Powershell Script Block Logging 4104 ScriptBlockId': 'a script block id is not a process id',
    'Windows Event Log Security 4688 SubjectUserSid': 'a SID is not a user name',
    'CrowdStrike ProcessRollup2 UserSid': 'a SID is not a user name',
    'CrowdStrike ProcessRollup2 SHA256HashData': 'one SHA-256 (process.hash.sha256), not a hash list',
  };
  it('maps each source field and its CIM field to one canonical field, differences aside', () => {
    const dir = join(SIGMA, '..', 'splunk', 'data_sources');
    const diffs: string[] = [];
    let same = 0;
    for (const file of listFiles(dir)) {
      const d = jsyaml.load(readFileSync(file, 'utf8')) as { name: string; field_mappings?: Array<{ data_model: string; mapping?: Record<string, string> }> };
      for (const m of d.field_mappings ?? []) {
        if (m.data_model !== 'cim') continue;
        for (const [src, cim] of Object.entries(m.mapping ?? {})) {
          if (src.includes('|')) continue;
          const a = tax.canonical('splunk', src, [d.name]);
          const b = tax.canonical('splunk', cim, [d.name]);
          if (a === b) same++;
          else if (!ACCEPTED[`${d.name} ${src}`]) diffs.push(`${d.name}: ${src} → ${a}, ${cim} → ${b}`);
        }
      }
    }
    assert.ok(same >= 30, `${same} agreeing maps`);
    assert.deepEqual(diffs, []);
  });
});
