import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { CorrelationState, Hunter, type Hit } from '../../src/engine/index.js';
import type { Correlation } from '../../src/model/index.js';
import { hunt, rules, security } from './util.js';

const T0 = Date.UTC(2024, 4, 1, 10, 0, 0);
const at = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();

const FAILED = `title: Failed logon
id: aaaaaaaa-0000-4000-8000-000000000001
name: failed_logon
logsource:
    product: windows
    service: security
detection:
    selection:
        EventID: 4625
    condition: selection
`;
const SUCCESS = `title: Successful logon
id: aaaaaaaa-0000-4000-8000-000000000002
name: successful_logon
logsource:
    product: windows
    service: security
detection:
    selection:
        EventID: 4624
    condition: selection
`;

function correlation(body: string, extra = ''): string {
  return `title: Correlation
id: cccccccc-0000-4000-8000-000000000001
level: high
${extra}correlation:
${body}`;
}

const failed = (s: number, user = 'bob', ip = '10.0.0.1', more: Record<string, unknown> = {}) => security(4625, { TargetUserName: user, IpAddress: ip, ...more }, { time: at(s) });
const success = (s: number, user = 'bob', ip = '10.0.0.1') => security(4624, { TargetUserName: user, IpAddress: ip }, { time: at(s) });

const corrHits = (hits: Hit[]) => hits.filter((h) => h.kind === 'correlation');

