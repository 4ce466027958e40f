import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expandMacros } from '../../../src/formats/splunk/index.js';
import { strip } from '../../helpers.js';
import { and, filterOf, kw, m, macroTable, not, or, spl } from './helpers.js';

const commands = (q: string): string[] => spl(q).stages.map((s) => s.command);

describe('SPL pipeline: stages', () => {
  it('splits at top-level pipes only (not in quotes, brackets, parentheses or comments)', () => {
    assert.deepEqual(commands('a="x|y" | where match(f, "a|b") | join k [search b | fields k] | eval z=if(a, "|", "") ```c | d``` | table z'), ['search', 'where', 'join', 'eval', 'table']);
  });

  it('reads a backslash-escaped quote outside a string as a character, not a string start', () => {
    const r = spl('a f=*\\"privileged\\":true* | fillnull | stats count');
    assert.deepEqual(r.stages.map((s) => s.command), ['search', 'fillnull', 'stats']);
    assert.deepEqual(filterOf('f=*\\"privileged\\":true*'), m('f', 'contains', ['"privileged":true']));
  });

  it('opens a subsearch at a bracket glued to a word', () => {
    const s = spl('a | join type=inner[| tstats count from datamodel=X by k] | table k').stages;
    assert.deepEqual(s.map((x) => x.command), ['search', 'join', 'table']);
    assert.deepEqual((s[1]!.args as { options: object }).options, { type: 'inner' });
    assert.ok((s[1]!.args as { subsearch?: object }).subsearch);
  });

  it('makes the first command an implicit search unless the query starts with |', () => {
    assert.deepEqual(commands('index=main | stats count'), ['search', 'stats']);
    assert.deepEqual(commands('search index=main | stats count'), ['search', 'stats']);
    assert.deepEqual(commands('| tstats count from datamodel=Endpoint.Processes'), ['tstats']);
    const s = spl('| inputlookup x | search a=1').stages;
    assert.deepEqual([s[0]!.role, s[1]!.role], ['source', 'filter']);
  });

  it('gives each stage its text, span and index', () => {
    const q = 'index=main | stats count by host | where count > 5';
    const s = spl(q).stages;
    assert.deepEqual(s.map((x) => x.index), [0, 1, 2]);
    assert.deepEqual(s.map((x) => x.text), ['index=main', 'stats count by host', 'where count > 5']);
    for (const x of s) assert.equal(q.slice(x.span.start, x.span.end), x.text);
    assert.deepEqual(s.map((x) => x.role), ['source', 'aggregate', 'filter']);
  });

  it('normalizes bucket to bin and keeps how it was written', () => {
    const s = spl('| bucket _time span=1h').stages[0]!;
    assert.equal(s.command, 'bin');
    assert.deepEqual(s.args, { span: '1h', field: '_time', written: 'bucket' });
  });

  it('warns about an unknown command with a suggestion, and keeps going', () => {
    const r = spl('a | stat count | table a');
    assert.deepEqual(r.stages.map((x) => x.command), ['search', 'stat', 'table']);
    const d = r.diagnostics.find((x) => x.code === 'spl.unknown-command')!;
    assert.match(d.message, /did you mean 'stats'/);
    assert.equal(d.column, 5);
  });

  it('warns about an empty stage', () => {
    assert.ok(spl('a | | table a').diagnostics.some((d) => d.code === 'spl.empty-stage'));
  });

  it('reports an empty search as an error', () => {
    assert.deepEqual(spl('   ').diagnostics.map((d) => d.code), ['spl.empty-search']);
  });
});

