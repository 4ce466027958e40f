import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { cidrTest, parseCidr, parseIP } from '../../src/engine/index.js';
import { literalSequence, requiredLiteral, sequenceTest } from '../../src/engine/regex-literal.js';
import { containsAllTest, containsTest, endsTest, eqTest, patternTest, startsTest } from '../../src/engine/strings.js';
import type { Pattern, Wildcard } from '../../src/model/index.js';

function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const text = (r: () => number, alphabet: string, max: number): string => Array.from({ length: Math.floor(r() * max) }, () => pick(r, [...alphabet])).join('');

function patternRegex(p: Pattern): RegExp {
  const src = p.pattern.map((x) => (typeof x === 'string' ? x.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&') : x.wildcard === 'any' ? '[\\s\\S]*' : '[\\s\\S]')).join('');
  return new RegExp(`^${src}$`);
}

describe('wildcard patterns', () => {
  it('agree with an anchored regex on random patterns and texts (`*` only and with `?`)', () => {
    const r = rng(42);
    const ANY: Wildcard = { wildcard: 'any' };
    const ONE: Wildcard = { wildcard: 'one' };
    for (let round = 0; round < 3000; round++) {
      const parts: Pattern['pattern'] = Array.from({ length: 1 + Math.floor(r() * 5) }, () => (r() < 0.45 ? (r() < 0.7 ? ANY : ONE) : text(r, 'ab*', 3)));
      const p: Pattern = { pattern: parts };
      const test = patternTest(p, false);
      const re = patternRegex(p);
      for (let k = 0; k < 5; k++) {
        const s = text(r, 'ab*', 8);
        assert.equal(test(s), re.test(s), `pattern ${JSON.stringify(parts)} text ${JSON.stringify(s)}`);
      }
    }
  });

  it('lower-cases literal parts for case-insensitive tests', () => {
    assert.equal(patternTest({ pattern: [{ wildcard: 'any' }, '\\CMD.EXE'] }, true)('c:\\windows\\cmd.exe'), true);
  });
});

describe('string strategies agree with plain loops', () => {
  it('eq / startswith / endswith / contains with few and many values', () => {
    const r = rng(9);
    for (let round = 0; round < 400; round++) {
      const values = Array.from({ length: 1 + Math.floor(r() * 12) }, () => text(r, 'abc', 4));
      const checks: Array<[(s: string) => boolean, (s: string) => boolean]> = [
        [eqTest(values), (s) => values.includes(s)],
        [startsTest(values), (s) => values.some((v) => s.startsWith(v))],
        [endsTest(values), (s) => values.some((v) => s.endsWith(v))],
        [containsTest(values), (s) => values.some((v) => s.includes(v))],
        [containsAllTest(values), (s) => values.every((v) => s.includes(v))],
      ];
      for (let k = 0; k < 10; k++) {
        const s = text(r, 'abc', 10);
        for (const [fast, slow] of checks) assert.equal(fast(s), slow(s), `values ${JSON.stringify(values)} text ${s}`);
      }
    }
  });
});

describe('cidr', () => {
  it('parses IPv4, IPv6 (compressed, embedded IPv4, zones)', () => {
    assert.deepEqual([...parseIP('1.2.3.4')!], [0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304]);
    assert.deepEqual([...parseIP('fe80::1%eth0')!], [0xfe80, 0, 0, 0, 0, 0, 0, 1]);
    assert.deepEqual([...parseIP('::ffff:10.0.0.1')!], [0, 0, 0, 0, 0, 0xffff, 0x0a00, 1]);
    assert.equal(parseIP('1.2.3'), null);
    assert.equal(parseIP('256.1.1.1'), null);
    assert.equal(parseIP('1::2::3'), null);
    assert.equal(parseCidr('10.0.0.0/33'), null);
  });

  it('tests membership at every prefix length', () => {
    assert.equal(cidrTest(['192.168.0.0/16'])!('192.168.255.1'), true);
    assert.equal(cidrTest(['192.168.0.0/16'])!('192.169.0.1'), false);
    assert.equal(cidrTest(['10.1.2.3/32'])!('10.1.2.3'), true);
    assert.equal(cidrTest(['0.0.0.0/0'])!('8.8.8.8'), true);
    assert.equal(cidrTest(['2001:db8::/32'])!('2001:db8:ffff::1'), true);
    assert.equal(cidrTest(['2001:db8::/33'])!('2001:db8:8000::1'), false);
    assert.equal(cidrTest(['::1/128'])!('::1'), true);
    assert.equal(cidrTest(['fc00::/7'])!('fd12::1'), true);
    assert.equal(cidrTest(['fc00::/7'])!('fe00::1'), false);
    assert.equal(cidrTest(['not a network']), null);
  });
});

describe('regex literals (prefilter) and sequences', () => {
  it('finds a literal every match contains, or none', () => {
    assert.equal(requiredLiteral('invoke-expression\\s'), 'invoke-expression');
    assert.equal(requiredLiteral('\\w+`(\\w+|-|.)`[\\w+|\\s]'), '`');
    assert.equal(requiredLiteral('abc|def'), null);
    assert.equal(requiredLiteral('ab*c'), 'a');
    assert.equal(requiredLiteral('ab+c'), 'ab');
    assert.equal(requiredLiteral('x(foo)?yz'), 'yz');
    assert.equal(requiredLiteral('\\\\temp\\\\[a-z]+\\.exe'), '\\temp\\');
    assert.equal(requiredLiteral('(?=abc)d'), 'd');
  });

  it('every match of a regex contains its required literal (random regexes and texts)', () => {
    const r = rng(5);
    const atoms = ['a', 'b', 'ab', '.', 'a*', 'b+', '[ab]', '(a|b)', 'c?', '\\.', '(ab)+'];
    for (let round = 0; round < 2000; round++) {
      const src = Array.from({ length: 1 + Math.floor(r() * 5) }, () => pick(r, atoms)).join('');
      const lit = requiredLiteral(src);
      if (lit === null) continue;
      const re = new RegExp(src);
      for (let k = 0; k < 10; k++) {
        const s = text(r, 'abc.', 12);
        if (re.test(s)) assert.ok(s.includes(lit), `${src} matched ${s} without ${lit}`);
      }
    }
  });

  it('recognises `a.*b.*c` sequences and matches like the regex', () => {
    assert.deepEqual(literalSequence('\\+.*\\+.*\\+', ''), ['+', '+', '+']);
    assert.deepEqual(literalSequence('foo.*Bar', 'i'), ['foo', 'bar']);
    assert.equal(literalSequence('a.*b?', ''), null);
    assert.equal(literalSequence('a.*?b', ''), null);
    const r = rng(1);
    for (const [src, flags] of [['a.*b.*a', ''], ['ab.*ba', 's'], ['.*a.*a.*', '']] as const) {
      const seq = literalSequence(src, flags)!;
      const t = sequenceTest(seq, flags.includes('s'));
      const re = new RegExp(src, flags);
      for (let k = 0; k < 2000; k++) {
        const s = text(r, 'ab\n\r', 10);
        assert.equal(t(s), re.test(s), `${src}/${flags} on ${JSON.stringify(s)}`);
      }
    }
  });
});