describe('correlations', () => {
  it('event_count: fires when a group reaches the count within the timespan, naming the events', () => {
    const rs = rules(`${FAILED}---\n${correlation('    type: event_count\n    rules:\n        - failed_logon\n    group-by:\n        - TargetUserName\n    timespan: 1m\n    condition:\n        gte: 3\n')}`);
    const hits = hunt(rs, [failed(0), failed(10), failed(20, 'alice'), failed(30), failed(200)]);
    const c = corrHits(hits);
    assert.equal(c.length, 1);
    assert.deepEqual(c[0]!.correlation!.group, { TargetUserName: 'bob' });
    assert.equal(c[0]!.correlation!.event_count, 3);
    assert.equal(c[0]!.correlation!.events.length, 3);
    assert.deepEqual(Object.keys(c[0]!).slice(0, 8), ['rule_id', 'rule_title', 'level', 'file', 'record_id', 'timestamp', 'channel', 'event_id']);
    assert.equal(c[0]!.timestamp, at(30));
    // The building block is not output on its own (generate: false).
    assert.equal(hits.filter((h) => h.kind === 'detection').length, 0);
  });

  it('event_count: events spread wider than the timespan do not fire', () => {
    const rs = rules(`${FAILED}---\n${correlation('    type: event_count\n    rules:\n        - failed_logon\n    group-by:\n        - TargetUserName\n    timespan: 1m\n    condition:\n        gte: 3\n')}`);
    assert.equal(corrHits(hunt(rs, [failed(0), failed(50), failed(100), failed(150)])).length, 0);
  });

  it('event_count with lt is decided when the window closes (and at the end)', () => {
    const rs = rules(`${FAILED}---\n${correlation('    type: event_count\n    rules:\n        - failed_logon\n    group-by:\n        - TargetUserName\n    timespan: 1m\n    condition:\n        lt: 2\n')}`);
    const c = corrHits(hunt(rs, [failed(0, 'alice'), failed(1, 'bob'), failed(2, 'bob')]));
    assert.deepEqual(c.map((h) => h.correlation!.group.TargetUserName), ['alice']);
  });

  it('value_count: distinct values of a field per group', () => {
    const rs = rules(`${FAILED}---\n${correlation('    type: value_count\n    rules:\n        - failed_logon\n    group-by:\n        - IpAddress\n    timespan: 5m\n    condition:\n        field: TargetUserName\n        gte: 3\n')}`);
    const c = corrHits(hunt(rs, [failed(0, 'a'), failed(1, 'a'), failed(2, 'b'), failed(3, 'B'), failed(4, 'c', '10.0.0.2')]));
    assert.equal(c.length, 1);
    assert.equal(c[0]!.correlation!.value, 3);
    assert.deepEqual(c[0]!.correlation!.group, { IpAddress: '10.0.0.1' });
  });

  it('temporal: all referenced rules within the timespan, in any order', () => {
    const rs = rules(`${FAILED}---\n${SUCCESS}---\n${correlation('    type: temporal\n    rules:\n        - successful_logon\n        - failed_logon\n    group-by:\n        - TargetUserName\n    timespan: 1m\n')}`);
    assert.equal(corrHits(hunt(rs, [failed(0), success(30)])).length, 1);
    assert.equal(corrHits(hunt(rs, [success(0), failed(30)])).length, 1);
    assert.equal(corrHits(hunt(rs, [failed(0), success(90)])).length, 0);
    assert.equal(corrHits(hunt(rs, [failed(0, 'alice'), success(30, 'bob')])).length, 0);
  });

  it('temporal_ordered: the rules must fire in the order listed', () => {
    const rs = rules(`${FAILED}---\n${SUCCESS}---\n${correlation('    type: temporal_ordered\n    rules:\n        - failed_logon\n        - successful_logon\n    group-by:\n        - TargetUserName\n    timespan: 1m\n')}`);
    const ordered = corrHits(hunt(rs, [failed(0), success(30)]));
    assert.equal(ordered.length, 1);
    assert.deepEqual(ordered[0]!.correlation!.events.map((e) => e.rule_id), ['sigma:aaaaaaaa-0000-4000-8000-000000000001', 'sigma:aaaaaaaa-0000-4000-8000-000000000002']);
    assert.equal(corrHits(hunt(rs, [success(0), failed(30)])).length, 0);
  });

  it('value_sum and value_avg over a numeric field', () => {
    const sum = rules(`${FAILED}---\n${correlation('    type: value_sum\n    rules:\n        - failed_logon\n    group-by:\n        - TargetUserName\n    timespan: 1h\n    condition:\n        field: Bytes\n        gt: 100\n')}`);
    const ev = [failed(0, 'bob', 'x', { Bytes: 60 }), failed(10, 'bob', 'x', { Bytes: '50' }), failed(20, 'alice', 'x', { Bytes: 70 })];
    const s = corrHits(hunt(sum, ev));
    assert.equal(s.length, 1);
    assert.equal(s[0]!.correlation!.value, 110);
    const avg = rules(`${FAILED}---\n${correlation('    type: value_avg\n    rules:\n        - failed_logon\n    group-by:\n        - TargetUserName\n    timespan: 1h\n    condition:\n        field: Bytes\n        gte: 60\n')}`);
    const a = corrHits(hunt(avg, ev));
    assert.deepEqual(a.map((h) => [h.correlation!.group.TargetUserName, h.correlation!.value]).sort(), [['alice', 70]]);
  });

  it('value_percentile: values seen in at most N% of a group’s events', () => {
    const rs = rules(`${FAILED}---\n${correlation('    type: value_percentile\n    rules:\n        - failed_logon\n    group-by:\n        - IpAddress\n    timespan: 1h\n    condition:\n        field: TargetUserName\n        lte: 10\n')}`);
    const ev = Array.from({ length: 19 }, (_, i) => failed(i, 'common')).concat([failed(30, 'rare')]);
    const c = corrHits(hunt(rs, ev));
    assert.equal(c.length, 1);
    assert.equal(c[0]!.correlation!.subject, 'rare');
    assert.equal(c[0]!.correlation!.value, 5);
  });

  it('aliases map group-by names to each rule’s field', () => {
    const rs = rules(
      `${FAILED}---\n${SUCCESS}---\n${correlation('    type: temporal\n    rules:\n        - failed_logon\n        - successful_logon\n    group-by:\n        - account\n    timespan: 1m\n    aliases:\n        account:\n            failed_logon: TargetUserName\n            successful_logon: SubjectUserName\n')}`,
    );
    const ev = [failed(0, 'bob'), security(4624, { SubjectUserName: 'bob' }, { time: at(10) })];
    const c = corrHits(hunt(rs, ev));
    assert.equal(c.length, 1);
    assert.deepEqual(c[0]!.correlation!.group, { account: 'bob' });
  });

  it('generate: true outputs the building blocks too', () => {
    const rs = rules(`${FAILED}---\n${correlation('    type: event_count\n    rules:\n        - failed_logon\n    group-by:\n        - TargetUserName\n    timespan: 1m\n    condition:\n        gte: 2\n    generate: true\n')}`);
    const hits = hunt(rs, [failed(0), failed(1)]);
    assert.equal(hits.filter((h) => h.kind === 'detection').length, 2);
    assert.equal(corrHits(hits).length, 1);
  });

  it('correlations of correlations (the specification’s brute force then success)', () => {
    const many = `title: Many failed
id: cccccccc-0000-4000-8000-000000000002
name: many_failed
correlation:
    type: event_count
    rules:
        - failed_logon
    group-by:
        - TargetUserName
    timespan: 10m
    condition:
        gte: 3
`;
    const rs = rules(`${FAILED}---\n${SUCCESS}---\n${many}---\n${correlation('    type: temporal_ordered\n    rules:\n        - many_failed\n        - successful_logon\n    group-by:\n        - TargetUserName\n    timespan: 10m\n')}`);
    const c = corrHits(hunt(rs, [failed(0), failed(5), failed(10), success(20), success(30, 'alice')]));
    assert.deepEqual(
      c.map((h) => h.rule_title),
      ['Correlation'],
    );
  });

  it('events without a group-by field join no group', () => {
    const rs = rules(`${FAILED}---\n${correlation('    type: event_count\n    rules:\n        - failed_logon\n    group-by:\n        - Nope\n    timespan: 1m\n    condition:\n        gte: 1\n')}`);
    assert.equal(corrHits(hunt(rs, [failed(0)])).length, 0);
  });

  it('unknown referenced rules are reported', () => {
    const rs = rules(correlation('    type: event_count\n    rules:\n        - nowhere\n    group-by:\n        - X\n    timespan: 1m\n    condition:\n        gte: 1\n'));
    const rep = new Hunter(rs).ruleSet.reports()[0]!;
    assert.equal(rep.state, 'skipped');
    assert.match(rep.reasons[0]!, /nowhere/);
  });
});

