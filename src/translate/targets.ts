import type { Backend } from './backends/base.js';
import { EqlBackend, EsqlBackend, LuceneBackend } from './backends/elastic.js';
import { KqlBackend } from './backends/kql.js';
import { SplBackend, SplunkCimBackend } from './backends/spl.js';
import { SQL_DIALECTS, SqlBackend } from './backends/sql.js';
import type { Language } from './types.js';

/** A conversion target: a backend (language) and the pipelines that say where data lives. */
export interface Target {
  name: string;
  language: Language;
  description: string;
  pipelines: string[];
  backend: Backend;
}

const kql = new KqlBackend();

const TARGETS: Target[] = [
  { name: 'kql-sentinel', language: 'kql', description: 'Microsoft Sentinel KQL over native tables (SecurityEvent, WindowsEvent, AWSCloudTrail, AzureActivity, AuditLogs, SigninLogs, OfficeActivity, W3CIISLog, ...)', pipelines: ['kql-sentinel'], backend: kql },
  { name: 'kql-asim', language: 'kql', description: 'Microsoft Sentinel KQL over ASIM parsers (imProcessCreate, imFileEvent, imRegistry, imNetworkSession, imDns, imWebSession, imAuthentication)', pipelines: ['kql-asim'], backend: kql },
  { name: 'kql-xdr', language: 'kql', description: 'Microsoft Defender XDR advanced hunting (DeviceProcessEvents, DeviceFileEvents, DeviceRegistryEvents, DeviceNetworkEvents, DeviceImageLoadEvents, DeviceEvents)', pipelines: ['kql-xdr'], backend: kql },
  { name: 'splunk', language: 'spl', description: 'Splunk SPL over raw events (Windows: Splunk Add-on for Microsoft Windows)', pipelines: ['splunk'], backend: new SplBackend() },
  { name: 'splunk-cim', language: 'spl', description: 'Splunk CIM data models with tstats (Endpoint, Network_Traffic, Network_Resolution, Web)', pipelines: ['splunk-cim'], backend: new SplunkCimBackend() },
  { name: 'lucene', language: 'lucene', description: 'Elasticsearch query string (Lucene) over ECS', pipelines: ['ecs'], backend: new LuceneBackend() },
  { name: 'esql', language: 'esql', description: 'Elasticsearch ES|QL over ECS', pipelines: ['ecs'], backend: new EsqlBackend() },
  { name: 'eql', language: 'eql', description: 'Elasticsearch EQL over ECS', pipelines: ['ecs'], backend: new EqlBackend() },
  { name: 'sqlite', language: 'sql', description: 'SQLite over a flat events table', pipelines: ['sql'], backend: new SqlBackend(SQL_DIALECTS.sqlite) },
  { name: 'duckdb', language: 'sql', description: 'DuckDB over a flat events table', pipelines: ['sql'], backend: new SqlBackend(SQL_DIALECTS.duckdb) },
  { name: 'postgres', language: 'sql', description: 'PostgreSQL over a flat events table', pipelines: ['sql'], backend: new SqlBackend(SQL_DIALECTS.postgres) },
  { name: 'clickhouse', language: 'sql', description: 'ClickHouse over a flat events table', pipelines: ['sql'], backend: new SqlBackend(SQL_DIALECTS.clickhouse) },
];

export function targets(): Target[] {
  return TARGETS;
}

export function target(name: string): Target {
  const t = TARGETS.find((x) => x.name === name);
  if (!t) throw new Error(`unknown target '${name}' (use ${TARGETS.map((x) => x.name).join(', ')})`);
  return t;
}
