import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blankRule, extractIndicators, type Expr, type Rule, type Stage } from '../../src/model/index.js';
import { fieldCanonicalizer, resolveRuleField, ruleCanonicalizer, ruleFieldScope } from '../../src/taxonomy/fields-context.js';
import { canonicalField, FieldTaxonomy, fieldNames, fieldTaxonomy, isCanonical, loadFieldsData, VOCABULARIES, type Vocabulary } from '../../src/taxonomy/fields.js';
import { rule as sigmaRule, sigma } from '../helpers.js';

const tax = fieldTaxonomy();

/**
 * One observable per row: its canonical field and the name each vocabulary gives it, with the
 * context that name needs. Every name must map to the canonical field, and to the same field as
 * the Sigma name of the row.
 */
const EQUIVALENTS: Array<{ canonical: string; names: Array<[Vocabulary, string, string[]?]> }> = [
  {
    canonical: 'process.command_line',
    names: [
      ['sigma', 'CommandLine', ['process_creation', 'windows']],
      ['splunk', 'Processes.process'],
      ['splunk', 'process', ['Endpoint.Processes']],
      ['splunk', 'CommandLine', ['Sysmon EventID 1']],
      ['splunk', 'Process_Command_Line', ['Windows Event Log Security 4688']],
      ['sentinel', 'CommandLine', ['SecurityEvent']],
      ['asim', 'TargetProcessCommandLine', ['imProcessCreate']],
      ['xdr', 'ProcessCommandLine', ['DeviceProcessEvents']],
      ['ecs', 'process.command_line', ['process']],
      ['udm', 'target.process.command_line', ['PROCESS_LAUNCH']],
      ['udm', '$e.target.process.command_line', ['PROCESS_LAUNCH']],
    ],
  },
  {
    canonical: 'process.executable',
    names: [
      ['sigma', 'Image', ['process_creation', 'windows']],
      ['sigma', 'NewProcessName', ['security', 'windows']],
      ['splunk', 'Processes.process_path'],
      ['splunk', 'process_path'],
      ['sentinel', 'NewProcessName', ['SecurityEvent']],
      ['asim', 'TargetProcessName', ['imProcessCreate']],
      ['xdr', 'FolderPath', ['DeviceProcessEvents']],
      ['ecs', 'process.executable'],
      ['ecs', 'process.executable.caseless'],
      ['udm', 'target.process.file.full_path', ['PROCESS_LAUNCH']],
    ],
  },
  {
    canonical: 'process.name',
    names: [
      ['splunk', 'Processes.process_name'],
      ['splunk', 'process_name'],
      ['splunk', 'process_exec'],
      ['sentinel', 'Process', ['SecurityEvent']],
      ['xdr', 'FileName', ['DeviceProcessEvents']],
      ['ecs', 'process.name'],
    ],
  },
  {
    canonical: 'process.parent.executable',
    names: [
      ['sigma', 'ParentImage', ['process_creation', 'windows']],
      ['splunk', 'Processes.parent_process_path'],
      ['sentinel', 'ParentProcessName', ['SecurityEvent']],
      ['asim', 'ActingProcessName', ['imProcessCreate']],
      ['xdr', 'InitiatingProcessFolderPath', ['DeviceProcessEvents']],
      ['ecs', 'process.parent.executable'],
      ['udm', 'principal.process.file.full_path', ['PROCESS_LAUNCH']],
    ],
  },
  {
    canonical: 'process.parent.command_line',
    names: [
      ['sigma', 'ParentCommandLine', ['process_creation']],
      ['splunk', 'Processes.parent_process'],
      ['asim', 'ActingProcessCommandLine', ['imProcessCreate']],
      ['xdr', 'InitiatingProcessCommandLine', ['DeviceProcessEvents']],
      ['ecs', 'process.parent.command_line'],
      ['udm', 'principal.process.command_line', ['PROCESS_LAUNCH']],
    ],
  },
  {
    canonical: 'process.pe.original_file_name',
    names: [
      ['sigma', 'OriginalFileName', ['process_creation']],
      ['splunk', 'Processes.original_file_name'],
      ['asim', 'TargetProcessFileOriginalName'],
      ['xdr', 'ProcessVersionInfoOriginalFileName', ['DeviceProcessEvents']],
      ['ecs', 'process.pe.original_file_name'],
    ],
  },
  {
    canonical: 'file.path',
    names: [
      ['sigma', 'TargetFilename', ['file_event', 'windows']],
      ['splunk', 'Filesystem.file_path'],
      ['asim', 'TargetFilePath', ['imFileEvent']],
      ['xdr', 'FolderPath', ['DeviceFileEvents']],
      ['ecs', 'file.path'],
      ['udm', 'target.file.full_path', ['FILE_CREATION']],
    ],
  },
  {
    canonical: 'registry.path',
    names: [
      ['sigma', 'TargetObject', ['registry_set', 'windows']],
      ['splunk', 'Registry.registry_path'],
      ['asim', 'RegistryKey', ['imRegistry']],
      ['xdr', 'RegistryKey', ['DeviceRegistryEvents']],
      ['ecs', 'registry.path'],
      ['udm', 'target.registry.registry_key'],
    ],
  },
  {
    canonical: 'registry.data.strings',
    names: [
      ['sigma', 'Details', ['registry_set']],
      ['splunk', 'Registry.registry_value_data'],
      ['asim', 'RegistryValueData'],
      ['xdr', 'RegistryValueData'],
      ['ecs', 'registry.data.strings'],
      ['udm', 'target.registry.registry_value_data'],
    ],
  },
  {
    canonical: 'destination.ip',
    names: [
      ['sigma', 'DestinationIp', ['network_connection']],
      ['splunk', 'All_Traffic.dest_ip'],
      ['asim', 'DstIpAddr', ['imNetworkSession']],
      ['xdr', 'RemoteIP', ['DeviceNetworkEvents']],
      ['ecs', 'destination.ip'],
      ['udm', 'target.ip'],
    ],
  },
  {
    canonical: 'destination.port',
    names: [
      ['sigma', 'DestinationPort', ['network_connection']],
      ['splunk', 'All_Traffic.dest_port'],
      ['asim', 'DstPortNumber'],
      ['xdr', 'RemotePort', ['DeviceNetworkEvents']],
      ['ecs', 'destination.port'],
      ['udm', 'target.port'],
    ],
  },
  {
    canonical: 'dns.question.name',
    names: [
      ['sigma', 'QueryName', ['dns_query', 'windows']],
      ['sigma', 'query', ['zeek', 'dns']],
      ['splunk', 'DNS.query'],
      ['asim', 'DnsQuery', ['imDns']],
      ['ecs', 'dns.question.name'],
      ['udm', 'network.dns.questions.name'],
    ],
  },
  {
    canonical: 'url.original',
    names: [
      ['sigma', 'c-uri', ['proxy']],
      ['splunk', 'Web.url'],
      ['asim', 'Url', ['imWebSession']],
      ['ecs', 'url.original'],
      ['udm', 'target.url'],
    ],
  },
  {
    canonical: 'user_agent.original',
    names: [
      ['sigma', 'c-useragent', ['proxy']],
      ['sigma', 'cs-user-agent', ['webserver']],
      ['sigma', 'userAgent', ['aws', 'cloudtrail']],
      ['splunk', 'Web.http_user_agent'],
      ['asim', 'HttpUserAgent'],
      ['ecs', 'user_agent.original'],
      ['udm', 'network.http.user_agent'],
    ],
  },
  {
    canonical: 'user.name',
    names: [
      ['sigma', 'User', ['process_creation']],
      ['splunk', 'Processes.user'],
      ['asim', 'ActorUsername'],
      ['xdr', 'AccountName', ['DeviceProcessEvents']],
      ['ecs', 'user.name'],
      ['udm', 'principal.user.userid'],
    ],
  },
  {
    canonical: 'host.name',
    names: [
      ['sigma', 'Computer', ['windows']],
      ['splunk', 'Processes.dest'],
      ['asim', 'DvcHostname'],
      ['xdr', 'DeviceName'],
      ['ecs', 'host.name'],
      ['udm', 'principal.hostname'],
    ],
  },
  {
    canonical: 'event.code',
    names: [
      ['sigma', 'EventID', ['windows', 'security']],
      ['splunk', 'EventCode'],
      ['splunk', 'signature_id'],
      ['sentinel', 'EventID', ['SecurityEvent']],
      ['asim', 'EventOriginalType'],
      ['ecs', 'event.code'],
      ['ecs', 'winlog.event_id'],
      ['udm', 'metadata.product_event_type'],
    ],
  },
  {
    canonical: 'event.action',
    names: [
      ['sigma', 'eventName', ['aws', 'cloudtrail']],
      ['sigma', 'operationName', ['azure', 'activitylogs']],
      ['sigma', 'eventType', ['okta', 'okta']],
      ['sigma', 'gcp.audit.method_name', ['gcp', 'gcp.audit']],
      ['splunk', 'eventName', ['AWS CloudTrail']],
      ['sentinel', 'OperationNameValue', ['AzureActivity']],
      ['sentinel', 'EventName', ['AWSCloudTrail']],
      ['xdr', 'ActionType'],
      ['ecs', 'event.action'],
      ['ecs', 'azure.activitylogs.operation_name'],
      ['udm', 'metadata.product_event_type', ['AWS CloudTrail']],
    ],
  },
  {
    canonical: 'event.provider',
    names: [
      ['sigma', 'eventSource', ['aws', 'cloudtrail']],
      ['sigma', 'Provider_Name', ['windows', 'system']],
      ['sentinel', 'EventSource', ['AWSCloudTrail']],
      ['ecs', 'event.provider'],
      ['ecs', 'winlog.provider_name'],
    ],
  },
  {
    canonical: 'powershell.file.script_block_text',
    names: [
      ['sigma', 'ScriptBlockText', ['ps_script', 'windows']],
      ['splunk', 'ScriptBlockText', ['Powershell Script Block Logging 4104']],
      ['ecs', 'powershell.file.script_block_text'],
    ],
  },
  {
    canonical: 'winlog.event_data.ObjectName',
    names: [
      ['sigma', 'ObjectName', ['windows', 'security']],
      ['splunk', 'ObjectName', ['Windows Event Log Security 4663']],
      ['sentinel', 'ObjectName', ['SecurityEvent']],
      ['ecs', 'winlog.event_data.ObjectName'],
    ],
  },
];

