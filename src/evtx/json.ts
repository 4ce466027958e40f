/**
 * Renders a record's node tree to the JSON of the `.jsonl` twins (evtx_dump's JSON as Chainsaw
 * and Hayabusa print it). The rules, read off the twins (the evtx crate changed some of them
 * between releases; where the samples are silent we follow its streaming JSON writer):
 *
 * - Text values keep their JSON type: integers, reals and booleans are numbers/booleans, arrays
 *   (type | 0x80) are JSON arrays (`[]` when empty), everything else a string (`""` stays `""`).
 *   An optional substitution (0x0e) whose value has type Null is dropped; a normal one is `null`.
 * - An element with no attributes and no child elements is `null` without text, its value with
 *   one text node, the concatenated text with several.
 * - Otherwise it is an object: `#attributes` (attributes whose value is null or absent are left
 *   out, and an element with only such attributes counts as having none), one key per child
 *   element (repeats get `_1`, `_2`, …; the first keeps the plain name), and `#text` (the value,
 *   or an array when there are several text nodes).
 * - `<Data Name="X">` is keyed `X` (its attributes are not rendered). Unnamed `<Data>` directly
 *   inside `<EventData>`/`<UserData>` are gathered, in order, into `"Data": {"#text": v}` (one) or
 *   `{"#text": [v, …]}` (several). A `<Data>` without text is `""` rather than `null`.
 */
import { N_ELEMENT, N_SUBST, N_TEMPLATE, N_VALUE, NestedFragment } from './binxml.js';
import type { AttrNode, ElementNode, XNode } from './binxml.js';
import { textOf } from './values.js';
import type { JsonValue } from './values.js';

type JsonObject = { [key: string]: JsonValue };

const NO_VALUES: unknown[] = [];
/** Elements nested through templates and BinXml values; real records stay under 12. */
const MAX_RENDER_DEPTH = 64;
/**
 * Elements one record may expand to. Templates can instantiate other templates, so a hostile
 * chunk could make a small record expand exponentially; real records have well under 1,000.
 */
const MAX_RENDER_ELEMENTS = 100_000;
let budget = MAX_RENDER_ELEMENTS;

/** Insert, suffixing repeated keys; `__proto__` becomes an own property, as JSON.parse makes it. */
function put(obj: JsonObject, key: string, value: JsonValue): void {
  let k = key;
  if (Object.hasOwn(obj, k)) {
    let i = 1;
    while (Object.hasOwn(obj, `${key}_${i}`)) i++;
    k = `${key}_${i}`;
  }
  if (k === '__proto__') Object.defineProperty(obj, k, { value, enumerable: true, writable: true, configurable: true });
  else obj[k] = value;
}

/** Text and child elements gathered for one element while its nodes are walked. */
class Content {
  count = 0;
  first: JsonValue = null;
  more: JsonValue[] | null = null;
  children: JsonObject | null = null;
  /** Values of unnamed `<Data>` children of a data container. */
  data: JsonValue[] | null = null;

  constructor(readonly container: boolean) {}

  text(v: JsonValue): void {
    if (this.count === 0) this.first = v;
    else (this.more ??= []).push(v);
    this.count++;
  }

  texts(): JsonValue[] {
    return this.count === 0 ? [] : this.more === null ? [this.first] : [this.first, ...this.more];
  }

  concatenated(): string {
    let s = textOf(this.first);
    if (this.more !== null) for (const v of this.more) s += textOf(v);
    return s;
  }

  hasElements(): boolean {
    return this.children !== null || this.data !== null;
  }

  body(attrs: JsonObject | null): JsonObject {
    const obj = this.children ?? {};
    if (attrs !== null) obj['#attributes'] = attrs;
    if (this.data !== null) put(obj, 'Data', { '#text': this.data.length === 1 ? this.data[0] : this.data });
    if (this.count > 0) obj['#text'] = this.count === 1 ? this.first : this.texts();
    return obj;
  }
}

/** An attribute's value, or undefined when it renders as nothing. */
function attrValue(a: AttrNode, values: unknown[]): JsonValue | undefined {
  const parts = a.parts;
  if (parts.length === 1) return partValue(parts[0], values) ?? undefined;
  let s: string | undefined;
  for (const p of parts) {
    const v = partValue(p, values);
    if (v !== null && v !== undefined) s = (s ?? '') + textOf(v);
  }
  return s;
}

function partValue(p: XNode, values: unknown[]): JsonValue | undefined {
  if (p.k === N_VALUE) return p.value;
  if (p.k === N_SUBST) {
    const v = values[p.index];
    return v instanceof NestedFragment ? undefined : (v as JsonValue | undefined);
  }
  return undefined;
}

function attributes(el: ElementNode, values: unknown[]): JsonObject | null {
  let attrs: JsonObject | null = null;
  for (const a of el.attrs) {
    const v = attrValue(a, values);
    if (v !== undefined && v !== null) put((attrs ??= {}), a.name, v);
  }
  return attrs;
}

