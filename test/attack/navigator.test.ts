import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import {
  buildCoverage,
  loadAttackSync,
  loadTagHints,
  TagResolver,
  toNavigatorLayer,
  type AttackIndex,
  type CoverageRule,
} from '../../src/attack/index.js';
import { BUNDLE_PATH, HINTS_PATH, readSigmaTags, SIGMA_LAYER_PATH } from './fixtures.js';

/**
 * A validator for the ATT&CK Navigator layer format 4.5, written from the specification
 * (mitre-attack/attack-navigator, layers/spec/v4.5/layerformat.md) and not from the generator:
 * required properties, types, enumerations, `versions.layer` = "4.5", `versions.navigator` at
 * least 4.9.0, gradient with two or more colours and maxValue > minValue, links with a protocol.
 * Accepts a single layer or a list of layers (4.5 lets a file hold several).
 */
function validateLayerFile(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap((l, i) => validateLayer(l).map((e) => `[${i}] ${e}`));
  return validateLayer(value);
}

function validateLayer(layer: unknown): string[] {
  const errors: string[] = [];
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const type = (v: unknown, t: 'string' | 'number' | 'boolean', path: string, required = false) => {
    if (v === undefined) {
      if (required) errors.push(`${path}: required`);
      return;
    }
    if (typeof v !== t || (t === 'number' && !Number.isFinite(v))) errors.push(`${path}: must be a ${t}`);
  };
  const oneOf = (v: unknown, values: readonly unknown[], path: string) => {
    if (v !== undefined && !values.includes(v)) errors.push(`${path}: must be one of ${values.join(', ')}`);
  };
  const color = (v: unknown, path: string) => {
    if (typeof v !== 'string' || !/^#(?:[0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i.test(v)) errors.push(`${path}: not a hex colour`);
  };
  const list = (v: unknown, path: string, item: (x: unknown, p: string) => void) => {
    if (v === undefined) return;
    if (!Array.isArray(v)) errors.push(`${path}: must be an array`);
    else v.forEach((x, i) => item(x, `${path}[${i}]`));
  };
  const metadata = (x: unknown, p: string) => {
    if (!isObj(x)) return void errors.push(`${p}: must be an object`);
    if ('divider' in x) return type(x['divider'], 'boolean', `${p}.divider`, true);
    type(x['name'], 'string', `${p}.name`, true);
    type(x['value'], 'string', `${p}.value`, true);
  };
  const link = (x: unknown, p: string) => {
    if (!isObj(x)) return void errors.push(`${p}: must be an object`);
    if ('divider' in x) return type(x['divider'], 'boolean', `${p}.divider`, true);
    type(x['label'], 'string', `${p}.label`, true);
    type(x['url'], 'string', `${p}.url`, true);
    if (typeof x['url'] === 'string' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(x['url'])) errors.push(`${p}.url: needs a protocol`);
  };

  if (!isObj(layer)) return ['layer: must be an object'];
  type(layer['name'], 'string', 'name', true);
  type(layer['domain'], 'string', 'domain', true);
  oneOf(layer['domain'], ['enterprise-attack', 'mobile-attack', 'ics-attack'], 'domain');
  type(layer['description'], 'string', 'description');
  type(layer['customDataURL'], 'string', 'customDataURL');

  const versions = layer['versions'];
  if (versions !== undefined) {
    if (!isObj(versions)) errors.push('versions: must be an object');
    else {
      type(versions['attack'], 'string', 'versions.attack');
      type(versions['navigator'], 'string', 'versions.navigator', true);
      type(versions['layer'], 'string', 'versions.layer', true);
      if (versions['layer'] !== undefined && versions['layer'] !== '4.5') errors.push('versions.layer: must be "4.5"');
      if (typeof versions['navigator'] === 'string') {
        const m = /^(\d+)\.(\d+)(?:\.(\d+))?$/.exec(versions['navigator']);
        const n = m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
        if (!n || n[0]! < 4 || (n[0] === 4 && n[1]! < 9)) errors.push('versions.navigator: must be at least 4.9.0');
      }
    }
  }

  const filters = layer['filters'];
  if (filters !== undefined) {
    if (!isObj(filters)) errors.push('filters: must be an object');
    else list(filters['platforms'], 'filters.platforms', (x, p) => type(x, 'string', p, true));
  }
  type(layer['sorting'], 'number', 'sorting');
  oneOf(layer['sorting'], [0, 1, 2, 3], 'sorting');

  const layout = layer['layout'];
  if (layout !== undefined) {
    if (!isObj(layout)) errors.push('layout: must be an object');
    else {
      oneOf(layout['layout'], ['side', 'flat', 'mini'], 'layout.layout');
      for (const k of ['showID', 'showName', 'showAggregateScores', 'countUnscored']) type(layout[k], 'boolean', `layout.${k}`);
      oneOf(layout['aggregateFunction'], ['average', 'min', 'max', 'sum'], 'layout.aggregateFunction');
      oneOf(layout['expandedSubtechniques'], ['none', 'all', 'annotated'], 'layout.expandedSubtechniques');
    }
  }
  for (const k of ['hideDisabled', 'showTacticRowBackground', 'selectTechniquesAcrossTactics', 'selectSubtechniquesWithParent', 'selectVisibleTechniques']) {
    type(layer[k], 'boolean', k);
  }
  if (layer['tacticRowBackground'] !== undefined) color(layer['tacticRowBackground'], 'tacticRowBackground');

  list(layer['techniques'], 'techniques', (t, p) => {
    if (!isObj(t)) return void errors.push(`${p}: must be an object`);
    type(t['techniqueID'], 'string', `${p}.techniqueID`, true);
    if (typeof t['techniqueID'] === 'string' && !/^T\d{4}(?:\.\d{3})?$/.test(t['techniqueID'])) errors.push(`${p}.techniqueID: not T#### or T####.###`);
    type(t['tactic'], 'string', `${p}.tactic`);
    type(t['comment'], 'string', `${p}.comment`);
    type(t['enabled'], 'boolean', `${p}.enabled`);
    type(t['score'], 'number', `${p}.score`);
    if (t['color'] !== undefined && t['color'] !== '') color(t['color'], `${p}.color`);
    list(t['metadata'], `${p}.metadata`, metadata);
    list(t['links'], `${p}.links`, link);
    type(t['showSubtechniques'], 'boolean', `${p}.showSubtechniques`);
  });

  const gradient = layer['gradient'];
  if (gradient !== undefined) {
    if (!isObj(gradient)) errors.push('gradient: must be an object');
    else {
      if (!Array.isArray(gradient['colors'])) errors.push('gradient.colors: required array');
      else {
        if (gradient['colors'].length < 2) errors.push('gradient.colors: at least two');
        gradient['colors'].forEach((c, i) => color(c, `gradient.colors[${i}]`));
      }
      type(gradient['minValue'], 'number', 'gradient.minValue', true);
      type(gradient['maxValue'], 'number', 'gradient.maxValue', true);
      if (typeof gradient['minValue'] === 'number' && typeof gradient['maxValue'] === 'number' && !(gradient['maxValue'] > gradient['minValue'])) {
        errors.push('gradient.maxValue: must be > minValue');
      }
    }
  }
  list(layer['legendItems'], 'legendItems', (x, p) => {
    if (!isObj(x)) return void errors.push(`${p}: must be an object`);
    type(x['label'], 'string', `${p}.label`, true);
    type(x['color'], 'string', `${p}.color`, true);
  });
  list(layer['metadata'], 'metadata', metadata);
  list(layer['links'], 'links', link);
  return errors;
}

let index: AttackIndex;
let resolver: TagResolver;
let rules: CoverageRule[];

before(() => {
  index = loadAttackSync(BUNDLE_PATH).index;
  resolver = new TagResolver(index, loadTagHints(HINTS_PATH));
  // The whole SigmaHQ `rules/` folder, read without the project's Sigma reader.
  rules = readSigmaTags('rules').map((r) => {
    const attack = r.tags.filter((t) => t.startsWith('attack.'));
    return {
      id: `sigma:${r.id}`,
      source: 'sigma',
      ...(r.level ? { severity: r.level } : {}),
      techniques: attack.filter((t) => /^attack\.t\d/.test(t)),
      tactics: attack.filter((t) => !/^attack\.(?:t|g|s|ds)\d/.test(t)),
    };
  });
});

describe('the 4.5 validator itself', () => {
  it("rejects Sigma's own 4.4 layer and broken layers", () => {
    const sigma = JSON.parse(readFileSync(SIGMA_LAYER_PATH, 'utf8')) as unknown;
    const errors = validateLayerFile(sigma);
    assert.ok(errors.includes('versions.layer: must be "4.5"'), errors.join('; '));
    assert.ok(errors.includes('versions.navigator: must be at least 4.9.0'), errors.join('; '));

    const good = { name: 'x', domain: 'enterprise-attack', versions: { navigator: '5.2.0', layer: '4.5' } };
    assert.deepEqual(validateLayerFile(good), []);
    assert.deepEqual(validateLayerFile([good, good]), []);
    assert.deepEqual(validateLayerFile({ ...good, name: undefined }), ['name: required']);
    assert.deepEqual(validateLayerFile({ ...good, domain: 'mitre-enterprise' }), ['domain: must be one of enterprise-attack, mobile-attack, ics-attack']);
    assert.deepEqual(validateLayerFile({ ...good, techniques: [{ techniqueID: 'T1059.1', score: '3' }] }), [
      'techniques[0].techniqueID: not T#### or T####.###',
      'techniques[0].score: must be a number',
    ]);
    assert.deepEqual(validateLayerFile({ ...good, gradient: { colors: ['#ffffff'], minValue: 5, maxValue: 5 } }), [
      'gradient.colors: at least two',
      'gradient.maxValue: must be > minValue',
    ]);
    assert.deepEqual(validateLayerFile({ ...good, metadata: [{ name: 'n', value: 3 }], links: [{ label: 'l', url: 'attack.mitre.org' }] }), [
      'metadata[0].value: must be a string',
      'links[0].url: needs a protocol',
    ]);
  });
});

describe('Navigator layer of the Sigma rules/ corpus', () => {
  it('is a valid 4.5 layer', () => {
    const layer = toNavigatorLayer(buildCoverage(index, resolver, rules), index, { markGaps: true });
    // Through JSON, as a file would carry it.
    assert.deepEqual(validateLayerFile(JSON.parse(JSON.stringify(layer))), []);
    assert.equal(layer.versions.layer, '4.5');
    assert.equal(layer.versions.attack, '18');
    assert.equal(layer.domain, 'enterprise-attack');
  });

  it('scores each (technique, tactic) with the number of rules an independent count places there', () => {
    const layer = toNavigatorLayer(buildCoverage(index, resolver, rules), index);
    // Independent count from the tags and the raw hint file. Technique tags the bundle has live
    // count as they are; others are skipped here, and so are cells such tags could land on (the
    // v18 side of every hint pair), where the generator legitimately adds rules.
    const hintFile = JSON.parse(readFileSync(HINTS_PATH, 'utf8')) as {
      technique_pairs: Array<{ v18: string }>;
      tactic_pairs: Array<{ v18: string; v19: string }>;
    };
    const touchedByHints = new Set(hintFile.technique_pairs.map((p) => p.v18));
    const olderTactic = new Map(hintFile.tactic_pairs.filter((p) => !index.tactic(p.v19)).map((p) => [p.v19, p.v18]));
    const expected = new Map<string, Set<string>>();
    for (const rule of rules) {
      const tactics = rule.tactics.map((t) => t.slice(7)).map((t) => olderTactic.get(t) ?? t);
      for (const id of rule.techniques.map((t) => t.slice(7).toUpperCase())) {
        const technique = index.technique(id);
        if (!technique || technique.revoked || technique.deprecated) continue;
        const own = technique.tactics;
        const named = own.filter((t) => tactics.includes(t));
        for (const tactic of named.length ? named : own) {
          const key = `${id}|${tactic}`;
          if (!expected.has(key)) expected.set(key, new Set());
          expected.get(key)!.add(rule.id);
        }
      }
    }
    const byKey = new Map(layer.techniques.map((t) => [`${t.techniqueID}|${t.tactic}`, t]));
    let exact = 0;
    for (const [key, ids] of expected) {
      const entry = byKey.get(key);
      assert.ok(entry, `${key} missing from the layer`);
      if (touchedByHints.has(key.split('|')[0]!)) {
        assert.ok((entry.score ?? 0) >= ids.size, `${key}: ${entry.score} < ${ids.size}`);
      } else {
        assert.equal(entry.score, ids.size, key);
        exact++;
      }
    }
    assert.ok(exact > 300, `only ${exact} cells compared exactly`);
    // And nothing scored that the independent count does not know of, outside the hinted cells.
    for (const t of layer.techniques) {
      if ((t.score ?? 0) > 0 && !touchedByHints.has(t.techniqueID)) assert.ok(expected.has(`${t.techniqueID}|${t.tactic}`), t.techniqueID);
    }
  });

  it('only names live techniques in tactics they belong to, with bundle platforms', () => {
    const layer = toNavigatorLayer(buildCoverage(index, resolver, rules), index, { markGaps: true });
    const platforms = new Set(index.platforms());
    assert.ok(layer.filters.platforms.length > 0 && layer.filters.platforms.every((p) => platforms.has(p)));
    for (const t of layer.techniques) {
      const technique = index.technique(t.techniqueID);
      assert.ok(technique && !technique.revoked && !technique.deprecated, t.techniqueID);
      assert.ok(technique.tactics.includes(t.tactic), `${t.techniqueID} is not in ${t.tactic}`);
    }
    const scored = layer.techniques.filter((t) => (t.score ?? 0) > 0);
    assert.ok(scored.length > 300);
    assert.ok(layer.gradient.maxValue > layer.gradient.minValue);
    assert.ok(layer.techniques.some((t) => t.score === 0 && t.color === '#ff6666'), 'gaps are marked');
    assert.ok(layer.techniques.some((t) => t.score === undefined && t.showSubtechniques), 'parents opened on covered sub-techniques');
  });
});
