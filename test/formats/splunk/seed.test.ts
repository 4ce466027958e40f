import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseSpl, readSplunk } from '../../../src/formats/splunk/index.js';
import { extractIndicators, extractSearchTerms } from '../../../src/model/index.js';
import { ROOT, strip } from '../../helpers.js';
import { and, kw, m, or } from './helpers.js';

/**
 * Seed 002: the catalog page of a Splunk rule (`logic:` field) parsed into five stages with their
 * predicates, indicators and bare search terms. The seed's own tables lost the indicator values
 * and listed `TERM` as a search term; these are the right answers.
 */
const LOGIC = String.raw`${'`'}get_endpoint_data${'`'} ${'`'}get_endpoint_data_winevent${'`'} (TERM(EventCode=4688) OR "<EventID>4688<" OR Type=Process) TERM(ngrok) OR (TERM(start) "--all" "--config" ".yml") OR (TERM(tcp) ("139" OR "445" OR "3389" OR "5985" OR "5986")) | where match(process, "(?i)(tcp\s+(139|445|3389|5985|5986))|(\.exe\s+|(authtoken\s|start\s+--all))|(start\s.*\s--all\s.*\s--config\s.+\.yml)") OR match(process_path, "(?i)ngrok\.exe") | table _time, host, user, signature_id, process, process_*, parent_process_* | bin span=1s | stats values(*) as * by _time, host `;

const PROCESS_RE = String.raw`(?i)(tcp\s+(139|445|3389|5985|5986))|(\.exe\s+|(authtoken\s|start\s+--all))|(start\s.*\s--all\s.*\s--config\s.+\.yml)`;
const PATH_RE = String.raw`(?i)ngrok\.exe`;
const FIXTURE = join(ROOT, 'test', 'fixtures', 'splunk', 'seed-002.yml');

const opaqueMacro = (name: string): unknown => ({ kind: 'opaque', text: `\`${name}\``, reason: `macro \`${name}\` is not defined` });

describe('seed 002: ngrok Execution - Windows', () => {
  const { stages, diagnostics } = parseSpl(LOGIC);

  it('splits the query into the five stages: search, where, table, bin (bucket), stats', () => {
    assert.deepEqual(stages.map((s) => s.command), ['search', 'where', 'table', 'bin', 'stats']);
    assert.deepEqual(stages.map((s) => s.role), ['source', 'filter', 'output', 'transform', 'aggregate']);
    assert.deepEqual(stages.map((s) => s.text), [
      LOGIC.slice(0, LOGIC.indexOf(' | where')),
      LOGIC.slice(LOGIC.indexOf('where match'), LOGIC.indexOf(' | table')),
      'table _time, host, user, signature_id, process, process_*, parent_process_*',
      'bin span=1s',
      'stats values(*) as * by _time, host',
    ]);
    for (const s of stages) assert.equal(LOGIC.slice(s.span.start, s.span.end), s.text);
  });

  it('reads stage 1 with SPL precedence: OR binds tighter than the implicit AND', () => {
    assert.deepEqual(strip(stages[0]!.filter!), and(
      opaqueMacro('get_endpoint_data'),
      opaqueMacro('get_endpoint_data_winevent'),
      or(m('EventCode', 'eq', [4688]), kw('<EventID>4688<'), m('Type', 'eq', ['Process'])),
      or(
        kw('ngrok'),
        and(kw('start'), kw('--all'), kw('--config'), kw('.yml')),
        and(kw('tcp'), or(kw('139'), kw('445'), kw('3389'), kw('5985'), kw('5986'))),
      ),
    ));
  });

  it('reports the two macros this corpus does not define, at their call sites', () => {
    assert.deepEqual(diagnostics.map((d) => [d.code, d.column, LOGIC.slice(d.span!.start, d.span!.end)]), [
      ['spl.undefined-macro', 1, '`get_endpoint_data`'],
      ['spl.undefined-macro', 21, '`get_endpoint_data_winevent`'],
    ]);
  });

  it('reads stage 2 as two regex matches', () => {
    assert.deepEqual(strip(stages[1]!.filter!), or(m('process', 'regex', [PROCESS_RE], true), m('process_path', 'regex', [PATH_RE], true)));
  });

  it('keeps the arguments of table, bin and stats', () => {
    assert.deepEqual(stages[2]!.args, { fields: ['_time', 'host', 'user', 'signature_id', 'process', 'process_*', 'parent_process_*'] });
    assert.deepEqual(stages[3]!.args, { span: '1s', field: '_time' });
    assert.deepEqual(stages[4]!.args, { aggregations: [{ fn: 'values', field: '*', as: '*' }], by: ['_time', 'host'] });
    assert.equal(stages[2]!.filter, undefined);
  });

  describe('read from the rule body (YAML with a folded logic string)', () => {
    const text = readFileSync(FIXTURE, 'utf8');
    const [rule] = readSplunk(text, { file: FIXTURE });

    it('holds exactly the logic string above', () => {
      assert.deepEqual(rule!.logic.map((s) => s.command), ['search', 'where', 'table', 'bin', 'stats']);
      assert.deepEqual(rule!.logic.map((s) => s.text), stages.map((s) => s.text));
      assert.deepEqual(rule!.logic.map((s) => s.filter && strip(s.filter)), stages.map((s) => s.filter && strip(s.filter)));
      assert.equal(rule!.id, 'splunk:20685.36863');
      assert.equal(rule!.title, 'ngrok Execution - Windows');
      assert.deepEqual(rule!.attack.techniques, ['T1572']);
    });

    it('maps spans through the YAML folding into the file', () => {
      const where = rule!.logic[1]!.filter!;
      if (where.kind !== 'or') return assert.fail('or expected');
      assert.equal(text.slice(where.args[1]!.span.start, where.args[1]!.span.end), String.raw`match(process_path, "(?i)ngrok\.exe")`);
      // The regex match on `process` starts on one line and ends on the next.
      assert.equal(text.slice(where.args[0]!.span.start, where.args[0]!.span.end), `match(process,\n"${PROCESS_RE}")`);
      const d = rule!.diagnostics.find((x) => x.code === 'spl.undefined-macro')!;
      assert.deepEqual([d.line, d.column], [11, 9]);
    });

    it('gives every indicator with its value', () => {
      const got = extractIndicators(rule!).map((i) => [i.field, i.operator, i.value, i.negated]);
      assert.deepEqual(got, [
        ['EventCode', 'eq', '4688', false],
        ['Type', 'eq', 'process', false],
        ['process', 'regex', PROCESS_RE, false],
        ['process_path', 'regex', PATH_RE, false],
      ]);
    });

    it('gives the bare search terms, TERM() unwrapped (never the word TERM)', () => {
      const terms = extractSearchTerms(rule!).map((t) => [t.stage, t.term]);
      assert.deepEqual(terms, [
        [0, '<EventID>4688<'],
        [0, 'ngrok'],
        [0, 'start'],
        [0, '--all'],
        [0, '--config'],
        [0, '.yml'],
        [0, 'tcp'],
        [0, '139'],
        [0, '445'],
        [0, '3389'],
        [0, '5985'],
        [0, '5986'],
      ]);
      assert.ok(!terms.some(([, t]) => t === 'TERM'));
    });
  });
});
