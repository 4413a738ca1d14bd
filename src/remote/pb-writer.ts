import type { FloatHistogram, Histogram, Span } from '../model/histogram/types.js';
import { grownBuffer } from '../tsdb/encoding/buffers.js';
import { WIRE_I64, WIRE_LEN, WIRE_VARINT } from './pb.js';

const TWO32 = 4294967296;
const encoder = new TextEncoder();

/** PbWriter is a small protobuf encoder (tests, benchmarks and tools build remote-write requests with it). */
export class PbWriter {
  private buf: Buffer = Buffer.allocUnsafe(256);
  private view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
  /** len is the number of bytes written. */
  len = 0;

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = grownBuffer(this.buf, this.len, this.len + n);
    this.buf = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.length);
  }

  /** varint writes an unsigned integer (up to 2^53) or a negative int64 as ten bytes of two's complement. */
  varint(n: number): this {
    this.ensure(10);
    if (n < 0) {
      let hi = Math.floor(n / TWO32);
      let lo = n - hi * TWO32;
      hi = hi >>> 0;
      for (let i = 0; i < 9; i++) {
        this.buf[this.len++] = (lo & 0x7f) | 0x80;
        lo = (lo >>> 7) | ((hi & 0x7f) << 25);
        hi >>>= 7;
      }
      this.buf[this.len++] = lo & 0x01;
      return this;
    }
    while (n >= 0x80) {
      this.buf[this.len++] = (n % 128) | 0x80;
      n = Math.floor(n / 128);
    }
    this.buf[this.len++] = n;
    return this;
  }

  /** tag writes a field key. */
  tag(field: number, wire: number): this {
    return this.varint(field * 8 + wire);
  }

  /** uintField writes a varint field. */
  uintField(field: number, n: number): this {
    return this.tag(field, WIRE_VARINT).varint(n);
  }

  /** doubleField writes a little-endian double field. */
  doubleField(field: number, v: number): this {
    this.tag(field, WIRE_I64);
    this.ensure(8);
    this.view.setFloat64(this.len, v, true);
    this.len += 8;
    return this;
  }

  /** bytesField writes a length-delimited field. */
  bytesField(field: number, bytes: Uint8Array): this {
    this.tag(field, WIRE_LEN).varint(bytes.length);
    this.ensure(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
    return this;
  }

  /** stringField writes a UTF-8 string field. */
  stringField(field: number, s: string): this {
    return this.bytesField(field, encoder.encode(s));
  }

  /** messageField writes a nested message built by fill. */
  messageField(field: number, fill: (w: PbWriter) => void): this {
    const w = new PbWriter();
    fill(w);
    return this.bytesField(field, w.finish());
  }

  /** finish returns a copy of the written bytes. */
  finish(): Uint8Array {
    return new Uint8Array(this.buf.subarray(0, this.len));
  }
}

/** TestSample is a sample of an encoded request. */
export interface TestSample {
  value: number;
  timestamp: number;
}

/** TestExemplar is an exemplar of an encoded request. */
export interface TestExemplar {
  labels: readonly (readonly [string, string])[];
  value: number;
  timestamp: number;
}

/** TestSeries is one TimeSeries of an encoded request; labels are written in the order given. */
export interface TestSeries {
  labels: readonly (readonly [string, string])[];
  samples?: readonly TestSample[];
  exemplars?: readonly TestExemplar[];
  /** histograms writes minimal native histograms (count and timestamp only). */
  histograms?: readonly TestSample[];
  /** nativeHistograms writes complete native histograms (after histograms). */
  nativeHistograms?: readonly TestHistogram[];
  /** v2 only: metadata and created timestamp. */
  metadata?: { type: number; help?: string; unit?: string };
  createdTimestamp?: number;
}

/** TestHistogram is a native histogram sample of an encoded request: h (integer, deltas) or fh (float, counts). */
export interface TestHistogram {
  timestamp: number;
  h?: Histogram;
  fh?: FloatHistogram;
}

/** writeHistogram writes a prometheus.Histogram / io.prometheus.write.v2.Histogram message (the same fields). */
export function writeHistogram(w: PbWriter, field: number, x: TestHistogram): void {
  const zz = (n: number): number => (n >= 0 ? n * 2 : -n * 2 - 1);
  const spans = (m: PbWriter, f: number, ss: readonly Span[]): void => {
    for (const sp of ss) m.messageField(f, (s) => s.uintField(1, zz(sp.offset)).uintField(2, sp.length));
  };
  const packedSints = (m: PbWriter, f: number, vs: readonly number[]): void => {
    if (vs.length === 0) return;
    const p = new PbWriter();
    for (const v of vs) p.varint(zz(v));
    m.bytesField(f, p.finish());
  };
  const packedDoubles = (m: PbWriter, f: number, vs: readonly number[]): void => {
    if (vs.length === 0) return;
    const b = new Uint8Array(vs.length * 8);
    const dv = new DataView(b.buffer);
    vs.forEach((v, i) => dv.setFloat64(i * 8, v, true));
    m.bytesField(f, b);
  };
  w.messageField(field, (m) => {
    const h = (x.h ?? x.fh)!;
    if (x.h !== undefined) m.uintField(1, x.h.count);
    else m.doubleField(2, h.count);
    m.doubleField(3, h.sum);
    if (h.schema !== 0) m.uintField(4, zz(h.schema));
    if (h.zeroThreshold !== 0) m.doubleField(5, h.zeroThreshold);
    if (x.h !== undefined) m.uintField(6, x.h.zeroCount);
    else m.doubleField(7, h.zeroCount);
    spans(m, 8, h.negativeSpans);
    if (x.h !== undefined) packedSints(m, 9, x.h.negativeBuckets);
    else packedDoubles(m, 10, h.negativeBuckets);
    spans(m, 11, h.positiveSpans);
    if (x.h !== undefined) packedSints(m, 12, x.h.positiveBuckets);
    else packedDoubles(m, 13, h.positiveBuckets);
    if (h.counterResetHint !== 0) m.uintField(14, h.counterResetHint);
    m.uintField(15, x.timestamp);
    packedDoubles(m, 16, h.customValues ?? []);
  });
}

