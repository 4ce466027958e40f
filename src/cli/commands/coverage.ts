import { writeFileSync } from 'node:fs';
import { buildCoverage, coverageCsv, defaultAttackBundle, loadResolver, toNavigatorLayer } from '../../attack/index.js';
import { writeOut } from '../output/write.js';
import { openCatalog } from './catalog-store.js';

export interface CoverageCommandOptions {
  db?: string;
  source?: string;
  dataSource?: string[];
  platform?: string[];
  layer?: string;
  csv?: string;
  attack?: string;
  json?: boolean;
}

/**
 * `ruleatlas coverage`: the ATT&CK matrix of the catalog's rules (optionally of one source, or of
 * only the rules whose data sources the user collects), written as a Navigator 4.5 layer and/or
 * CSV, with a summary on stdout.
 */
export function coverageCommand(opts: CoverageCommandOptions): number {
  const found = opts.attack ? { bundle: opts.attack, hints: undefined } : defaultAttackBundle();
  if (!found) {
    console.error('ruleatlas coverage: no ATT&CK bundle (give --attack FILE or set RULEATLAS_ATTACK)');
    return 1;
  }
  const cat = openCatalog('coverage', opts.db);
  if (!cat) return 1;
  try {
    let rules = cat.data.coverageRules(opts.source ? { source: opts.source } : {});
    if (opts.source && rules.length === 0) {
      console.error(`ruleatlas coverage: no rules from source '${opts.source}' (sources: ${cat.data.summary().sources.map((s) => s.name).join(', ')})`);
      return 1;
    }
    if (opts.dataSource?.length) {
      // "Only the rules whose data sources I collect": a rule counts when one of its data sources
      // contains one of the given names (case-insensitive), e.g. `sysmon`, `Security 4688`.
      const wanted = opts.dataSource.map((d) => d.toLowerCase());
      rules = rules.filter((r) => (r.dataSources ?? []).some((d) => wanted.some((w) => d.toLowerCase().includes(w))));
    }
    let resolver;
    try {
      resolver = loadResolver(found.bundle, found.hints);
    } catch (e) {
      console.error(`ruleatlas coverage: cannot read the ATT&CK bundle ${found.bundle}: ${(e as Error).message}`);
      return 1;
    }
    const matrix = buildCoverage(resolver.index, resolver, rules, opts.platform?.length ? { platforms: opts.platform } : {});
    const scope = [opts.source ? `source ${opts.source}` : 'all sources', ...(opts.dataSource?.length ? [`data sources ${opts.dataSource.join(', ')}`] : []), ...(opts.platform?.length ? [`platforms ${opts.platform.join(', ')}`] : [])].join('; ');
    if (opts.layer) {
      const layer = toNavigatorLayer(matrix, resolver.index, {
        name: `RuleAtlas coverage (${scope})`,
        description: `Rule counts per technique from the RuleAtlas catalog: ${scope}.`,
        markGaps: true,
        ...(opts.platform?.length ? { platforms: opts.platform } : {}),
      });
      writeFileSync(opts.layer, JSON.stringify(layer, null, 2) + '\n');
    }
    if (opts.csv) writeFileSync(opts.csv, coverageCsv(matrix));
    const s = matrix.summary;
    if (opts.json) void writeOut(JSON.stringify({ scope, summary: s, gaps: matrix.gaps.length, unplaced: matrix.unplaced.length }) + '\n');
    else {
      void writeOut(
        [
          `ATT&CK ${matrix.attack.attack ?? ''} coverage, ${scope}`,
          `  rules: ${s.rules} (${s.rulesPlaced} placed in the matrix)`,
          `  techniques covered: ${s.techniquesCovered}, sub-techniques: ${s.subtechniquesCovered}`,
          `  gaps: ${s.gaps} of ${s.withDetectionStrategy} techniques with an ATT&CK detection strategy have no rule`,
          `  by source: ${Object.entries(s.bySource).map(([k, v]) => `${k} ${v}`).join(', ')}`,
          ...(opts.layer ? [`  Navigator layer: ${opts.layer}`] : []),
          ...(opts.csv ? [`  CSV: ${opts.csv}`] : []),
        ].join('\n') + '\n',
      );
    }
    return 0;
  } finally {
    cat.store.close();
  }
}
