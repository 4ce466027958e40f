import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { Hunter } from '../../src/engine/index.js';
import type { Rule } from '../../src/model/index.js';
import { flat, hunt, matches, nested, procRule, rules, security, sysmon } from './util.js';

const img = (image: string, more: Record<string, unknown> = {}) => sysmon(1, { Image: image, CommandLine: '', ...more });

describe('string operators', () => {
  it('eq is case-insensitive and whole-field', () => {
    const r = procRule('    sel:\n        Image: C:\\Windows\\System32\\cmd.exe\n    condition: sel');
    assert.equal(matches(r, img('c:\\windows\\system32\\CMD.EXE')), true);
    assert.equal(matches(r, img('C:\\Windows\\System32\\cmd.exe.bak')), false);
  });

  it('|cased makes it case-sensitive', () => {
    const r = procRule('    sel:\n        Image|cased: C:\\Windows\\System32\\cmd.exe\n    condition: sel');
    assert.equal(matches(r, img('C:\\Windows\\System32\\cmd.exe')), true);
    assert.equal(matches(r, img('c:\\windows\\system32\\cmd.exe')), false);
  });

  it('contains / startswith / endswith, one value and many (set and automaton strategies)', () => {
    const many = Array.from({ length: 12 }, (_, i) => `        - 'tool${i}.exe'`).join('\n');
    const ends = procRule(`    sel:\n        Image|endswith:\n${many}\n    condition: sel`);
    assert.equal(matches(ends, img('C:\\x\\TOOL7.EXE')), true);
    assert.equal(matches(ends, img('C:\\x\\tool7.exe.txt')), false);
    const starts = procRule(`    sel:\n        CommandLine|startswith:\n${many}\n    condition: sel`);
    assert.equal(matches(starts, img('x', { CommandLine: 'Tool11.exe -a' })), true);
    assert.equal(matches(starts, img('x', { CommandLine: ' tool11.exe' })), false);
    const contains = procRule(`    sel:\n        CommandLine|contains:\n${many}\n    condition: sel`);
    assert.equal(matches(contains, img('x', { CommandLine: 'run TOOL3.exe now' })), true);
    assert.equal(matches(contains, img('x', { CommandLine: 'run tool.exe now' })), false);
  });

  it('|contains|all needs every value, with few values and with many', () => {
    const few = procRule("    sel:\n        CommandLine|contains|all:\n            - ' -w '\n            - 'hidden'\n    condition: sel");
    assert.equal(matches(few, img('x', { CommandLine: 'powershell -w 1' })), false);
    assert.equal(matches(few, img('x', { CommandLine: 'powershell -w HIDDEN -c' })), true);
    const vals = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
    const many = procRule(`    sel:\n        CommandLine|contains|all:\n${vals.map((v) => `            - ${v}`).join('\n')}\n    condition: sel`);
    assert.equal(matches(many, img('x', { CommandLine: 'EPSILON delta gamma beta alpha' })), true);
    assert.equal(matches(many, img('x', { CommandLine: 'epsilon delta gamma beta' })), false);
  });

  it('typed wildcards: * anywhere, ? exactly one character, escaped wildcards are literal', () => {
    const r = procRule("    sel:\n        CommandLine:\n            - 'a*b?c'\n            - 'lit\\*eral'\n    condition: sel");
    assert.equal(matches(r, img('x', { CommandLine: 'AxxxbZc' })), true);
    assert.equal(matches(r, img('x', { CommandLine: 'abc' })), false);
    assert.equal(matches(r, img('x', { CommandLine: 'abZZc' })), false);
    assert.equal(matches(r, img('x', { CommandLine: 'lit*eral' })), true);
    assert.equal(matches(r, img('x', { CommandLine: 'litXeral' })), false);
  });
});

