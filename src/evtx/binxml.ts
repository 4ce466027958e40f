/**
 * BinXML (MS-EVEN6 binary XML) parsed into small node trees.
 *
 * A template definition is parsed once per chunk into a tree whose substitution slots are
 * {@link SubstNode}s; a record then only reads its substitution array and the renderer
 * (json.ts) walks the cached tree with those values. Character and entity references and
 * CDATA become literal text nodes here; processing instructions are dropped (they have no JSON
 * form).
 */
import { ByteCursor, EvtxFormatError, u16At, u32At } from './cursor.js';
import { decodeSized, guidAt, scalarWidth, textOf, utf16, VT_BINXML, VT_NULL, VT_STRING } from './values.js';
import type { JsonValue } from './values.js';

export const N_ELEMENT = 0;
export const N_VALUE = 1;
export const N_SUBST = 2;
export const N_TEMPLATE = 3;

export interface ElementNode {
  readonly k: typeof N_ELEMENT;
  readonly name: string;
  readonly attrs: AttrNode[];
  readonly children: XNode[];
  /** Index in `attrs` of `Name` when this is a `<Data>` element, else -1. */
  readonly dataName: number;
  readonly isData: boolean;
  /** `<EventData>` or `<UserData>`, whose unnamed `<Data>` children are gathered. */
  readonly isContainer: boolean;
  /**
   * The JSON key, when the template fixes it: the element name, or a `<Data>`'s literal `Name`.
   * Null for unnamed `<Data>` and for names that come from substitution values.
   */
  readonly key: string | null;
  /**
   * The lone substitution when that is all the element holds (and, unless it is a `<Data>`, it
   * has no attributes): `<EventID>%3</EventID>`, `<Data Name="X">%5</Data>`. Rendering takes
   * the value as it is.
   */
  readonly leaf: SubstNode | null;
  /**
   * Children are all elements with fixed, distinct keys, so the renderer can assign them
   * without duplicate-name checks.
   */
  readonly fastKeys: boolean;
  /** Built by the renderer on first use (see json.ts); undefined until then. */
  factory?: unknown;
}

export interface AttrNode {
  readonly name: string;
  /** Value and substitution nodes; more than one only when text is split (rare). */
  readonly parts: XNode[];
}

export interface ValueNode {
  readonly k: typeof N_VALUE;
  readonly value: JsonValue;
}

export interface SubstNode {
  readonly k: typeof N_SUBST;
  readonly index: number;
  /** Optional (0x0e) substitutions with a null value leave no trace at all. */
  readonly optional: boolean;
}

export interface TemplateNode {
  readonly k: typeof N_TEMPLATE;
  readonly template: Template;
  readonly values: unknown[];
}

export type XNode = ElementNode | ValueNode | SubstNode | TemplateNode;

export interface Template {
  /** Chunk-relative offset of the definition. */
  readonly offset: number;
  readonly guid: string;
  readonly body: XNode[];
}

/** A substitution value of type BinXml (0x21): an embedded fragment, rendered in place. */
export class NestedFragment {
  constructor(readonly nodes: XNode[]) {}
}

/** Names, templates and records all live after the 512-byte chunk header. */
const CHUNK_HEADER_SIZE = 512;
/** Deep enough for any real record (they nest 4 to 10 levels); bounds hostile input. */
const MAX_DEPTH = 96;
const IN_PROGRESS = Symbol('template being parsed');

const TOK_EOF = 0x00;
const TOK_OPEN_START = 0x01;
const TOK_CLOSE_START = 0x02;
const TOK_CLOSE_EMPTY = 0x03;
const TOK_END_ELEMENT = 0x04;
const TOK_VALUE = 0x05;
const TOK_ATTRIBUTE = 0x06;
const TOK_CDATA = 0x07;
const TOK_CHAR_REF = 0x08;
const TOK_ENTITY_REF = 0x09;
const TOK_PI_TARGET = 0x0a;
const TOK_PI_DATA = 0x0b;
const TOK_TEMPLATE_INSTANCE = 0x0c;
const TOK_NORMAL_SUBST = 0x0d;
const TOK_OPTIONAL_SUBST = 0x0e;
const TOK_FRAGMENT_HEADER = 0x0f;
/** Set on element, attribute, value, CDATA and reference tokens: "more data follows". */
const MORE = 0x40;

/** The predefined XML entities; any other entity reference is kept as written (`&name;`). */
const XML_ENTITIES = new Map([
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"],
]);

