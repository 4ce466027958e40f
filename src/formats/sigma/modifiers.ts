import type { CompareOperator, TimePart, ValueTransform } from '../../model/index.js';
import { ANY, hasSpecial, isWildcard, parseWithPlaceholders, plainText, type Part } from './sigma-string.js';

/**
 * Sigma value modifiers (specification 2.1, modifiers appendix), each a small typed step over the
 * values of one detection item, applied in the order written (pySigma's `modifier_mapping`).
 */

/** A value while modifiers run. `binary`: each char is one byte (after a UTF-16 encoding). */
export type Val =
  | { t: 'str'; parts: Part[]; binary: boolean; raw: string }
  | { t: 'num'; n: number; raw: string }
  | { t: 'bool'; b: boolean }
  | { t: 'null' }
  | { t: 're'; src: string; flags: string }
  | { t: 'cidr'; net: string }
  | { t: 'cmp'; op: CompareOperator; n: number }
  | { t: 'exists'; b: boolean }
  | { t: 'fieldref'; field: string; starts: boolean; ends: boolean }
  | { t: 'part'; part: TimePart; n: number; raw: string };

/**
 * Each original value becomes a group of alternatives (a `windash` or `base64offset` expansion).
 * Groups are what `|all` links with AND; alternatives inside a group are always ORed.
 */
export type Groups = Val[][];

export interface ItemState {
  field: string | null;
  groups: Groups;
  all: boolean;
  cased: boolean;
  negate: boolean;
  transforms: ValueTransform[];
  applied: string[];
}

export class ModifierError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Step = (s: ItemState, name: string) => void;

function eachValue(s: ItemState, f: (v: Val) => Val | Val[]): void {
  s.groups = s.groups.map((g) => g.flatMap((v) => f(v)));
}

function typeError(name: string, v: Val, wants: string): ModifierError {
  return new ModifierError('sigma.modifier-type', `modifier '${name}' applies to ${wants}, not to ${describeVal(v)}`);
}

export function describeVal(v: Val): string {
  switch (v.t) {
    case 'str':
      return `the string '${v.raw}'`;
    case 'num':
      return `the number ${v.raw}`;
    case 'bool':
      return `the boolean ${v.b}`;
    case 'null':
      return 'null';
    case 're':
      return 'a regular expression';
    case 'cidr':
      return 'a CIDR network';
    case 'cmp':
      return 'a comparison';
    case 'exists':
      return 'an exists test';
    case 'fieldref':
      return 'a field reference';
    case 'part':
      return 'a timestamp part';
  }
}

/** Numbers used where Sigma expects strings are read as their text (pySigma rejects them). */
function asString(v: Val, name: string): Extract<Val, { t: 'str' }> {
  if (v.t === 'str') return v;
  if (v.t === 'num') return { t: 'str', parts: [v.raw], binary: false, raw: v.raw };
  throw typeError(name, v, 'strings');
}

function onlyFirst(s: ItemState, name: string): void {
  const earlier = s.applied.filter((m) => m !== 'all' && m !== 'cased');
  if (earlier.length > 0) throw new ModifierError('sigma.modifier-order', `modifier '${name}' must come first: it applies to the value as written, but '${earlier.join('|')}' came before it`);
}

const affix =
  (start: boolean, end: boolean): Step =>
  (s, name) =>
    eachValue(s, (v) => {
      if (v.t === 'fieldref') return { ...v, starts: v.starts || start, ends: v.ends || end };
      if (v.t === 're') return v; // regexes are unanchored searches already
      const str = asString(v, name);
      const parts = [...str.parts];
      if (start && !(parts.length && isAny(parts[0]!))) parts.unshift(ANY);
      if (end && !(parts.length && isAny(parts[parts.length - 1]!))) parts.push(ANY);
      return { ...str, parts };
    });

function isAny(p: Part): boolean {
  return isWildcard(p) && p.wildcard === 'any';
}

function bytesOf(v: Extract<Val, { t: 'str' }>): Buffer {
  const text = plainText(v.parts);
  return v.binary ? Buffer.from(text, 'latin1') : Buffer.from(text, 'utf8');
}

function noWildcards(v: Extract<Val, { t: 'str' }>, name: string): void {
  if (hasSpecial(v.parts)) throw new ModifierError('sigma.modifier-wildcard', `modifier '${name}' cannot encode wildcards or placeholders ('${v.raw}'); put 'contains'/'startswith'/'endswith' after it`);
}

const BASE64_START = [0, 2, 3];
const BASE64_END = [undefined, -3, -2];

