import { setFlagsFromString } from 'node:v8';
// As bin/ruleatlas does: before any rule's RegExp is compiled.
setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');

import { Hunter, type Hit, type HuntOptions, type SourceRecord } from '../../src/engine/index.js';
import { readSigma } from '../../src/formats/sigma/index.js';
import type { Rule } from '../../src/model/index.js';

export const SYSMON = 'Microsoft-Windows-Sysmon/Operational';

let recordId = 0;
let clock = Date.UTC(2024, 0, 1, 12, 0, 0);

/** A nested event as EVTX readers print it. */
export function nested(channel: string, eventId: number, data: Record<string, unknown> | null, extra: { time?: string; computer?: string; provider?: string; userData?: Record<string, unknown> } = {}): SourceRecord {
  recordId++;
  const time = extra.time ?? new Date((clock += 1000)).toISOString();
  const event: Record<string, unknown> = {
    System: {
      Provider: { '#attributes': { Name: extra.provider ?? (channel === SYSMON ? 'Microsoft-Windows-Sysmon' : 'Microsoft-Windows-Security-Auditing') } },
      EventID: eventId,
      TimeCreated: { '#attributes': { SystemTime: time } },
      EventRecordID: recordId,
      Channel: channel,
      Computer: extra.computer ?? 'HOST1',
      Security: { '#attributes': { UserID: 'S-1-5-18' } },
    },
  };
  if (extra.userData) event.UserData = extra.userData;
  else event.EventData = data;
  return { file: 'test.jsonl', recordId, timestamp: null, event: { Event: event } };
}

export function sysmon(eventId: number, data: Record<string, unknown>, extra: Parameters<typeof nested>[3] = {}): SourceRecord {
  return nested(SYSMON, eventId, data, extra);
}

export function security(eventId: number, data: Record<string, unknown> | null, extra: Parameters<typeof nested>[3] = {}): SourceRecord {
  return nested('Security', eventId, data, extra);
}

/** A flat event (OTRF shape). */
export function flat(fields: Record<string, unknown>): SourceRecord {
  recordId++;
  return { file: 'flat.json', recordId, timestamp: null, event: fields };
}

/** Rules from Sigma text (several documents allowed). */
export function rules(text: string): Rule[] {
  return readSigma(text, { file: 'inline.yml' });
}

/** A process_creation rule around a detection section (indented four spaces under `detection:`). */
export function procRule(detection: string, logsource = '    category: process_creation\n    product: windows'): Rule[] {
  return rules(`title: Test\nid: 11111111-2222-4333-8444-555555555555\nlevel: high\nlogsource:\n${logsource}\ndetection:\n${detection}\n`);
}

export function hunt(rs: Rule[], events: SourceRecord[], options: HuntOptions = {}): Hit[] {
  const h = new Hunter(rs, options);
  const hits: Hit[] = [];
  for (const e of events) h.process(e, (x) => hits.push(x));
  h.finish((x) => hits.push(x));
  return hits;
}

/** Whether the single test rule hits the single event, with and without the prefilter (which must agree). */
export function matches(rs: Rule[], event: SourceRecord): boolean {
  const a = hunt(rs, [event]).length > 0;
  const b = hunt(rs, [event], { prefilter: false }).length > 0;
  if (a !== b) throw new Error(`prefilter disagrees: with ${a}, without ${b}`);
  return a;
}
