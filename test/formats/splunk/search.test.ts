import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { and, any, cmp, codes, exists, kw, m, not, or, search, spl } from './helpers.js';

describe('SPL search: precedence', () => {
  it('binds OR tighter than the implicit AND: a b OR c is a AND (b OR c)', () => {
    assert.deepEqual(search('a b OR c'), and(kw('a'), or(kw('b'), kw('c'))));
    // The classic mistake would give (a AND b) OR c.
    assert.notDeepEqual(search('a b OR c'), or(and(kw('a'), kw('b')), kw('c')));
  });

  it('binds OR tighter than an explicit AND too', () => {
    assert.deepEqual(search('a AND b OR c'), and(kw('a'), or(kw('b'), kw('c'))));
    assert.deepEqual(search('a OR b AND c'), and(or(kw('a'), kw('b')), kw('c')));
    assert.deepEqual(search('x=1 y=2 OR z=3 w=4'), and(m('x', 'eq', [1]), or(m('y', 'eq', [2]), m('z', 'eq', [3])), m('w', 'eq', [4])));
  });

  it('binds NOT tightest', () => {
    assert.deepEqual(search('NOT a OR b'), or(not(kw('a')), kw('b')));
    assert.deepEqual(search('NOT a b'), and(not(kw('a')), kw('b')));
    assert.deepEqual(search('NOT NOT a'), not(not(kw('a'))));
  });

  it('groups with parentheses, NOT( glued included', () => {
    assert.deepEqual(search('(a b) OR c'), or(and(kw('a'), kw('b')), kw('c')));
    assert.deepEqual(search('a NOT(b OR c)'), and(kw('a'), not(or(kw('b'), kw('c')))));
  });

  it('reads lower-case and/or/not as search terms, with a warning', () => {
    assert.deepEqual(search('a or b'), and(kw('a'), kw('or'), kw('b')));
    assert.ok(codes('a or b').includes('spl.lowercase-operator'));
  });
});

describe('SPL search: NOT and != differ on events without the field', () => {
  it('f!=v needs the field: f exists AND NOT f=v', () => {
    assert.deepEqual(search('user!=admin'), and(exists('user'), not(m('user', 'eq', ['admin']))));
  });

  it('NOT f=v keeps events without the field: a plain negation', () => {
    assert.deepEqual(search('NOT user=admin'), not(m('user', 'eq', ['admin'])));
  });

  it('keeps wildcards and lists under !=', () => {
    assert.deepEqual(search('process!=*powershell*'), and(exists('process'), not(m('process', 'contains', ['powershell']))));
    assert.deepEqual(search('NOT process IN ("a.exe", "*b*")'), not(or(m('process', 'eq', ['a.exe']), m('process', 'contains', ['b']))));
  });
});

