import type { Labels } from '../model/labels.js';
import { grownBuffer } from '../tsdb/encoding/buffers.js';

/**
 * The binary form of a head select reply, built on the thread that owns the head and read in
 * the worker without copying chunk bytes (little-endian):
 *
 *     u32 nSeries
 *     per series: u16 nLabels, per label (u32 len, utf8 name, u32 len, utf8 value; the top bit
 *                 of len marks an ASCII-only string),
 *                 u32 nChunks, per chunk (f64 mint, f64 maxt, u32 len, XOR chunk bytes),
 *                 u32 nStartTimestamps, per entry (f64 t, f64 st)
 *
 * The buffer may be longer than the data (its spare capacity travels along when transferred).
 */

/** WireChunk is one XOR chunk with the times of its first and last samples. */
export interface WireChunk {
  readonly mint: number;
  readonly maxt: number;
  readonly data: Uint8Array;
}

/** DecodedChunk is a WireChunk as read back, shaped as the head iterator's ReadChunk (no live chunk object). */
export interface DecodedChunk extends WireChunk {
  readonly chunk: null;
}

/** WireSeries is one decoded series of a head select reply. */
export interface WireSeries {
  readonly labels: Labels;
  readonly chunks: readonly DecodedChunk[];
  /** startTs maps sample timestamps to start timestamps, or null when the series has none in range. */
  readonly startTs: ReadonlyMap<number, number> | null;
}

const encoder = new TextEncoder();
const ASCII = 0x80000000;
const decoder = new TextDecoder();

/**
 * encodedLabels caches each label set's wire bytes (count and strings), keyed by the Labels
 * array itself: head series keep theirs for life, so a series queried again is copied, not
 * re-encoded, and the entry goes when the series does.
 */
const encodedLabels = new WeakMap<Labels, Uint8Array>();

/** SeriesWriter encodes series into one growable buffer. */
export class SeriesWriter {
  // Buffers of 4 KiB and more own their ArrayBuffer (offset 0), which finish() transfers whole.
  private buf: Buffer = Buffer.alloc(64 * 1024);
  private view = new DataView(this.buf.buffer);
  private pos = 4;
  private n = 0;

  /** size is the number of bytes written so far. */
  get size(): number {
    return this.pos;
  }

  /** count is the number of series written so far. */
  get count(): number {
    return this.n;
  }

  /** add appends one series; startTs entries are (t, st) pairs already restricted to the range. */
  add(labels: Labels, chunks: readonly WireChunk[], startTs: readonly number[] | null): void {
    const cached = encodedLabels.get(labels);
    if (cached !== undefined) {
      this.ensure(cached.length);
      this.buf.set(cached, this.pos);
      this.pos += cached.length;
    } else {
      const start = this.pos;
      this.ensure(2);
      this.view.setUint16(this.pos, labels.length, true);
      this.pos += 2;
      for (const l of labels) {
        this.str(l.name);
        this.str(l.value);
      }
      encodedLabels.set(labels, new Uint8Array(this.buf.subarray(start, this.pos)));
    }
    this.ensure(4);
    this.view.setUint32(this.pos, chunks.length, true);
    this.pos += 4;
    for (const c of chunks) {
      this.ensure(20 + c.data.length);
      this.view.setFloat64(this.pos, c.mint, true);
      this.view.setFloat64(this.pos + 8, c.maxt, true);
      this.view.setUint32(this.pos + 16, c.data.length, true);
      this.buf.set(c.data, this.pos + 20);
      this.pos += 20 + c.data.length;
    }
    const st = startTs ?? [];
    this.ensure(4 + st.length * 8);
    this.view.setUint32(this.pos, st.length / 2, true);
    this.pos += 4;
    for (const x of st) {
      this.view.setFloat64(this.pos, x, true);
      this.pos += 8;
    }
    this.n++;
  }

  /** finish writes the series count and returns the buffer to transfer. */
  finish(): ArrayBuffer {
    this.view.setUint32(0, this.n, true);
    return this.buf.buffer as ArrayBuffer;
  }

  private str(s: string): void {
    this.ensure(4 + s.length * 3);
    const buf = this.buf;
    const at = this.pos + 4;
    let i = 0;
    // Label strings are short and mostly ASCII: copying code units beats encodeInto's call cost.
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) break;
      buf[at + i] = c;
    }
    if (i === s.length) {
      this.view.setUint32(this.pos, (s.length | ASCII) >>> 0, true);
      this.pos = at + s.length;
      return;
    }
    const { written } = encoder.encodeInto(s, buf.subarray(at));
    this.view.setUint32(this.pos, written, true);
    this.pos = at + written;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.buf = grownBuffer(this.buf, this.pos, this.pos + n);
    this.view = new DataView(this.buf.buffer);
  }
}

/** readSeries decodes a head select reply; chunk data are views into buf. */
export function readSeries(buf: ArrayBuffer): WireSeries[] {
  const bytes = new Uint8Array(buf);
  const latin1 = Buffer.from(buf);
  const view = new DataView(buf);
  let pos = 0;
  const u32 = (): number => {
    const v = view.getUint32(pos, true);
    pos += 4;
    return v;
  };
  const f64 = (): number => {
    const v = view.getFloat64(pos, true);
    pos += 8;
    return v;
  };
  const str = (): string => {
    const raw = u32();
    const len = raw & ~ASCII;
    const s = raw & ASCII ? latin1.toString('latin1', pos, pos + len) : decoder.decode(bytes.subarray(pos, pos + len));
    pos += len;
    return s;
  };
  const n = u32();
  const out: WireSeries[] = new Array<WireSeries>(n);
  for (let i = 0; i < n; i++) {
    const nl = view.getUint16(pos, true);
    pos += 2;
    const labels = new Array<{ name: string; value: string }>(nl);
    for (let j = 0; j < nl; j++) labels[j] = { name: str(), value: str() };
    const nc = u32();
    const chunks: DecodedChunk[] = new Array<DecodedChunk>(nc);
    for (let j = 0; j < nc; j++) {
      const mint = f64();
      const maxt = f64();
      const len = u32();
      chunks[j] = { mint, maxt, data: bytes.subarray(pos, pos + len), chunk: null };
      pos += len;
    }
    const ns = u32();
    let startTs: Map<number, number> | null = null;
    if (ns > 0) {
      startTs = new Map();
      for (let j = 0; j < ns; j++) {
        const t = f64();
        startTs.set(t, f64());
      }
    }
    out[i] = { labels, chunks, startTs };
  }
  return out;
}
