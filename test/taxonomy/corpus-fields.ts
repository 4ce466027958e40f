/**
 * Field usages of each corpus, for the taxonomy's coverage figures: (rule, field as written,
 * vocabularies, context). Sigma and Splunk go through their readers. Elastic, Sentinel and
 * Chronicle have no reader in the tree yet, so a small scanner reads field names out of the query
 * text (names before a comparison operator); its figures are approximate and the test says so.
 * Independent of the taxonomy: nothing here reads fields.yml.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsyaml from 'js-yaml';
import { parse as parseToml } from 'smol-toml';
import { readSigma } from '../../src/formats/sigma/index.js';
import { readSplunkCorpus } from '../../src/formats/splunk/index.js';
import { walkExpr, type Rule } from '../../src/model/index.js';
import { listFiles, SHARED, SIGMA, SIGMA_RULE_DIRS } from '../helpers.js';

const CORPORA = join(SHARED, 'corpora');

export function sigmaRules(): Rule[] {
  const out: Rule[] = [];
  for (const d of SIGMA_RULE_DIRS) for (const f of listFiles(join(SIGMA, d))) out.push(...readSigma(readFileSync(f, 'utf8'), { file: f }));
  return out;
}

export function splunkRules(): Rule[] {
  return readSplunkCorpus(join(CORPORA, 'splunk')).rules;
}

/** The field of every `match`, `compare`, `exists` and `fieldref` of a rule's filtering stages. */
export function readerUsages(rule: Rule): string[] {
  const out: string[] = [];
  for (const s of rule.logic) {
    if (!s.filter) continue;
    walkExpr(s.filter, (n) => {
      if (n.kind === 'match' || n.kind === 'compare' || n.kind === 'exists') out.push(n.field);
      else if (n.kind === 'fieldref') out.push(n.field, n.other);
    });
  }
  return out;
}

/** A rule of another format that only carries what the context reading needs. */
function stub(format: Rule['format'], id: string, logic: Rule['logic'], dataSources: string[] = []): Rule {
  return { id, nativeId: null, format, kind: 'detection', source: { corpus: format, path: id }, title: id, tags: [], attack: { tactics: [], techniques: [], groups: [], software: [] }, dataSources, references: [], falsePositives: [], body: '', bodySpan: { start: 0, end: 0 }, logic, diagnostics: [] };
}

const stage = (text: string, args?: Record<string, unknown>, filter?: Rule['logic'][number]['filter']): Rule['logic'][number] => ({ index: 0, command: 'query', role: 'source', text, span: { start: 0, end: text.length }, ...(args ? { args } : {}), ...(filter ? { filter } : {}) });
const eq = (field: string, values: string[]): NonNullable<Rule['logic'][number]['filter']> => ({ kind: 'or', span: { start: 0, end: 0 }, args: values.map((v) => ({ kind: 'match' as const, field, operator: 'eq' as const, values: [v], all: false, caseSensitive: false, span: { start: 0, end: 0 } })) });

function walkFiles(dir: string, ext: RegExp): string[] {
  const out: string[] = [];
  const visit = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) visit(p);
      else if (ext.test(e.name)) out.push(p);
    }
  };
  visit(dir);
  return out.sort();
}