describe('canonical fields: the same observable is one field in every vocabulary', () => {
  for (const row of EQUIVALENTS) {
    it(row.canonical, () => {
      const sigmaName = row.names.find(([v]) => v === 'sigma');
      const sigmaField = sigmaName ? canonicalField('sigma', sigmaName[1], sigmaName[2]) : undefined;
      for (const [v, name, ctx] of row.names) {
        const got = canonicalField(v, name, ctx);
        assert.equal(got, row.canonical, `${v} ${name} [${ctx?.join(', ') ?? ''}]`);
        if (sigmaField) assert.equal(got, sigmaField, `${v} ${name} and sigma ${sigmaName![1]} meet`);
      }
    });
  }

  it('covers every vocabulary in the table', () => {
    const seen = new Set(EQUIVALENTS.flatMap((r) => r.names.map(([v]) => v)));
    for (const v of VOCABULARIES) if (v !== 'raw') assert.ok(seen.has(v), v);
  });
});

describe('context decides ambiguous names', () => {
  const cases: Array<[Vocabulary, string, string[] | undefined, string]> = [
    // Sigma: the same Sysmon name, another event.
    ['sigma', 'ImageLoaded', ['image_load'], 'dll.path'],
    ['sigma', 'ImageLoaded', ['driver_load'], 'file.path'],
    ['sigma', 'OriginalFileName', ['process_creation'], 'process.pe.original_file_name'],
    ['sigma', 'OriginalFileName', ['image_load'], 'dll.pe.original_file_name'],
    ['sigma', 'Hashes', ['process_creation'], 'process.hashes'],
    ['sigma', 'Hashes', ['image_load'], 'dll.hashes'],
    ['sigma', 'Hashes', ['driver_load'], 'file.hashes'],
    ['sigma', 'Signature', ['driver_load'], 'file.code_signature.subject_name'],
    ['sigma', 'Signature', ['antivirus'], 'threat.name'],
    ['sigma', 'type', ['linux', 'auditd'], 'auditd.message_type'],
    ['sigma', 'name', ['zeek', 'smb_files'], 'file.name'],
    ['sigma', 'name', ['linux', 'auditd'], 'file.path'],
    // Sigma Image is the acting process's executable in every Sysmon event: one ECS field.
    ['sigma', 'Image', ['image_load'], 'process.executable'],
    ['sigma', 'Image', ['file_event'], 'process.executable'],
    ['sigma', 'SourceImage', ['process_access'], 'process.executable'],
    ['sigma', 'TargetImage', ['process_access'], 'target.process.executable'],
    // Defender XDR: FileName / FolderPath / InitiatingProcess* by table.
    ['xdr', 'FileName', ['DeviceProcessEvents'], 'process.name'],
    ['xdr', 'FileName', ['DeviceFileEvents'], 'file.name'],
    ['xdr', 'FileName', ['DeviceImageLoadEvents'], 'dll.name'],
    ['xdr', 'FolderPath', ['DeviceImageLoadEvents'], 'dll.path'],
    ['xdr', 'InitiatingProcessFolderPath', ['DeviceProcessEvents'], 'process.parent.executable'],
    ['xdr', 'InitiatingProcessFolderPath', ['DeviceNetworkEvents'], 'process.executable'],
    ['xdr', 'InitiatingProcessFileName', ['DeviceProcessEvents'], 'process.parent.name'],
    ['xdr', 'InitiatingProcessFileName', ['DeviceRegistryEvents'], 'process.name'],
    ['xdr', 'SHA256', ['DeviceProcessEvents'], 'process.hash.sha256'],
    ['xdr', 'SHA256', ['DeviceFileEvents'], 'file.hash.sha256'],
    ['xdr', 'RemoteIP', ['DeviceNetworkEvents'], 'destination.ip'],
    ['xdr', 'RemoteIP', ['DeviceLogonEvents'], 'source.ip'],
    // ASIM: acting is the parent in process events, the actor elsewhere.
    ['asim', 'ActingProcessName', ['imProcessCreate'], 'process.parent.executable'],
    ['asim', 'ActingProcessName', ['_Im_FileEvent'], 'process.executable'],
    ['asim', 'ParentProcessName', ['imProcessCreate'], 'process.parent.parent.executable'],
    ['asim', 'ParentProcessName', ['imRegistry'], 'process.parent.executable'],
    // CIM: dest is the host in Endpoint, the destination in Network_Traffic.
    ['splunk', 'dest', ['Endpoint.Processes'], 'host.name'],
    ['splunk', 'dest', ['Network_Traffic.All_Traffic'], 'destination.address'],
    ['splunk', 'All_Traffic.dest', undefined, 'destination.address'],
    ['splunk', 'Authentication.action', undefined, 'event.outcome'],
    ['splunk', 'ProcessId', ['Sysmon EventID 1'], 'process.pid'],
    ['splunk', 'ProcessId', ['Windows Event Log Security 4688'], 'process.parent.pid'],
    // UDM: principal.process is the parent when a process is launched.
    ['udm', 'principal.process.file.full_path', ['PROCESS_LAUNCH'], 'process.parent.executable'],
    ['udm', 'principal.process.file.full_path', ['NETWORK_CONNECTION'], 'process.executable'],
    ['udm', 'target.process.file.full_path', ['PROCESS_OPEN'], 'target.process.executable'],
    ['udm', 'metadata.product_event_type', ['GCP_CLOUDAUDIT'], 'event.action'],
    // Sentinel: ProcessName is a path in Windows events, a name in Syslog.
    ['sentinel', 'ProcessName', ['SecurityEvent'], 'process.executable'],
    ['sentinel', 'ProcessName', ['Syslog'], 'process.name'],
  ];
  for (const [v, name, ctx, want] of cases) {
    it(`${v} ${name} in [${ctx?.join(', ') ?? ''}] is ${want}`, () => assert.equal(canonicalField(v, name, ctx), want));
  }

  it('falls back to the context-free meaning without a context', () => {
    assert.equal(canonicalField('xdr', 'FileName'), 'file.name');
    assert.equal(canonicalField('xdr', 'InitiatingProcessFolderPath'), 'process.executable');
    assert.equal(canonicalField('asim', 'ActingProcessName'), 'process.executable');
    assert.equal(canonicalField('sigma', 'ImageLoaded'), 'dll.path');
    assert.equal(canonicalField('udm', 'principal.process.file.full_path'), 'process.executable');
    assert.equal(canonicalField('splunk', 'dest'), 'host.name');
    assert.equal(canonicalField('udm', 'metadata.product_event_type'), 'event.code');
  });

  it('uses a known name outside its contexts only when nothing better applies', () => {
    // Known only in auditd: its first meaning, marked so.
    assert.deepEqual(tax.resolve('sigma', 'a0'), { canonical: 'auditd.data.a0', via: 'first', vocabulary: 'raw' });
    // In a Windows log the EventData field wins over another source's meaning.
    assert.equal(canonicalField('sigma', 'Status', ['windows', 'security']), 'winlog.event_data.Status');
    assert.equal(canonicalField('sigma', 'Status', ['azure', 'auditlogs']), 'event.outcome');
  });
});

