import type { Label, Labels } from '../../model/labels.js';
import { STALE_NAN, STALE_NAN_HI, STALE_NAN_LO } from '../../model/sample.js';
import { ByteReader, ByteWriter, EncodingError } from '../encoding/buffers.js';

// Prometheus WAL record encodings (tsdb/record): the first byte is the record type.
//   series:     type=1, then per series: ref BE64, n uvarint, n x (name, value) uvarint-length strings
//   samples:    type=2, then (if any) base ref BE64, base t BE64 (int64), then per sample:
//               ref-base varint, t-base varint, value BE64 float bits
//   tombstones: type=3, then per interval: ref BE64, mint varint, maxt varint

/** RECORD_SERIES is the type byte of a series record. */
export const RECORD_SERIES = 1;
/** RECORD_SAMPLES is the type byte of a float samples record. */
export const RECORD_SAMPLES = 2;
/** RECORD_TOMBSTONES is the type byte of a tombstones record. */
export const RECORD_TOMBSTONES = 3;

/** RefSeries is a series' labels with its WAL reference. */
export interface RefSeries {
  ref: number;
  labels: Labels;
}

/** RefSample is one sample of the series with reference ref. */
export interface RefSample {
  ref: number;
  t: number;
  v: number;
}

/** Interval is a closed time range [mint, maxt] in milliseconds. */
export interface Interval {
  mint: number;
  maxt: number;
}

/** RefTombstone lists deleted intervals of one series. */
export interface RefTombstone {
  ref: number;
  intervals: Interval[];
}

const TWO32 = 0x100000000;

/** target resets the caller's writer, or makes a new one. */
function target(w: ByteWriter | undefined, size: number): ByteWriter {
  if (w === undefined) return new ByteWriter(size);
  w.reset();
  return w;
}

/** encodeSeriesRecord encodes a series record; w (reset first) is reused, and the result is a view valid until w is written again. */
export function encodeSeriesRecord(series: readonly RefSeries[], w?: ByteWriter): Uint8Array {
  const b = target(w, 64 + series.length * 64);
  b.putByte(RECORD_SERIES);
  for (const s of series) {
    b.putBE64(s.ref);
    b.putUvarint(s.labels.length);
    for (const l of s.labels) {
      b.putUvarintStr(l.name);
      b.putUvarintStr(l.value);
    }
  }
  return b.bytes();
}