/** Elastic detection rules: dotted field names before an EQL / kuery / ES|QL comparison. */
export function elasticUsages(): Array<{ rule: Rule; field: string }> {
  const out: Array<{ rule: Rule; field: string }> = [];
  const FIELD = /(?<![\w.@"'`$])([A-Za-z_@][\w@]*(?:\.[\w@-]+)+)\s*(?=:|==|!=|>=|<=|[<>]|\s(?:like~?|in~?|regex~?|rlike|not\s+in)\b)/g;
  for (const dir of ['rules', 'rules_building_block']) {
    for (const file of walkFiles(join(CORPORA, 'elastic', dir), /\.toml$/)) {
      let doc: Record<string, unknown>;
      try {
        doc = parseToml(readFileSync(file, 'utf8')) as Record<string, unknown>;
      } catch {
        continue;
      }
      const r = (doc.rule ?? {}) as Record<string, unknown>;
      const query = typeof r.query === 'string' ? r.query : '';
      if (!query || r.type === 'machine_learning') continue;
      // Quoted strings hold values, not fields.
      const text = query.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
      const categories = [...text.matchAll(/\b([a-z_]+)\s+where\b/g)].map((m) => m[1]!).filter((c) => c !== 'any');
      const cats = [...query.matchAll(/event\.category\s*(?::|==)\s*\(?\s*"?([a-z_]+)"?/g)].map((m) => m[1]!);
      const datasets = [...query.matchAll(/(?:event|data_stream)\.dataset\s*(?::|==)\s*"?([\w.]+)"?/g)].map((m) => m[1]!);
      const rule = stub('elastic', file, [stage(categories.map((c) => `${c} where`).join(' '), undefined, eq('event.category', [...cats, ...datasets]))]);
      for (const m of text.matchAll(FIELD)) {
        const f = m[1]!;
        if (/^\d/.test(f) || /\.(exe|dll|com|sys|ps1|bat|js)$/i.test(f)) continue;
        out.push({ rule, field: f });
      }
    }
  }
  return out;
}

/** Chronicle YARA-L: `$var.udm.path` references in the `events:` section. */
export function chronicleUsages(): Array<{ rule: Rule; field: string }> {
  const out: Array<{ rule: Rule; field: string }> = [];
  for (const file of walkFiles(join(CORPORA, 'chronicle', 'rules'), /\.yaral$/)) {
    const text = readFileSync(file, 'utf8').replace(/\/\/[^\n]*/g, '');
    const events = /\bevents:([\s\S]*?)(?:\n\s*(?:match|outcome|condition|options):)/.exec(text)?.[1] ?? '';
    const types = [...events.matchAll(/metadata\.(?:event_type|log_type|product_name|vendor_name|product_event_type)\s*=\s*"([^"]+)"/g)].map((m) => m[1]!);
    const rule = stub('yaral', file, [stage('events', undefined, eq('metadata.event_type', types))]);
    for (const m of events.matchAll(/\$[A-Za-z_]\w*\.([a-z_][\w.]*)/g)) out.push({ rule, field: m[1]!.replace(/\.$/, '') });
  }
  return out;
}

/** Sentinel analytic rules: column names before a KQL predicate operator; tables from the query. */
export function sentinelUsages(): Array<{ rule: Rule; field: string }> {
  const out: Array<{ rule: Rule; field: string }> = [];
  const OP = String.raw`(?:\s*(?:==|=~|!=|!~|>=|<=|(?<![<>=!])[<>](?!=))|\s+!?(?:has_any|has_all|has_cs|has|contains_cs|contains|startswith|endswith|in~|in|matches\s+regex)(?![\w~]))`;
  const FIELD = new RegExp(String.raw`(?<![\w."'@])([A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*)${OP}`, 'g');
  const KEYWORDS = new Set(['and', 'or', 'not', 'let', 'where', 'project', 'extend', 'summarize', 'by', 'on', 'kind', 'ago', 'now', 'true', 'false', 'isnotempty', 'isempty', 'tostring', 'toint', 'todynamic', 'tolower', 'toupper', 'iff', 'case', 'count', 'dcount', 'bin', 'datetime', 'timespan', 'dynamic', 'set_has_element', 'array_length']);
  for (const dir of ['Detections', 'Solutions']) {
    for (const file of walkFiles(join(CORPORA, 'sentinel', dir), /\.ya?ml$/)) {
      let doc: unknown;
      try {
        doc = jsyaml.load(readFileSync(file, 'utf8'));
      } catch {
        continue;
      }
      if (!doc || typeof doc !== 'object' || typeof (doc as Record<string, unknown>).query !== 'string') continue;
      const query = ((doc as Record<string, unknown>).query as string).replace(/\/\/[^\n]*/g, '');
      const text = query.replace(/@?"(?:[^"\\]|\\.)*"|@?'(?:[^'\\]|\\.)*'/g, '""');
      // A table or parser function opens a statement, a union or a join, before a pipe.
      const TABLE = /(?:^|[|(;=,]|\bunion\b|\bjoin\b[^(]*\()\s*(_?[A-Za-z]\w*)\s*(?:\((?:[^()]|\([^()]*\))*\))?\s*(?=$|\||\)|,)/gm;
      const tables = [...new Set([...text.matchAll(TABLE)].map((m) => m[1]!).filter((t) => /^(?:[A-Z]|_?(?:Im|ASim)_?[A-Z]|im[A-Z]|vim[A-Z])/.test(t)))];
      const rule = stub('kql', file, [stage(tables[0] ?? '', { tables })]);
      for (const m of text.matchAll(FIELD)) {
        const f = m[1]!;
        if (KEYWORDS.has(f.toLowerCase()) || /^\d/.test(f)) continue;
        out.push({ rule, field: f });
      }
    }
  }
  return out;
}
