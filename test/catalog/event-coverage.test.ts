import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventCoverage } from '../../src/catalog/event-coverage.js';
import { ruleIndicators } from '../../src/catalog/indicators.js';
import { readSplunk } from '../../src/formats/splunk/index.js';
import { enrichRule } from '../../src/enrich/index.js';
import { rule } from '../helpers.js';

const splunk = (search: string, dataSources: string[] = []) =>
  readSplunk(`name: Test\nid: 0f000000-0000-4000-8000-000000000003\ntype: TTP\nsearch: '${search}'\ndata_source:\n${dataSources.map((d) => `- ${d}\n`).join('')}tags:\n  mitre_attack_id:\n  - T1059\n`, { file: 'inline.yml' })[0]!;

describe('event coverage', () => {
  it('a Sigma process_creation rule reads Sysmon 1 and Security 4688, with their titles', () => {
    const r = rule("    s:\n        Image|endswith: '\\\\ngrok.exe'\n    condition: s");
    const cov = eventCoverage(r, enrichRule(r), ruleIndicators(r));
    assert.deepEqual(cov.map((c) => `${c.provider} ${c.eventId}`), ['Microsoft-Windows-Sysmon 1', 'Microsoft-Windows-Security-Auditing 4688']);
    assert.ok(cov.every((c) => c.title && c.title.length > 5));
  });

  it("a Splunk rule's data sources name the channel and event code", () => {
    const r = splunk('process_name=ngrok.exe', ['Windows Event Log Security 4688', 'Sysmon EventID 1']);
    assert.deepEqual(eventCoverage(r, null, ruleIndicators(r)).map((c) => `${c.provider} ${c.eventId}`), ['Microsoft-Windows-Security-Auditing 4688', 'Microsoft-Windows-Sysmon 1']);
  });

  it('an event-code test next to a channel the search names, for any vendor', () => {
    const r = splunk('source=XmlWinEventLog:Security EventCode=4720');
    const cov = eventCoverage(r, null, ruleIndicators(r));
    assert.deepEqual(cov.map((c) => `${c.provider} ${c.eventId}`), ['Microsoft-Windows-Security-Auditing 4720']);
    assert.match(cov[0]!.title ?? '', /user account was created/i);
    assert.deepEqual(eventCoverage(splunk('EventCode=4720'), null, ruleIndicators(splunk('EventCode=4720'))), [], 'no channel, no guess');
  });
});
