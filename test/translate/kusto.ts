import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { SHARED } from '../helpers.js';

/**
 * Kusto's own language service (@kusto/language-service-next), loaded with the columns of the
 * Sentinel, Defender XDR and ASIM tables from ../shared (la_table_schemas.csv, asim_fields.csv):
 * an independent check that the KQL we write parses and refers only to real columns.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
const require = createRequire(import.meta.url);

function csv(text: string): Array<Record<string, string>> {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (q) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') q = false;
      else field += c;
    } else if (c === '"') q = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else if (c !== '\r') field += c;
  }
  if (field || row.length) {
    row.push(field);
    rows.push(row);
  }
  const [head, ...body] = rows;
  return body.map((r) => Object.fromEntries(head!.map((h, i) => [h, r[i] ?? ''])));
}

const ASIM_FUNCTIONS: Record<string, string> = {
  imProcessCreate: 'ProcessEvent', imFileEvent: 'FileEvent', imRegistry: 'RegistryEvent', imNetworkSession: 'NetworkSession',
  imDns: 'Dns', imWebSession: 'WebSession', imAuthentication: 'Authentication', imAuditEvent: 'AuditEvent', imUserManagement: 'UserManagement',
};

const KUSTO_TYPES = new Set(['string', 'int', 'long', 'real', 'bool', 'datetime', 'dynamic', 'guid', 'timespan', 'decimal']);

export interface KustoChecker {
  /** Diagnostics (errors and warnings) for a query; empty when it passes. */
  check(query: string): string[];
}

export function kustoChecker(): KustoChecker {
  require('@kusto/language-service-next/bridge.min.js');
  require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');
  const K = (globalThis as any).Kusto.Language;
  const S = K.Symbols;
  const dir = join(SHARED, 'corpora', 'sentinel-asim', 'sentinelninja');
  const tables = new Map<string, Array<[string, string]>>();
  for (const r of csv(readFileSync(join(dir, 'la_table_schemas.csv'), 'utf8'))) {
    const t = tables.get(r.table_name!) ?? [];
    t.push([r.column_name!, KUSTO_TYPES.has(r.column_type!) ? r.column_type! : 'string']);
    tables.set(r.table_name!, t);
  }
  const asim = csv(readFileSync(join(dir, 'asim_fields.csv'), 'utf8'));
  const schemaText = (cols: Array<[string, string]>): string => '(' + cols.map(([n, t]) => `['${n.replace(/'/g, "\\'")}']:${t}`).join(', ') + ')';
  const members: any[] = [];
  for (const [name, cols] of tables) members.push(new S.TableSymbol.$ctor7(name, schemaText(cols), null));
  for (const [fn, schema] of Object.entries(ASIM_FUNCTIONS)) {
    const seen = new Set<string>();
    const cols: Array<[string, string]> = [];
    for (const r of asim) {
      if ((r.schema !== schema && r.schema !== 'Common') || seen.has(r.field_name!)) continue;
      seen.add(r.field_name!);
      const t = (r.physical_type || 'string').toLowerCase().replace('date/time', 'datetime').replace('integer', 'int').replace('boolean', 'bool');
      cols.push([r.field_name!, KUSTO_TYPES.has(t) ? t : 'string']);
    }
    members.push(new S.FunctionSymbol.$ctor5(fn, new S.TableSymbol.$ctor7(fn + 'Result', schemaText(cols), null), []));
  }
  const globals = K.GlobalState.Default.WithDatabase(new S.DatabaseSymbol.ctor('sentinel', members));
  return {
    check(query: string): string[] {
      const code = K.KustoCode.ParseAndAnalyze(query, globals);
      const d = code.GetDiagnostics();
      const out: string[] = [];
      for (let i = 0; i < d.Count; i++) {
        const x = d.getItem(i);
        out.push(`${x.Severity} at ${x.Start}: ${x.Message}`);
      }
      return out;
    },
  };
}
