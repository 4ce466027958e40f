import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readSigma } from '../../src/formats/sigma/index.js';
import { convert } from '../../src/translate/convert.js';
import { ROOT, SIGMA, rule, sigma } from '../helpers.js';
import { kustoChecker } from './kusto.js';

const SEED_RULE = join(SIGMA, 'rules', 'windows', 'process_creation', 'proc_creation_win_pua_ngrok.yml');
/** The KQL of seed 000 (../shared/seeds/000_…), as pySigma wrote it. */
const SEED_KQL = `imProcessCreate
| where (TargetProcessCommandLine contains " tcp 139" or TargetProcessCommandLine contains " tcp 445" or TargetProcessCommandLine contains " tcp 3389" or TargetProcessCommandLine contains " tcp 5985" or TargetProcessCommandLine contains " tcp 5986") or (TargetProcessCommandLine contains " start " and TargetProcessCommandLine contains "--all" and TargetProcessCommandLine contains "--config" and TargetProcessCommandLine contains ".yml") or (TargetProcessName endswith "ngrok.exe" and (TargetProcessCommandLine contains " tcp " or TargetProcessCommandLine contains " http " or TargetProcessCommandLine contains " authtoken ")) or (TargetProcessCommandLine contains ".exe authtoken " or TargetProcessCommandLine contains ".exe start --all")`;

describe('translation features', () => {
  const seed = readSigma(readFileSync(SEED_RULE, 'utf8'), { file: SEED_RULE })[0]!;

  it("seed 000's rule gives the seed's KQL, exactly and without approximation", () => {
    const c = convert(seed, 'kql-asim');
    assert.equal(c.queries[0], SEED_KQL);
    assert.equal(c.fidelity.exact, true);
    assert.deepEqual(c.fidelity.sources, ['imProcessCreate']);
    assert.deepEqual(kustoChecker().check(c.queries[0]!), []);
  });

  it("seed 000's rule gives SPL a Splunk user would write: indexed terms, wildcards, no regex, Sysmon and Security 4688", () => {
    const c = convert(seed, 'splunk');
    const body = '(CommandLine IN ("* tcp 139*", "* tcp 445*", "* tcp 3389*", "* tcp 5985*", "* tcp 5986*") OR (CommandLine="* start *" CommandLine="*--all*" CommandLine="*--config*" CommandLine="*.yml*") OR (IMAGE="*ngrok.exe" CommandLine IN ("* tcp *", "* http *", "* authtoken *")) OR CommandLine IN ("*.exe authtoken *", "*.exe start --all*"))';
    assert.equal(
      c.queries[0],
      `(source="WinEventLog:Microsoft-Windows-Sysmon/Operational" EventCode=1 ${body.replace('IMAGE', 'Image')}) OR (source="WinEventLog:Security" EventCode=4688 ${body.replace('IMAGE', 'NewProcessName')})`,
    );
    assert.doesNotMatch(c.queries[0]!, /\| regex|\| where/);
  });

  it('a logsource with no real table in the target is an error that says so', () => {
    const r = sigma('title: t\nlogsource:\n    product: linux\n    service: auditd\ndetection:\n    s:\n        type: EXECVE\n    condition: s\n');
    const c = convert(r, 'kql-asim');
    assert.equal(c.ok, false);
    assert.match(c.error!, /logsource \(product: linux, service: auditd\).*has no home in kql-asim/);
    assert.match(convert(rule("    s:\n        GrandParentImage: x\n    condition: s"), 'kql-xdr').error!, /grandparent/);
  });

  it('fields the target table lacks fail instead of producing a query over a missing column', () => {
    const c = convert(rule("    s:\n        TerminalSessionId: 1\n    condition: s"), 'kql-asim');
    assert.equal(c.ok, false);
    assert.match(c.error!, /terminal session/);
    const sec = sigma('title: t\nlogsource:\n    product: windows\n    service: security\ndetection:\n    s:\n        EventID: 4624\n        NoSuchColumn: x\n    condition: s\n');
    assert.match(convert(sec, 'kql-sentinel').error!, /SecurityEvent has no column 'NoSuchColumn'/);
  });

  it('hashes are split into per-algorithm columns', () => {
    const c = convert(rule("    s:\n        Hashes|contains:\n            - 'SHA256=AB12'\n            - 'MD5=CD34'\n    condition: s"), 'kql-xdr');
    assert.equal(c.queries[0], 'DeviceProcessEvents\n| where SHA256 =~ "AB12" or MD5 =~ "CD34"');
    assert.ok(c.fidelity.approximated.some((a) => a.what === 'Hashes'));
  });

  it('values are translated through value maps (Sysmon Initiated → ASIM NetworkDirection)', () => {
    const r = sigma("title: t\nlogsource:\n    category: network_connection\n    product: windows\ndetection:\n    s:\n        Initiated: 'true'\n        DestinationPort: 4444\n    condition: s\n");
    assert.equal(convert(r, 'kql-asim').queries[0], 'imNetworkSession\n| where NetworkDirection =~ "Outbound" and DstPortNumber == 4444');
  });

  it('Windows service events are routed by EventID to the Defender table that has them', () => {
    const r = sigma("title: t\nlogsource:\n    product: windows\n    service: system\ndetection:\n    s:\n        Provider_Name: 'Service Control Manager'\n        EventID: 7045\n        ImagePath|contains: 'powershell'\n    condition: s\n");
    const c = convert(r, 'kql-xdr');
    assert.equal(c.queries[0], 'DeviceEvents\n| where ActionType =~ "ServiceInstalled" and FolderPath contains "powershell"');
    assert.ok(c.fidelity.approximated.some((a) => a.what === 'field ImagePath'));
  });

  it('keyword-only rules become valid KQL column searches, not a bare string', () => {
    const r = sigma("title: t\nlogsource:\n    product: windows\n    service: system\ndetection:\n    kw:\n        - 'mimikatz'\n    condition: kw\n");
    const q = convert(r, 'kql-sentinel').queries[0]!;
    assert.equal(q, 'WindowsEvent\n| where Channel =~ "System" and * contains "mimikatz"');
    assert.deepEqual(kustoChecker().check(q), []);
  });

  it('placeholders need values from a pipeline', () => {
    const c = convert(rule("    s:\n        User|expand: '%Admins%'\n    condition: s"), 'kql-asim');
    assert.match(c.error!, /placeholder %Admins%/);
  });

  it('case-sensitivity approximations are reported where the target has them (Lucene), not where it does not (KQL)', () => {
    const r = rule("    s:\n        CommandLine|contains: 'whoami'\n    condition: s");
    assert.equal(convert(r, 'kql-sentinel').fidelity.approximated.filter((a) => a.what === 'case-insensitive matching').length, 0);
    assert.equal(convert(r, 'lucene').fidelity.approximated.filter((a) => a.what === 'case-insensitive matching').length, 1);
  });

  it('an unknown pipeline or target is a clear error', () => {
    assert.match(convert(rule('    s:\n        F: x\n    condition: s'), 'kql-asim', { pipelines: ['nope'] }).error!, /unknown pipeline 'nope'/);
    assert.throws(() => convert(rule('    s:\n        F: x\n    condition: s'), 'nope'), /unknown target/);
  });
});