describe('names the taxonomy does not list', () => {
  it('keeps a namespaced form, so unrelated same-named fields of two vendors do not meet', () => {
    assert.deepEqual(tax.resolve('sigma', 'SomeField', ['linux']), { canonical: 'sigma:SomeField', via: 'unknown' });
    assert.equal(canonicalField('splunk', 'SomeField'), 'splunk:SomeField');
    assert.equal(canonicalField('xdr', 'SomeColumn'), 'xdr:SomeColumn');
    assert.equal(canonicalField('udm', '$e.foo.bar'), 'udm:foo.bar');
  });

  it('reads an unlisted ECS name as canonical (ECS is the canonical vocabulary)', () => {
    assert.deepEqual(tax.resolve('ecs', 'process.args_count'), { canonical: 'process.args_count', via: 'identity', vocabulary: 'ecs' });
    assert.equal(canonicalField('ecs', 'file.extension.caseless'), 'file.extension');
  });

  it('names an unlisted Windows event field winlog.event_data.<Name>, as Elastic rules do', () => {
    assert.deepEqual(tax.resolve('sigma', 'AccessMask', ['windows', 'security']), { canonical: 'winlog.event_data.AccessMask', via: 'windows', vocabulary: 'sigma' });
    assert.equal(canonicalField('splunk', 'AccessMask', ['Windows Event Log Security 5145']), 'winlog.event_data.AccessMask');
    assert.equal(canonicalField('ecs', 'winlog.event_data.AccessMask'), 'winlog.event_data.AccessMask');
    // Not outside Windows, and not for CIM-style names.
    assert.equal(canonicalField('sigma', 'AccessMask', ['linux']), 'sigma:AccessMask');
    assert.equal(canonicalField('splunk', 'process_guid_x', ['Sysmon EventID 1']), 'splunk:process_guid_x');
  });

  it('keeps vendor-local names local (Splunk metadata, the risk index)', () => {
    assert.deepEqual(tax.resolve('splunk', 'sourcetype'), { canonical: 'splunk:sourcetype', via: 'local', vocabulary: 'splunk' });
    assert.equal(isCanonical(tax.resolve('splunk', 'All_Risk.analyticstories')), false);
  });

  it('matches a name case-insensitively when no exact entry exists, and says so', () => {
    const r = tax.resolve('sigma', 'commandline');
    assert.equal(r.canonical, 'process.command_line');
    assert.equal(r.caseInsensitive, true);
    assert.equal(tax.resolve('sigma', 'CommandLine').caseInsensitive, undefined);
  });
});