/** TestMetadata is a v1 MetricMetadata entry. */
export interface TestMetadata {
  type: number;
  family: string;
  help?: string;
  unit?: string;
}

function writeLabel(w: PbWriter, field: number, name: string, value: string): void {
  w.messageField(field, (l) => {
    if (name !== '') l.stringField(1, name);
    if (value !== '') l.stringField(2, value);
  });
}

function writeSample(w: PbWriter, field: number, s: TestSample): void {
  w.messageField(field, (m) => {
    if (s.value !== 0 || Object.is(s.value, -0)) m.doubleField(1, s.value);
    if (s.timestamp !== 0) m.uintField(2, s.timestamp);
  });
}

/** encodeWriteRequestV1 encodes a prometheus.WriteRequest (not compressed). */
export function encodeWriteRequestV1(series: readonly TestSeries[], metadata: readonly TestMetadata[] = []): Uint8Array {
  const w = new PbWriter();
  for (const ts of series) {
    w.messageField(1, (t) => {
      for (const [n, v] of ts.labels) writeLabel(t, 1, n, v);
      for (const s of ts.samples ?? []) writeSample(t, 2, s);
      for (const e of ts.exemplars ?? []) {
        t.messageField(3, (m) => {
          for (const [n, v] of e.labels) writeLabel(m, 1, n, v);
          m.doubleField(2, e.value);
          if (e.timestamp !== 0) m.uintField(3, e.timestamp);
        });
      }
      for (const h of ts.histograms ?? []) {
        t.messageField(4, (m) => {
          m.uintField(1, h.value);
          m.uintField(15, h.timestamp);
        });
      }
      for (const h of ts.nativeHistograms ?? []) writeHistogram(t, 4, h);
    });
  }
  for (const m of metadata) {
    w.messageField(3, (x) => {
      if (m.type !== 0) x.uintField(1, m.type);
      x.stringField(2, m.family);
      if (m.help) x.stringField(4, m.help);
      if (m.unit) x.stringField(5, m.unit);
    });
  }
  return w.finish();
}

/** encodeWriteRequestV2 encodes an io.prometheus.write.v2.Request with its own symbol table (symbols[0] = ''). */
export function encodeWriteRequestV2(series: readonly TestSeries[], opts: { symbolsFirst?: boolean; extraSymbols?: readonly string[] } = {}): Uint8Array {
  const symbols: string[] = [''];
  const index = new Map<string, number>([['', 0]]);
  for (const s of opts.extraSymbols ?? []) {
    if (!index.has(s)) {
      index.set(s, symbols.length);
      symbols.push(s);
    }
  }
  const ref = (s: string): number => {
    let i = index.get(s);
    if (i === undefined) {
      i = symbols.length;
      index.set(s, i);
      symbols.push(s);
    }
    return i;
  };
  const body = new PbWriter();
  for (const ts of series) {
    body.messageField(5, (t) => {
      const refs = new PbWriter();
      for (const [n, v] of ts.labels) refs.varint(ref(n)).varint(ref(v));
      if (ts.labels.length > 0) t.bytesField(1, refs.finish());
      for (const s of ts.samples ?? []) writeSample(t, 2, s);
      for (const h of ts.histograms ?? []) {
        t.messageField(3, (m) => {
          m.uintField(1, h.value);
          m.uintField(15, h.timestamp);
        });
      }
      for (const h of ts.nativeHistograms ?? []) writeHistogram(t, 3, h);
      for (const e of ts.exemplars ?? []) {
        t.messageField(4, (m) => {
          const r = new PbWriter();
          for (const [n, v] of e.labels) r.varint(ref(n)).varint(ref(v));
          if (e.labels.length > 0) m.bytesField(1, r.finish());
          m.doubleField(2, e.value);
          if (e.timestamp !== 0) m.uintField(3, e.timestamp);
        });
      }
      if (ts.metadata) {
        const md = ts.metadata;
        t.messageField(5, (m) => {
          if (md.type !== 0) m.uintField(1, md.type);
          m.uintField(3, ref(md.help ?? ''));
          m.uintField(4, ref(md.unit ?? ''));
        });
      }
      if (ts.createdTimestamp) t.uintField(6, ts.createdTimestamp);
    });
  }
  const syms = new PbWriter();
  for (const s of symbols) syms.stringField(4, s);
  const a = syms.finish();
  const b = body.finish();
  const out = new Uint8Array(a.length + b.length);
  if (opts.symbolsFirst === false) {
    out.set(b, 0);
    out.set(a, b.length);
  } else {
    out.set(a, 0);
    out.set(b, a.length);
  }
  return out;
}