/** The three shifted encodings whose stable middle part appears whatever the value's offset. */
export function base64Offsets(bytes: Buffer): string[] {
  const out: string[] = [];
  for (let i = 0; i < 3; i++) {
    const enc = Buffer.concat([Buffer.alloc(i, 0x20), bytes]).toString('base64');
    out.push(enc.slice(BASE64_START[i], BASE64_END[(bytes.length + i) % 3]));
  }
  return out;
}

function encodeUtf16(text: string, littleEndian: boolean, bom: boolean): string {
  let out = bom ? (littleEndian ? '\xff\xfe' : '\xfe\xff') : '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const lo = String.fromCharCode(c & 0xff);
    const hi = String.fromCharCode(c >> 8);
    out += littleEndian ? lo + hi : hi + lo;
  }
  return out;
}

const utf16 =
  (littleEndian: boolean, bom: boolean, transform: ValueTransform): Step =>
  (s, name) => {
    s.transforms.push(transform);
    eachValue(s, (v) => {
      const str = asString(v, name);
      if (str.binary) throw new ModifierError('sigma.modifier-order', `modifier '${name}' applied to an already encoded value`);
      let first = true;
      const parts = str.parts.map((p) => {
        if (typeof p !== 'string') return p;
        const enc = encodeUtf16(p, littleEndian, bom && first);
        first = false;
        return enc;
      });
      return { ...str, parts, binary: true };
    });
  };

/** Dash characters `windash` makes interchangeable: hyphen, slash, en dash, em dash, horizontal bar. */
export const WINDASH_CHARS = ['-', '/', '\u2013', '\u2014', '\u2015'];
// A dash or slash that starts a word after a non-word character: the first dash of `-param-name`.
const WINDASH_AT = /\B[-/]\b/g;
/** Cap on the variants one value may expand to (5^n grows fast). */
const WINDASH_MAX_VARIANTS = 3125;

function windashVariants(parts: Part[]): Part[][] {
  let variants: Part[][] = [[]];
  for (const p of parts) {
    if (typeof p !== 'string') {
      variants = variants.map((v) => [...v, p]);
      continue;
    }
    const pieces = p.split(WINDASH_AT);
    const dashes = pieces.length - 1;
    if (dashes === 0) {
      variants = variants.map((v) => [...v, p]);
      continue;
    }
    let texts = [pieces[0]!];
    for (let i = 1; i < pieces.length; i++) texts = texts.flatMap((t) => WINDASH_CHARS.map((d) => t + d + pieces[i]!));
    if (variants.length * texts.length > WINDASH_MAX_VARIANTS) throw new ModifierError('sigma.windash-explosion', `windash would expand this value into more than ${WINDASH_MAX_VARIANTS} variants`);
    variants = variants.flatMap((v) => texts.map((t) => [...v, t]));
  }
  return variants;
}

const compare =
  (op: CompareOperator): Step =>
  (s, name) =>
    eachValue(s, (v) => {
      if (v.t === 'num') return { t: 'cmp', op, n: v.n };
      if (v.t === 'str' && !hasSpecial(v.parts) && /^-?\d+(\.\d+)?$/.test(v.raw.trim())) return { t: 'cmp', op, n: Number(v.raw) };
      throw typeError(name, v, 'numbers');
    });

const timePart =
  (part: TimePart): Step =>
  (s, name) =>
    eachValue(s, (v) => {
      if (v.t === 'num' && Number.isInteger(v.n)) return { t: 'part', part, n: v.n, raw: v.raw };
      if (v.t === 'cmp') return v; // `|hour|gte` handled by the caller through `part`
      throw typeError(name, v, 'integers');
    });

const regexFlag =
  (flag: string): Step =>
  (s, name) =>
    eachValue(s, (v) => {
      if (v.t !== 're') throw new ModifierError('sigma.modifier-order', `regex flag '${name}' needs 're' before it`);
      return v.flags.includes(flag) ? v : { ...v, flags: v.flags + flag };
    });

