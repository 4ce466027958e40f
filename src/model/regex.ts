/**
 * Translates the regex flavours rules are written in (PCRE for Sigma and Splunk, RE2 for KQL and
 * YARA-L) into a JavaScript `RegExp`, saying what could only be approximated. Shared by every
 * reader (validation), the matcher (execution) and the linter.
 */
export type RegexTranslation =
  | { ok: true; source: string; flags: string; notes: string[] }
  | { ok: false; error: string };

const POSIX: Record<string, string> = {
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: 'a-zA-Z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: ' \\t\\r\\n\\v\\f',
  xdigit: '0-9A-Fa-f',
  punct: '!-\\/:-@\\[-`{-~',
  word: '\\w',
  blank: ' \\t',
  cntrl: '\\x00-\\x1f\\x7f',
  print: '\\x20-\\x7e',
  graph: '\\x21-\\x7e',
};

/**
 * @param src the pattern as written
 * @param flags any of `i`, `m`, `s` requested by the rule (Sigma's `|i|m|s`)
 */
export function translateRegex(src: string, flags = ''): RegexTranslation {
  const notes: string[] = [];
  const flagSet = new Set(flags.replace(/[^ims]/g, '').split('').filter(Boolean));
  let out = '';
  let i = 0;
  // A leading inline flag group applies to the whole pattern, which JavaScript expresses as flags.
  const lead = /^\(\?([imsx]+)\)/.exec(src);
  if (lead) {
    for (const f of lead[1]!) if (f !== 'x') flagSet.add(f);
    if (lead[1]!.includes('x')) notes.push('extended mode (?x) is not supported; whitespace is matched literally');
    i = lead[0].length;
  }
  let inClass = false;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\') {
      const n = src[i + 1];
      if (n === undefined) return { ok: false, error: 'pattern ends with a lone backslash' };
      if (!inClass && n === 'A') out += '^';
      else if (!inClass && (n === 'z' || n === 'Z')) out += '$';
      else if (n === 'h') out += inClass ? ' \\t' : '[ \\t]';
      else if (n === 'Q') {
        const end = src.indexOf('\\E', i + 2);
        const lit = src.slice(i + 2, end === -1 ? src.length : end);
        out += lit.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
        i = end === -1 ? src.length : end + 2;
        continue;
      } else out += c + n;
      i += 2;
      continue;
    }
    if (inClass) {
      if (c === '[' && src[i + 1] === ':') {
        const m = /^\[:(\^?)(\w+):\]/.exec(src.slice(i));
        if (m && POSIX[m[2]!]) {
          if (m[1]) return { ok: false, error: `negated POSIX class [:^${m[2]}:] is not supported` };
          out += POSIX[m[2]!];
          i += m[0].length;
          continue;
        }
      }
      if (c === ']') inClass = false;
      out += c;
      i++;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      i++;
      if (src[i] === '^') {
        out += '^';
        i++;
      }
      if (src[i] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(' && src[i + 1] === '?') {
      const rest = src.slice(i + 2);
      if (rest.startsWith('P<')) {
        out += '(?<';
        i += 4;
        continue;
      }
      const backref = /^P=(\w+)\)/.exec(rest);
      if (backref) {
        out += `\\k<${backref[1]}>`;
        i += 2 + backref[0].length;
        continue;
      }
      if (rest.startsWith('>')) {
        notes.push('atomic group (?>...) treated as a plain group');
        out += '(?:';
        i += 3;
        continue;
      }
      const inline = /^([imsx-]+)(:|\))/.exec(rest);
      if (inline) {
        notes.push(`inline flags (?${inline[1]}) inside the pattern applied to the whole pattern`);
        for (const f of inline[1]!.split('-')[0]!) if (f !== 'x') flagSet.add(f);
        if (inline[2] === ':') out += '(?:';
        i += 2 + inline[0].length;
        continue;
      }
    }
    if ((c === '+' && /[*+?}]/.test(src[i - 1] ?? '') && src[i - 2] !== '\\')) {
      notes.push('possessive quantifier treated as greedy');
      i++;
      continue;
    }
    out += c;
    i++;
  }
  const outFlags = [...flagSet].sort().join('');
  try {
    new RegExp(out, outFlags);
  } catch (e) {
    return { ok: false, error: (e as Error).message.replace(/^Invalid regular expression: /, '') };
  }
  return { ok: true, source: out, flags: outFlags, notes };
}
