import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { and, any, cmp, codes, exists, m, not, one, or, spl, where } from './helpers.js';

const fieldref = (field: string, other: string, caseSensitive = true): unknown => ({ kind: 'fieldref', field, operator: 'eq', other, caseSensitive });

describe('SPL where: precedence OR < AND < NOT < comparison < arithmetic', () => {
  it('binds AND tighter than OR (unlike the search command)', () => {
    assert.deepEqual(where('a=1 OR b=2 AND c=3'), or(m('a', 'eq', [1], true), and(m('b', 'eq', [2], true), m('c', 'eq', [3], true))));
    assert.deepEqual(where('(a=1 OR b=2) AND c=3'), and(or(m('a', 'eq', [1], true), m('b', 'eq', [2], true)), m('c', 'eq', [3], true)));
  });

  it('applies NOT to the whole comparison, and only to it', () => {
    assert.deepEqual(where('NOT a="x" AND b="y"'), and(not(m('a', 'eq', ['x'], true)), m('b', 'eq', ['y'], true)));
    assert.deepEqual(where('not a="x" or b="y"'), or(not(m('a', 'eq', ['x'], true)), m('b', 'eq', ['y'], true)));
  });

  it('keeps arithmetic inside comparisons (opaque when it cannot be modelled)', () => {
    const f = where('bytes > avg + 2 * stdev') as { kind: string; reason: string };
    assert.equal(f.kind, 'opaque');
    assert.match(f.reason, /computed value/);
  });

  it('reads XOR as exclusive or', () => {
    assert.deepEqual(where('a=1 XOR b=2'), or(and(m('a', 'eq', [1], true), not(m('b', 'eq', [2], true))), and(not(m('a', 'eq', [1], true)), m('b', 'eq', [2], true))));
  });
});

describe('SPL where: comparisons', () => {
  it('compares case-sensitively; * is literal, with a hint', () => {
    assert.deepEqual(where('user="Admin"'), m('user', 'eq', ['Admin'], true));
    assert.deepEqual(where('user=="*"'), m('user', 'eq', ['*'], true));
    assert.ok(codes('| where user="*admin*"').includes('spl.where-wildcard'));
  });

  it('reads numbers and ordering', () => {
    assert.deepEqual(where('count > 5 AND ratio<=0.5 AND 10 <= n'), and(cmp('count', 'gt', 5), cmp('ratio', 'lte', 0.5), cmp('n', 'gte', 10)));
    assert.deepEqual(where('count=1'), m('count', 'eq', [1], true));
  });

  it('needs the field for != (a null comparison is not true)', () => {
    assert.deepEqual(where('status!="ok"'), and(exists('status'), not(m('status', 'eq', ['ok'], true))));
  });

  it('compares two fields when the right side is a name', () => {
    assert.deepEqual(where('a=b'), fieldref('a', 'b'));
    assert.deepEqual(where('SChannelName!=src'), and(exists('SChannelName'), exists('src'), not(fieldref('SChannelName', 'src'))));
    assert.deepEqual(where('lower(a)=lower(b)'), fieldref('a', 'b', false));
    assert.equal((where('a > b') as { kind: string }).kind, 'opaque');
  });

  it("reads 'quoted names' as fields", () => {
    assert.deepEqual(where("'Processes.process_name'=\"cmd.exe\""), m('Processes.process_name', 'eq', ['cmd.exe'], true));
  });

  it('reads lower()/upper() as case-insensitive, and flags impossible comparisons', () => {
    assert.deepEqual(where('lower(process)="cmd.exe"'), m('process', 'eq', ['cmd.exe']));
    assert.deepEqual(where('upper(x)="ABC"'), m('x', 'eq', ['ABC']));
    assert.equal((where('lower(process)="CMD.exe"') as { kind: string }).kind, 'opaque');
    assert.ok(codes('| where lower(process)="CMD.exe"').includes('spl.case-mismatch'));
  });

  it('reads IN and in()', () => {
    assert.deepEqual(where('x IN ("a", "b")'), m('x', 'eq', ['a', 'b'], true));
    assert.deepEqual(where('in(x, "a", 2)'), m('x', 'eq', ['a', 2], true));
    assert.deepEqual(where('NOT new IN (old)'), not(fieldref('new', 'old')));
  });
});