function elementValue(el: ElementNode, values: unknown[], depth: number): JsonValue {
  if (depth > MAX_RENDER_DEPTH) throw new Error('elements nested too deeply');
  if (--budget < 0) throw new Error(`record expands to more than ${MAX_RENDER_ELEMENTS} elements`);
  if (el.isData) return dataValue(el, values, depth);
  if (el.leaf !== null) {
    const v = values[el.leaf.index];
    if (!(v instanceof NestedFragment)) return v === undefined ? null : (v as JsonValue);
  }
  const attrs = el.attrs.length > 0 ? attributes(el, values) : null;
  if (el.fastKeys) {
    let make = el.factory as ObjectFactory | null | undefined;
    if (make === undefined) make = el.factory = objectFactory(el.children as ElementNode[]);
    let obj: JsonObject;
    if (make !== null) {
      obj = make(childValue, el.children as ElementNode[], values, depth + 1);
    } else {
      obj = {};
      const children = el.children as ElementNode[];
      for (let i = 0; i < children.length; i++) obj[children[i].key as string] = childValue(children[i], values, depth + 1);
    }
    if (attrs !== null) obj['#attributes'] = attrs;
    return obj;
  }
  const c = new Content(el.isContainer);
  walk(el.children, values, c, depth);
  if (attrs === null && !c.hasElements()) return c.count === 0 ? null : c.count === 1 ? c.first : c.concatenated();
  return c.body(attrs);
}

function childValue(el: ElementNode, values: unknown[], depth: number): JsonValue {
  return el.isData ? dataValue(el, values, depth) : elementValue(el, values, depth);
}

type ObjectFactory = (
  render: typeof childValue,
  children: ElementNode[],
  values: unknown[],
  depth: number,
) => JsonObject;

/**
 * Records of one template build objects with the same keys over and over. An object literal
 * with those keys, compiled once per key list and shared by all chunks and files, creates them
 * several times faster than adding the keys one by one. Keys are written as JSON string
 * literals, so no file content can become code; `__proto__` never gets here (see binxml.ts).
 * Null when the runtime forbids code generation, or when there are too many distinct lists.
 */
const factories = new Map<string, ObjectFactory | null>();
const MAX_FACTORIES = 4096;

function objectFactory(children: ElementNode[]): ObjectFactory | null {
  const id = children.map((c) => c.key).join('\u0000');
  let f = factories.get(id);
  if (f !== undefined) return f;
  if (factories.size >= MAX_FACTORIES) return null;
  try {
    const members = children.map((c, i) => `${JSON.stringify(c.key)}: r(c[${i}], v, d)`).join(', ');
    f = new Function('r', 'c', 'v', 'd', `return { ${members} };`) as ObjectFactory;
  } catch {
    f = null;
  }
  factories.set(id, f);
  return f;
}

/** A `<Data>` element: attributes unrendered, and `""` when it holds no text. */
function dataValue(el: ElementNode, values: unknown[], depth: number): JsonValue {
  if (depth > MAX_RENDER_DEPTH) throw new Error('elements nested too deeply');
  if (--budget < 0) throw new Error(`record expands to more than ${MAX_RENDER_ELEMENTS} elements`);
  if (el.leaf !== null) {
    const v = values[el.leaf.index];
    if (!(v instanceof NestedFragment)) return (v as JsonValue | undefined) ?? '';
  }
  const c = new Content(false);
  walk(el.children, values, c, depth);
  if (c.hasElements()) return c.body(null);
  if (c.count === 1) return c.first ?? '';
  return c.count === 0 ? '' : c.concatenated();
}

/** Adds `nodes` to `c`, splicing in template instances and BinXml substitution values. */
function walk(nodes: XNode[], values: unknown[], c: Content, depth: number): void {
  if (depth > MAX_RENDER_DEPTH) throw new Error('elements nested too deeply');
  if (--budget < 0) throw new Error(`record expands to more than ${MAX_RENDER_ELEMENTS} elements`);
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    switch (node.k) {
      case N_ELEMENT:
        if (node.isData) {
          if (node.dataName >= 0) {
            const name = node.key ?? textOf(attrValue(node.attrs[node.dataName], values));
            put((c.children ??= {}), name, dataValue(node, values, depth + 1));
          } else if (c.container) {
            (c.data ??= []).push(dataValue(node, values, depth + 1));
          } else {
            put((c.children ??= {}), 'Data', dataValue(node, values, depth + 1));
          }
        } else {
          put((c.children ??= {}), node.name, elementValue(node, values, depth + 1));
        }
        break;
      case N_VALUE:
        c.text(node.value);
        break;
      case N_SUBST: {
        const v = values[node.index];
        if (v instanceof NestedFragment) walk(v.nodes, NO_VALUES, c, depth + 1);
        else if (v !== undefined && !(v === null && node.optional)) c.text(v as JsonValue);
        break;
      }
      case N_TEMPLATE:
        walk(node.template.body, node.values, c, depth + 1);
        break;
    }
  }
}

/**
 * `{"Event": {...}}` for a record's top-level nodes, or null when they hold no element (which
 * only damaged records do).
 */
export function renderEvent(nodes: XNode[]): JsonObject | null {
  budget = MAX_RENDER_ELEMENTS;
  const root = new Content(false);
  walk(nodes, NO_VALUES, root, 0);
  return root.children;
}
