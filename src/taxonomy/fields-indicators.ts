/**
 * Indicators with canonical fields and the value normalizations that let vendors meet.
 *
 * Field names alone do not make a Sigma rule and a Splunk rule that look for the same thing
 * share an indicator: they also phrase the value differently. Three normalizations, each sound
 * for the fields they apply to:
 *
 * 1. **Literal regex → affix** (replaces the indicator). A regex whose alternatives are plain text
 *    with optional `^` / `$` anchors and unanchored `.*` ends is exactly a set of affix tests:
 *    `ngrok\.exe` is `contains ngrok.exe`, `\\ngrok\.exe$` `endswith \ngrok.exe`, `^a$` `eq a`.
 *    One indicator per alternative; `(?i)` or a case-insensitive match makes them
 *    case-insensitive. Anything else (classes, quantifiers, `.`) stays a `regex` indicator.
 * 2. **Path suffix → name** (adds an indicator). On a path field that always holds a full path
 *    (process.executable, file.path, dll.path, ... : `nameField` in fields.yml), `endswith
 *    '\ngrok.exe'` (or `/`) holds exactly when the last component is `ngrok.exe`, and `eq` with a
 *    full path fixes the last component too: so Sigma `Image|endswith: '\ngrok.exe'` also yields
 *    `process.name eq ngrok.exe`, the indicator of Splunk `process_name=ngrok.exe` and ECS
 *    `process.name : "ngrok.exe"`. Suffixes without a leading separator (`endswith 'grok.exe'`)
 *    say nothing about the whole name and are left alone.
 * 3. **Hash list → hash field** (adds an indicator). Sysmon `Hashes` is `MD5=..,SHA256=..`; a
 *    test for `SHA256=<64 hex digits>` (contains, eq, startswith, endswith) is a test of the
 *    SHA-256, so it also yields `process.hash.sha256 eq <hex>` (lower case), the field XDR,
 *    ASIM, ECS and UDM record hashes in. The length must fit the algorithm.
 *
 * 4. **Argument → command line** (adds an indicator). An element of ECS `process.args` is text of
 *    the command line, so `process.args : "-enc"` also yields `process.command_line contains
 *    -enc` (fields with `within` in fields.yml), where Sigma `CommandLine|contains` rules are.
 *
 * Derived indicators carry `derived` and never duplicate one the rule already has.
 */
import { alternatives } from '../lint/regex-parts.js';
import { extractIndicators, type FieldCanonicalizer, type Indicator, type Rule } from '../model/index.js';
import { fieldCanonicalizer } from './fields-context.js';
import { fieldTaxonomy, type FieldTaxonomy } from './fields.js';

export interface CanonicalIndicator extends Indicator {
  /** Set on an indicator the normalization added beside the rule's own. */
  derived?: 'name-from-path' | 'hash-from-list' | 'arg-in-command-line';
  /** The regex a literal-regex indicator was rewritten from. */
  regex?: string;
}

const HASH_LENGTH: Record<string, number> = { md5: 32, sha1: 40, sha256: 64, imphash: 32 };
const AFFIX_OPS = new Set(['contains', 'eq', 'startswith', 'endswith']);

/** Every indicator of a rule, with canonical fields and normalized values. */
export function canonicalIndicators(rule: Rule, canonical: FieldCanonicalizer = defaultCanonicalizer(), taxonomy: FieldTaxonomy = fieldTaxonomy()): CanonicalIndicator[] {
  return normalizeIndicators(extractIndicators(rule, canonical), taxonomy);
}

let shared: FieldCanonicalizer | undefined;
function defaultCanonicalizer(): FieldCanonicalizer {
  shared ??= fieldCanonicalizer();
  return shared;
}

/** Applies the normalizations above to indicators whose fields are already canonical. */
export function normalizeIndicators(indicators: readonly Indicator[], taxonomy: FieldTaxonomy = fieldTaxonomy()): CanonicalIndicator[] {
  const out: CanonicalIndicator[] = [];
  for (const ind of indicators) {
    if (ind.operator === 'regex') {
      const affixes = literalRegex(ind);
      if (affixes) out.push(...affixes);
      else out.push(ind);
    } else out.push(ind);
  }
  const seen = new Set(out.map(key));
  const n = out.length;
  for (let i = 0; i < n; i++) {
    const ind = out[i]!;
    const info = taxonomy.fields.get(ind.field);
    if (!info) continue;
    const extra = info.nameField ? nameFromPath(ind, info.nameField) : info.hashes ? hashFromList(ind, info.hashes) : info.within ? argInText(ind, info.within) : undefined;
    if (extra && !seen.has(key(extra))) {
      seen.add(key(extra));
      out.push(extra);
    }
  }
  return out;
}

