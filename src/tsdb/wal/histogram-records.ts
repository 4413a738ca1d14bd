import { isStaleNaN, STALE_NAN_HI, STALE_NAN_LO } from '../../model/sample.js';
import { CUSTOM_BUCKETS_SCHEMA, type CounterResetHintValue, type FloatHistogram, type Histogram, type Span } from '../../model/histogram/types.js';
import { ByteReader, ByteWriter, EncodingError } from '../encoding/buffers.js';

// Prometheus's histogram WAL records (tsdb/record), as 2.42 writes and reads them and later versions extend them:
//   type=7 histograms, type=8 float histograms (2.42 knows these two), type=9 and 10 the same for custom-bucket
//   (schema −53) histograms (Prometheus 3; 2.42 does not know them). Body: (if any) base ref BE64, base t BE64, then
//   per sample: ref-base varint, t-base varint, then the histogram:
//     reset hint byte, schema varint, zero threshold BE64 float bits,
//     integer: zero count uvarint, count uvarint, sum float bits | float: zero count, count, sum as float bits,
//     positive spans (uvarint n, n x (offset varint, length uvarint)), negative spans likewise,
//     positive buckets (uvarint n, n x varint delta | float bits), negative buckets likewise,
//     custom bounds (types 9/10 only: uvarint n, n x float bits).

/** RECORD_HISTOGRAM_SAMPLES is the type byte of an integer histogram samples record. */
export const RECORD_HISTOGRAM_SAMPLES = 7;
/** RECORD_FLOAT_HISTOGRAM_SAMPLES is the type byte of a float histogram samples record. */
export const RECORD_FLOAT_HISTOGRAM_SAMPLES = 8;
/** RECORD_CUSTOM_HISTOGRAM_SAMPLES is the type byte of a custom-bucket integer histogram samples record (Prometheus 3). */
export const RECORD_CUSTOM_HISTOGRAM_SAMPLES = 9;
/** RECORD_CUSTOM_FLOAT_HISTOGRAM_SAMPLES is the type byte of a custom-bucket float histogram samples record (Prometheus 3). */
export const RECORD_CUSTOM_FLOAT_HISTOGRAM_SAMPLES = 10;

/** RefHistogramSample is one histogram sample (integer h or float fh, exactly one set) of the series with reference ref. */
export interface RefHistogramSample {
  ref: number;
  t: number;
  h?: Histogram;
  fh?: FloatHistogram;
}

/** isHistogramRecordType reports whether a record type byte is one of the four histogram record types. */
export function isHistogramRecordType(t: number): boolean {
  return t >= RECORD_HISTOGRAM_SAMPLES && t <= RECORD_CUSTOM_FLOAT_HISTOGRAM_SAMPLES;
}

/**
 * encodeHistogramRecords encodes samples as Prometheus does: integer and float ones apart, custom-bucket ones in
 * their own record types; it returns one record per kind present (none for no samples).
 */
export function encodeHistogramRecords(samples: readonly RefHistogramSample[]): Uint8Array[] {
  const groups: RefHistogramSample[][] = [[], [], [], []];
  for (const s of samples) {
    const custom = (s.h ?? s.fh)!.schema === CUSTOM_BUCKETS_SCHEMA ? 2 : 0;
    groups[(s.h !== undefined ? 0 : 1) + custom]!.push(s);
  }
  const out: Uint8Array[] = [];
  for (let g = 0; g < 4; g++) if (groups[g]!.length > 0) out.push(encodeGroup(RECORD_HISTOGRAM_SAMPLES + g, groups[g]!));
  return out;
}

function encodeGroup(type: number, samples: readonly RefHistogramSample[]): Uint8Array {
  const w = new ByteWriter(64 + samples.length * 64);
  w.putByte(type);
  const custom = type >= RECORD_CUSTOM_HISTOGRAM_SAMPLES;
  const first = samples[0]!;
  w.putBE64(first.ref);
  w.putBE64Signed(first.t);
  for (const s of samples) {
    w.putVarint(s.ref - first.ref);
    w.putVarint(s.t - first.t);
    if (s.h !== undefined) putHistogram(w, s.h, custom);
    else putFloatHistogram(w, s.fh!, custom);
  }
  return new Uint8Array(w.bytes());
}

function putSpans(w: ByteWriter, spans: readonly Span[]): void {
  w.putUvarint(spans.length);
  for (const s of spans) {
    w.putVarint(s.offset);
    w.putUvarint(s.length);
  }
}

/** putFloatBits writes a float as big-endian bits, Prometheus's exact stale-marker bits for a stale NaN. */
function putFloatBits(w: ByteWriter, v: number): void {
  if (v !== v && isStaleNaN(v)) {
    w.putBE32(STALE_NAN_HI);
    w.putBE32(STALE_NAN_LO);
  } else w.putFloat64(v);
}

