import { grownBuffer } from '../tsdb/encoding/buffers.js';

/** PbSink is a growable protobuf byte sink for hot encoders (remote read responses, OTLP's translated writes); callers write tags themselves. */
export class PbSink {
  /** buf holds the bytes; only [0, len) is written. */
  buf: Buffer;
  /** len is the number of bytes written. */
  len = 0;

  constructor(capacity = 4096) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  /** ensure makes room for n more bytes. */
  ensure(n: number): void {
    if (this.len + n > this.buf.length) this.buf = grownBuffer(this.buf, this.len, this.len + n);
  }

  /** byte writes one byte. */
  byte(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b;
  }

  /** uvarint writes a non-negative safe integer, or a negative one as ten bytes of two's complement (protobuf int64). */
  uvarint(v: number): void {
    this.ensure(10);
    const b = this.buf;
    if (v < 0) {
      let x = BigInt.asUintN(64, BigInt(v));
      for (let i = 0; i < 9; i++) {
        b[this.len++] = Number(x & 0x7fn) | 0x80;
        x >>= 7n;
      }
      b[this.len++] = Number(x);
      return;
    }
    while (v >= 0x80) {
      b[this.len++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    b[this.len++] = v;
  }

  /** double writes a little-endian float64. */
  double(v: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(v, this.len);
    this.len += 8;
  }

  /** bytes copies src[start, end). */
  bytes(src: Uint8Array, start = 0, end = src.length): void {
    this.ensure(end - start);
    const b = this.buf;
    if (end - start < 64) {
      // Short copies (label refs, small messages) by hand: a subarray view costs more than the bytes.
      let p = this.len;
      for (let i = start; i < end; i++) b[p++] = src[i]!;
    } else b.set(src.subarray(start, end), this.len);
    this.len += end - start;
  }

  /** lenString writes a string's UTF-8 byte length then its bytes. */
  lenString(s: string): void {
    const n = Buffer.byteLength(s);
    this.uvarint(n);
    this.ensure(n);
    this.buf.write(s, this.len, 'utf8');
    this.len += n;
  }

  /** sample writes a remote-write/read Sample (value = 1 double, timestamp = 2 int64) as field 2 (TimeSeries.samples). */
  sample(t: number, v: number): void {
    this.ensure(12);
    const b = this.buf;
    b[this.len] = 0x12;
    b[this.len + 1] = 9 + 1 + uvarintLen(t);
    b[this.len + 2] = 0x09;
    b.writeDoubleLE(v, this.len + 3);
    b[this.len + 11] = 0x10;
    this.len += 12;
    this.uvarint(t);
  }

  /** message writes another sink's bytes as a length-delimited field with the given key byte. */
  message(key: number, inner: PbSink): void {
    this.byte(key);
    this.uvarint(inner.len);
    this.bytes(inner.buf, 0, inner.len);
  }

  /** view is the written bytes (valid until the next write). */
  view(): Buffer {
    return this.buf.subarray(0, this.len);
  }
}

/** uvarintLen is the encoded length of a uvarint (10 for a negative int64). */
export function uvarintLen(v: number): number {
  if (v < 0) return 10;
  let n = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 0x80);
    n++;
  }
  return n;
}
