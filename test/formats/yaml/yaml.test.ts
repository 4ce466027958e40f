import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseYamlDocuments, resolvePlain, yaml11Reading } from '../../../src/formats/yaml/index.js';
import { parseFast } from '../../../src/formats/yaml/fast.js';
import { SIGMA, SIGMA_RULE_DIRS, listFiles } from '../../helpers.js';

describe('positioned YAML', () => {
  it('the fast path equals the exact path on every Sigma file (values, styles and spans)', () => {
    const files = [...SIGMA_RULE_DIRS, 'deprecated'].flatMap((d) => listFiles(join(SIGMA, d)));
    let fallbacks = 0;
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      const fast = parseFast(text);
      if (!fast) {
        fallbacks++;
        continue;
      }
      assert.deepEqual(fast, parseYamlDocuments(text, { exact: true }), f);
    }
    assert.ok(fallbacks < files.length / 100, `${fallbacks} fallbacks`);
  });

  it('spans point at the source text', () => {
    const text = "a: 'x'\nb:\n  - 1\n  - two\nc: {d: e}\n";
    const [doc] = parseYamlDocuments(text);
    const root = doc!.root as Extract<NonNullable<typeof doc>['root'], { kind: 'map' }>;
    const slice = (n: { start: number; end: number }) => text.slice(n.start, n.end);
    assert.equal(slice(root.pairs[0]!.value!), "'x'");
    assert.equal(slice(root.pairs[1]!.value!), '- 1\n  - two');
    assert.equal(slice(root.pairs[2]!.key), 'c');
  });

  it('falls back to the exact reader for aliases and errors, and reports errors with offsets', () => {
    const withAlias = parseYamlDocuments('a: &x 1\nb: *x\n');
    assert.equal(withAlias[0]!.errors.length, 1);
    const broken = parseYamlDocuments('a: [1, 2\nb: 3\n');
    assert.ok(broken[0]!.errors.length >= 1);
    assert.ok(broken[0]!.errors[0]!.offset > 0);
  });

  it('duplicate keys: the last wins, with a warning', () => {
    const [doc] = parseYamlDocuments('a: 1\na: 2\n');
    assert.equal(doc!.warnings.length, 1);
  });

  it('plain scalars resolve by YAML 1.2 core, and YAML 1.1 differences are named', () => {
    assert.equal(resolvePlain('0x1F'), 31);
    assert.equal(resolvePlain('0o17'), 15);
    assert.equal(resolvePlain('017'), 17);
    assert.equal(resolvePlain('yes'), 'yes');
    assert.equal(resolvePlain('0b101'), '0b101');
    assert.equal(resolvePlain('~'), null);
    assert.equal(yaml11Reading('yes'), 'the boolean true');
    assert.equal(yaml11Reading('017'), 'the octal number 15');
    assert.equal(yaml11Reading('2021-05-14'), 'a date');
    assert.equal(yaml11Reading('1_000'), 'the number 1000');
    assert.equal(yaml11Reading('hello'), null);
    assert.equal(yaml11Reading('0'), null);
  });
});
