import type { Diagnostic, Rule } from '../../model/index.js';
import { VERSION } from '../../version.js';

/** SARIF 2.1.0 log of rule findings, one result per diagnostic, one reporting rule per code. */
export function toSarif(rules: Rule[]): object {
  const codes = new Map<string, Diagnostic>();
  const results: object[] = [];
  for (const r of rules) {
    for (const d of r.diagnostics) {
      if (!codes.has(d.code)) codes.set(d.code, d);
      results.push({
        ruleId: d.code,
        level: d.severity === 'info' ? 'note' : d.severity,
        message: { text: d.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: toUri(d.file) },
              region: { startLine: Math.max(1, d.line), startColumn: Math.max(1, d.column) },
            },
          },
        ],
        properties: { ruleDocument: r.id, title: r.title },
      });
    }
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'ruleatlas',
            version: VERSION,
            informationUri: 'https://github.com/ruleatlas/ruleatlas',
            rules: [...codes.keys()].sort().map((code) => ({
              id: code,
              name: code.replace(/[^A-Za-z0-9]+(.)/g, (_, c: string) => c.toUpperCase()),
              shortDescription: { text: code },
              defaultConfiguration: { level: levelOf(codes.get(code)!) },
            })),
          },
        },
        results,
      },
    ],
  };
}

function levelOf(d: Diagnostic): string {
  return d.severity === 'info' ? 'note' : d.severity;
}

function toUri(path: string): string {
  return path.split(/[\\/]/).map(encodeURIComponent).join('/');
}
