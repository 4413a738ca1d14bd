import { ApiError } from '../http/prometheus/api-error.js';
import { formatSampleValue } from '../http/prometheus/gofloat.js';
import type { JSONSink } from '../http/prometheus/values.js';

const encoder = new TextEncoder();

/** BodyWriterOptions configure a BodyWriter. */
export interface BodyWriterOptions {
  /** maxBytes caps the whole body; passing it throws ApiError('execution') naming the limit. */
  readonly maxBytes: number;
  /** flushBytes is the size of the pieces handed to emit (default 256 KiB). */
  readonly flushBytes?: number;
  /** emit receives each piece; it owns the bytes (they may be transferred). */
  readonly emit: (chunk: Uint8Array) => void;
}

/** POINT_MAX_BYTES bounds one rendered point: `,[` seconds (up to 21 characters) `,"` value (up to 24) `"]`. */
const POINT_MAX_BYTES = 64;

/**
 * BodyWriter renders JSON text straight into byte pieces of about flushBytes (each owning its
 * memory, so it can be transferred), never holding the whole body as one string, and enforces
 * the size cap. Its `write` is a JSONSink whose `points` renders a series' points as bytes
 * without building a string per point.
 */
export class BodyWriter {
  private buf: Buffer;
  private pos = 0;
  /** limit is where the buffer is full: below it, one more point always fits. */
  private limit: number;
  private total = 0;
  private readonly flushAt: number;

  constructor(private readonly opts: BodyWriterOptions) {
    this.flushAt = opts.flushBytes ?? 256 * 1024;
    this.buf = Buffer.allocUnsafeSlow(Math.min(this.flushAt, 16 * 1024) + POINT_MAX_BYTES);
    this.limit = this.buf.length - POINT_MAX_BYTES;
  }

  /** write appends text (bound, so it can be passed as a JSONSink). */
  readonly write: JSONSink = Object.assign((text: string): void => this.text(text), {
    points: (ts: ArrayLike<number>, vs: ArrayLike<number>): void => this.points(ts, vs),
  });

  /** bytes is the number of bytes emitted so far. */
  get bytes(): number {
    return this.total;
  }

  /** flush emits what is pending. */
  flush(): void {
    if (this.pos === 0) return;
    // A piece well short of its buffer (the last one) is copied, so the transfer carries no spare memory.
    const chunk = this.pos < this.buf.length / 2 ? new Uint8Array(this.buf.subarray(0, this.pos)) : this.buf.subarray(0, this.pos);
    this.total += this.pos;
    this.buf = Buffer.allocUnsafeSlow(this.buf.length);
    this.pos = 0;
    if (this.total > this.opts.maxBytes) {
      throw new ApiError('execution', `the query result exceeds the response size limit of ${this.opts.maxBytes} bytes (query.maxResultBytes); narrow the query or its time range`);
    }
    this.opts.emit(chunk);
  }

  /** full makes room once pos reached limit: a buffer short of flushBytes grows (4x), a full-sized one is emitted. */
  private full(): void {
    if (this.limit >= this.flushAt) return this.flush();
    const next = Buffer.allocUnsafeSlow(Math.min(this.flushAt, this.limit * 4) + POINT_MAX_BYTES);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.limit = next.length - POINT_MAX_BYTES;
  }

  private text(s: string): void {
    let i = 0;
    while (i < s.length) {
      if (this.pos >= this.limit) this.full();
      const buf = this.buf;
      let p = this.pos;
      // ASCII goes byte by byte (label text and punctuation are short); the rest through the encoder.
      const end = Math.min(s.length, i + buf.length - p);
      for (; i < end; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[p++] = c;
      }
      this.pos = p;
      if (i < end) return this.bytesOf(s.slice(i));
    }
  }

  /** bytesOf writes the UTF-8 of s, across pieces when it does not fit. */
  private bytesOf(s: string): void {
    if (s.length * 3 <= this.buf.length - this.pos) {
      this.pos += encoder.encodeInto(s, this.buf.subarray(this.pos)).written;
      return;
    }
    const bytes = encoder.encode(s);
    let i = 0;
    while (i < bytes.length) {
      if (this.pos >= this.limit) this.full();
      const n = Math.min(bytes.length - i, this.buf.length - this.pos);
      this.buf.set(bytes.subarray(i, i + n), this.pos);
      this.pos += n;
      i += n;
    }
  }

  /** points writes `[<seconds>,"<value>"]` for every point, comma-separated (Prometheus's jsonutil rendering). */
  private points(ts: ArrayLike<number>, vs: ArrayLike<number>): void {
    const n = ts.length;
    for (let k = 0; k < n; k++) {
      if (this.pos >= this.limit) this.full();
      const buf = this.buf;
      let p = this.pos;
      if (k > 0) buf[p++] = 0x2c; // ,
      buf[p++] = 0x5b; // [
      p = writeTimestamp(buf, p, ts[k]!);
      buf[p++] = 0x2c;
      buf[p++] = 0x22; // "
      const s = formatSampleValue(vs[k]!);
      for (let i = 0; i < s.length; i++) buf[p++] = s.charCodeAt(i);
      buf[p++] = 0x22;
      buf[p++] = 0x5d; // ]
      this.pos = p;
    }
  }
}

/** writeTimestamp writes integer ms as formatTimestamp does (seconds, a non-zero fraction with 3 digits) at p; returns the end. */
export function writeTimestamp(buf: Uint8Array, p: number, ms: number): number {
  let t = ms;
  if (t < 0) {
    buf[p++] = 0x2d;
    t = -t;
  }
  const frac = t % 1000;
  const secs = (t - frac) / 1000;
  // Seconds below 2^31 (until 2038) take 32-bit integer arithmetic; the rest goes through doubles.
  if (secs < 0x80000000) p = writeInt32Digits(buf, p, secs);
  else {
    const s = String(secs);
    for (let i = 0; i < s.length; i++) buf[p++] = s.charCodeAt(i);
  }
  if (frac !== 0) {
    const f = frac | 0;
    const d1 = (f / 10) | 0;
    buf[p++] = 0x2e;
    buf[p++] = 0x30 + ((f / 100) | 0);
    buf[p++] = 0x30 + (d1 % 10);
    buf[p++] = 0x30 + (f - d1 * 10);
  }
  return p;
}

/** writeInt32Digits writes the decimal digits of 0 <= x < 2^31 at p; returns the end. */
function writeInt32Digits(buf: Uint8Array, p: number, x: number): number {
  let v = x | 0;
  let len = 1;
  for (let y = v; y >= 10; y = (y / 10) | 0) len++;
  const end = p + len;
  let q = end;
  do {
    const d = (v / 10) | 0;
    buf[--q] = 0x30 + (v - d * 10);
    v = d;
  } while (q > p);
  return end;
}
