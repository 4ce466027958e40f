/**
 * Syntax highlighting on the server, as (class, text) tokens the page renders as escaped spans:
 * no client library, no HTML built from strings. Deliberately shallow: keys, strings, comments,
 * numbers, keywords and operators are what a reader's eye needs.
 */
export type Token = [cls: string, text: string];

export type HighlightLanguage = 'yaml' | 'toml' | 'spl' | 'kql' | 'sql' | 'lucene' | 'eql' | 'esql' | 'yaral' | 'text';

/** Texts beyond this are shown plain: highlighting is a nicety, not worth a slow page. */
const MAX_HIGHLIGHT = 200_000;

export function highlight(text: string, lang: HighlightLanguage): Token[] {
  if (text.length > MAX_HIGHLIGHT || lang === 'text') return [['', text]];
  if (lang === 'yaml') return yamlTokens(text);
  if (lang === 'toml') return tomlTokens(text);
  return queryTokens(text, KEYWORDS[lang] ?? KEYWORDS.sql!, lang);
}

// ---- YAML and TOML: line by line ----------------------------------------------------------

const YAML_KEY = /^(\s*)(- +)?([A-Za-z0-9_.|\-/ ]+?|"[^"]*"|'[^']*')(:)(?=\s|$)/;

function yamlTokens(text: string): Token[] {
  const out: Token[] = [];
  let blockIndent = -1;
  for (const line of text.split(/(?<=\n)/)) {
    const indent = line.length - line.trimStart().length;
    const trimmed = line.trim();
    if (blockIndent >= 0) {
      if (trimmed === '' || indent > blockIndent) {
        out.push(['s', line]);
        continue;
      }
      blockIndent = -1;
    }
    if (trimmed.startsWith('#')) {
      out.push(['c', line]);
      continue;
    }
    const m = YAML_KEY.exec(line);
    let rest = line;
    if (m) {
      out.push(['', m[1]!]);
      if (m[2]) out.push(['p', m[2]]);
      out.push(['k', m[3]!], ['p', m[4]!]);
      rest = line.slice(m[0].length);
    } else {
      const dash = /^(\s*)(- +)/.exec(line);
      if (dash) {
        out.push(['', dash[1]!], ['p', dash[2]!]);
        rest = line.slice(dash[0].length);
      }
    }
    if (/^\s*[|>][0-9+-]*\s*$/.test(rest)) blockIndent = indent;
    out.push(...yamlValue(rest));
  }
  return merge(out);
}