describe('regular expressions', () => {
  it('are case-sensitive unless |i, and honour |m and |s', () => {
    const cs = procRule("    sel:\n        CommandLine|re: 'Invoke-[A-Z]'\n    condition: sel");
    assert.equal(matches(cs, img('x', { CommandLine: 'Invoke-Mimikatz' })), true);
    assert.equal(matches(cs, img('x', { CommandLine: 'invoke-mimikatz' })), false);
    const ci = procRule("    sel:\n        CommandLine|re|i: 'Invoke-[A-Z]'\n    condition: sel");
    assert.equal(matches(ci, img('x', { CommandLine: 'invoke-mimikatz' })), true);
    const multi = procRule("    sel:\n        CommandLine|re|m: '^second$'\n    condition: sel");
    assert.equal(matches(multi, img('x', { CommandLine: 'first\nsecond\nthird' })), true);
    const dot = procRule("    sel:\n        CommandLine|re|s: 'a.b'\n    condition: sel");
    assert.equal(matches(dot, img('x', { CommandLine: 'a\nb' })), true);
    const noDot = procRule("    sel:\n        CommandLine|re: 'a.b'\n    condition: sel");
    assert.equal(matches(noDot, img('x', { CommandLine: 'a\nb' })), false);
  });

  it('PCRE inline flags go through translateRegex', () => {
    const r = procRule("    sel:\n        CommandLine|re: '(?i)mimikatz'\n    condition: sel");
    assert.equal(matches(r, img('x', { CommandLine: 'MIMIKATZ' })), true);
  });

  it('`a.*b.*c` sequences match within one line, like the regex', () => {
    const r = procRule("    sel:\n        CommandLine|re: '\\+.*\\+.*\\+'\n    condition: sel");
    assert.equal(matches(r, img('x', { CommandLine: "'a'+'b'+'c'+'d'" })), true);
    assert.equal(matches(r, img('x', { CommandLine: "'a'+'b'" })), false);
    assert.equal(matches(r, img('x', { CommandLine: "a+b\n+c" })), false);
    assert.equal(matches(r, img('x', { CommandLine: 'x\na+b+c+d' })), true);
  });

  it('a catastrophic-backtracking regex does not stall the hunt', () => {
    const r = procRule("    sel:\n        CommandLine|re: '^(a+)+$'\n    condition: sel");
    const t = performance.now();
    assert.equal(matches(r, img('x', { CommandLine: 'a'.repeat(5000) + '!' })), false);
    assert.equal(matches(r, img('x', { CommandLine: 'a'.repeat(5000) })), true);
    assert.ok(performance.now() - t < 5000, 'the linear-time engine took over');
  });

  it('an invalid regex cannot match, even under not; the rule is reported', () => {
    const either = procRule("    sel:\n        Image|endswith: '.exe'\n    bad:\n        CommandLine|re: '(?<=a+'\n    condition: sel or bad");
    assert.equal(matches(either, img('x.exe', { CommandLine: 'b' })), true);
    assert.equal(new Hunter(either).ruleSet.reports()[0]!.state, 'partial');
    const negated = procRule("    sel:\n        Image|endswith: '.exe'\n    bad:\n        CommandLine|re: '(?<=a+'\n    condition: sel and not bad");
    assert.equal(matches(negated, img('x.exe', { CommandLine: 'b' })), false);
    const rep = new Hunter(negated).ruleSet.reports()[0]!;
    assert.equal(rep.state, 'skipped');
    assert.match(rep.reasons.join(' '), /cannot run/);
  });
});