/** The text of attribute parts that are all literals, else null. */
function literalText(parts: XNode[]): string | null {
  let s = '';
  for (const p of parts) {
    if (p.k !== N_VALUE) return null;
    s += textOf(p.value);
  }
  return s;
}

function distinctKeys(children: XNode[]): boolean {
  if (children.length === 0) return false;
  for (let i = 0; i < children.length; i++) {
    const c = children[i];
    if (c.k !== N_ELEMENT || c.key === null || c.key === '__proto__') return false;
    for (let j = 0; j < i; j++) if ((children[j] as ElementNode).key === c.key) return false;
  }
  return true;
}

/**
 * Per-chunk parsing state: the chunk bytes and the caches that are only valid inside it
 * (names and templates are addressed by chunk-relative offsets).
 */
export class ChunkParser {
  readonly dv: DataView;
  private readonly names = new Map<number, string>();
  private readonly templates = new Map<number, Template | EvtxFormatError | typeof IN_PROGRESS>();

  constructor(readonly buf: Buffer) {
    this.dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** The BinXML stream of one record, `start`..`end` chunk-relative. */
  parseRecord(start: number, end: number): XNode[] {
    return this.fragment(new ByteCursor(this.buf, start, end), 0, false);
  }

  /** Nodes until EndOfStream or the cursor's end; fragment headers are skipped. */
  private fragment(cur: ByteCursor, depth: number, inTemplate: boolean): XNode[] {
    if (depth > MAX_DEPTH) throw new EvtxFormatError('BinXML nested too deeply', cur.pos);
    const nodes: XNode[] = [];
    while (cur.pos < cur.end) {
      const t = cur.u8();
      switch (t & ~MORE) {
        case TOK_EOF:
          return nodes;
        case TOK_FRAGMENT_HEADER:
          cur.skip(3, 'fragment header');
          break;
        case TOK_OPEN_START:
          nodes.push(this.element(cur, t, depth + 1, inTemplate));
          break;
        case TOK_TEMPLATE_INSTANCE:
          nodes.push(this.templateInstance(cur, depth + 1));
          break;
        default: {
          cur.pos--;
          const node = this.content(cur, depth);
          if (node === undefined) throw new EvtxFormatError(`unexpected BinXML token 0x${t.toString(16)} in fragment`, cur.pos);
          if (node !== null) nodes.push(node);
        }
      }
    }
    return nodes;
  }

  /**
   * A text-like token (value, substitution, references, CDATA, PI) at the cursor. Returns null
   * for tokens that produce nothing (PI) and undefined, without consuming, for anything else.
   */
  private content(cur: ByteCursor, depth: number): XNode | null | undefined {
    const at = cur.pos;
    const t = cur.u8();
    switch (t & ~MORE) {
      case TOK_VALUE:
        return { k: N_VALUE, value: this.literal(cur) };
      case TOK_NORMAL_SUBST:
      case TOK_OPTIONAL_SUBST: {
        const index = cur.u16();
        cur.u8(); // declared type; the value's own type in the substitution array is what counts
        return { k: N_SUBST, index, optional: (t & ~MORE) === TOK_OPTIONAL_SUBST };
      }
      case TOK_CHAR_REF:
        return { k: N_VALUE, value: String.fromCharCode(cur.u16()) };
      case TOK_ENTITY_REF: {
        const name = this.name(cur, cur.u32());
        return { k: N_VALUE, value: XML_ENTITIES.get(name) ?? `&${name};` };
      }
      case TOK_CDATA: {
        const n = cur.u16();
        cur.need(2 * n, 'CDATA');
        const s = utf16(this.buf, cur.pos, cur.pos + 2 * n);
        cur.pos += 2 * n;
        return { k: N_VALUE, value: s };
      }
      case TOK_PI_TARGET:
        this.name(cur, cur.u32());
        return null;
      case TOK_PI_DATA: {
        const n = cur.u16();
        cur.skip(2 * n, 'PI data');
        return null;
      }
      case TOK_TEMPLATE_INSTANCE:
        return this.templateInstance(cur, depth + 1);
      default:
        cur.pos = at;
        return undefined;
    }
  }

  /** The value of a Value token: a type byte, then a length-prefixed string or a fixed-size scalar. */
  private literal(cur: ByteCursor): JsonValue {
    const type = cur.u8();
    if (type === VT_STRING) {
      const n = cur.u16();
      cur.need(2 * n, 'string value');
      const s = utf16(this.buf, cur.pos, cur.pos + 2 * n);
      cur.pos += 2 * n;
      return s;
    }
    if (type === VT_NULL) return null;
    const width = scalarWidth(type);
    if (width <= 0) throw new EvtxFormatError(`unsupported Value token type 0x${type.toString(16)}`, cur.pos - 1);
    cur.need(width, 'value');
    const v = decodeSized(this.buf, this.dv, cur.pos, width, type);
    cur.pos += width;
    return v;
  }

  private element(cur: ByteCursor, token: number, depth: number, inTemplate: boolean): ElementNode {
    if (depth > MAX_DEPTH) throw new EvtxFormatError('BinXML nested too deeply', cur.pos);
    const start = cur.pos - 1;
    // The element header comes with or without a u16 dependency identifier before the data size:
    // template definitions carry it, elements written directly into a record or a BinXml value
    // do not. Take the layout the context suggests, unless its name offset cannot point at a
    // name and the other layout's can.
    const withId = this.plausibleName(cur.pos + 6, cur.pos + 10, cur.end);
    const withoutId = this.plausibleName(cur.pos + 4, cur.pos + 8, cur.end);
    let nameOffset: number;
    if (withId && (inTemplate || !withoutId)) {
      cur.skip(6, 'element header');
      nameOffset = cur.u32();
    } else if (withoutId) {
      cur.skip(4, 'element header');
      nameOffset = cur.u32();
    } else {
      throw new EvtxFormatError('element header has no valid name offset', start);
    }
    const name = this.name(cur, nameOffset);
    const attrs: AttrNode[] = [];
    if (token & MORE) {
      cur.u32(); // attribute list size: the attributes are read token by token instead
      while ((cur.peek() & ~MORE) === TOK_ATTRIBUTE) {
        cur.pos++;
        const attrName = this.name(cur, cur.u32());
        const parts: XNode[] = [];
        for (;;) {
          const part = this.content(cur, depth);
          if (part === undefined) break;
          if (part !== null) parts.push(part);
        }
        attrs.push({ name: attrName, parts });
      }
    }
    const close = cur.u8();
    let children: XNode[];
    if (close === TOK_CLOSE_EMPTY) {
      children = [];
    } else if (close === TOK_CLOSE_START) {
      children = this.elementContent(cur, depth, inTemplate);
    } else {
      throw new EvtxFormatError(`element <${name}>: expected close-start token, found 0x${close.toString(16)}`, cur.pos - 1);
    }
    const isData = name === 'Data';
    let dataName = -1;
    if (isData) for (let i = 0; i < attrs.length; i++) if (attrs[i].name === 'Name') { dataName = i; break; }
    let key: string | null = name;
    if (isData) key = dataName < 0 ? null : literalText(attrs[dataName].parts);
    const only = children.length === 1 ? children[0] : null;
    const leaf = only !== null && only.k === N_SUBST && (isData || attrs.length === 0) ? only : null;
    return { k: N_ELEMENT, name, attrs, children, dataName, isData, isContainer: name === 'EventData' || name === 'UserData', key, leaf, fastKeys: distinctKeys(children) };
  }

  private elementContent(cur: ByteCursor, depth: number, inTemplate: boolean): XNode[] {
    const children: XNode[] = [];
    for (;;) {
      const t = cur.peek();
      const base = t & ~MORE;
      if (base === TOK_END_ELEMENT) {
        cur.pos++;
        return children;
      }
      if (base === TOK_OPEN_START) {
        cur.pos++;
        children.push(this.element(cur, t, depth + 1, inTemplate));
        continue;
      }
      const node = this.content(cur, depth);
      if (node === undefined) throw new EvtxFormatError(`unexpected BinXML token 0x${t.toString(16)} in element content`, cur.pos);
      if (node !== null) children.push(node);
    }
  }

  /** Whether a name structure could start at `offset` for an element header read up to `after`. */
  private plausibleName(offsetAt: number, after: number, end: number): boolean {
    if (offsetAt + 4 > end) return false;
    const off = u32At(this.buf, offsetAt);
    if (this.names.has(off)) return off <= after;
    // Names are written in the record area, inline right after the header on first use and
    // referred to from later in the chunk after that; XML names are never empty.
    if (off < CHUNK_HEADER_SIZE || off > after || off + 10 > this.buf.length) return false;
    const n = u16At(this.buf, off + 6);
    if (n === 0) return false;
    const stop = off + 8 + 2 * n;
    if (stop + 2 > (off === after ? end : this.buf.length)) return false;
    return u16At(this.buf, stop) === 0;
  }

  /**
   * A name at a chunk offset: u32 next-in-hash-chain, u16 hash, u16 length, UTF-16 text, u16 NUL.
   * When the offset is the cursor position the name is stored inline and is stepped over.
   */
  private name(cur: ByteCursor, offset: number): string {
    let s = this.names.get(offset);
    if (s === undefined) {
      const b = this.buf;
      if (offset + 10 > b.length) throw new EvtxFormatError(`name offset ${offset} outside chunk`, cur.pos);
      const n = u16At(b, offset + 6);
      if (offset + 10 + 2 * n > b.length) throw new EvtxFormatError(`name at ${offset} runs past chunk`, offset);
      s = utf16(b, offset + 8, offset + 8 + 2 * n);
      this.names.set(offset, s);
    }
    if (offset === cur.pos) cur.skip(10 + 2 * s.length, 'inline name');
    return s;
  }

  private templateInstance(cur: ByteCursor, depth: number): TemplateNode {
    if (depth > MAX_DEPTH) throw new EvtxFormatError('BinXML nested too deeply', cur.pos);
    cur.u8(); // unknown, always 1
    cur.u32(); // template id: the first 4 bytes of the definition's GUID
    const defOffset = cur.u32();
    let template: Template;
    if (defOffset === cur.pos) {
      // First use in this chunk: the definition is inline and the values follow it.
      cur.need(24, 'template definition header');
      const size = u32At(this.buf, cur.pos + 20);
      template = this.template(defOffset, depth);
      cur.skip(24 + size, 'template definition');
    } else {
      template = this.template(defOffset, depth);
    }
    return { k: N_TEMPLATE, template, values: this.substitutionArray(cur, depth) };
  }

  /** The definition at `offset`, parsed once per chunk; failures are cached too. */
  private template(offset: number, depth: number): Template {
    const cached = this.templates.get(offset);
    if (cached !== undefined) {
      if (cached === IN_PROGRESS) throw new EvtxFormatError(`template at ${offset} refers to itself`, offset);
      if (cached instanceof EvtxFormatError) throw cached;
      return cached;
    }
    const b = this.buf;
    if (offset < 0 || offset + 24 > b.length) {
      throw new EvtxFormatError(`template offset ${offset} outside chunk`, offset);
    }
    const end = offset + 24 + u32At(b, offset + 20);
    if (end > b.length) throw new EvtxFormatError(`template at ${offset} runs past chunk`, offset);
    // A definition's body is a fragment: it starts with a fragment header (0x0f, version 1.1).
    if (end < offset + 28 || b[offset + 24] !== TOK_FRAGMENT_HEADER || b[offset + 25] !== 1) {
      throw new EvtxFormatError(`template at ${offset}: no template definition there`, offset);
    }
    this.templates.set(offset, IN_PROGRESS);
    try {
      const body = this.fragment(new ByteCursor(b, offset + 24, end), depth + 1, true);
      const t: Template = { offset, guid: guidAt(b, offset + 4), body };
      this.templates.set(offset, t);
      return t;
    } catch (e) {
      const err = e instanceof EvtxFormatError ? new EvtxFormatError(`template at ${offset}: ${e.message}`, e.at) : new EvtxFormatError(`template at ${offset}: ${String(e)}`, offset);
      this.templates.set(offset, err);
      throw err;
    }
  }

  /**
   * u32 count, count × (u16 size, u8 type, u8 padding), then the values back to back. Each value
   * is read from its own declared span, so one odd value cannot shift the ones after it.
   */
  private substitutionArray(cur: ByteCursor, depth: number): unknown[] {
    const count = cur.u32();
    if (count * 4 > cur.end - cur.pos) throw new EvtxFormatError(`substitution count ${count} exceeds record`, cur.pos - 4);
    const b = this.buf;
    const values = new Array<unknown>(count);
    const descriptors = cur.pos;
    let p = descriptors + count * 4;
    for (let i = 0; i < count; i++) {
      const d = descriptors + 4 * i;
      const size = u16At(b, d);
      const type = b[d + 2];
      const end = p + size;
      if (end > cur.end) throw new EvtxFormatError(`substitution ${i} runs past the record`, p);
      if (type === VT_BINXML) {
        values[i] = size === 0 ? null : new NestedFragment(this.fragment(new ByteCursor(b, p, end), depth + 1, false));
      } else {
        values[i] = decodeSized(b, this.dv, p, size, type);
      }
      p = end;
    }
    cur.pos = p;
    return values;
  }
}
