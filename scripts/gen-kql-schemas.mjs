#!/usr/bin/env node
// Generates src/translate/schemas/kql-tables.json: the columns and types of the Sentinel / Defender
// XDR tables and ASIM parser functions the KQL pipelines target, from the sentinelninja exports in
// ../shared/corpora/sentinel-asim (MIT / Apache-2.0). Run again when the pipelines target new tables.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? '../shared/corpora/sentinel-asim/sentinelninja';

function csv(text) {
  const rows = [];
  let row = [], field = '', q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') q = false;
      else field += c;
    } else if (c === '"') q = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; }
    else if (c !== '\r') field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  const [head, ...body] = rows;
  return body.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i] ?? ''])));
}

const TABLES = [
  'DeviceProcessEvents', 'DeviceFileEvents', 'DeviceRegistryEvents', 'DeviceNetworkEvents', 'DeviceImageLoadEvents', 'DeviceEvents', 'DeviceLogonEvents',
  'SecurityEvent', 'WindowsEvent', 'Event', 'Syslog', 'SigninLogs', 'AADNonInteractiveUserSignInLogs', 'AuditLogs', 'AzureActivity', 'AWSCloudTrail', 'OfficeActivity',
  'W3CIISLog', 'CommonSecurityLog', 'DnsEvents', 'AADUserRiskEvents', 'AADRiskyUsers', 'CloudAppEvents', 'GCPAuditLogs', 'SecurityAlert', 'ASimProcessEventLogs',
];
const FUNCTIONS = {
  imProcessCreate: 'ProcessEvent', imProcessTerminate: 'ProcessEvent', imFileEvent: 'FileEvent', imRegistry: 'RegistryEvent', imNetworkSession: 'NetworkSession',
  imDns: 'Dns', imWebSession: 'WebSession', imAuthentication: 'Authentication', imAuditEvent: 'AuditEvent', imUserManagement: 'UserManagement', imDhcpEvent: 'DhcpEvent',
};

const out = { tables: {}, functions: {} };
for (const r of csv(readFileSync(join(dir, 'la_table_schemas.csv'), 'utf8'))) {
  if (!TABLES.includes(r.table_name)) continue;
  (out.tables[r.table_name] ??= {})[r.column_name] = r.column_type;
}
const asim = csv(readFileSync(join(dir, 'asim_fields.csv'), 'utf8'));
for (const [fn, schema] of Object.entries(FUNCTIONS)) {
  const cols = {};
  for (const r of asim) if (r.schema === schema || r.schema === 'Common') cols[r.field_name] = (r.physical_type || 'string').toLowerCase().replace('date/time', 'datetime').replace('integer', 'int').replace('boolean', 'bool');
  out.functions[fn] = cols;
}
const missing = TABLES.filter((t) => !out.tables[t]);
writeFileSync('src/translate/schemas/kql-tables.json', JSON.stringify(out, null, 1) + '\n');
console.log(`tables ${Object.keys(out.tables).length} (missing: ${missing.join(', ') || 'none'}), functions ${Object.keys(out.functions).length}`);
