import { isPattern, type MatchExpr, type Value } from '../../model/index.js';

/**
 * Value helpers the backends share: literal and wildcard values as regular expressions, regex
 * flavour checks, CIDR ranges as text prefixes.
 */

export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, (c) => (c === '-' || c === '/' ? c : '\\' + c));
}

/** A match value (for any string operator) as an anchored regex over the whole field. */
export function valueRegex(operator: MatchExpr['operator'], v: Value): string {
  let body: string;
  if (isPattern(v)) body = v.pattern.map((p) => (typeof p === 'string' ? escapeRegex(p) : p.wildcard === 'any' ? '.*' : '.')).join('');
  else body = escapeRegex(String(v));
  switch (operator) {
    case 'contains':
      return body;
    case 'startswith':
      return '^' + body;
    case 'endswith':
      return body + '$';
    default:
      return '^' + body + '$';
  }
}

/** Features RE2 (KQL, YARA-L) and Lucene regexes do not have. */
export function regexUnsupportedFeature(src: string): string | null {
  // Escaped characters stand for one literal character each: neutralize them before looking.
  const plain = src.replace(/\\(.)/gs, (_, c: string) => (/[1-9]/.test(c) ? '\u0001' : 'x'));
  if (/\(\?<?[=!]/.test(plain)) return 'lookaround assertions';
  if (plain.includes('\u0001')) return 'backreferences';
  if (/\(\?>/.test(plain)) return 'atomic groups';
  if (/[*+?}]\+/.test(plain.replace(/\[[^\]]*\]/g, 'x'))) return 'possessive quantifiers';
  return null;
}

/** Prepends inline flags (`(?i)`, `(?s)`, ...) for engines that take them in the pattern (RE2, PCRE). */
export function withInlineFlags(src: string, flags: string): string {
  const f = [...new Set(flags.replace(/[^ims]/g, '').split(''))].sort().join('');
  return f ? `(?${f})${src}` : src;
}

/**
 * An IPv4 CIDR network as text tests on dotted-quad addresses, exact: an octet-aligned network is
 * one prefix (`10.0.0.0/8` → starts with `10.`), others a few prefixes (`172.16.0.0/12` → 16), and
 * networks inside the last octet a list of whole addresses. Returns null for IPv6 or when more
 * than `max` tests would be needed.
 */
export function cidrTextTests(cidr: string, max = 256): Array<{ text: string; exact: boolean }> | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(cidr.trim());
  if (!m) return null;
  const octets = m.slice(1, 5).map(Number);
  const len = m[5] === undefined ? 32 : Number(m[5]);
  if (len > 32) return null;
  if (len === 0) return [{ text: '', exact: false }];
  const full = Math.floor(len / 8);
  const rem = len % 8;
  const head = octets.slice(0, full).join('.');
  if (rem === 0) return full === 4 ? [{ text: head, exact: true }] : [{ text: head + '.', exact: false }];
  const base = octets[full]! & (0xff << (8 - rem)) & 0xff;
  const count = 1 << (8 - rem);
  if (count > max) return null;
  const out: Array<{ text: string; exact: boolean }> = [];
  for (let i = 0; i < count; i++) {
    const prefix = (head ? head + '.' : '') + String(base + i);
    out.push(full === 3 ? { text: prefix, exact: true } : { text: prefix + '.', exact: false });
  }
  return out;
}

/**
 * An IPv6 CIDR network as tests on the canonical text of addresses (RFC 5952: lower-case hex,
 * no leading zeros, `::` for the longest zero run), compared case-insensitively. Exact where the
 * network's leading groups are non-zero four-digit groups (so no `::` can hide inside the prefix):
 * `fe80::/10` → starts with fe8, fe9, fea or feb; `::1/128` → is `::1`. Null otherwise.
 */
export function ipv6TextTests(cidr: string): Array<{ text: string; exact: boolean }> | null {
  const [addr, lenText] = cidr.trim().toLowerCase().split('/');
  const groups = expandIPv6(addr ?? '');
  if (!groups) return null;
  const len = lenText === undefined ? 128 : Number(lenText);
  if (!Number.isInteger(len) || len < 0 || len > 128) return null;
  if (len === 128) return [{ text: canonicalIPv6(groups), exact: true }];
  const full = Math.floor(len / 16);
  const r = len % 16;
  if (groups.slice(0, full).some((g) => g === 0)) return null;
  const head = groups.slice(0, full).map((g) => g.toString(16)).join(':') + (full ? ':' : '');
  if (r === 0) return full ? [{ text: head, exact: false }] : null;
  const mask = (0xffff << (16 - r)) & 0xffff;
  const base = groups[full]! & mask;
  if (base < 0x1000) return null;
  const digits = Math.ceil(r / 4);
  const variants = 1 << (digits * 4 - r);
  const out: Array<{ text: string; exact: boolean }> = [];
  for (let i = 0; i < variants; i++) out.push({ text: head + (base >> (16 - digits * 4)).toString(16).slice(0, digits).replace(/.$/, (d) => (parseInt(d, 16) + i).toString(16)), exact: false });
  return out;
}

