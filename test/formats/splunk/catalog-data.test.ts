import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadDataSources, loadStories, readDataSource, readSourceMd, readStory } from '../../../src/formats/splunk/index.js';
import { SHARED } from '../../helpers.js';

const CORPUS = join(SHARED, 'corpora', 'splunk');

describe('Splunk data sources', () => {
  const all = loadDataSources(join(CORPUS, 'data_sources'));

  it('reads all 205', () => {
    assert.equal(all.length, 205);
    assert.equal(new Set(all.map((d) => d.name)).size, 205);
  });

  it('reads a Windows event source with its provider, channel and event code', () => {
    const d = all.find((x) => x.name === 'Windows Event Log Security 4688')!;
    assert.equal(d.source, 'XmlWinEventLog:Security');
    assert.equal(d.sourcetype, 'xmlwineventlog');
    assert.equal(d.provider, 'Microsoft-Windows-Security-Auditing');
    assert.equal(d.channel, 'Security');
    assert.equal(d.eventCode, 4688);
    assert.equal(d.separator, 'EventCode');
    assert.equal(d.separatorValue, '4688');
    assert.deepEqual(d.supportedTA, [{ name: 'Splunk Add-on for Microsoft Windows', url: 'https://splunkbase.splunk.com/app/742', version: '8.9.0' }]);
    assert.ok(d.fields.includes('CommandLine') && d.fields.includes('process_name'));
    assert.deepEqual(d.fieldMappings!.map((m) => m.dataModel), ['cim', 'ocsf']);
    assert.equal(d.fieldMappings![0]!.mapping.Process_Command_Line, 'Processes.process');
  });

  it('reads Sysmon event ids', () => {
    const d = all.find((x) => x.name === 'Sysmon EventID 1')!;
    assert.deepEqual([d.provider, d.channel, d.eventCode], ['Microsoft-Windows-Sysmon', 'Microsoft-Windows-Sysmon/Operational', 1]);
  });

  it('finds the separator value of non-Windows sources from the example event or the name', () => {
    assert.equal(all.find((x) => x.name === 'AWS CloudTrail StopLogging')!.separatorValue, 'StopLogging');
    assert.equal(all.find((x) => x.name === 'Azure Active Directory Add member to role')!.separatorValue, 'Add member to role');
    assert.equal(all.find((x) => x.name === 'AWS CloudTrail')!.eventCode, undefined);
  });

  it('gives most Windows sources an event code', () => {
    const windows = all.filter((d) => /^(Xml)?WinEventLog:/i.test(d.source));
    assert.ok(windows.length > 60);
    assert.ok(windows.filter((d) => d.eventCode !== undefined).length / windows.length > 0.9);
  });

  it('returns null for what is not a data source', () => {
    assert.equal(readDataSource('- a\n', 'x.yml'), null);
    assert.equal(readDataSource('description: no name\n', 'x.yml'), null);
    assert.equal(readDataSource(': : :', 'x.yml'), null);
  });
});

describe('Splunk stories and provenance', () => {
  it('reads the stories', () => {
    const stories = loadStories(join(CORPUS, 'stories'));
    assert.ok(stories.length > 200);
    const s = stories.find((x) => x.name === '3CX Supply Chain Attack')!;
    assert.equal(s.id, 'c4d7618c-73a7-4f7c-8071-060c36850785');
    assert.match(s.narrative!, /SentinelOne/);
    assert.equal(s.references.length, 7);
    assert.deepEqual(s.tags.cve, ['CVE-2023-29059']);
    assert.equal(readStory('nothing', 'x.yml'), null);
  });

  it('reads SOURCE.md', () => {
    assert.deepEqual(readSourceMd(CORPUS), {
      corpus: 'splunk',
      repository: 'splunk/security_content',
      commit: 'b13b314aed0e1778335a55620474e7d27289a20a',
      license: 'Apache-2.0',
    });
  });
});