describe('values', () => {
  it('numbers equal numbers and numeric strings, in either direction', () => {
    const r = procRule('    sel:\n        ProcessId: 4242\n    condition: sel');
    assert.equal(matches(r, img('x', { ProcessId: 4242 })), true);
    assert.equal(matches(r, img('x', { ProcessId: '4242' })), true);
    assert.equal(matches(r, img('x', { ProcessId: '42420' })), false);
    const s = procRule("    sel:\n        ProcessId: '4242'\n    condition: sel");
    assert.equal(matches(s, img('x', { ProcessId: 4242 })), true);
  });

  it('null means absent or null', () => {
    const r = procRule('    sel:\n        ParentImage: null\n    condition: sel');
    assert.equal(matches(r, img('x')), true);
    assert.equal(matches(r, img('x', { ParentImage: null })), true);
    assert.equal(matches(r, img('x', { ParentImage: '' })), false);
    const notNull = procRule('    sel:\n        ParentImage: null\n    condition: not sel');
    assert.equal(matches(notNull, img('x', { ParentImage: 'C:\\p.exe' })), true);
  });

  it('|exists tests presence, even of an empty or null value', () => {
    const r = procRule('    sel:\n        ParentImage|exists: true\n    condition: sel');
    assert.equal(matches(r, img('x', { ParentImage: null })), true);
    assert.equal(matches(r, img('x')), false);
    const absent = procRule('    sel:\n        ParentImage|exists: false\n    condition: sel');
    assert.equal(matches(absent, img('x')), true);
  });

  it('an absent field never matches, so `not` of it does', () => {
    const r = procRule("    sel:\n        OriginalFileName: 'cmd.exe'\n    condition: not sel");
    assert.equal(matches(r, img('x')), true);
  });

  it('booleans', () => {
    const r = procRule('    sel:\n        Initiated: true\n    condition: sel', '    category: network_connection\n    product: windows');
    assert.equal(matches(r, sysmon(3, { Initiated: 'true' })), true);
    assert.equal(matches(r, sysmon(3, { Initiated: true })), true);
    assert.equal(matches(r, sysmon(3, { Initiated: 'false' })), false);
  });

  it('numeric comparisons (|gt, |lte) on numbers and numeric strings', () => {
    const r = procRule('    sel:\n        TerminalSessionId|gt: 1\n    condition: sel');
    assert.equal(matches(r, img('x', { TerminalSessionId: 2 })), true);
    assert.equal(matches(r, img('x', { TerminalSessionId: '5' })), true);
    assert.equal(matches(r, img('x', { TerminalSessionId: 1 })), false);
    assert.equal(matches(r, img('x', { TerminalSessionId: 'n/a' })), false);
  });

  it('|fieldref compares two fields of the event', () => {
    const r = procRule('    sel:\n        Image|fieldref: ParentImage\n    condition: sel');
    assert.equal(matches(r, img('C:\\a.exe', { ParentImage: 'c:\\A.EXE' })), true);
    assert.equal(matches(r, img('C:\\a.exe', { ParentImage: 'C:\\b.exe' })), false);
    const contains = procRule('    sel:\n        CommandLine|fieldref|contains: Image\n    condition: sel');
    assert.equal(matches(contains, img('x.exe', { CommandLine: 'run X.EXE now' })), true);
    // Affixes straight in the IR (the Sigma reader's `fieldref|endswith` is checked in its own tests).
    const ends = procRule('    sel:\n        CommandLine|fieldref: Image\n    condition: sel');
    (ends[0]!.logic[0]!.filter as { operator: string }).operator = 'endswith';
    assert.equal(matches(ends, img('x.exe', { CommandLine: 'run x.exe' })), true);
    assert.equal(matches(ends, img('x.exe', { CommandLine: 'x.exe run' })), false);
    (ends[0]!.logic[0]!.filter as { operator: string }).operator = 'startswith';
    assert.equal(matches(ends, img('x.exe', { CommandLine: 'x.exe run' })), true);
  });

  it('time parts (|hour, |day ...) of a timestamp field, in UTC', () => {
    const r = procRule('    sel:\n        UtcTime|hour: 3\n    condition: sel');
    assert.equal(matches(r, img('x', { UtcTime: '2024-05-01 03:10:00.000' })), true);
    assert.equal(matches(r, img('x', { UtcTime: '2024-05-01 04:10:00.000' })), false);
  });

  it('multi-valued fields (classic PowerShell Data) match when any value does', () => {
    const r = procRule("    sel:\n        Data|contains: 'HostApplication=powershell -enc'\n    condition: sel", '    category: ps_classic_start\n    product: windows');
    const ev = nested('Windows PowerShell', 400, { Data: { '#text': ['Available', 'None', 'NewEngineState=Available\n\tHostApplication=powershell -enc AAAA'] } });
    assert.equal(matches(r, ev), true);
  });

  it('base64offset and windash values are already expanded by the reader', () => {
    const r = procRule("    sel:\n        CommandLine|windash|contains: ' -enc '\n    condition: sel");
    assert.equal(matches(r, img('x', { CommandLine: 'powershell /enc AAAA' })), true);
    assert.equal(matches(r, img('x', { CommandLine: 'powershell \u2013enc AAAA' })), true);
  });
});