describe('reverse lookup: canonical field → names per vocabulary', () => {
  const names = (c: string, v: Vocabulary): string[] => fieldNames(c, v).map((n) => n.name);
  it('lists the names of each vocabulary, fallbacks included', () => {
    assert.ok(names('process.command_line', 'sigma').includes('CommandLine'));
    assert.ok(names('process.command_line', 'splunk').includes('process'));
    assert.ok(names('process.command_line', 'splunk').includes('CommandLine'), 'raw names through the fallback');
    assert.ok(names('process.command_line', 'asim').includes('TargetProcessCommandLine'));
    assert.ok(names('process.command_line', 'xdr').includes('ProcessCommandLine'));
    assert.ok(names('process.command_line', 'udm').includes('target.process.command_line'));
    assert.equal(names('process.command_line', 'ecs')[0], 'process.command_line');
  });

  it('keeps the contexts of restricted names', () => {
    assert.deepEqual(fieldNames('process.name', 'xdr').find((n) => n.name === 'FileName'), { name: 'FileName', in: ['process'] });
  });

  it('gives no ECS identity name to extension fields', () => {
    assert.ok(!names('process.integrity_level', 'ecs').includes('process.integrity_level'));
    assert.ok(names('process.integrity_level', 'ecs').includes('process.Ext.token.integrity_level_name'));
  });

  it('names an EventData field by its bare name in Windows contexts', () => {
    assert.deepEqual(fieldNames('winlog.event_data.AccessMask', 'sigma'), [{ name: 'AccessMask', in: ['windows'] }]);
  });

  it('round-trips: every listed name resolves back to its field in its own contexts', () => {
    let n = 0;
    const wrong: string[] = [];
    for (const info of tax.fields.values()) {
      for (const v of VOCABULARIES) {
        for (const name of info.names[v] ?? []) {
          n++;
          // A plain name may be overridden in some context; with the context it names, or none, it is this field.
          const ctx = name.in ? [name.in[0]!] : undefined;
          const got = tax.resolve(v, name.name, ctx).canonical;
          if (got !== info.name) wrong.push(`${v} ${name.name} [${ctx?.join(',') ?? ''}] → ${got}, listed under ${info.name}`);
        }
      }
    }
    assert.deepEqual(wrong, []);
    assert.ok(n > 500, `${n} names`);
  });
});

