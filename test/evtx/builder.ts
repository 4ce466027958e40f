/**
 * Writes small EVTX files byte by byte, for tests that need BinXML the samples do not have
 * (CDATA, references, PIs, nested BinXml, hand-picked damage).
 */
import { crc32Table } from '../../src/evtx/crc32.js';

export const VT = {
  null: 0x00, string: 0x01, ansi: 0x02, int8: 0x03, uint8: 0x04, int16: 0x05, uint16: 0x06, int32: 0x07,
  uint32: 0x08, int64: 0x09, uint64: 0x0a, real32: 0x0b, real64: 0x0c, bool: 0x0d, binary: 0x0e, guid: 0x0f,
  sizeT: 0x10, filetime: 0x11, systemtime: 0x12, sid: 0x13, hex32: 0x14, hex64: 0x15, binxml: 0x21, array: 0x80,
} as const;

/** A substitution value: its type and either its bytes or a writer (BinXml values are written in place). */
export type SubValue = [type: number, data: Buffer | ((w: ChunkWriter) => void)];

export function utf16z(s: string): Buffer {
  return Buffer.from(s + '\0', 'utf16le');
}

export function u16(v: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(v);
  return b;
}

export function u32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v);
  return b;
}

export function u64(v: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(v);
  return b;
}

export class ChunkWriter {
  readonly buf = Buffer.alloc(65536);
  pos = 512;
  private readonly names = new Map<string, number>();
  private firstId = 0;
  private lastId = 0;
  private lastRecordOffset = 0;
  private records = 0;

  u8(v: number): this {
    this.buf[this.pos++] = v;
    return this;
  }

  u16(v: number): this {
    this.buf.writeUInt16LE(v, this.pos);
    this.pos += 2;
    return this;
  }

  u32(v: number): this {
    this.buf.writeUInt32LE(v, this.pos);
    this.pos += 4;
    return this;
  }

  bytes(b: Buffer): this {
    b.copy(this.buf, this.pos);
    this.pos += b.length;
    return this;
  }

  /** A name offset, with the name inline the first time it is used in the chunk. */
  name(s: string): this {
    const known = this.names.get(s);
    if (known !== undefined) return this.u32(known);
    const at = this.pos + 4;
    this.names.set(s, at);
    this.u32(at).u32(0).u16(0).u16(s.length).bytes(Buffer.from(s, 'utf16le')).u16(0);
    return this;
  }

  fragmentHeader(): this {
    return this.u8(0x0f).u8(1).u8(1).u8(0);
  }

  /** Open start element; template definitions carry a dependency id, records and BinXml values do not. */
  open(name: string, opts: { attrs?: boolean; depId?: boolean } = {}): this {
    this.u8(opts.attrs === true ? 0x41 : 0x01);
    if (opts.depId !== false) this.u16(0xffff);
    this.u32(0).name(name);
    if (opts.attrs === true) this.u32(0);
    return this;
  }

  attr(name: string): this {
    return this.u8(0x06).name(name);
  }

  str(s: string): this {
    return this.u8(0x05).u8(VT.string).u16(s.length).bytes(Buffer.from(s, 'utf16le'));
  }

  subst(index: number, type: number, optional = false): this {
    return this.u8(optional ? 0x0e : 0x0d).u16(index).u8(type);
  }

  closeStart(): this {
    return this.u8(0x02);
  }

  closeEmpty(): this {
    return this.u8(0x03);
  }

  end(): this {
    return this.u8(0x04);
  }

  eof(): this {
    return this.u8(0x00);
  }

  charRef(code: number): this {
    return this.u8(0x08).u16(code);
  }

  entityRef(name: string): this {
    return this.u8(0x09).name(name);
  }

  cdata(s: string): this {
    return this.u8(0x07).u16(s.length).bytes(Buffer.from(s, 'utf16le'));
  }

  pi(target: string, data: string): this {
    this.u8(0x0a).name(target);
    return this.u8(0x0b).u16(data.length).bytes(Buffer.from(data, 'utf16le'));
  }

  /**
   * A template instance. `def` writes the definition's root element inline (first use in the
   * chunk); a number refers to a definition written earlier. Returns the definition's offset.
   */
  template(def: ((w: ChunkWriter) => void) | number, values: SubValue[], guid = 0x11): number {
    this.u8(0x0c).u8(1).u32(guid);
    let defOffset: number;
    if (typeof def === 'number') {
      defOffset = def;
      this.u32(defOffset);
    } else {
      defOffset = this.pos + 4;
      this.u32(defOffset);
      this.u32(0).bytes(Buffer.alloc(16, guid));
      const sizeAt = this.pos;
      this.u32(0);
      const start = this.pos;
      this.fragmentHeader();
      def(this);
      this.eof();
      this.buf.writeUInt32LE(this.pos - start, sizeAt);
    }
    this.u32(values.length);
    const descriptors = this.pos;
    for (const [type] of values) this.u16(0).u8(type).u8(0);
    values.forEach(([, data], i) => {
      const start = this.pos;
      if (Buffer.isBuffer(data)) this.bytes(data);
      else data(this);
      this.buf.writeUInt16LE(this.pos - start, descriptors + 4 * i);
    });
    return defOffset;
  }

  /** One event record around the BinXML `body` writes. Returns its chunk offset. */
  record(id: number, filetime: bigint, body: (w: ChunkWriter) => void): number {
    const at = this.pos;
    this.u32(0x2a2a).u32(0).bytes(u64(BigInt(id))).bytes(u64(filetime));
    this.fragmentHeader();
    body(this);
    this.eof();
    while ((this.pos - at + 4) % 8 !== 0) this.u8(0);
    const size = this.pos - at + 4;
    this.u32(size);
    this.buf.writeUInt32LE(size, at + 4);
    if (this.records++ === 0) this.firstId = id;
    this.lastId = id;
    this.lastRecordOffset = at;
    return at;
  }

  /** The chunk with its header and valid checksums. */
  finish(): Buffer {
    const b = this.buf;
    b.write('ElfChnk\0', 0, 'latin1');
    b.writeBigUInt64LE(BigInt(this.firstId), 8);
    b.writeBigUInt64LE(BigInt(this.lastId), 16);
    b.writeBigUInt64LE(BigInt(this.firstId), 24);
    b.writeBigUInt64LE(BigInt(this.lastId), 32);
    b.writeUInt32LE(128, 40);
    b.writeUInt32LE(this.lastRecordOffset, 44);
    b.writeUInt32LE(this.pos, 48);
    b.writeUInt32LE(crc32Table(b, 512, this.pos), 52);
    b.writeUInt32LE(crc32Table(b, 128, 512, crc32Table(b, 0, 120)), 124);
    return Buffer.from(b);
  }
}

/** A file header (4 KiB) followed by the chunks. */
export function evtxFile(chunks: Buffer[], headerChunkCount = chunks.length): Buffer {
  const h = Buffer.alloc(4096);
  h.write('ElfFile\0', 0, 'latin1');
  h.writeBigUInt64LE(BigInt(Math.max(0, chunks.length - 1)), 16);
  h.writeUInt32LE(128, 32);
  h.writeUInt16LE(1, 36);
  h.writeUInt16LE(3, 38);
  h.writeUInt16LE(4096, 40);
  h.writeUInt16LE(headerChunkCount, 42);
  h.writeUInt32LE(crc32Table(h, 0, 120), 124);
  return Buffer.concat([h, ...chunks]);
}