describe('SPL where: functions', () => {
  it('match() is an unanchored regex, kept as written', () => {
    assert.deepEqual(where('match(process, "(?i)ngrok\\.exe")'), m('process', 'regex', ['(?i)ngrok\\.exe'], true));
    assert.deepEqual(where('match(process, "C:\\\\\\\\Windows")'), m('process', 'regex', ['C:\\\\Windows'], true));
  });

  it('reports a regex that does not compile', () => {
    assert.ok(codes('| where match(x, "([a-")').includes('spl.regex-syntax'));
  });

  it('like() has % and _ wildcards, affix operators when % is only at the ends', () => {
    assert.deepEqual(where('like(p, "%xclip%")'), m('p', 'contains', ['xclip'], true));
    assert.deepEqual(where('like(p, "C:%")'), m('p', 'startswith', ['C:'], true));
    assert.deepEqual(where('like(p, "%.exe")'), m('p', 'endswith', ['.exe'], true));
    assert.deepEqual(where('like(p, "a_c")'), m('p', 'wildcard', [{ pattern: ['a', one, 'c'] }], true));
    assert.deepEqual(where('like(p, "%a%b%")'), m('p', 'wildcard', [{ pattern: [any, 'a', any, 'b', any] }], true));
    assert.deepEqual(where('like(p, "100\\\\%")'), m('p', 'eq', ['100%'], true));
    assert.deepEqual(where('p LIKE "%x%"'), m('p', 'contains', ['x'], true));
    assert.deepEqual(where('LIKE (p, "%x%")'), m('p', 'contains', ['x'], true));
    assert.deepEqual(where('like(lower(p), "%x%")'), m('p', 'contains', ['x']));
  });

  it('isnull / isnotnull are (not) exists', () => {
    assert.deepEqual(where('isnull(a) OR isnotnull(b)'), or(not(exists('a')), exists('b')));
  });

  it('cidrmatch() is a cidr match', () => {
    assert.deepEqual(where('cidrmatch("10.0.0.0/8", src)'), m('src', 'cidr', ['10.0.0.0/8']));
  });

  it('searchmatch() reads its string as a search', () => {
    assert.deepEqual(where('searchmatch("a b OR c=1")'), and({ kind: 'keyword', operator: 'contains', values: ['a'], all: false, caseSensitive: false }, or({ kind: 'keyword', operator: 'contains', values: ['b'], all: false, caseSensitive: false }, m('c', 'eq', [1]))));
  });

  it('coalesce(a, b)="v" is a=v OR (a absent AND b=v)', () => {
    assert.deepEqual(where('coalesce(a, b)="v"'), or(m('a', 'eq', ['v'], true), and(not(exists('a')), m('b', 'eq', ['v'], true))));
  });

  it('makes what it cannot model opaque, with the reason', () => {
    for (const [e, reason] of [
      ['len(process) > 200', /len\(\)/],
      ['mvcount(ips) > 1', /mvcount\(\)/],
      ['_time >= relative_time(now(), "-1d")', /relative_time\(\)/],
      ['isOutlier', /used as a condition/],
      ['if(a=1, true(), false())', /if\(\)/],
    ] as const) {
      const f = where(e) as { kind: string; reason: string };
      assert.equal(f.kind, 'opaque', e);
      assert.match(f.reason, reason, e);
    }
  });
});

describe('SPL where/eval: bad input', () => {
  for (const e of ['(', 'a=', '=1', 'match(', 'a AND', 'NOT', '"x', 'a b', 'f(,)', "'x", 'a IN', '1 +', ')']) {
    it(`never throws on where ${JSON.stringify(e)}`, () => {
      const r = spl(`| where ${e}`);
      assert.equal(r.stages.length, 1);
      const f = r.stages[0]!.filter;
      if (f && f.kind === 'opaque') assert.ok(r.diagnostics.some((d) => d.code === 'spl.eval-syntax' && d.column > 1));
    });
  }

  it('reports a syntax error as an error at its column and keeps an opaque filter', () => {
    const r = spl('| where a= AND b=1');
    const d = r.diagnostics.find((x) => x.code === 'spl.eval-syntax')!;
    assert.equal(d.severity, 'error');
    assert.equal(d.column, 12);
    assert.equal(r.stages[0]!.filter!.kind, 'opaque');
  });

  it('checks eval assignments and keeps them', () => {
    const r = spl('| eval a=lower(b), c = "x" . d, feature_-value=1');
    assert.deepEqual(r.stages[0]!.args, { assignments: [{ field: 'a', expression: 'lower(b)' }, { field: 'c', expression: '"x" . d' }, { field: 'feature_-value', expression: '1' }] });
    assert.deepEqual(codes('| eval a=lower(b'), ['spl.eval-syntax']);
  });
});
