import { closeSync, openSync, readSync, fstatSync } from 'node:fs';
import { blankRule, DiagnosticSink, type Rule, type RuleFormat, type RuleSource } from '../model/index.js';
import { readSigma } from './sigma/index.js';
import type { ValidationContext } from './sigma/validators.js';
import { findSplunkMacros, readSplunk } from './splunk/index.js';

/** Rule files larger than this are refused with a finding: real rules are a few kilobytes. */
export const MAX_RULE_FILE_BYTES = 4 * 1024 * 1024;

export interface LoadOptions {
  source?: Partial<RuleSource>;
  idPrefix?: string;
  validation?: ValidationContext;
  maxBytes?: number;
}

/**
 * Reads one rule file from disk into rules. Never throws: an unreadable, oversized or non-UTF-8
 * file becomes one rule with an error finding, so a corpus run carries on.
 */
export function loadRuleFile(path: string, options: LoadOptions = {}): Rule[] {
  const max = options.maxBytes ?? MAX_RULE_FILE_BYTES;
  let text: string;
  try {
    const fd = openSync(path, 'r');
    try {
      const size = fstatSync(fd).size;
      if (size > max) return [failed(path, options, 'file.too-large', `the file is ${(size / 1048576).toFixed(1)} MB; rule files over ${(max / 1048576).toFixed(0)} MB are refused (a Sigma rule is a few KB)`)];
      const buf = Buffer.allocUnsafe(size);
      let off = 0;
      while (off < size) {
        const n = readSync(fd, buf, off, size - off, off);
        if (n === 0) break;
        off += n;
      }
      text = decodeUtf8(buf.subarray(0, off));
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    return [failed(path, options, 'file.unreadable', `cannot read the file: ${(e as Error).message}`)];
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const format = detectFormat(path, text);
  switch (format) {
    case 'splunk':
      return readSplunk(text, { file: path, ...options, macros: findSplunkMacros(path) ?? undefined });
    case 'sigma':
      return readSigma(text, { file: path, ...options });
    default:
      return [failed(path, options, 'reader.missing', `this looks like a ${format} rule, and RuleAtlas has no ${format} reader yet`, format)];
  }
}

/** The formats this build can read. */
export const READERS: ReadonlySet<RuleFormat> = new Set<RuleFormat>(['sigma', 'splunk']);

/**
 * The rule language of a file, from its extension and top-level keys: Elastic rules are TOML,
 * Chronicle rules `.yaral`; in YAML, Splunk Security Content has `search:` (or a catalog export's
 * `logic_format: Splunk`), a Sentinel analytic rule `query:`; anything else YAML is Sigma.
 */
export function detectFormat(path: string, text: string): RuleFormat {
  if (/\.toml$/i.test(path)) return 'elastic';
  if (/\.yaral$/i.test(path)) return 'yaral';
  if (/\.ya?ml$/i.test(path) || !/\.[a-z]+$/i.test(path)) {
    if (/^search:/m.test(text) || /^logic_format:\s*['"]?splunk/im.test(text)) return 'splunk';
    if (/^query:/m.test(text) && !/^detection:/m.test(text)) return 'kql';
  }
  return 'sigma';
}

const decoder = new TextDecoder('utf-8', { fatal: false });

function decodeUtf8(buf: Uint8Array): string {
  return decoder.decode(buf);
}

function failed(path: string, options: LoadOptions, code: string, message: string, format: RuleFormat = 'sigma'): Rule {
  const sink = new DiagnosticSink(path, '');
  sink.error(code, message, 0);
  const prefix = options.idPrefix ?? 'sigma';
  const rule = blankRule(format, { corpus: 'local', ...options.source, path: options.source?.path ?? path }, '', { start: 0, end: 0 });
  rule.id = `${prefix}:${rule.source.path}`;
  rule.diagnostics = sink.items;
  return rule;
}