export const MODIFIERS: Record<string, Step> = {
  contains: affix(true, true),
  startswith: affix(false, true),
  endswith: affix(true, false),
  all: (s) => {
    s.all = true;
  },
  cased: (s, name) => {
    s.cased = true;
    eachValue(s, (v) => (v.t === 'num' ? asString(v, name) : v));
  },
  neq: (s) => {
    s.negate = !s.negate;
  },
  exists: (s, name) => {
    onlyFirst(s, name);
    if (s.field === null) throw new ModifierError('sigma.modifier-type', "'exists' must be applied to a field");
    eachValue(s, (v) => {
      if (v.t === 'bool') return { t: 'exists', b: v.b };
      if (v.t === 'str' && /^(true|false|yes|no)$/i.test(v.raw)) return { t: 'exists', b: /^(true|yes)$/i.test(v.raw) };
      throw typeError(name, v, 'booleans (true or false)');
    });
  },
  base64: (s, name) => {
    s.transforms.push('base64');
    eachValue(s, (v) => {
      const str = asString(v, name);
      noWildcards(str, name);
      const enc = bytesOf(str).toString('base64');
      return { t: 'str', parts: [enc], binary: false, raw: enc };
    });
  },
  base64offset: (s, name) => {
    s.transforms.push('base64offset');
    eachValue(s, (v) => {
      const str = asString(v, name);
      noWildcards(str, name);
      return base64Offsets(bytesOf(str)).map((enc) => ({ t: 'str' as const, parts: [enc], binary: false, raw: enc }));
    });
  },
  utf16le: utf16(true, false, 'utf16le'),
  wide: utf16(true, false, 'utf16le'),
  utf16be: utf16(false, false, 'utf16be'),
  utf16: utf16(true, true, 'utf16'),
  windash: (s, name) => {
    s.transforms.push('windash');
    eachValue(s, (v) => {
      const str = asString(v, name);
      return windashVariants(str.parts).map((parts) => ({ ...str, parts }));
    });
  },
  re: (s, name) => {
    onlyFirst(s, name);
    eachValue(s, (v) => {
      if (v.t === 'str') return { t: 're', src: v.raw, flags: '' };
      if (v.t === 'num') return { t: 're', src: v.raw, flags: '' };
      throw typeError(name, v, 'strings');
    });
  },
  i: regexFlag('i'),
  ignorecase: regexFlag('i'),
  m: regexFlag('m'),
  multiline: regexFlag('m'),
  s: regexFlag('s'),
  dotall: regexFlag('s'),
  cidr: (s, name) => {
    onlyFirst(s, name);
    eachValue(s, (v) => {
      const str = asString(v, name);
      const net = str.raw.trim();
      const problem = cidrProblem(net);
      if (problem) throw new ModifierError('sigma.invalid-cidr', `'${net}' is not a valid CIDR network: ${problem}`);
      return { t: 'cidr', net };
    });
  },
  lt: compare('lt'),
  lte: compare('lte'),
  gt: compare('gt'),
  gte: compare('gte'),
  fieldref: (s, name) =>
    eachValue(s, (v) => {
      const str = asString(v, name);
      if (hasSpecial(str.parts)) throw new ModifierError('sigma.modifier-wildcard', 'field references must not contain wildcards');
      return { t: 'fieldref', field: plainText(str.parts), starts: false, ends: false };
    }),
  expand: (s, name) => {
    s.transforms.push('expand');
    eachValue(s, (v) => {
      const str = asString(v, name);
      return { ...str, parts: parseWithPlaceholders(str.raw) };
    });
  },
  minute: timePart('minute'),
  hour: timePart('hour'),
  day: timePart('day'),
  week: timePart('week'),
  month: timePart('month'),
  year: timePart('year'),
};

export const MODIFIER_NAMES = Object.keys(MODIFIERS);

/** Why a CIDR string is invalid, or null when it is a valid IPv4 or IPv6 network. */
export function cidrProblem(net: string): string | null {
  const slash = net.indexOf('/');
  const addr = slash === -1 ? net : net.slice(0, slash);
  const lenText = slash === -1 ? null : net.slice(slash + 1);
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(addr);
  let max: number;
  if (v4) {
    if (v4.slice(1).some((o) => Number(o) > 255)) return 'an IPv4 octet is above 255';
    max = 32;
  } else if (addr.includes(':')) {
    if (!isIPv6(addr)) return 'not an IPv6 address';
    max = 128;
  } else return 'not an IPv4 or IPv6 address';
  if (lenText === null) return null;
  if (!/^\d{1,3}$/.test(lenText) || Number(lenText) > max) return `prefix length must be 0-${max}`;
  return null;
}

function isIPv6(a: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(a)) return false;
  const halves = a.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  const last = groups[groups.length - 1];
  let count = groups.length;
  if (last && last.includes('.')) {
    if (!/^(\d{1,3}\.){3}\d{1,3}$/.test(last)) return false;
    count += 1;
  }
  if (!groups.every((g) => g.includes('.') || /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  return halves.length === 2 ? count < 8 : count === 8;
}