describe('correlation memory bounds', () => {
  const spec = (over: Partial<Correlation> = {}): Correlation => ({
    type: 'event_count',
    rules: ['r'],
    groupBy: ['g'],
    timespan: { text: '1h', seconds: 3600 },
    condition: [{ op: 'gte', value: 1_000_000 }],
    generate: false,
    span: { start: 0, end: 0 },
    ...over,
  });
  const ev = { rule_id: 'r', file: null, record_id: null, timestamp: null };

  it('caps the number of groups (least recently used first)', () => {
    const s = new CorrelationState(spec(), { maxGroups: 100, maxEventsPerGroup: 10, maxListedEvents: 5 });
    for (let i = 0; i < 10_000; i++) s.add({ ref: 0, time: T0 + i, group: [`g${i}`], value: null, event: ev });
    assert.equal(s.groupCount, 100);
    assert.equal(s.evictedGroups, 9_900);
  });

  it('caps the events of a group but still counts them', () => {
    const s = new CorrelationState(spec({ condition: [{ op: 'gte', value: 500 }] }), { maxGroups: 10, maxEventsPerGroup: 50, maxListedEvents: 5 });
    let fired = null;
    for (let i = 0; i < 500 && !fired; i++) fired = s.add({ ref: 0, time: T0 + i, group: ['x'], value: null, event: ev })[0] ?? null;
    assert.ok(fired);
    assert.equal(fired.eventCount, 500);
    assert.equal(fired.events.length, 5);
  });

  it('expires events older than the timespan', () => {
    const s = new CorrelationState(spec({ condition: [{ op: 'gte', value: 3 }], timespan: { text: '10s', seconds: 10 } }));
    const fired: number[] = [];
    for (let i = 0; i < 100; i++) fired.push(s.add({ ref: 0, time: T0 + i * 6000, group: ['x'], value: null, event: ev }).length);
    assert.equal(fired.reduce((a, b) => a + b, 0), 0);
  });
});
