import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';

/**
 * `ruleatlas <command>`. Each command's module is imported only when it runs, so start-up stays
 * fast whatever the command set grows to.
 */
const program = new Command();
program
  .name('ruleatlas')
  .description('Collect, understand, translate, test and map detection rules through one intermediate form.')
  .version(VERSION, '-V, --version')
  .showHelpAfterError()
  .exitOverride();

program
  .command('explain')
  .description('Explain a rule: its stages, predicates, indicators, search terms and findings')
  .argument('<file>', 'rule file')
  .option('--json', 'print the rule in the intermediate form (an array when the file holds several documents)')
  .action(async (file: string, opts: { json?: boolean }) => {
    const { explain } = await import('./commands/explain.js');
    process.exitCode = explain(file, opts);
  });

program
  .command('lint')
  .description('Check rules and report findings with file, line and column')
  .argument('<paths...>', 'rule files or folders (searched recursively)')
  .option('--format <format>', 'text, ndjson or sarif', 'text')
  .option('--logsource-fields <file>', "allowed fields per logsource (default: the nearest SigmaHQ tests/logsource.json)")
  .option('--attack <file>', 'ATT&CK STIX bundle to check tags against (default: $RULEATLAS_ATTACK or ../shared/attack/enterprise-attack.json)')
  .option('--no-attack', 'do not check tags against ATT&CK')
  .action(async (paths: string[], opts: { format: string; logsourceFields?: string; attack?: string | boolean }) => {
    const { lint } = await import('./commands/lint.js');
    process.exitCode = await lint(paths, opts);
  });

program
  .command('convert')
  .description('Translate Sigma rules into a query language, with a fidelity report for every query')
  .requiredOption('-t, --target <target>', 'target (see `ruleatlas targets`)')
  .option('-p, --pipeline <pipeline...>', 'extra pipelines (built-in ids or YAML files), applied before the target\'s own')
  .option('--format <format>', 'text or ndjson', 'text')
  .argument('<paths...>', 'rule files or folders (searched recursively)')
  .action(async (paths: string[], opts: { target: string; pipeline?: string[]; format: string }) => {
    const { convertCommand } = await import('./commands/convert.js');
    process.exitCode = await convertCommand(paths, opts);
  });

program
  .command('targets')
  .description('List conversion targets and pipelines')
  .option('--json', 'print as JSON')
  .action(async (opts: { json?: boolean }) => {
    const { targetsCommand } = await import('./commands/targets.js');
    process.exitCode = await targetsCommand(opts);
  });

program
  .command('hunt')
  .description('Run rules over event logs (EVTX, JSON lines, JSON arrays, flat JSON; gzipped too) and print the hits')
  .requiredOption('--rules <paths...>', 'rule files or folders (searched recursively)')
  .requiredOption('--events <paths...>', 'event files or folders (.evtx, .jsonl, .ndjson, .json, and .gz of each)')
  .option('--format <format>', 'table (a timeline and a summary), ndjson or csv', 'table')
  .option('--from <time>', 'only events at or after this time (ISO 8601)')
  .option('--to <time>', 'only events at or before this time (ISO 8601)')
  .option('--min-level <level>', 'only hits of rules at this level or above (informational, low, medium, high, critical)')
  .action(async (opts: { rules: string[]; events: string[]; format: string; from?: string; to?: string; minLevel?: string }) => {
    const { hunt } = await import('./commands/hunt.js');
    process.exitCode = await hunt(opts);
  });

program
  .command('ingest')
  .description('Build or refresh the catalog store from a folder of corpora (unchanged sources are left alone)')
  .option('--corpora <dir>', 'folder of corpus folders (default: $RULEATLAS_CORPORA or ../shared/corpora)')
  .option('--db <file>', 'catalog store (default: $RULEATLAS_DB or .data/atlas.db)')
  .option('--json', 'print the summary as one JSON object')
  .option('--force', 're-read every corpus even when nothing changed')
  .action(async (opts: { corpora?: string; db?: string; json?: boolean; force?: boolean }) => {
    const { ingestCommand } = await import('./commands/ingest.js');
    process.exitCode = await ingestCommand(opts);
  });

program
  .command('show')
  .description('Show a rule of the catalog: logic, indicators with corpus counts, enrichment sections, provenance')
  .argument('<rule-id>', 'rule id: <source>:<native id>, e.g. sigma:ee37eb7c-a4e7-4cd5-8fa4-efa27f1c3f31')
  .option('--db <file>', 'catalog store (default: $RULEATLAS_DB or .data/atlas.db)')
  .option('--json', 'print as JSON')
  .option('--ir', 'with --json: include the rule in the intermediate form')
  .option('--export <format>', 'print the rule in the catalog exchange schema (seed 002): yaml or json')
  .action(async (id: string, opts: { db?: string; json?: boolean; ir?: boolean; export?: string }) => {
    const { showCommand } = await import('./commands/show.js');
    process.exitCode = await showCommand(id, opts);
  });