describe('the data file', () => {
  it('defines a short vocabulary with names in every vocabulary', () => {
    assert.ok(tax.fields.size >= 120, `${tax.fields.size} canonical fields`);
    for (const v of VOCABULARIES) {
      // Sigma, Splunk and Sentinel keep the log source's own names (`raw`): count their fallbacks too.
      const count = [...tax.fields.keys()].filter((f) => tax.names(f, v).length > 0).length;
      assert.ok(count >= 10, `${v}: ${count} fields`);
    }
    for (const f of tax.fields.values()) assert.match(f.name, /^[a-z][\w@]*(\.[A-Za-z_@][\w@]*)*$/, f.name);
  });

  it('marks names outside ECS as extensions', () => {
    assert.equal(tax.fields.get('process.integrity_level')!.extension, true);
    assert.equal(tax.fields.get('process.command_line')!.extension, false);
  });

  const data = (): Record<string, unknown> => structuredClone(loadFieldsData()) as Record<string, unknown>;
  const fields = (d: Record<string, unknown>): Record<string, Record<string, unknown>> => d.fields as Record<string, Record<string, unknown>>;

  it('rejects two context-free entries for one name', () => {
    const d = data();
    fields(d)['process.name']!.raw = ['CommandLine'];
    assert.throws(() => new FieldTaxonomy(d), /raw name 'CommandLine' has several context-free entries/);
  });

  it('rejects one name meaning two fields in one context', () => {
    const d = data();
    fields(d)['process.name']!.xdr = [{ name: 'FileName', in: ['process'] }];
    fields(d)['process.executable']!.xdr = [{ name: 'FileName', in: ['process'] }, 'InitiatingProcessFolderPath'];
    assert.throws(() => new FieldTaxonomy(d), /xdr name 'FileName' in context 'process' is both/);
  });

  it('rejects unknown keys, bad patterns and bad references, naming the entry', () => {
    let d = data();
    fields(d)['process.name']!.splnk = ['x'];
    assert.throws(() => new FieldTaxonomy(d), /fields\.process\.name: unknown key 'splnk'/);
    d = data();
    (d.contexts as unknown[]).push({ match: '(', kinds: ['x'] });
    assert.throws(() => new FieldTaxonomy(d), /contexts\[\d+\]\.match/);
    d = data();
    fields(d)['process.executable']!.nameField = 'process.nme';
    assert.throws(() => new FieldTaxonomy(d), /nameField names no field/);
    d = data();
    delete fields(d)['process.name']!.doc;
    assert.throws(() => new FieldTaxonomy(d), /fields\.process\.name needs a doc/);
  });
});