describe('SPL search: terms, fields and values', () => {
  it('reads field=value, case-insensitive values, case-sensitive names kept as written', () => {
    assert.deepEqual(search('Image=C:\\Windows\\cmd.exe'), m('Image', 'eq', ['C:\\Windows\\cmd.exe']));
    assert.deepEqual(search('index=main sourcetype=xmlwineventlog source="WinEventLog:Security" host=dc1'), and(m('index', 'eq', ['main']), m('sourcetype', 'eq', ['xmlwineventlog']), m('source', 'eq', ['WinEventLog:Security']), m('host', 'eq', ['dc1'])));
  });

  it('allows spaces around the operator and quoted field names', () => {
    assert.deepEqual(search('ScriptBlockText = "*Get-ADGroup*"'), m('ScriptBlockText', 'contains', ['Get-ADGroup']));
    assert.deepEqual(search('"columns.cmdline"="*LaunchAgents*"'), m('columns.cmdline', 'contains', ['LaunchAgents']));
  });

  it('types wildcards: affix operators at the ends, patterns inside, exists for *', () => {
    assert.deepEqual(search('f=abc*'), m('f', 'startswith', ['abc']));
    assert.deepEqual(search('f=*abc'), m('f', 'endswith', ['abc']));
    assert.deepEqual(search('f="*a b*"'), m('f', 'contains', ['a b']));
    assert.deepEqual(search('f=a*b'), m('f', 'wildcard', [{ pattern: ['a', any, 'b'] }]));
    assert.deepEqual(search('f=*a*b*'), m('f', 'wildcard', [{ pattern: [any, 'a', any, 'b', any] }]));
    assert.deepEqual(search('f=*'), exists('f'));
  });

  it('unescapes \\\\ and \\" in values; other backslashes stay', () => {
    assert.deepEqual(search('f="*\\\\version.dll"'), m('f', 'endswith', ['\\version.dll']));
    assert.deepEqual(search('f="say \\"hi\\""'), m('f', 'eq', ['say "hi"']));
    assert.deepEqual(search('f="C:\\Temp"'), m('f', 'eq', ['C:\\Temp']));
  });

  it('reads decimal integers as numbers, other numerals as text', () => {
    assert.deepEqual(search('EventCode=4688 GrantedAccess=0x1410 Code=007'), and(m('EventCode', 'eq', [4688]), m('GrantedAccess', 'eq', ['0x1410']), m('Code', 'eq', ['007'])));
  });

  it('reads IN lists as any-of, one match per operator', () => {
    assert.deepEqual(search('EventCode IN (4624, 4625)'), m('EventCode', 'eq', [4624, 4625]));
    assert.deepEqual(search('Image IN ("*\\\\a.exe", "*\\\\b.exe", "c.exe")'), or(m('Image', 'endswith', ['\\a.exe', '\\b.exe']), m('Image', 'eq', ['c.exe'])));
    assert.deepEqual(search('f IN(x,y)'), m('f', 'eq', ['x', 'y']));
    assert.deepEqual(search('f in ("x")'), m('f', 'eq', ['x']));
  });

  it('reads numeric comparisons; text comparisons are opaque', () => {
    assert.deepEqual(search('count>5 ratio <= 0.1'), and(cmp('count', 'gt', 5), cmp('ratio', 'lte', 0.1)));
    const f = search('name > "m"') as { kind: string; reason: string };
    assert.equal(f.kind, 'opaque');
    assert.match(f.reason, /lexicographically/);
  });

  it('reads bare terms and phrases as keywords', () => {
    assert.deepEqual(search('mimikatz "sekurlsa::logonpasswords"'), and(kw('mimikatz'), kw('sekurlsa::logonpasswords')));
    assert.deepEqual(search('*ngrok*'), kw('ngrok'));
    assert.deepEqual(search('a*b'), kw({ pattern: [any, 'a', any, 'b', any] }, 'wildcard'));
  });

  it('reads TERM() as the term inside it, and TERM(field=value) as the field match', () => {
    assert.deepEqual(search('TERM(ngrok)'), kw('ngrok'));
    assert.deepEqual(search('TERM(10.0.0.1)'), kw('10.0.0.1'));
    assert.deepEqual(search('TERM(EventCode=4688)'), m('EventCode', 'eq', [4688]));
    const { stages } = spl('TERM(ngrok)');
    assert.equal(stages[0]!.filter!.label, 'TERM()');
  });

  it('reads CASE() as case-sensitive, for terms and values', () => {
    assert.deepEqual(search('CASE(Error)'), kw('Error', 'contains', true));
    assert.deepEqual(search('host=CASE(LOCALHOST)'), m('host', 'eq', ['LOCALHOST'], true));
    assert.deepEqual(search('f IN (CASE(Ab), cd)'), or(m('f', 'eq', ['Ab'], true), m('f', 'eq', ['cd'])));
  });

  it('keeps time modifiers out of the predicate', () => {
    const { stages } = spl('index=main earliest=-24h latest=now');
    assert.deepEqual(stages[0]!.args, { time: { earliest: '-24h', latest: 'now' } });
    assert.deepEqual(search('index=main earliest=-24h'), m('index', 'eq', ['main']));
  });

  it('makes subsearches opaque with the reason', () => {
    const f = search('a [search b | fields c]') as { kind: string; args: Array<{ kind: string; reason?: string; text?: string }> };
    assert.equal(f.kind, 'and');
    assert.equal(f.args[1]!.kind, 'opaque');
    assert.match(f.args[1]!.reason!, /subsearch/);
    assert.equal(f.args[1]!.text, '[search b | fields c]');
  });

  it('gives every node a span into the query', () => {
    const q = 'a b=1 OR NOT c=2';
    const f = spl(q).stages[0]!.filter!;
    assert.equal(f.kind, 'and');
    if (f.kind !== 'and') return;
    const [a, orNode] = f.args;
    assert.equal(q.slice(a!.span.start, a!.span.end), 'a');
    assert.equal(q.slice(orNode!.span.start, orNode!.span.end), 'b=1 OR NOT c=2');
    if (orNode!.kind !== 'or') return assert.fail('or expected');
    assert.equal(q.slice(orNode.args[1]!.span.start, orNode.args[1]!.span.end), 'NOT c=2');
  });
});

describe('SPL search: bad input', () => {
  for (const q of ['(', ')', 'a OR', 'OR a', 'NOT', 'f=', 'f IN', 'f IN (a', '"unterminated', 'a = = b', '((((a', 'TERM(', '[', '"', '=x', '!=']) {
    it(`never throws on ${JSON.stringify(q)}`, () => {
      const r = spl(q);
      assert.ok(Array.isArray(r.stages));
      for (const d of r.diagnostics) assert.ok(d.line >= 1 && d.column >= 1);
    });
  }

  it('reports unbalanced parentheses at their position', () => {
    const r = spl('a b) c');
    const d = r.diagnostics.find((x) => x.code === 'spl.search-syntax')!;
    assert.equal(d.column, 4);
  });

  it('survives deep nesting', () => {
    const r = spl('('.repeat(5000) + 'a' + ')'.repeat(5000));
    assert.ok(r.diagnostics.some((d) => d.code === 'spl.search-syntax'));
  });
});