function putHistogram(w: ByteWriter, h: Histogram, custom: boolean): void {
  w.putByte(h.counterResetHint);
  w.putVarint(h.schema);
  putFloatBits(w, h.zeroThreshold);
  w.putUvarint(h.zeroCount);
  w.putUvarint(h.count);
  putFloatBits(w, h.sum);
  putSpans(w, h.positiveSpans);
  putSpans(w, h.negativeSpans);
  w.putUvarint(h.positiveBuckets.length);
  for (const b of h.positiveBuckets) w.putVarint(b);
  w.putUvarint(h.negativeBuckets.length);
  for (const b of h.negativeBuckets) w.putVarint(b);
  if (custom) putFloats(w, h.customValues ?? []);
}

/** putFloatHistogram writes one float histogram's body (the record layout above); custom appends the custom bounds. */
export function putFloatHistogram(w: ByteWriter, h: FloatHistogram, custom: boolean): void {
  w.putByte(h.counterResetHint);
  w.putVarint(h.schema);
  putFloatBits(w, h.zeroThreshold);
  putFloatBits(w, h.zeroCount);
  putFloatBits(w, h.count);
  putFloatBits(w, h.sum);
  putSpans(w, h.positiveSpans);
  putSpans(w, h.negativeSpans);
  putFloats(w, h.positiveBuckets);
  putFloats(w, h.negativeBuckets);
  if (custom) putFloats(w, h.customValues ?? []);
}

function putFloats(w: ByteWriter, vs: readonly number[]): void {
  w.putUvarint(vs.length);
  for (const v of vs) putFloatBits(w, v);
}

/** decodeHistogramRecord decodes any of the four histogram record types; it throws EncodingError on malformed bytes. */
export function decodeHistogramRecord(rec: Uint8Array): RefHistogramSample[] {
  const type = rec.length > 0 ? rec[0]! : 0;
  if (!isHistogramRecordType(type)) throw new EncodingError(`not a histogram record (type ${rec.length ? type : 'none'})`);
  const r = new ByteReader(Buffer.from(rec.buffer, rec.byteOffset, rec.byteLength), 1);
  const out: RefHistogramSample[] = [];
  if (r.remaining() === 0) return out;
  const baseRef = r.be64();
  const baseT = r.be64Signed();
  const float = type === RECORD_FLOAT_HISTOGRAM_SAMPLES || type === RECORD_CUSTOM_FLOAT_HISTOGRAM_SAMPLES;
  const custom = type >= RECORD_CUSTOM_HISTOGRAM_SAMPLES;
  while (r.remaining() > 0) {
    const ref = baseRef + r.varint();
    const t = baseT + r.varint();
    if (float) out.push({ ref, t, fh: readFloatHistogram(r, custom) });
    else out.push({ ref, t, h: readHistogram(r, custom) });
  }
  return out;
}

function readSpans(r: ByteReader): Span[] {
  const n = count(r);
  const out = new Array<Span>(n);
  for (let i = 0; i < n; i++) out[i] = { offset: r.varint(), length: r.uvarint() };
  return out;
}

function count(r: ByteReader): number {
  const n = r.uvarint();
  if (n > r.remaining()) throw new EncodingError(`histogram record: length ${n} exceeds the record`);
  return n;
}

function readFloats(r: ByteReader): number[] {
  const n = count(r);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = r.float64();
  return out;
}

function readHistogram(r: ByteReader, custom: boolean): Histogram {
  const counterResetHint = r.byte() as CounterResetHintValue;
  const schema = r.varint();
  const zeroThreshold = r.float64();
  const zeroCount = r.uvarint();
  const cnt = r.uvarint();
  const sum = r.float64();
  const positiveSpans = readSpans(r);
  const negativeSpans = readSpans(r);
  const np = count(r);
  const positiveBuckets = new Array<number>(np);
  for (let i = 0; i < np; i++) positiveBuckets[i] = r.varint();
  const nn = count(r);
  const negativeBuckets = new Array<number>(nn);
  for (let i = 0; i < nn; i++) negativeBuckets[i] = r.varint();
  const h: Histogram = { counterResetHint, schema, zeroThreshold, zeroCount, count: cnt, sum, positiveSpans, negativeSpans, positiveBuckets, negativeBuckets };
  const bounds = custom ? readFloats(r) : undefined;
  if (schema === CUSTOM_BUCKETS_SCHEMA || (bounds !== undefined && bounds.length > 0)) h.customValues = bounds ?? [];
  return h;
}

/** readFloatHistogram reads one float histogram's body (the record layout above); custom reads the custom bounds. */
export function readFloatHistogram(r: ByteReader, custom: boolean): FloatHistogram {
  const counterResetHint = r.byte() as CounterResetHintValue;
  const schema = r.varint();
  const zeroThreshold = r.float64();
  const zeroCount = r.float64();
  const cnt = r.float64();
  const sum = r.float64();
  const positiveSpans = readSpans(r);
  const negativeSpans = readSpans(r);
  const positiveBuckets = readFloats(r);
  const negativeBuckets = readFloats(r);
  const fh: FloatHistogram = { counterResetHint, schema, zeroThreshold, zeroCount, count: cnt, sum, positiveSpans, negativeSpans, positiveBuckets, negativeBuckets };
  const bounds = custom ? readFloats(r) : undefined;
  if (schema === CUSTOM_BUCKETS_SCHEMA || (bounds !== undefined && bounds.length > 0)) fh.customValues = bounds ?? [];
  return fh;
}