const stage = (index: number, command: string, role: Stage['role'], text: string, extra: Partial<Stage> = {}): Stage => ({ index, command, role, text, span: { start: 0, end: text.length }, ...extra });
const match = (field: string, value: string): Expr => ({ kind: 'match', field, operator: 'eq', values: [value], all: false, caseSensitive: false, span: { start: 0, end: 1 } });

function ruleOf(format: Rule['format'], logic: Stage[], extra: Partial<Rule> = {}): Rule {
  return { ...blankRule(format, { corpus: 'test', path: 'x' }, '', { start: 0, end: 0 }), logic, ...extra };
}

describe('a rule\'s vocabulary and context', () => {
  it('Sigma: the logsource', () => {
    const r = sigma('title: t\nlogsource:\n    product: windows\n    category: image_load\ndetection:\n    sel:\n        ImageLoaded|endswith: \\x.dll\n    condition: sel\n');
    const scope = ruleFieldScope(r);
    assert.deepEqual(scope.vocabularies, ['sigma']);
    assert.ok(scope.context.keys.has('image_load') && scope.context.keys.has('windows'));
    assert.equal(fieldCanonicalizer()('ImageLoaded', r), 'dll.path');
    assert.equal(fieldCanonicalizer()('OriginalFileName', r), 'dll.pe.original_file_name');
    const proc = sigmaRule('    sel:\n        OriginalFileName: x.exe\n    condition: sel');
    assert.equal(fieldCanonicalizer()('OriginalFileName', proc), 'process.pe.original_file_name');
    assert.equal(ruleCanonicalizer(r)('OriginalFileName', r), 'dll.pe.original_file_name');
    assert.deepEqual(extractIndicators(r, ruleCanonicalizer(r)).map((i) => i.field), ['dll.path']);
  });

  it('Splunk: the tstats data model and the data sources', () => {
    const r = ruleOf('splunk', [stage(0, 'tstats', 'source', 'tstats count from datamodel=Network_Traffic.All_Traffic', { args: { datamodel: 'Network_Traffic.All_Traffic' } })], { dataSources: ['Sysmon EventID 3 AND Sysmon EventID 1'] });
    const scope = ruleFieldScope(r);
    assert.ok(scope.context.keys.has('network') && scope.context.keys.has('windows') && scope.context.keys.has('process'));
    assert.equal(resolveRuleField(scope, 'dest').canonical, 'destination.address');
  });

  it('Splunk: fields the rule computes stay local; a rename keeps the field', () => {
    const r = ruleOf('splunk', [
      stage(0, 'search', 'source', 'search x', { filter: match('process_name', 'a') }),
      stage(1, 'eval', 'transform', 'eval len_cmd=len(process), process=lower(process)', { args: { assignments: [{ field: 'len_cmd', expression: 'len(process)' }, { field: 'process', expression: 'lower(process)' }] } }),
      stage(2, 'stats', 'aggregate', 'stats count, dc(dest) as hosts, values(user) as user by process_name', { args: { aggregations: [{ fn: 'count' }, { fn: 'dc', field: 'dest', as: 'hosts' }, { fn: 'values', field: 'user', as: 'user' }], by: ['process_name'] } }),
      stage(3, 'rename', 'transform', 'rename process_name as pname', { args: { renames: [{ from: 'process_name', to: 'pname' }] } }),
    ]);
    const c = fieldCanonicalizer();
    assert.equal(c('len_cmd', r), 'splunk:len_cmd');
    assert.equal(c('process', r), 'process.command_line');
    assert.equal(c('count', r), 'splunk:count');
    assert.equal(c('hosts', r), 'splunk:hosts');
    assert.equal(c('user', r), 'user.name');
    assert.equal(c('pname', r), 'process.name');
  });

  it('KQL: the tables choose the vocabularies (the others follow) and the context', () => {
    const xdr = ruleOf('kql', [stage(0, 'table', 'source', 'DeviceProcessEvents', { args: { table: 'DeviceProcessEvents' } })]);
    assert.deepEqual(ruleFieldScope(xdr).vocabularies, ['xdr', 'asim', 'sentinel']);
    assert.equal(fieldCanonicalizer()('FileName', xdr), 'process.name');
    const asim = ruleOf('kql', [stage(0, 'table', 'source', 'imFileEvent', { args: { table: 'imFileEvent', function: true } })]);
    assert.deepEqual(ruleFieldScope(asim).vocabularies, ['asim', 'xdr', 'sentinel']);
    assert.equal(fieldCanonicalizer()('ActingProcessName', asim), 'process.executable');
    const union = ruleOf('kql', [stage(0, 'union', 'source', 'union SecurityEvent, DeviceProcessEvents', { args: { tables: ['SecurityEvent', 'DeviceProcessEvents'] } })]);
    assert.deepEqual(ruleFieldScope(union).vocabularies, ['xdr', 'sentinel', 'asim']);
    assert.equal(fieldCanonicalizer()('NewProcessName', union), 'process.executable');
    // Without args, the first word of the source stage names the table.
    const bare = ruleOf('kql', [stage(0, 'table', 'source', 'SigninLogs')]);
    assert.deepEqual(ruleFieldScope(bare).vocabularies, ['sentinel', 'xdr', 'asim']);
    // A Sentinel table's own meaning wins over an XDR column of the same name.
    assert.equal(fieldCanonicalizer()('Process', ruleOf('kql', [stage(0, 'table', 'source', 'SecurityEvent')])), 'process.name');
    assert.ok(ruleFieldScope(bare).context.keys.has('azure'));
  });

  it('Elastic: EQL categories and event.category values', () => {
    const eql = ruleOf('elastic', [stage(0, 'eql', 'source', 'library where dll.name : "x.dll"')]);
    assert.ok(ruleFieldScope(eql).context.keys.has('image_load'));
    const kuery = ruleOf('elastic', [stage(0, 'kuery', 'source', 'event.category:process', { filter: match('event.category', 'process') })]);
    assert.ok(ruleFieldScope(kuery).context.keys.has('process'));
    assert.equal(fieldCanonicalizer()('process.name', kuery), 'process.name');
  });

  it('YARA-L: metadata.event_type values, not under a not', () => {
    const launch = ruleOf('yaral', [stage(0, 'events', 'source', '', { filter: match('$e.metadata.event_type', 'PROCESS_LAUNCH') })]);
    assert.equal(fieldCanonicalizer()('$e.principal.process.file.full_path', launch), 'process.parent.executable');
    const negated = ruleOf('yaral', [stage(0, 'events', 'source', '', { filter: { kind: 'not', arg: match('$e.metadata.event_type', 'PROCESS_LAUNCH'), span: { start: 0, end: 1 } } })]);
    assert.equal(fieldCanonicalizer()('$e.principal.process.file.full_path', negated), 'process.executable');
  });
});
