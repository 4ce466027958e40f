/**
 * Bounds-checked little-endian reads over one chunk (or one file header).
 *
 * Every read past `end` throws {@link EvtxFormatError}; the chunk and record loops catch it and
 * turn it into an error item, so bad bytes can never escape the public API as an exception.
 * Offsets are relative to `buf`, which for BinXML is always a whole chunk: name, template and
 * "is it inline here?" offsets in the format are chunk-relative, so they compare directly
 * against `pos`.
 */
export class EvtxFormatError extends Error {
  constructor(
    message: string,
    /** Offset in the buffer being read (chunk-relative for chunk data). */
    readonly at: number,
  ) {
    super(message);
    this.name = 'EvtxFormatError';
  }
}

export class ByteCursor {
  pos: number;

  constructor(
    readonly buf: Buffer,
    pos = 0,
    public end: number = buf.length,
  ) {
    this.pos = pos;
  }

  need(n: number, what: string): void {
    if (n < 0 || this.pos + n > this.end) {
      throw new EvtxFormatError(`truncated ${what}: need ${n} bytes at ${this.pos}, have ${Math.max(0, this.end - this.pos)}`, this.pos);
    }
  }

  u8(): number {
    if (this.pos >= this.end) throw new EvtxFormatError(`read past end at ${this.pos}`, this.pos);
    return this.buf[this.pos++];
  }

  peek(): number {
    if (this.pos >= this.end) throw new EvtxFormatError(`read past end at ${this.pos}`, this.pos);
    return this.buf[this.pos];
  }

  u16(): number {
    const p = this.pos;
    if (p + 2 > this.end) throw new EvtxFormatError(`read past end at ${p}`, p);
    this.pos = p + 2;
    const b = this.buf;
    return b[p] | (b[p + 1] << 8);
  }

  u32(): number {
    const p = this.pos;
    if (p + 4 > this.end) throw new EvtxFormatError(`read past end at ${p}`, p);
    this.pos = p + 4;
    const b = this.buf;
    return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16)) + b[p + 3] * 0x1000000;
  }

  skip(n: number, what: string): void {
    this.need(n, what);
    this.pos += n;
  }
}

/** Unchecked reads for callers that have already checked the range. */
export function u16At(b: Buffer, p: number): number {
  return b[p] | (b[p + 1] << 8);
}

export function u32At(b: Buffer, p: number): number {
  return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16)) + b[p + 3] * 0x1000000;
}

export function i32At(b: Buffer, p: number): number {
  return b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);
}

/**
 * A u64 as a JS number. Exact below 2^53; above it, the nearest double, which is also what
 * `JSON.parse` makes of the decimal text other tools print.
 */
export function u64At(b: Buffer, p: number): number {
  return u32At(b, p + 4) * 0x100000000 + u32At(b, p);
}

export function i64At(b: Buffer, p: number): number {
  return i32At(b, p + 4) * 0x100000000 + u32At(b, p);
}
