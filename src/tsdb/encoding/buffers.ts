/** EncodingError reports bytes that do not decode: truncated, overlong or corrupt. */
export class EncodingError extends Error {
  override name = 'EncodingError';
}

/**
 * grownBuffer returns a buffer of at least `need` bytes, doubling buf's capacity as often as
 * needed, that starts with buf's first `used` bytes (the rest is uninitialised).
 */
export function grownBuffer(buf: Buffer, used: number, need: number): Buffer<ArrayBuffer> {
  let cap = buf.length * 2;
  while (cap < need) cap *= 2;
  const next = Buffer.allocUnsafe(cap);
  buf.copy(next, 0, 0, used);
  return next;
}

/** ByteWriter appends big-endian integers, varints and bytes to a growable buffer (Prometheus's Encbuf). */
export class ByteWriter {
  private buf: Buffer;
  /** len is the number of bytes written so far. */
  len = 0;

  constructor(initialCapacity = 1024) {
    this.buf = Buffer.allocUnsafe(initialCapacity);
  }

  private grow(n: number): void {
    if (this.len + n > this.buf.length) this.buf = grownBuffer(this.buf, this.len, this.len + n);
  }

  /** reset empties the writer, keeping its memory. */
  reset(): void {
    this.len = 0;
  }

  /** bytes returns a view of what was written (valid until the next write). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.len);
  }

  /** putByte writes one byte. */
  putByte(b: number): void {
    this.grow(1);
    this.buf[this.len++] = b;
  }

  /** putBytes writes raw bytes. */
  putBytes(b: Uint8Array): void {
    this.grow(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  /** putBE16 writes a big-endian uint16. */
  putBE16(v: number): void {
    this.grow(2);
    this.buf.writeUInt16BE(v, this.len);
    this.len += 2;
  }

  /** putBE32 writes a big-endian uint32. */
  putBE32(v: number): void {
    this.grow(4);
    this.buf.writeUInt32BE(v >>> 0, this.len);
    this.len += 4;
  }

  /** putBE64 writes a big-endian uint64 from a non-negative safe integer. */
  putBE64(v: number): void {
    this.grow(8);
    this.buf.writeUInt32BE(Math.floor(v / 0x100000000), this.len);
    this.buf.writeUInt32BE(v >>> 0, this.len + 4);
    this.len += 8;
  }

  /** putBE64Signed writes a big-endian int64 (two's complement) from a safe integer. */
  putBE64Signed(v: number): void {
    this.grow(8);
    this.buf.writeBigInt64BE(BigInt(v), this.len);
    this.len += 8;
  }

  /** putFloat64 writes a big-endian IEEE 754 double, bit for bit. */
  putFloat64(v: number): void {
    this.grow(8);
    this.buf.writeDoubleBE(v, this.len);
    this.len += 8;
  }

  /** putUvarint writes an unsigned LEB128 varint (Go's binary.PutUvarint) of a safe integer. */
  putUvarint(v: number): void {
    this.grow(10);
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.len++] = v;
  }

  /** putVarint writes a zig-zag signed varint (Go's binary.PutVarint) of a safe integer. */
  putVarint(v: number): void {
    if (v === 0) v = 0;
    this.putUvarint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  /** putUvarintStr writes a uvarint byte length then the UTF-8 string. */
  putUvarintStr(s: string): void {
    const m = s.length;
    if (m < 128) {
      // Short ASCII strings (nearly every label) are copied by hand: Buffer.write costs a native call each.
      this.grow(m + 1);
      const buf = this.buf;
      let at = this.len + 1;
      let i = 0;
      for (; i < m; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[at++] = c;
      }
      if (i === m) {
        buf[this.len] = m;
        this.len = at;
        return;
      }
    }
    const n = Buffer.byteLength(s);
    this.putUvarint(n);
    this.grow(n);
    this.buf.write(s, this.len, 'utf8');
    this.len += n;
  }

  /** putUvarintBytes writes a uvarint length then the bytes. */
  putUvarintBytes(b: Uint8Array): void {
    this.putUvarint(b.length);
    this.putBytes(b);
  }
}

/** ByteReader reads big-endian integers, varints and bytes from a buffer (Prometheus's Decbuf); it throws EncodingError past the end. */
export class ByteReader {
  /** pos is the offset of the next byte to read. */
  pos: number;

  constructor(
    readonly buf: Buffer,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  /** remaining is the number of unread bytes. */
  remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number): void {
    if (this.pos + n > this.end) throw new EncodingError(`unexpected end of data: need ${n} bytes at offset ${this.pos}, have ${this.end - this.pos}`);
  }

  /** byte reads one byte. */
  byte(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  /** be16 reads a big-endian uint16. */
  be16(): number {
    this.need(2);
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  /** be32 reads a big-endian uint32. */
  be32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  /** be64 reads a big-endian uint64 as a number (exact up to 2^53). */
  be64(): number {
    this.need(8);
    const v = this.buf.readUInt32BE(this.pos) * 0x100000000 + this.buf.readUInt32BE(this.pos + 4);
    this.pos += 8;
    return v;
  }

  /** be64Signed reads a big-endian int64 as a number. */
  be64Signed(): number {
    this.need(8);
    const v = Number(this.buf.readBigInt64BE(this.pos));
    this.pos += 8;
    return v;
  }

  /** float64 reads a big-endian IEEE 754 double. */
  float64(): number {
    this.need(8);
    const v = this.buf.readDoubleBE(this.pos);
    this.pos += 8;
    return v;
  }

  /** uvarint reads an unsigned LEB128 varint. */
  uvarint(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      this.need(1);
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result;
      mul *= 0x80;
    }
    throw new EncodingError(`varint overflows 64 bits at offset ${this.pos}`);
  }

  /** varint reads a zig-zag signed varint. */
  varint(): number {
    const u = this.uvarint();
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }

  /** bytes reads n raw bytes as a view. */
  bytes(n: number): Buffer {
    this.need(n);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  /** uvarintStr reads a uvarint length then a UTF-8 string. */
  uvarintStr(): string {
    const n = this.uvarint();
    this.need(n);
    const s = this.buf.toString('utf8', this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  /** uvarintBytes reads a uvarint length then that many bytes as a view. */
  uvarintBytes(): Buffer {
    return this.bytes(this.uvarint());
  }

  /** skip advances n bytes. */
  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }
}