function yamlValue(rest: string): Token[] {
  const m = /^(\s*)(.*?)(\s+#.*)?(\r?\n)?$/s.exec(rest);
  if (!m) return [['', rest]];
  const [, lead = '', value = '', comment = '', nl = ''] = m;
  const out: Token[] = [['', lead]];
  if (/^(true|false|yes|no|null|~)$/i.test(value) || /^-?\d+(\.\d+)?$/.test(value)) out.push(['n', value]);
  else if (/^[|>][0-9+-]*$/.test(value) || /^[[\]{}]+$/.test(value)) out.push(['p', value]);
  else if (value) out.push(['s', value]);
  if (comment) out.push(['c', comment]);
  out.push(['', nl]);
  return out;
}

function tomlTokens(text: string): Token[] {
  const out: Token[] = [];
  for (const line of text.split(/(?<=\n)/)) {
    const t = line.trim();
    if (t.startsWith('#')) out.push(['c', line]);
    else if (/^\[.*\]$/.test(t)) out.push(['k', line]);
    else {
      const m = /^(\s*)([A-Za-z0-9_."-]+)(\s*=\s*)(.*)$/s.exec(line);
      if (m) out.push(['', m[1]!], ['k', m[2]!], ['p', m[3]!], ...yamlValue(m[4]!));
      else out.push(['s', line]);
    }
  }
  return merge(out);
}

// ---- query languages: one scanner, a keyword table per language -------------------------

const words = (s: string): Set<string> => new Set(s.split(/\s+/).filter(Boolean));

const KEYWORDS: Partial<Record<HighlightLanguage, Set<string>>> = {
  spl: words('search where tstats table stats eval rename fields bin bucket dedup sort head tail lookup inputlookup join append rex regex transaction streamstats eventstats timechart chart top rare fillnull makemv mvexpand multisearch from datamodel by as and or not in like match lower upper isnull isnotnull cidrmatch len values count dc min max sum avg earliest latest span TERM CASE AND OR NOT IN'),
  kql: words('let where extend project project-away project-rename summarize by join union parse on kind inner leftouter rightanti leftanti top take limit sort order asc desc distinct count countif dcount make_set make_list arg_max arg_min bin ago now has has_any has_all has_cs contains contains_cs startswith endswith matches regex in between isnotempty isempty isnull isnotnull and or not tolower toupper tostring toint datetime timespan strcat extract mv-expand evaluate invoke lookup render'),
  sql: words('select from where and or not in like ilike is null as on join left inner group by order having limit offset case when then else end distinct count regexp regexp_like match lower upper cast union all exists between'),
  lucene: words('AND OR NOT TO'),
  eql: words('any process file registry network where and or not in like regex sequence by with maxspan until sample'),
  esql: words('from where and or not in like rlike is null keep stats by eval sort limit metadata drop rename dissect grok mv_expand'),
  yaral: words('rule meta events match condition outcome over and or not nocase re regex net ip_in_range_cidr strings any all if count count_distinct max min sum array array_distinct'),
};

const TOKEN = /("(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?|`[^`\n]*`?)|(\/\/[^\n]*|#[^\n]*|--[^\n]*)|(\b\d+(?:\.\d+)?\b)|([A-Za-z_][A-Za-z0-9_.\-~]*)|(\|+|==|!=|=~|!~|<=|>=|[=<>!~(){}[\],:])/g;

function queryTokens(text: string, keywords: Set<string>, lang: HighlightLanguage): Token[] {
  const out: Token[] = [];
  let last = 0;
  const commentOk = (c: string): boolean => (c.startsWith('//') ? lang === 'kql' || lang === 'eql' || lang === 'esql' || lang === 'yaral' : c.startsWith('--') ? lang === 'sql' : lang === 'spl' ? false : lang !== 'kql');
  for (const m of text.matchAll(TOKEN)) {
    const at = m.index!;
    if (at > last) out.push(['', text.slice(last, at)]);
    const [whole, str, comment, num, word, op] = m;
    if (str) out.push([str.startsWith('`') ? 'm' : 's', str]);
    else if (comment) {
      if (commentOk(comment)) out.push(['c', comment]);
      else {
        out.push(['', comment[0]!]);
        last = at + 1;
        TOKEN.lastIndex = last;
        continue;
      }
    } else if (num) out.push(['n', num]);
    else if (word) out.push([keywords.has(word) || keywords.has(word.toLowerCase()) ? 'kw' : '', word]);
    else if (op) out.push(['p', op]);
    else out.push(['', whole]);
    last = at + whole.length;
  }
  if (last < text.length) out.push(['', text.slice(last)]);
  return merge(out);
}

/** Joins neighbouring tokens of one class, so the page has fewer spans. */
function merge(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (const t of tokens) {
    if (!t[1]) continue;
    const prev = out[out.length - 1];
    if (prev && prev[0] === t[0]) prev[1] += t[1];
    else out.push([t[0], t[1]]);
  }
  return out;
}

/** The highlighter language for a rule's original body, by rule format. */
export function bodyLanguage(format: string): HighlightLanguage {
  return format === 'elastic' ? 'toml' : format === 'yaral' ? 'yaral' : 'yaml';
}

/** The highlighter language for a query language (`kql`, `spl`, `sql`, ...). */
export function queryLanguage(language: string): HighlightLanguage {
  return (['kql', 'spl', 'sql', 'lucene', 'eql', 'esql', 'yaral'] as const).find((l) => l === language) ?? 'text';
}
