/** DecodeError reports a malformed protobuf message (answered with 400). */
export class DecodeError extends Error {
  override name = 'DecodeError';
}

/** WIRE_VARINT, WIRE_I64, WIRE_LEN and WIRE_I32 are the protobuf wire types this package reads. */
export const WIRE_VARINT = 0;
/** WIRE_I64 is the fixed 64-bit wire type (double, fixed64). */
export const WIRE_I64 = 1;
/** WIRE_LEN is the length-delimited wire type (strings, bytes, messages, packed fields). */
export const WIRE_LEN = 2;
/** WIRE_I32 is the fixed 32-bit wire type. */
export const WIRE_I32 = 5;

const TWO32 = 4294967296;

/**
 * PbReader walks protobuf wire data in place. It allocates nothing per field: callers
 * read a tag, then the value, and compare `pos` with the end of the enclosing message.
 */
export class PbReader {
  /** pos is the offset of the next unread byte. */
  pos = 0;
  /** view reads fixed-width little-endian values. */
  readonly view: DataView;

  constructor(readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** uint32 reads a varint that must fit in 32 bits (tags, lengths, refs). */
  uint32(): number {
    const buf = this.buf;
    let p = this.pos;
    if (p >= buf.length) throw new DecodeError('unexpected end of protobuf data in varint');
    let b = buf[p++]!;
    if (b < 0x80) {
      this.pos = p;
      return b;
    }
    let v = b & 0x7f;
    for (let shift = 7; shift < 35; shift += 7) {
      if (p >= buf.length) throw new DecodeError('unexpected end of protobuf data in varint');
      b = buf[p++]!;
      if (shift === 28) {
        if (b > 0x0f) throw new DecodeError('varint does not fit in 32 bits');
        this.pos = p;
        return v + b * 0x10000000;
      }
      v |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = p;
        return v >>> 0;
      }
    }
    throw new DecodeError('varint does not fit in 32 bits');
  }

  /** int64 reads a varint as a signed 64-bit integer (two's complement), exact within ±2^53. */
  int64(): number {
    const buf = this.buf;
    let p = this.pos;
    let lo = 0;
    let hi = 0;
    let b = 0;
    let i = 0;
    for (; i < 4; i++) {
      if (p >= buf.length) throw new DecodeError('unexpected end of protobuf data in varint');
      b = buf[p++]!;
      lo |= (b & 0x7f) << (i * 7);
      if (b < 0x80) {
        this.pos = p;
        return lo >>> 0;
      }
    }
    if (p >= buf.length) throw new DecodeError('unexpected end of protobuf data in varint');
    b = buf[p++]!;
    lo |= (b & 0x0f) << 28;
    hi = (b & 0x7f) >> 4;
    if (b >= 0x80) {
      for (i = 0; i < 5; i++) {
        if (p >= buf.length) throw new DecodeError('unexpected end of protobuf data in varint');
        b = buf[p++]!;
        hi |= (b & 0x7f) << (i * 7 + 3);
        if (b < 0x80) break;
      }
      if (b >= 0x80) throw new DecodeError('varint longer than 10 bytes');
    }
    this.pos = p;
    return (hi | 0) * TWO32 + (lo >>> 0);
  }

  /** double reads a little-endian float64 (NaN payloads preserved in the returned local). */
  double(): number {
    const p = this.pos;
    if (p + 8 > this.buf.length) throw new DecodeError('unexpected end of protobuf data in double');
    this.pos = p + 8;
    return this.view.getFloat64(p, true);
  }

  /** lenEnd reads a length prefix and returns the end offset of the delimited value, checked against limit. */
  lenEnd(limit: number): number {
    const n = this.uint32();
    const end = this.pos + n;
    if (end > limit) throw new DecodeError(`length-delimited field of ${n} bytes overruns its message`);
    return end;
  }

  /**
   * nextField skips fields until one whose tag is `key` (a length-delimited field) and returns
   * the end offset of its value, with pos at the value's start; -1 when none is left before end.
   */
  nextField(key: number, end: number): number {
    while (this.pos < end) {
      const tag = this.uint32();
      if (tag === key) return this.lenEnd(end);
      this.skip(tag & 7, end);
    }
    return -1;
  }

  /** skip skips a value of the given wire type, staying within limit. */
  skip(wire: number, limit: number): void {
    switch (wire) {
      case WIRE_VARINT:
        this.int64();
        break;
      case WIRE_I64:
        this.pos += 8;
        break;
      case WIRE_LEN:
        this.pos = this.lenEnd(limit);
        break;
      case WIRE_I32:
        this.pos += 4;
        break;
      default:
        throw new DecodeError(`unsupported protobuf wire type ${wire}`);
    }
    if (this.pos > limit) throw new DecodeError('field overruns its message');
  }
}