program
  .command('search')
  .description('Full-text search over the catalog (titles, descriptions, tags, indicator values)')
  .argument('<query>', 'words to look for')
  .option('--db <file>', 'catalog store (default: $RULEATLAS_DB or .data/atlas.db)')
  .option('--source <source>', 'only rules of this source')
  .option('--limit <n>', 'at most this many rules', '50')
  .option('--json', 'print as JSON')
  .action(async (query: string, opts: { db?: string; json?: boolean; limit: string; source?: string }) => {
    const { searchCommand } = await import('./commands/search.js');
    process.exitCode = searchCommand(query, opts);
  });

program
  .command('indicators')
  .description('The most shared indicators of the catalog: field, operator, value, and how many rules look for it')
  .option('--db <file>', 'catalog store (default: $RULEATLAS_DB or .data/atlas.db)')
  .option('--top <n>', 'how many', '25')
  .option('--field <field>', 'only indicators on this field')
  .option('--operator <op>', 'only indicators with this operator')
  .option('--json', 'print as JSON')
  .action(async (opts: { db?: string; top: string; field?: string; operator?: string; json?: boolean }) => {
    const { indicatorsCommand } = await import('./commands/indicators.js');
    process.exitCode = indicatorsCommand(opts);
  });

program
  .command('coverage')
  .description('ATT&CK coverage of the catalog: a Navigator 4.5 layer and/or CSV, and a summary')
  .option('--db <file>', 'catalog store (default: $RULEATLAS_DB or .data/atlas.db)')
  .option('--source <source>', 'only rules of this source')
  .option('--data-source <names...>', 'only rules whose data sources contain one of these (the data you collect)')
  .option('--platform <names...>', 'only techniques of these ATT&CK platforms (Windows, Linux, IaaS, ...)')
  .option('--layer <file>', 'write an ATT&CK Navigator layer (format 4.5)')
  .option('--csv <file>', 'write the matrix as CSV')
  .option('--attack <file>', 'ATT&CK STIX bundle (default: $RULEATLAS_ATTACK or ../shared/attack/enterprise-attack.json)')
  .option('--json', 'print the summary as JSON')
  .action(async (opts: { db?: string; source?: string; dataSource?: string[]; platform?: string[]; layer?: string; csv?: string; attack?: string; json?: boolean }) => {
    const { coverageCommand } = await import('./commands/coverage.js');
    process.exitCode = coverageCommand(opts);
  });

const corpora = program.command('corpora').description('The upstream rule corpora RuleAtlas reads, pinned at known commits');
corpora
  .command('list')
  .description('List the pinned corpora')
  .action(async () => {
    const { corporaListCommand } = await import('./commands/corpora.js');
    process.exitCode = corporaListCommand();
  });
corpora
  .command('fetch')
  .description('Download the corpora at their pinned commits (for machines without ../shared/corpora)')
  .option('--dest <dir>', 'folder of corpus folders to write (default: .data/corpora)')
  .option('--source <names...>', 'only these corpora (sigma, splunk, elastic, sentinel, chronicle)')
  .option('--base-url <url>', 'archive host in GitHub codeload layout (default: https://codeload.github.com)')
  .action(async (opts: { dest?: string; source?: string[]; baseUrl?: string }) => {
    const { corporaFetchCommand } = await import('./commands/corpora.js');
    process.exitCode = await corporaFetchCommand(opts);
  });

program
  .command('serve')
  .description('Serve the web app and JSON API over the catalog (ingests first when the store is missing or stale)')
  .option('--db <file>', 'catalog store (SQLite)')
  .option('--port <n>', 'port to listen on (0 picks a free one)', '8080')
  .option('--host <host>', 'address to listen on', '127.0.0.1')
  .option('--corpora <dir>', 'corpora to ingest from when the store is missing or stale (default: ../shared/corpora)')
  .action(async (opts: { db?: string; port: string; host: string; corpora?: string }) => {
    const { serveCommand } = await import('./commands/serve.js');
    process.exitCode = await serveCommand(opts);
  });

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // Help and version are successes; everything else commander rejects is a usage error.
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else {
    console.error(`ruleatlas: ${(e as Error).stack ?? e}`);
    process.exitCode = 1;
  }
}