function expandIPv6(a: string): number[] | null {
  if (!/^[0-9a-f:]+$/.test(a)) return null;
  const halves = a.split('::');
  if (halves.length > 2) return null;
  const parse = (h: string): number[] => (h === '' ? [] : h.split(':').map((g) => parseInt(g, 16)));
  const left = parse(halves[0]!);
  const right = halves.length === 2 ? parse(halves[1]!) : [];
  const fill = halves.length === 2 ? 8 - left.length - right.length : 0;
  const groups = [...left, ...Array<number>(Math.max(fill, 0)).fill(0), ...right];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

function canonicalIPv6(groups: number[]): string {
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i > 1) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/**
 * A PCRE-style regex as a Lucene regular expression (Elasticsearch `regexp`, ES|QL `RLIKE`, EQL
 * `regex`): implicitly anchored, no shorthand classes, no inline flags. `i` is expressed by letter
 * classes (`[aA]`). Returns an error for what Lucene cannot express.
 */
export function toLuceneRegex(src: string, flags = ''): { ok: true; source: string } | { ok: false; error: string } {
  const bad = regexUnsupportedFeature(src);
  if (bad) return { ok: false, error: `Lucene regular expressions have no ${bad}` };
  let s = src;
  let insensitive = flags.includes('i');
  const lead = /^\(\?([imsx]+)\)/.exec(s);
  if (lead) {
    if (lead[1]!.includes('i')) insensitive = true;
    s = s.slice(lead[0].length);
  }
  if (/\(\?[a-z]/i.test(s)) return { ok: false, error: 'Lucene regular expressions have no inline flags or special groups' };
  if (/\\[bBAzZ]/.test(s.replace(/\\\\/g, ''))) return { ok: false, error: 'Lucene regular expressions have no word boundaries or \\A/\\z anchors' };
  const anchoredStart = s.startsWith('^');
  const anchoredEnd = s.endsWith('$') && !s.endsWith('\\$');
  if (anchoredStart) s = s.slice(1);
  if (anchoredEnd) s = s.slice(0, -1);
  if (/(^|[^\\[])[\^$]/.test(s.replace(/\[[^\]]*\]/g, ''))) return { ok: false, error: 'Lucene regular expressions have no anchors inside the pattern' };
  let out = '';
  let inClass = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') {
      const n = s[i + 1] ?? '';
      i++;
      const shorthand: Record<string, string> = { d: '0-9', w: 'a-zA-Z0-9_', s: ' \\t\\n\\r' };
      if (shorthand[n]) out += inClass ? shorthand[n] : `[${shorthand[n]}]`;
      else if (/[DWS]/.test(n)) {
        if (inClass) return { ok: false, error: `negated class \\${n} inside brackets` };
        out += `[^${shorthand[n.toLowerCase()]}]`;
      } else if (n === 't') out += '\\t';
      else if (n === 'n') out += '\\n';
      else if (n === 'r') out += '\\r';
      else out += '\\' + n;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      if (insensitive && /[a-z]/i.test(c)) {
        // a-z inside a class: add the other case's range too.
        if (s[i + 1] === '-' && /[a-z]/i.test(s[i + 2] ?? '')) {
          const hi = s[i + 2]!;
          out += `${c}-${hi}${swap(c)}-${swap(hi)}`;
          i += 2;
          continue;
        }
        out += c + swap(c);
        continue;
      }
      out += c;
      continue;
    }
    if (c === '[') inClass = true;
    if (c === '"' || c === '<' || c === '>' || c === '#' || c === '@' || c === '&' || c === '~') out += '\\' + c;
    else if (insensitive && /[a-z]/i.test(c)) out += `[${c.toLowerCase()}${c.toUpperCase()}]`;
    else out += c;
  }
  return { ok: true, source: (anchoredStart ? '' : '.*') + out + (anchoredEnd ? '' : '.*') };
}

function swap(c: string): string {
  return c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase();
}