describe('SPL pipeline: command arguments', () => {
  it('stats: aggregations with as, and by fields', () => {
    assert.deepEqual(spl('| stats count min(_time) as firstTime values(Processes.process) AS process dc(eval(upper(user))) as n by dest, user').stages[0]!.args, {
      aggregations: [{ fn: 'count' }, { fn: 'min', field: '_time', as: 'firstTime' }, { fn: 'values', field: 'Processes.process', as: 'process' }, { fn: 'dc', field: 'eval(upper(user))', as: 'n' }],
      by: ['dest', 'user'],
    });
  });

  it('table, fields, rename, dedup, sort, head', () => {
    assert.deepEqual(spl('| table _time, host process_*').stages[0]!.args, { fields: ['_time', 'host', 'process_*'] });
    assert.deepEqual(spl('| fields - b64x_*').stages[0]!.args, { fields: ['b64x_*'], mode: 'remove' });
    assert.deepEqual(spl('| rename Computer as dest, "Web".* AS *').stages[0]!.args, { renames: [{ from: 'Computer', to: 'dest' }, { from: 'Web.*', to: '*' }] });
    assert.deepEqual(spl('| dedup 2 user host sortby -_time').stages[0]!.args, { count: 2, fields: ['user', 'host'], sortby: ['-_time'] });
    assert.deepEqual(spl('| sort 10 - count').stages[0]!.args, { count: 10, fields: ['count'] });
    assert.deepEqual(spl('| head 5').stages[0]!.args, { count: 5 });
  });

  it('lookup: table, inputs, outputs; marked opaque', () => {
    assert.deepEqual(spl('| lookup update=true is_net_windows_file filename as process_name OUTPUTNEW netFile').stages[0]!.args, {
      lookup: 'is_net_windows_file',
      inputs: [{ field: 'filename', as: 'process_name' }],
      outputMode: 'OUTPUTNEW',
      outputs: [{ field: 'netFile' }],
      options: { update: 'true' },
      opaque: "a lookup table's contents are not part of the rule",
    });
  });

  it('rex: field, regex, extracted names; sed mode is not checked', () => {
    assert.deepEqual(spl('| rex field=url "https?://(?<domain>[^/]+)(?P<path>/.*)?" max_match=0').stages[0]!.args, { field: 'url', maxMatch: '0', regex: 'https?://(?<domain>[^/]+)(?P<path>/.*)?', extracts: ['domain', 'path'] });
    assert.deepEqual(spl('| rex field=x mode=sed "s/\\x00//g"').diagnostics, []);
    assert.ok(spl('| rex field=x "(?<a>[a-"').diagnostics.some((d) => d.code === 'spl.regex-syntax'));
  });

  it('regex: a filter on a field, the raw event, or its negation', () => {
    assert.deepEqual(filterOf('| regex process="(?i)regasm\\.exe.{0,4}$"'), m('process', 'regex', ['(?i)regasm\\.exe.{0,4}$'], true));
    assert.deepEqual(filterOf('| regex process!="^a"'), not(m('process', 'regex', ['^a'], true)));
    assert.deepEqual(filterOf('| regex "^a"'), { kind: 'keyword', operator: 'regex', values: ['^a'], all: false, caseSensitive: true });
  });

  it('join: fields, options and the subsearch parsed as its own pipeline', () => {
    const s = spl('a | join type=inner user [| tstats count from datamodel=Endpoint.Processes where Processes.process_name=x by user | rename Processes.* as *]').stages[1]!;
    assert.equal(s.role, 'correlate');
    const args = s.args as { fields: string[]; options: object; subsearch: { stages: Array<{ command: string; filter?: unknown }> }; opaque: string };
    assert.deepEqual(args.fields, ['user']);
    assert.deepEqual(args.options, { type: 'inner' });
    assert.deepEqual(args.subsearch.stages.map((x) => x.command), ['tstats', 'rename']);
    assert.ok(args.subsearch.stages[0]!.filter);
    assert.match(args.opaque, /subsearch/);
  });
});