function key(i: Indicator): string {
  return `${i.stage}\u0000${i.field}\u0000${i.operator}\u0000${i.value}\u0000${i.negated}`;
}

function nameFromPath(ind: Indicator, nameField: string): CanonicalIndicator | undefined {
  if (ind.operator !== 'endswith' && ind.operator !== 'eq') return undefined;
  const v = ind.value;
  const cut = Math.max(v.lastIndexOf('\\'), v.lastIndexOf('/'));
  // endswith needs the separator first (`\ngrok.exe`); eq needs a directory part at all.
  if (ind.operator === 'endswith' ? cut !== 0 : cut < 0) return undefined;
  const name = v.slice(cut + 1);
  if (!name || /[*?]/.test(name)) return undefined;
  const display = ind.display.slice(Math.max(ind.display.lastIndexOf('\\'), ind.display.lastIndexOf('/')) + 1);
  return { ...ind, field: nameField, operator: 'eq', value: name, display, derived: 'name-from-path' };
}

function argInText(ind: Indicator, within: string): CanonicalIndicator | undefined {
  if (ind.operator !== 'eq' && ind.operator !== 'contains') return undefined;
  return { ...ind, field: within, operator: 'contains', derived: 'arg-in-command-line' };
}

function hashFromList(ind: Indicator, hashes: Readonly<Record<string, string>>): CanonicalIndicator | undefined {
  if (!AFFIX_OPS.has(ind.operator)) return undefined;
  const m = /^,?([a-z0-9]+)=([0-9a-f]+),?$/i.exec(ind.display.trim());
  if (!m) return undefined;
  const algo = m[1]!.toLowerCase();
  const field = hashes[algo];
  if (!field || m[2]!.length !== HASH_LENGTH[algo]) return undefined;
  const hex = m[2]!.toLowerCase();
  return { ...ind, field, operator: 'eq', value: hex, display: m[2]!, caseSensitive: false, derived: 'hash-from-list' };
}

/** The affix indicators a literal regex stands for, or undefined when it is not one. */
function literalRegex(ind: Indicator): CanonicalIndicator[] | undefined {
  let src = ind.display;
  let insensitive = !ind.caseSensitive;
  const flag = /^\(\?([a-z]+)\)/.exec(src);
  if (flag) {
    if (/[^ims]/.test(flag[1]!)) return undefined;
    if (flag[1]!.includes('i')) insensitive = true;
    if (flag[1]!.includes('m')) return undefined;
    src = src.slice(flag[0].length);
  }
  const parts = alternatives(src);
  const out: CanonicalIndicator[] = [];
  for (const alt of parts) {
    const a = affix(alt);
    if (!a) return undefined;
    out.push({ ...ind, operator: a.op, value: insensitive ? a.text.toLowerCase() : a.text, display: a.text, caseSensitive: !insensitive, regex: ind.display });
  }
  return out.length ? out : undefined;
}

function affix(alt: string): { op: string; text: string } | undefined {
  let s = alt;
  let start = false;
  let end = false;
  if (s.startsWith('^')) {
    start = true;
    s = s.slice(1);
  } else if (s.startsWith('.*')) s = s.slice(2);
  if (s.endsWith('$') && !isEscaped(s, s.length - 1)) {
    end = true;
    s = s.slice(0, -1);
  } else if (s.endsWith('.*') && !isEscaped(s, s.length - 2)) s = s.slice(0, -2);
  let text = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') {
      const n = s[i + 1];
      // An escaped punctuation character is itself; `\d`, `\s`, `\b`, `\x41` ... are not literal.
      if (n === undefined || /[A-Za-z0-9]/.test(n)) return undefined;
      text += n;
      i++;
    } else if ('.[](){}*+?|^$'.includes(c)) return undefined;
    else text += c;
  }
  if (!text) return undefined;
  return { op: start && end ? 'eq' : start ? 'startswith' : end ? 'endswith' : 'contains', text };
}

function isEscaped(s: string, i: number): boolean {
  let n = 0;
  for (let j = i - 1; j >= 0 && s[j] === '\\'; j--) n++;
  return n % 2 === 1;
}