describe('cidr', () => {
  it('IPv4 and IPv6 networks, and IPv4-mapped IPv6 addresses', () => {
    const r = procRule("    sel:\n        DestinationIp|cidr:\n            - '10.0.0.0/8'\n            - 'fe80::/10'\n    condition: sel", '    category: network_connection\n    product: windows');
    const net = (ip: string) => sysmon(3, { DestinationIp: ip });
    assert.equal(matches(r, net('10.200.3.4')), true);
    assert.equal(matches(r, net('11.0.0.1')), false);
    assert.equal(matches(r, net('fe80:0:0:0:1234::1')), true);
    assert.equal(matches(r, net('fec0::1')), false);
    assert.equal(matches(r, net('::ffff:10.1.2.3')), true);
    assert.equal(matches(r, net('not an ip')), false);
  });
});

describe('keywords', () => {
  it('search every payload value, case-insensitively', () => {
    const r = rules("title: K\nid: 22222222-2222-4333-8444-555555555555\nlogsource:\n    product: windows\n    service: security\ndetection:\n    keywords:\n        - 'sekurlsa::'\n        - 'mimikatz'\n    condition: keywords\n");
    assert.equal(matches(r, security(4688, { CommandLine: 'x SEKURLSA::logonpasswords' })), true);
    assert.equal(matches(r, security(4688, { ObjectName: 'C:\\tools\\MimiKatz.exe' })), true);
    assert.equal(matches(r, security(4688, { CommandLine: 'nothing here' })), false);
  });

  it('keyword lists with |all need every value somewhere', () => {
    const r = rules("title: K\nid: 22222222-2222-4333-8444-555555555556\nlogsource:\n    product: windows\n    service: security\ndetection:\n    keywords:\n        '|all':\n            - 'alpha'\n            - 'beta'\n    condition: keywords\n");
    assert.equal(matches(r, security(4688, { A: 'alpha', B: 'x beta' })), true);
    assert.equal(matches(r, security(4688, { A: 'alpha' })), false);
  });
});