describe('SPL pipeline: tstats', () => {
  const tstats = (q: string) => spl(q).stages[0]!;
  it('reads aggregations, datamodel, where (search language) and by with span', () => {
    const s = tstats('| tstats summariesonly=true count min(_time) as firstTime from datamodel=Endpoint.Processes where Processes.process_name IN ("a.exe", "b.exe") Processes.process="*-enc*" by _time span=1h Processes.dest');
    assert.deepEqual(strip(s.filter!), and(m('Processes.process_name', 'eq', ['a.exe', 'b.exe']), m('Processes.process', 'contains', ['-enc'])));
    assert.deepEqual(s.args, {
      options: { summariesonly: 'true' },
      aggregations: [{ fn: 'count' }, { fn: 'min', field: '_time', as: 'firstTime' }],
      datamodel: 'Endpoint.Processes',
      model: 'Endpoint',
      dataset: 'Processes',
      by: ['_time', 'Processes.dest'],
      span: '1h',
    });
    assert.equal(s.role, 'source');
  });

  it('accepts where before from, and upper-case keywords', () => {
    const s = tstats('| tstats count WHERE Web.status=200 OR Web.status=404 FROM datamodel=Web BY Web.src');
    assert.deepEqual(strip(s.filter!), or(m('Web.status', 'eq', [200]), m('Web.status', 'eq', [404])));
    assert.equal((s.args as { datamodel: string }).datamodel, 'Web');
    assert.deepEqual((s.args as { by: string[] }).by, ['Web.src']);
  });

  it('uses search precedence in the where clause', () => {
    assert.deepEqual(strip(tstats('| tstats count from datamodel=X where a=1 b=2 OR c=3 by d').filter!), and(m('a', 'eq', [1]), or(m('b', 'eq', [2]), m('c', 'eq', [3]))));
  });

  it('has no filter without a where clause', () => {
    assert.equal(tstats('| tstats count from datamodel=X by y').filter, undefined);
  });
});

describe('SPL macros', () => {
  const macros = macroTable({
    sysmon: 'sourcetype=sysmon OR source=sysmon',
    process_cmd: '(Processes.process_name=cmd.exe OR Processes.original_file_name=Cmd.Exe)',
    ctime: { args: ['field'], definition: 'convert ctime($field$)' },
    outer: '`sysmon` EventCode=1',
    loop: '`loop`',
    uses_missing: 'a=1 `nowhere`',
    two_stages: 'lookup t a OUTPUT b | search b=true',
  });

  it('expands textually, as Splunk does (no parentheses added)', () => {
    assert.deepEqual(filterOf('`sysmon` EventCode=1', 0, macros), and(or(m('sourcetype', 'eq', ['sysmon']), m('source', 'eq', ['sysmon'])), m('EventCode', 'eq', [1])));
    assert.deepEqual(filterOf('x `sysmon` y', 0, macros), and(kw('x'), or(m('sourcetype', 'eq', ['sysmon']), m('source', 'eq', ['sysmon'])), kw('y')));
  });

  it('labels the nodes a macro produced and keeps their spans on the call site', () => {
    const q = '| tstats count from datamodel=Endpoint.Processes where `process_cmd` Processes.process=*/c* by x';
    const f = spl(q, macros).stages[0]!.filter!;
    assert.equal(f.kind, 'and');
    if (f.kind !== 'and') return;
    assert.equal(f.args[0]!.label, 'process_cmd');
    assert.equal(q.slice(f.args[0]!.span.start, f.args[0]!.span.end), '`process_cmd`');
    assert.equal(q.slice(f.args[1]!.span.start, f.args[1]!.span.end), 'Processes.process=*/c*');
  });

  it('substitutes arguments and expands nested macros', () => {
    const r = spl('a | `ctime(firstTime)`', macros);
    assert.equal(r.stages[1]!.command, 'convert');
    assert.equal(r.stages[1]!.text, '`ctime(firstTime)`');
    assert.deepEqual(r.stages[1]!.args, { conversions: [{ fn: 'ctime', field: 'firstTime' }], macro: 'ctime', expanded: 'convert ctime(firstTime)' });
    assert.deepEqual(filterOf('`outer`', 0, macros), and(or(m('sourcetype', 'eq', ['sysmon']), m('source', 'eq', ['sysmon'])), m('EventCode', 'eq', [1])));
  });

  it('splits a macro that holds pipes into stages, all pointing at the call', () => {
    const q = 'x | `two_stages`';
    const r = spl(q, macros);
    assert.deepEqual(r.stages.map((s) => s.command), ['search', 'lookup', 'search']);
    for (const s of r.stages.slice(1)) assert.equal(q.slice(s.span.start, s.span.end), '`two_stages`');
  });

  it('makes an undefined macro opaque with a positioned finding', () => {
    const r = spl('`nope` EventCode=1', macros);
    const f = strip(r.stages[0]!.filter!) as { args: Array<{ kind: string; reason?: string }> };
    assert.equal(f.args[0]!.kind, 'opaque');
    assert.match(f.args[0]!.reason!, /`nope` is not defined/);
    const d = r.diagnostics.find((x) => x.code === 'spl.undefined-macro')!;
    assert.deepEqual([d.line, d.column, d.span], [1, 1, { start: 0, end: 6 }]);
  });

  it('reports an undefined macro inside a definition at the outer call', () => {
    const r = spl('q `uses_missing`', macros);
    const d = r.diagnostics.find((x) => x.code === 'spl.undefined-macro')!;
    assert.match(d.message, /called by the macro `uses_missing`/);
    assert.equal(d.column, 3);
  });

  it('makes a whole-stage undefined macro an opaque filtering stage', () => {
    const s = spl('a | `get_asset(src)`', macros).stages[1]!;
    assert.equal(s.command, 'macro');
    assert.equal(s.filter!.kind, 'opaque');
    assert.deepEqual(s.args, { macro: 'get_asset', status: 'undefined', arguments: ['src'] });
  });

  it('treats undefined *_filter macros as empty, without a finding', () => {
    const r = spl('a | `my_rule_filter`', macros);
    assert.equal(r.stages[1]!.command, 'macro');
    assert.equal(r.stages[1]!.filter, undefined);
    assert.equal((r.stages[1]!.args as { status: string }).status, 'assumed-empty');
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(filterOf('a=1 `my_rule_filter` b=2', 0, macros), and(m('a', 'eq', [1]), m('b', 'eq', [2])));
  });

  it('uses built-in definitions of the formatting macros the corpus lacks', () => {
    const r = spl('a | `drop_dm_object_name("Web")` | `security_content_ctime(firstTime)`');
    assert.deepEqual(r.stages[1]!.args, { renames: [{ from: 'Web.*', to: '*' }], macro: 'drop_dm_object_name', expanded: 'rename "Web".* AS *' });
    assert.equal(r.stages[2]!.command, 'convert');
    assert.deepEqual(r.diagnostics, []);
  });

  it('prefers the corpus definition over the built-in one', () => {
    const own = macroTable({ drop_dm_object_name: { args: ['object'], definition: 'fields - $object$.*' } });
    assert.equal(spl('a | `drop_dm_object_name(X)`', own).stages[1]!.command, 'fields');
  });

  it('stops on a macro that expands into itself', () => {
    const r = spl('`loop`', macros);
    assert.ok(r.diagnostics.some((d) => d.code === 'spl.undefined-macro' && /expands into itself/.test(d.message)));
  });

  it('checks arity: name(N) is another macro', () => {
    const r = spl('`sysmon(1)`', macros);
    assert.match(r.diagnostics[0]!.message, /takes 0 argument\(s\), called with 1/);
  });

  it('does not expand backticks inside quoted strings, and drops ```comments```', () => {
    const e = expandMacros('a="`sysmon`" ```note `sysmon` ``` b', macros);
    assert.equal(e.text, 'a="`sysmon`"   b');
    assert.deepEqual(e.calls, []);
  });
});

