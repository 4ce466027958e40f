import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Expr } from '../../../src/model/index.js';
import { codes, logic, rule } from '../../helpers.js';

const DET = `    a:
        F: a
    b:
        F: b
    c:
        F: c
    sel_x:
        F: x
    sel_y:
        F: y
    _hidden:
        F: h
`;

/** Renders an expression as a compact string of selection names: and(a,or(b,c)). */
function shape(e: unknown): string {
  const x = e as Expr;
  switch (x.kind) {
    case 'and':
    case 'or':
      return `${x.kind}(${x.args.map(shape).join(',')})`;
    case 'not':
      return `not(${shape(x.arg)})`;
    case 'match':
      return String(x.values[0]);
    default:
      return x.kind;
  }
}

const cond = (c: string) => rule(`${DET}    condition: ${c}`);
const parsed = (c: string) => shape(logic(cond(c)));

describe('Sigma condition grammar', () => {
  it('identifiers, and, or, not', () => {
    assert.equal(parsed('a'), 'a');
    assert.equal(parsed('a and b'), 'and(a,b)');
    assert.equal(parsed('a or b'), 'or(a,b)');
    assert.equal(parsed('not a'), 'not(a)');
  });

  it('precedence: or < and < not', () => {
    assert.equal(parsed('a or b and c'), 'or(a,and(b,c))');
    assert.equal(parsed('a and b or c'), 'or(and(a,b),c)');
    assert.equal(parsed('not a and b'), 'and(not(a),b)');
    assert.equal(parsed('not a or b'), 'or(not(a),b)');
    assert.equal(parsed('a and not b or not c and a'), 'or(and(a,not(b)),and(not(c),a))');
  });

  it('parentheses override precedence and may nest', () => {
    assert.equal(parsed('(a or b) and c'), 'and(or(a,b),c)');
    assert.equal(parsed('not (a or b)'), 'not(or(a,b))');
    assert.equal(parsed('((a))'), 'a');
    assert.equal(parsed('a and (b or (c and not a))'), 'and(a,or(b,and(c,not(a))))');
  });

  it('keywords are case-insensitive', () => {
    assert.equal(parsed('a AND NOT b OR c'), 'or(and(a,not(b)),c)');
  });

  it('1 of / any of / all of a pattern', () => {
    assert.equal(parsed('1 of sel_*'), 'or(x,y)');
    assert.equal(parsed('any of sel_*'), 'or(x,y)');
    assert.equal(parsed('all of sel_*'), 'and(x,y)');
    assert.equal(parsed('1 of sel_x'), 'x');
  });

  it('x of binds tighter than not, and, or', () => {
    assert.equal(parsed('not 1 of sel_*'), 'not(or(x,y))');
    assert.equal(parsed('a and 1 of sel_* or b'), 'or(and(a,or(x,y)),b)');
  });

  it('them covers every identifier not starting with an underscore', () => {
    assert.equal(parsed('1 of them'), 'or(a,b,c,x,y)');
    assert.equal(parsed('all of them'), 'and(a,b,c,x,y)');
  });

  it('the specification examples', () => {
    // "1 of selection* and keywords", "1 of selection* and not 1 of filter*", "selection1 and (keywords1 or keywords2)"
    const r = rule(`    selection1:\n        F: s1\n    selection2:\n        F: s2\n    filter_a:\n        F: f\n    keywords1:\n        - k1\n    keywords2:\n        - k2\n    condition: 1 of selection* and not 1 of filter* and (keywords1 or keywords2)`);
    assert.equal(shape(logic(r)), 'and(or(s1,s2),not(f),or(keyword,keyword))');
  });

  it('a list of conditions is ORed', () => {
    const r = rule(`${DET}    condition:\n        - a and b\n        - c`);
    assert.equal(shape(logic(r)), 'or(and(a,b),c)');
  });

  it('errors carry the position inside the condition', () => {
    const r = cond('a and (b or c');
    const d = r.diagnostics.find((x) => x.code === 'sigma.condition-syntax')!;
    assert.match(d.message, /missing '\)'/);
    assert.equal(d.line, 19);
    const undef = cond('a and nope').diagnostics.find((x) => x.code === 'sigma.condition-syntax')!;
    assert.match(undef.message, /'nope' is not defined/);
    assert.equal(undef.column, 22);
  });

  it('rejects malformed conditions with clear messages', () => {
    for (const [c, re] of [
      ['a and', /ends where an expression was expected/],
      ['a b', /unexpected 'b'/],
      ['1 of nomatch*', /no search identifier matches/],
      ['2 of sel_*', /not defined by Sigma/],
      ['sel_*', /is a pattern/],
      ['a | count() by F > 5', /obsolete/],
      ['a )', /unexpected '\)'/],
      ['all sel_*', /expected 'of'/],
    ] as const) {
      const d = cond(c).diagnostics.find((x) => x.code === 'sigma.condition-syntax');
      assert.ok(d, c);
      assert.match(d!.message, re, c);
    }
  });

  it('deep nesting is a finding, not a stack overflow', () => {
    const deep = '('.repeat(5000) + 'a' + ')'.repeat(5000);
    assert.ok(codes(cond(deep)).includes('sigma.condition-syntax'));
    const nots = 'not '.repeat(5000) + 'a';
    assert.ok(codes(cond(nots)).includes('sigma.condition-syntax'));
  });

  it('unused search identifiers are reported', () => {
    const r = cond('a');
    const unused = r.diagnostics.filter((d) => d.code === 'sigma.unused-detection').map((d) => d.message);
    assert.equal(unused.length, 5);
    assert.ok(unused.some((m) => m.includes("'b'")));
  });

  it('a missing condition is an error', () => {
    assert.ok(codes(rule('    a:\n        F: a')).includes('sigma.missing-condition'));
  });
});