describe('field resolution', () => {
  it('System fields: EventID, Channel, Computer, Provider_Name, Security_UserID', () => {
    const r = rules("title: S\nid: 33333333-2222-4333-8444-555555555555\nlogsource:\n    product: windows\ndetection:\n    sel:\n        EventID: 4688\n        Channel: Security\n        Computer: HOST1\n        Provider_Name: Microsoft-Windows-Security-Auditing\n        Security_UserID: S-1-5-18\n    condition: sel\n");
    assert.equal(matches(r, security(4688, { NewProcessName: 'x' })), true);
    assert.equal(matches(r, security(4624, { NewProcessName: 'x' })), false);
  });

  it('EventID comes from System even when EventData has a field of that name', () => {
    const r = rules("title: S\nid: 33333333-2222-4333-8444-555555555556\nlogsource:\n    product: windows\n    service: security\ndetection:\n    sel:\n        EventID: 4688\n    condition: sel\n");
    assert.equal(matches(r, security(4688, { EventID: 1 })), true);
  });

  it('process_creation reads Security 4688 through the aliases (Image = NewProcessName)', () => {
    const r = procRule("    sel:\n        Image|endswith: '\\whoami.exe'\n        ParentImage|endswith: '\\cmd.exe'\n    condition: sel");
    assert.equal(matches(r, security(4688, { NewProcessName: 'C:\\Windows\\System32\\whoami.exe', ParentProcessName: 'C:\\Windows\\System32\\cmd.exe' })), true);
    assert.equal(matches(r, security(4689, { NewProcessName: 'C:\\Windows\\System32\\whoami.exe', ParentProcessName: 'C:\\Windows\\System32\\cmd.exe' })), false);
    assert.equal(matches(r, sysmon(1, { Image: 'C:\\Windows\\System32\\whoami.exe', ParentImage: 'C:\\Windows\\System32\\cmd.exe' })), true);
  });

  it('4688 hex process ids and integrity SIDs are converted to the Sysmon shapes', () => {
    const pid = procRule('    sel:\n        ProcessId: 420\n    condition: sel');
    assert.equal(matches(pid, security(4688, { NewProcessId: '0x1a4', ProcessId: '0x4' })), true);
    const il = procRule('    sel:\n        IntegrityLevel: High\n    condition: sel');
    assert.equal(matches(il, security(4688, { MandatoryLabel: 'S-1-16-12288' })), true);
  });

  it('field names match ignoring case and spaces as a last resort (Defender writes `Threat Name`)', () => {
    const r = rules("title: D\nid: 44444444-2222-4333-8444-555555555555\nlogsource:\n    product: windows\n    service: windefend\ndetection:\n    sel:\n        ThreatName|contains: EICAR\n    condition: sel\n");
    assert.equal(matches(r, nested('Microsoft-Windows-Windows Defender/Operational', 1116, { 'Threat Name': 'Virus:DOS/EICAR_Test_File' })), true);
  });

  it('UserData events expose their record fields', () => {
    const r = rules("title: U\nid: 44444444-2222-4333-8444-555555555556\nlogsource:\n    product: windows\n    service: security\ndetection:\n    sel:\n        EventID: 1102\n        SubjectUserName: admin\n    condition: sel\n");
    assert.equal(matches(r, security(1102, null, { userData: { LogFileCleared: { SubjectUserName: 'Admin' } } })), true);
  });

  it('flat events (OTRF): top-level fields, Hostname as Computer, SourceName as Provider_Name', () => {
    const r = rules("title: F\nid: 55555555-2222-4333-8444-555555555555\nlogsource:\n    product: windows\n    service: security\ndetection:\n    sel:\n        EventID: 4688\n        Computer: WKS5\n        Provider_Name: Microsoft-Windows-Security-Auditing\n        NewProcessName|endswith: '\\cmd.exe'\n    condition: sel\n");
    assert.equal(matches(r, flat({ Channel: 'Security', EventID: 4688, Hostname: 'WKS5', SourceName: 'Microsoft-Windows-Security-Auditing', NewProcessName: 'C:\\Windows\\System32\\cmd.exe' })), true);
    assert.equal(matches(r, flat({ Channel: 'System', EventID: 4688, Hostname: 'WKS5', SourceName: 'Microsoft-Windows-Security-Auditing', NewProcessName: 'C:\\Windows\\System32\\cmd.exe' })), false);
  });

  it('prototype names are not fields', () => {
    const r = procRule('    sel:\n        constructor|exists: true\n    condition: sel');
    assert.equal(matches(r, img('x')), false);
  });
});