// Scratch for the samples encoder: it writes straight into a Buffer, then hands a copy out.
let scratch = Buffer.allocUnsafe(64 * 1024);
const f64 = new Float64Array(1);
const f64b = new Uint8Array(f64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const u32 = new Uint32Array(f64.buffer);
const HI = LITTLE_ENDIAN ? 1 : 0;
const LO = LITTLE_ENDIAN ? 0 : 1;

/** isStaleBits reports whether the NaN in f64[0] is the stale marker, ignoring the quiet bit. */
function isStaleBits(): boolean {
  return (u32[HI]! & 0x7ff7ffff) === STALE_NAN_HI && u32[LO] === STALE_NAN_LO;
}

/** putZigzag writes a signed varint (Go's PutVarint) at pos and returns the new position. */
function putZigzag(buf: Buffer, pos: number, v: number): number {
  if (v >= -0x40000000 && v < 0x40000000) {
    let u = ((v << 1) ^ (v >> 31)) >>> 0;
    while (u >= 0x80) {
      buf[pos++] = (u & 0x7f) | 0x80;
      u >>>= 7;
    }
    buf[pos++] = u;
    return pos;
  }
  let u = v >= 0 ? v * 2 : -v * 2 - 1;
  while (u >= 0x80) {
    buf[pos++] = (u % 0x80) | 0x80;
    u = Math.floor(u / 0x80);
  }
  buf[pos++] = u;
  return pos;
}

/** putInt64BE writes a safe integer as a big-endian two's complement int64. */
function putInt64BE(buf: Buffer, pos: number, v: number): void {
  const hi = Math.floor(v / TWO32);
  buf.writeInt32BE(hi | 0, pos);
  buf.writeUInt32BE(v - hi * TWO32, pos + 4);
}

/** encodeSamplesRecord encodes n samples given as columns (no per-sample objects); w (reset first) receives the bytes when given. */
export function encodeSamplesRecord(
  refs: ArrayLike<number>,
  ts: ArrayLike<number>,
  vs: ArrayLike<number>,
  n: number,
  w?: ByteWriter,
): Uint8Array {
  const max = 17 + n * 28;
  if (scratch.length < max) scratch = Buffer.allocUnsafe(Math.max(max, scratch.length * 2));
  const buf = scratch;
  buf[0] = RECORD_SAMPLES;
  let pos = 1;
  if (n > 0) {
    const baseRef = refs[0]!;
    const baseT = ts[0]!;
    if (!(baseRef >= 0)) throw new RangeError(`invalid series ref ${baseRef}`);
    buf.writeUInt32BE(Math.floor(baseRef / TWO32), 1);
    buf.writeUInt32BE(baseRef >>> 0, 5);
    putInt64BE(buf, 9, baseT);
    pos = 17;
    for (let i = 0; i < n; i++) {
      pos = putZigzag(buf, pos, refs[i]! - baseRef);
      pos = putZigzag(buf, pos, ts[i]! - baseT);
      const v = vs[i]!;
      f64[0] = v;
      // A stale marker that passed through a plain JS array has the quiet bit set; write Prometheus's exact bits.
      if (v !== v && isStaleBits()) f64[0] = STALE_NAN;
      if (LITTLE_ENDIAN) {
        buf[pos] = f64b[7]!;
        buf[pos + 1] = f64b[6]!;
        buf[pos + 2] = f64b[5]!;
        buf[pos + 3] = f64b[4]!;
        buf[pos + 4] = f64b[3]!;
        buf[pos + 5] = f64b[2]!;
        buf[pos + 6] = f64b[1]!;
        buf[pos + 7] = f64b[0]!;
      } else {
        buf.set(f64b, pos);
      }
      pos += 8;
    }
  }
  if (w !== undefined) {
    w.reset();
    w.putBytes(buf.subarray(0, pos));
    return w.bytes();
  }
  const out = Buffer.allocUnsafe(pos);
  buf.copy(out, 0, 0, pos);
  return out;
}

/** encodeTombstonesRecord encodes tombstones, one entry per interval as Prometheus does; w (reset first) is reused when given. */
export function encodeTombstonesRecord(stones: readonly RefTombstone[], w?: ByteWriter): Uint8Array {
  const b = target(w, 16 + stones.length * 32);
  b.putByte(RECORD_TOMBSTONES);
  for (const s of stones) {
    for (const iv of s.intervals) {
      b.putBE64(s.ref);
      b.putVarint(iv.mint);
      b.putVarint(iv.maxt);
    }
  }
  return b.bytes();
}

/** recordType returns the record's type byte when it is series, samples or tombstones, else 0 (unknown). */
export function recordType(rec: Uint8Array): number {
  if (rec.length < 1) return 0;
  const t = rec[0]!;
  return t === RECORD_SERIES || t === RECORD_SAMPLES || t === RECORD_TOMBSTONES ? t : 0;
}

/** asBuffer views a Uint8Array as a Buffer without copying. */
function asBuffer(rec: Uint8Array): Buffer {
  return Buffer.isBuffer(rec) ? rec : Buffer.from(rec.buffer, rec.byteOffset, rec.byteLength);
}

/** expectType checks the record's first byte. */
function expectType(rec: Uint8Array, t: number, what: string): void {
  if (rec.length < 1 || rec[0] !== t) throw new EncodingError(`not a ${what} record (type ${rec.length ? rec[0] : 'none'})`);
}

/** decodeSeriesRecord decodes a series record; it throws EncodingError on malformed bytes. */
export function decodeSeriesRecord(rec: Uint8Array): RefSeries[] {
  expectType(rec, RECORD_SERIES, 'series');
  const r = new ByteReader(asBuffer(rec), 1);
  const out: RefSeries[] = [];
  while (r.remaining() > 0) {
    const ref = r.be64();
    const n = r.uvarint();
    if (n > r.remaining()) throw new EncodingError(`series ${ref}: label count ${n} exceeds record`);
    const labels: Label[] = new Array<Label>(n);
    for (let i = 0; i < n; i++) {
      const name = r.uvarintStr();
      const value = r.uvarintStr();
      labels[i] = { name, value };
    }
    out.push({ ref, labels });
  }
  return out;
}

/** SampleColumns receives decoded samples as columns; reuse one across records to decode without allocating. */
export class SampleColumns {
  /** refs are the samples' series refs. */
  refs = new Float64Array(256);
  /** ts are the samples' timestamps (ms). */
  ts = new Float64Array(256);
  /** vs are the samples' values (exact bits). */
  vs = new Float64Array(256);
  /** n is the number of samples decoded by the last decodeSamplesInto. */
  n = 0;

  /** reserve makes room for at least n samples (contents are not kept). */
  reserve(n: number): void {
    if (this.refs.length >= n) return;
    let cap = this.refs.length;
    while (cap < n) cap *= 2;
    this.refs = new Float64Array(cap);
    this.ts = new Float64Array(cap);
    this.vs = new Float64Array(cap);
  }
}

/** MIN_SAMPLE_BYTES is the smallest encoding of one sample (two 1-byte varints and the value). */
const MIN_SAMPLE_BYTES = 10;

/** decodeSamplesInto decodes a samples record into cols (refs, ts, vs; n set) and returns n; it throws EncodingError on malformed bytes, before any sample is used. */
export function decodeSamplesInto(rec: Uint8Array, cols: SampleColumns): number {
  expectType(rec, RECORD_SAMPLES, 'samples');
  cols.n = 0;
  const end = rec.length;
  if (end === 1) return 0;
  if (end < 17) throw new EncodingError(`samples record too short: ${end} bytes`);
  cols.reserve(Math.ceil((end - 17) / MIN_SAMPLE_BYTES));
  const refs = cols.refs;
  const ts = cols.ts;
  const vs = cols.vs;
  const dv = new DataView(rec.buffer, rec.byteOffset, rec.byteLength);
  const baseRef = dv.getUint32(1) * TWO32 + dv.getUint32(5);
  const baseT = dv.getInt32(9) * TWO32 + dv.getUint32(13);
  let pos = 17;
  let count = 0;
  while (pos < end) {
    // ref delta (zig-zag varint)
    let b = rec[pos++]!;
    let u: number;
    if (b < 0x80) u = b;
    else {
      u = b & 0x7f;
      let mul = 0x80;
      for (let k = 1; ; k++) {
        if (pos >= end || k >= 10) throw new EncodingError(`bad ref varint after ${count} samples`);
        b = rec[pos++]!;
        u += (b & 0x7f) * mul;
        if (b < 0x80) break;
        mul *= 0x80;
      }
    }
    const dref = u < 0x80000000 ? (u >>> 1) ^ -(u & 1) : u % 2 === 0 ? u / 2 : -(u + 1) / 2;
    // timestamp delta (zig-zag varint)
    if (pos >= end) throw new EncodingError(`truncated sample after ${count} samples`);
    b = rec[pos++]!;
    if (b < 0x80) u = b;
    else {
      u = b & 0x7f;
      let mul = 0x80;
      for (let k = 1; ; k++) {
        if (pos >= end || k >= 10) throw new EncodingError(`bad timestamp varint after ${count} samples`);
        b = rec[pos++]!;
        u += (b & 0x7f) * mul;
        if (b < 0x80) break;
        mul *= 0x80;
      }
    }
    const dt = u < 0x80000000 ? (u >>> 1) ^ -(u & 1) : u % 2 === 0 ? u / 2 : -(u + 1) / 2;
    if (pos + 8 > end) throw new EncodingError(`truncated sample value after ${count} samples`);
    refs[count] = baseRef + dref;
    ts[count] = baseT + dt;
    vs[count] = dv.getFloat64(pos);
    pos += 8;
    count++;
  }
  cols.n = count;
  return count;
}

const columnsPool: SampleColumns[] = [];

/** decodeSamplesRecord calls fn for every sample of a samples record, allocating nothing per sample; it throws EncodingError on malformed bytes (before calling fn). */
export function decodeSamplesRecord(rec: Uint8Array, fn: (ref: number, t: number, v: number) => void): void {
  const cols = columnsPool.pop() ?? new SampleColumns();
  try {
    const n = decodeSamplesInto(rec, cols);
    const { refs, ts, vs } = cols;
    for (let i = 0; i < n; i++) fn(refs[i]!, ts[i]!, vs[i]!);
  } finally {
    columnsPool.push(cols);
  }
}

/** decodeTombstonesRecord decodes a tombstones record, one RefTombstone per encoded interval; it throws EncodingError on malformed bytes. */
export function decodeTombstonesRecord(rec: Uint8Array): RefTombstone[] {
  expectType(rec, RECORD_TOMBSTONES, 'tombstones');
  const r = new ByteReader(asBuffer(rec), 1);
  const out: RefTombstone[] = [];
  while (r.remaining() > 0) {
    const ref = r.be64();
    const mint = r.varint();
    const maxt = r.varint();
    out.push({ ref, intervals: [{ mint, maxt }] });
  }
  return out;
}