describe('convert CLI (compiled)', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin', 'ruleatlas'), ...args], { encoding: 'utf8', cwd: ROOT });

  it('--format ndjson prints one line per rule with the fixed fields', () => {
    const r = run('convert', '-t', 'kql-asim', '--format', 'ndjson', SEED_RULE, join(ROOT, 'test', 'fixtures', 'sigma', 'multi.yml'));
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines.length, 3);
    for (const l of lines) assert.deepEqual(Object.keys(l), ['path', 'id', 'ok', 'queries', 'error', 'fidelity']);
    assert.equal(lines[0]!.id, 'ee37eb7c-a4e7-4cd5-8fa4-efa27f1c3f31');
    assert.equal((lines[0]!.queries as string[])[0], SEED_KQL);
    assert.equal(lines[1]!.ok, false);
  });

  it('usage errors exit 2; targets lists every target', () => {
    assert.equal(run('convert', '-t', 'nope', SEED_RULE).status, 2);
    assert.equal(run('convert', SEED_RULE).status, 2);
    const t = run('targets', '--json');
    const names = (JSON.parse(t.stdout) as { targets: Array<{ name: string }> }).targets.map((x) => x.name);
    for (const n of ['kql-asim', 'kql-sentinel', 'kql-xdr', 'splunk', 'splunk-cim', 'lucene', 'esql', 'eql', 'sqlite', 'duckdb', 'postgres', 'clickhouse']) assert.ok(names.includes(n), n);
  });
});