describe('log sources and the index', () => {
  it('a rule only meets events of its channel and EventIDs', () => {
    const r = procRule("    sel:\n        Image|endswith: '\\cmd.exe'\n    condition: sel");
    assert.equal(matches(r, sysmon(1, { Image: 'C:\\cmd.exe' })), true);
    assert.equal(matches(r, sysmon(5, { Image: 'C:\\cmd.exe' })), false);
    assert.equal(matches(r, nested('Microsoft-Windows-PowerShell/Operational', 1, { Image: 'C:\\cmd.exe' })), false);
  });

  it('conditions of a source apply (registry_add is Sysmon 12 with EventType CreateKey)', () => {
    const r = procRule("    sel:\n        TargetObject|contains: '\\Run'\n    condition: sel", '    category: registry_add\n    product: windows');
    assert.equal(matches(r, sysmon(12, { EventType: 'CreateKey', TargetObject: 'HKLM\\Software\\Run' })), true);
    assert.equal(matches(r, sysmon(12, { EventType: 'DeleteKey', TargetObject: 'HKLM\\Software\\Run' })), false);
  });

  it('EventID tests in the rule narrow its index (and still match)', () => {
    const r = rules("title: E\nid: 66666666-2222-4333-8444-555555555555\nlogsource:\n    product: windows\n    service: security\ndetection:\n    sel:\n        EventID:\n            - 4624\n            - 4625\n        LogonType: 3\n    condition: sel\n");
    const h = new Hunter(r);
    assert.deepEqual(h.ruleSet.reports()[0]!.sources.sort(), ['security:4624', 'security:4625']);
    assert.equal(hunt(r, [security(4625, { LogonType: 3 })]).length, 1);
    assert.equal(hunt(r, [security(4634, { LogonType: 3 })]).length, 0);
  });

  it('unmapped log sources are skipped with a reason', () => {
    const r = rules("title: L\nid: 77777777-2222-4333-8444-555555555555\nlogsource:\n    product: linux\n    service: auth\ndetection:\n    sel:\n        x: 1\n    condition: sel\n");
    const rep = new Hunter(r).ruleSet.reports()[0]!;
    assert.equal(rep.state, 'skipped');
    assert.match(rep.reasons[0]!, /linux/);
  });

  it('one event hits a rule once, and hits carry the tested fields', () => {
    const r = procRule("    sel:\n        Image|endswith: '\\cmd.exe'\n        CommandLine|contains: 'whoami'\n    condition: sel");
    const hits = hunt(r, [sysmon(1, { Image: 'C:\\cmd.exe', CommandLine: 'cmd /c whoami', User: 'x' })]);
    assert.equal(hits.length, 1);
    assert.deepEqual(Object.keys(hits[0]!).slice(0, 9), ['rule_id', 'rule_title', 'level', 'file', 'record_id', 'timestamp', 'channel', 'event_id', 'fields']);
    assert.deepEqual(hits[0]!.fields, { Image: 'C:\\cmd.exe', CommandLine: 'cmd /c whoami' });
    assert.equal(hits[0]!.rule_id, 'sigma:11111111-2222-4333-8444-555555555555');
    assert.equal(hits[0]!.event_id, 1);
  });
});

describe('options', () => {
  it('--min-level drops hits of lower rules', () => {
    const low = rules("title: Low\nid: 88888888-2222-4333-8444-555555555555\nlevel: low\nlogsource:\n    category: process_creation\n    product: windows\ndetection:\n    sel:\n        Image: x\n    condition: sel\n");
    assert.equal(hunt(low, [img('x')], { minLevel: 'medium' }).length, 0);
    assert.equal(hunt(low, [img('x')], { minLevel: 'low' }).length, 1);
  });

  it('--from / --to keep events in the range', () => {
    const r = procRule('    sel:\n        Image: x\n    condition: sel');
    const ev = [img('x', {}), sysmon(1, { Image: 'x' }, { time: '2020-01-01T00:00:00Z' })];
    assert.equal(hunt(r, ev, { from: '2023-01-01T00:00:00Z' }).length, 1);
    assert.equal(hunt(r, ev, { to: '2021-01-01' }).length, 1);
    assert.throws(() => new Hunter(r, { from: 'yesterday-ish' }), /not a time/);
  });
});

describe('Sigma filters', () => {
  it('a meta filter narrows the rules it names', () => {
    const rs: Rule[] = rules(
      "title: Base\nid: 99999999-2222-4333-8444-555555555555\nname: base\nlogsource:\n    category: process_creation\n    product: windows\ndetection:\n    sel:\n        Image|endswith: '.exe'\n    condition: sel\n---\ntitle: Filter\nlogsource:\n    category: process_creation\n    product: windows\nfilter:\n    rules:\n        - base\n    fp:\n        User: 'svc_backup'\n    condition: not fp\n",
    );
    assert.equal(hunt(rs, [img('a.exe', { User: 'alice' })]).length, 1);
    assert.equal(hunt(rs, [img('a.exe', { User: 'SVC_BACKUP' })]).length, 0);
  });
});
