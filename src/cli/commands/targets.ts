import { builtinPipelineIds, loadPipeline } from '../../translate/pipeline/load.js';
import { targets } from '../../translate/targets.js';
import { writeOut } from '../output/write.js';

/** `ruleatlas targets`: the conversion targets and the built-in pipelines. */
export async function targetsCommand(opts: { json?: boolean }): Promise<number> {
  const ts = targets().map((t) => ({ name: t.name, language: t.language, description: t.description, pipelines: t.pipelines }));
  const ps = builtinPipelineIds().map((id) => {
    const p = loadPipeline(id);
    return { id: p.id, title: p.title, languages: p.languages, sources: p.sources.filter((s) => !s.error).length };
  });
  if (opts.json) {
    await writeOut(JSON.stringify({ targets: ts, pipelines: ps }, null, 2) + '\n');
    return 0;
  }
  const lines = ['Targets:', ...ts.map((t) => `  ${t.name.padEnd(14)} ${t.language.padEnd(7)} ${t.description}`), '', 'Pipelines:', ...ps.map((p) => `  ${p.id.padEnd(14)} ${p.title} (${p.sources} log sources)`)];
  await writeOut(lines.join('\n') + '\n');
  return 0;
}