describe('SPL: random input', () => {
  it('never throws and always ends, on 3,000 random queries made of SPL punctuation and words', () => {
    // A fixed-seed generator keeps the test repeatable.
    let seed = 42;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const atoms = ['|', '(', ')', '[', ']', '"', "'", '`', '```', '\\', '=', '!=', '<', '>=', ',', ' ', ' ', 'AND', 'OR', 'NOT', 'IN', 'TERM(', 'CASE(', 'where', 'search', 'tstats', 'from', 'by', 'datamodel=X', 'stats', 'eval', 'x', 'f=1', '*', '%', 'match(', 'like(', 'lower(', '`m`', '`m_filter`', 'join', 'lookup', 'rex', 'regex', '+', '.', 'as', 'OUTPUT'];
    const macros = new Map([['m', { name: 'm', args: [], definition: 'a=1 | where b>2 `m2`' }], ['m2', { name: 'm2', args: [], definition: '(c OR `m`)' }]]);
    for (let k = 0; k < 3000; k++) {
      let q = '';
      const n = 1 + rand(25);
      for (let i = 0; i < n; i++) q += atoms[rand(atoms.length)];
      const r = spl(q, macros);
      for (const s of r.stages) assert.ok(s.span.start >= 0 && s.span.end <= q.length && s.span.start <= s.span.end, q);
      for (const d of r.diagnostics) assert.ok(d.line >= 1 && d.column >= 1, q);
    }
  });
});
