// Bit streams for chunk encodings, with the bit order of Prometheus's tsdb/chunkenc/bstream.go:
// bits are written most-significant first into consecutive bytes, and the unused low bits of
// the last byte stay zero.

/** BSTREAM_DEFAULT_CAPACITY is the initial byte capacity of a new bit stream (as Prometheus's 128). */
export const BSTREAM_DEFAULT_CAPACITY = 128;

/** viewOf is a DataView over exactly the bytes of buf. */
export function viewOf(buf: Uint8Array): DataView {
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** BufferAllocator supplies a zero-filled buffer of at least minBytes for a growing BitWriter and takes back the old one. */
export type BufferAllocator = (minBytes: number, old: Uint8Array) => Uint8Array;

/** BitWriter appends bits to a growable byte buffer; bytes past the written bits are always zero. */
export class BitWriter {
  /** buf is the backing storage; only the first byteLength() bytes are meaningful. */
  buf: Uint8Array;
  /** bitLen is the number of bits written so far. */
  bitLen: number;
  private dv: DataView | null = null;
  private dvBuf: Uint8Array | null = null;

  /** The constructor takes ownership of buf; every bit at or after bitLen in buf must be zero; alloc, when given, supplies grown buffers. */
  constructor(
    buf: Uint8Array = new Uint8Array(BSTREAM_DEFAULT_CAPACITY),
    bitLen = 0,
    private readonly alloc: BufferAllocator | null = null,
  ) {
    this.buf = buf;
    this.bitLen = bitLen;
  }

  /** byteLength is the number of bytes holding written bits (the last one may be partial). */
  byteLength(): number {
    return (this.bitLen + 7) >>> 3;
  }

  /** bytes returns a view of the written bytes (valid until the next write). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, (this.bitLen + 7) >>> 3);
  }

  /** writeBit writes one bit (any non-zero b writes a 1). */
  writeBit(b: number): void {
    const p = this.bitLen;
    const i = p >>> 3;
    if (i >= this.buf.length) this.grow(i + 1);
    if (b !== 0) this.buf[i]! |= 0x80 >>> (p & 7);
    this.bitLen = p + 1;
  }

  /** writeBits writes the n (1..32) low bits of v, most significant first. */
  writeBits(v: number, n: number): void {
    const p = this.bitLen;
    const i = p >>> 3;
    const off = p & 7;
    // Keep 5 spare bytes so the word writes below never need a bounds check.
    if (i + 5 > this.buf.length) this.grow(i + 5);
    const buf = this.buf;
    // The n bits, left-aligned in a 32-bit word, then moved right past the used bits of byte i.
    const x = (v << (32 - n)) >>> off;
    buf[i] = buf[i]! | (x >>> 24);
    if (off + n > 8) {
      buf[i + 1] = x >>> 16;
      buf[i + 2] = x >>> 8;
      buf[i + 3] = x;
      // bits that spill into a fifth byte
      if (off + n > 32) buf[i + 4] = v << (8 - ((off + n) & 7));
    }
    this.bitLen = p + n;
  }

  /** view is a DataView over buf, cached until buf is replaced. */
  view(): DataView {
    // Compare views, not ArrayBuffers: a grown buffer may be another view of the same (shared) ArrayBuffer.
    if (this.dv === null || this.dvBuf !== this.buf) {
      this.dv = viewOf(this.buf);
      this.dvBuf = this.buf;
    }
    return this.dv;
  }

  /** compact shrinks the backing storage to the written bytes (for chunks that are complete). */
  compact(): void {
    const n = (this.bitLen + 7) >>> 3;
    if (this.buf.length > n) this.buf = this.buf.slice(0, n);
  }

  private grow(minBytes: number): void {
    if (minBytes <= this.buf.length) return;
    // Grow by half (a new chunk is usually sized from its predecessor, so it overflows by little).
    let cap = this.buf.length < 128 ? this.buf.length * 2 : this.buf.length + (this.buf.length >>> 1);
    if (cap < 16) cap = 16;
    while (cap < minBytes) cap *= 2;
    cap = (cap + 15) & ~15;
    const next = this.alloc !== null ? this.alloc(cap, this.buf) : new Uint8Array(cap);
    next.set(this.buf.subarray(0, (this.bitLen + 7) >>> 3));
    this.buf = next;
  }
}

/** writerFromPrefix copies the first bitPos bits of data into a new growable BitWriter (later bits zeroed). */
export function writerFromPrefix(data: Uint8Array, bitPos: number): BitWriter {
  const n = (bitPos + 7) >>> 3;
  let cap = BSTREAM_DEFAULT_CAPACITY;
  while (cap < n + 16) cap *= 2;
  const buf = new Uint8Array(cap);
  buf.set(data.subarray(0, n));
  if ((bitPos & 7) !== 0) buf[n - 1]! &= 0xff << (8 - (bitPos & 7));
  return new BitWriter(buf, bitPos);
}

// Shared empty buffer and view for fresh readers: allocating an ArrayBuffer per reader showed in query profiles.
const EMPTY_BYTES = new Uint8Array(0);
const EMPTY_VIEW = new DataView(EMPTY_BYTES.buffer);

/**
 * BitReader reads bits from a byte buffer, most significant first. Reads past the end of the
 * buffer yield zero bits; callers compare pos with their own end to detect truncation.
 */
export class BitReader {
  /** buf is the buffer being read. */
  buf: Uint8Array = EMPTY_BYTES;
  /** pos is the index of the next bit to read. */
  pos = 0;

  private dv: DataView = EMPTY_VIEW;
  /** len is buf.length, cached. */
  private len = 0;

  /** reset starts reading buf at bit position pos; view, when given, must be a DataView over exactly buf. */
  reset(buf: Uint8Array, pos: number, view?: DataView): void {
    if (buf !== this.buf) {
      this.buf = buf;
      this.dv = view ?? viewOf(buf);
      this.len = buf.length;
    }
    this.pos = pos;
  }

  /** readBit returns the next bit as 0 or 1. */
  readBit(): number {
    const p = this.pos;
    this.pos = p + 1;
    const i = p >>> 3;
    if (i >= this.buf.length) return 0;
    return (this.buf[i]! >>> (7 - (p & 7))) & 1;
  }

  /** readBits returns the next n (1..31) bits as a non-negative integer. */
  readBits(n: number): number {
    const w = this.peek32();
    this.pos += n;
    return w >>> (32 - n);
  }

  /** readBits32 returns the next 32 bits as an int32 (the bit pattern; negative when the top bit is set). */
  readBits32(): number {
    const w = this.peek32();
    this.pos += 32;
    return w;
  }

  /** peek32 returns the next 32 bits (zero past the end) as an int32 bit pattern, without consuming them. */
  peek32(): number {
    const p = this.pos;
    const i = p >>> 3;
    const s = p & 7;
    if (i + 4 < this.len) {
      const dv = this.dv;
      const w = dv.getInt32(i);
      if (s === 0) return w;
      return (w << s) | (dv.getUint8(i + 4) >>> (8 - s));
    }
    return this.peekTail(i, s);
  }

  private peekTail(i: number, s: number): number {
    const b = this.buf;
    const len = b.length;
    const b0 = i < len ? b[i]! : 0;
    const b1 = i + 1 < len ? b[i + 1]! : 0;
    const b2 = i + 2 < len ? b[i + 2]! : 0;
    const b3 = i + 3 < len ? b[i + 3]! : 0;
    const b4 = i + 4 < len ? b[i + 4]! : 0;
    const w = (b0 << 24) | (b1 << 16) | (b2 << 8) | b3;
    if (s === 0) return w;
    return (w << s) | (b4 >>> (8 - s));
  }
}
