import { readSigma } from '../../src/formats/sigma/index.js';

/** Correlation rules of every type over a small event table whose answer is known. */
const BASE = `title: Failed logon
name: failed_logon
id: 5638f7c0-ac70-491d-8465-2a65075e0d86
logsource:
    product: windows
    service: security
detection:
    selection:
        EventID: 4625
    condition: selection
---
title: Successful logon
name: ok_logon
id: 5638f7c0-ac70-491d-8465-2a65075e0d87
logsource:
    product: windows
    service: security
detection:
    selection:
        EventID: 4624
    condition: selection
---
`;

export function correlation(type: string, condition: string, rules = ['failed_logon']): ReturnType<typeof readSigma> {
  return readSigma(`${BASE}title: c\nid: 0e95725d-7320-415d-80f7-004da920fc11\ncorrelation:\n    type: ${type}\n    rules: [${rules.join(', ')}]\n    group-by: [TargetUserName]\n    timespan: 1h\n${condition}\n`, { file: 'c.yml' });
}

export const TYPES: Array<[string, string, string[]]> = [
  ['event_count', '    condition:\n        gte: 3', ['failed_logon']],
  ['value_count', '    condition:\n        field: IpAddress\n        gte: 2', ['failed_logon']],
  ['value_sum', '    condition:\n        field: LogonType\n        gt: 5', ['failed_logon']],
  ['value_avg', '    condition:\n        field: LogonType\n        gte: 3', ['failed_logon']],
  ['value_percentile', '    condition:\n        field: IpAddress\n        lte: 40', ['failed_logon']],
  ['temporal', '', ['failed_logon', 'ok_logon']],
  ['temporal_ordered', '', ['failed_logon', 'ok_logon']],
];

/** Events: alice fails 3 times from 2 addresses then succeeds, within an hour; bob fails once. */
export const EVENTS = [
  ['2024-01-01T10:00:00Z', '4625', 'alice', '10.0.0.1', '3'],
  ['2024-01-01T10:05:00Z', '4625', 'alice', '10.0.0.1', '3'],
  ['2024-01-01T10:10:00Z', '4625', 'alice', '10.0.0.2', '3'],
  ['2024-01-01T10:20:00Z', '4624', 'alice', '10.0.0.2', '10'],
  ['2024-01-01T10:30:00Z', '4625', 'bob', '10.0.0.9', '3'],
  ['2024-01-01T10:40:00Z', '4624', 'carol', '10.0.0.3', '3'],
  ['2024-01-01T10:50:00Z', '4625', 'carol', '10.0.0.3', '3'],
];
/** The group-by values each type must report for the events above. */
export const EXPECTED: Record<string, string[]> = {
  event_count: ['alice'],
  value_count: ['alice'],
  value_sum: ['alice'],
  value_avg: ['alice', 'bob', 'carol'],
  value_percentile: ['alice'],
  temporal: ['alice', 'carol'],
  temporal_ordered: ['alice'],
};

export const COLUMNS = ['timecreated', 'eventid', 'targetusername', 'ipaddress', 'logontype', 'channel'];

