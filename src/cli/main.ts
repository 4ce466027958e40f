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
