import { coverageCells, type CoverageMatrix } from './coverage.js';

const SEVERITY_ORDER = ['informational', 'low', 'medium', 'high', 'critical'];

/**
 * The coverage matrix as CSV (RFC 4180: CRLF line ends, fields quoted when they hold a comma,
 * quote or line break). One line per (tactic, technique or sub-technique) cell, covered or not,
 * with one column per rule source and per severity seen in the input.
 */
export function coverageCsv(matrix: CoverageMatrix): string {
  const cells = coverageCells(matrix);
  const sources = [...new Set(cells.flatMap((c) => Object.keys(c.bySource)))].sort();
  const severities = [...new Set(cells.flatMap((c) => Object.keys(c.bySeverity)))].sort(
    (a, b) => rank(a) - rank(b) || (a < b ? -1 : 1),
  );
  const gapIds = new Set(matrix.gaps.map((g) => g.techniqueId));
  const tacticIds = new Map(matrix.columns.map((c) => [c.tactic.shortname, c.tactic.id]));
  const withSubs = new Map<string, number>();
  for (const column of matrix.columns) {
    for (const row of column.rows) withSubs.set(`${row.tactic}|${row.techniqueId}`, row.countWithSubtechniques);
  }

  const header = [
    'tactic',
    'tactic_id',
    'technique_id',
    'technique_name',
    'is_subtechnique',
    'parent_id',
    'rules',
    'rules_with_subtechniques',
    ...sources.map((s) => `source:${s}`),
    ...severities.map((s) => `severity:${s}`),
    'indirect_rules',
    'detection_strategies',
    'gap',
  ];
  const lines = [header.map(field).join(',')];
  for (const c of cells) {
    lines.push(
      [
        c.tactic,
        tacticIds.get(c.tactic) ?? '',
        c.techniqueId,
        c.name,
        c.isSubtechnique ? 'true' : 'false',
        c.parentId ?? '',
        String(c.count),
        c.isSubtechnique ? '' : String(withSubs.get(`${c.tactic}|${c.techniqueId}`) ?? c.count),
        ...sources.map((s) => String(c.bySource[s] ?? 0)),
        ...severities.map((s) => String(c.bySeverity[s] ?? 0)),
        String(c.indirectRuleIds.length),
        c.detectionStrategyIds.join(' '),
        gapIds.has(c.techniqueId) ? 'true' : 'false',
      ]
        .map(field)
        .join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}

function rank(severity: string): number {
  const i = SEVERITY_ORDER.indexOf(severity);
  return i === -1 ? SEVERITY_ORDER.length : i;
}

function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
