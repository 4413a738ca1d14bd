// The layout block that opens the first sample of every histogram and float histogram chunk
// (Prometheus's tsdb/chunkenc/histogram_meta.go): zero threshold, schema, positive and negative
// spans, and for custom-bucket histograms (schema −53) the bucket bounds.
//
//   zero threshold: one byte: 0 -> 0; 1..254 -> 2^(b-244) (powers of two 2^-243 ..= 2^10);
//                   255 -> the 64 bits of the float follow.
//   schema: varbit int. spans: varbit uint count, then per span varbit uint length, varbit int offset.
//   custom bounds (schema −53 only): varbit uint count, then per bound: round(b*1000)+1 as varbit
//                   uint when b*1000 is a whole number in 0 ..= 33554430, else a 0 bit and 64 bits.

import { CUSTOM_BUCKETS_SCHEMA, type Span } from '../../model/histogram/types.js';
import type { BitReader, BitWriter } from './bstream.js';
import { floatBits, scratchHi, scratchLo } from './int64.js';
import { putVarbitInt, putVarbitUint, readVarbitInt, readVarbitUint } from './varbit.js';
import { readRawFloat, writeRawFloat } from './xor-value.js';

/** HistogramLayout is what a histogram chunk fixes for all its samples. */
export interface HistogramLayout {
  schema: number;
  zeroThreshold: number;
  positiveSpans: Span[];
  negativeSpans: Span[];
  /** customValues holds the bounds of custom buckets (schema −53), else undefined. */
  customValues: number[] | undefined;
}

/** writeHistogramLayout writes a chunk's layout block. */
export function writeHistogramLayout(w: BitWriter, l: HistogramLayout): void {
  putZeroThreshold(w, l.zeroThreshold);
  putVarbitInt(w, l.schema);
  putSpans(w, l.positiveSpans);
  putSpans(w, l.negativeSpans);
  if (l.schema === CUSTOM_BUCKETS_SCHEMA) {
    const cv = l.customValues ?? [];
    putVarbitUint(w, cv.length);
    for (const b of cv) putCustomBound(w, b);
  }
}

/** readHistogramLayout reads a chunk's layout block. */
export function readHistogramLayout(r: BitReader): HistogramLayout {
  const zeroThreshold = readZeroThreshold(r);
  const schema = readVarbitInt(r);
  const positiveSpans = readSpans(r);
  const negativeSpans = readSpans(r);
  let customValues: number[] | undefined;
  if (schema === CUSTOM_BUCKETS_SCHEMA) {
    const n = readVarbitUint(r);
    if (n > 1 << 20) throw new RangeError(`histogram chunk: ${n} custom bounds`);
    customValues = new Array<number>(n);
    for (let i = 0; i < n; i++) customValues[i] = readCustomBound(r);
  }
  return { schema, zeroThreshold, positiveSpans, negativeSpans, customValues };
}

function putSpans(w: BitWriter, spans: readonly Span[]): void {
  putVarbitUint(w, spans.length);
  for (const s of spans) {
    putVarbitUint(w, s.length);
    putVarbitInt(w, s.offset);
  }
}

function readSpans(r: BitReader): Span[] {
  const n = readVarbitUint(r);
  if (n > 1 << 20) throw new RangeError(`histogram chunk: ${n} spans`);
  const spans = new Array<Span>(n);
  for (let i = 0; i < n; i++) {
    const length = readVarbitUint(r);
    const offset = readVarbitInt(r);
    spans[i] = { offset, length };
  }
  return spans;
}

/** putZeroThreshold writes the zero threshold: one byte for 0 and for powers of two 2^-243 ..= 2^10, else 9 bytes. */
export function putZeroThreshold(w: BitWriter, t: number): void {
  if (t === 0) {
    w.writeBits(0, 8);
    return;
  }
  if (t > 0 && t < Infinity) {
    floatBits(t);
    const hi = scratchHi();
    const biased = (hi >>> 20) & 0x7ff;
    // A power of two has an empty mantissa; Go's Frexp exponent is then biased - 1022.
    if ((hi & 0xfffff) === 0 && scratchLo() === 0 && biased !== 0) {
      const exp = biased - 1022;
      if (exp >= -242 && exp <= 11) {
        w.writeBits(exp + 243, 8);
        return;
      }
    }
  }
  w.writeBits(255, 8);
  writeRawFloat(w, t);
}

/** readZeroThreshold reads a zero threshold written by putZeroThreshold. */
export function readZeroThreshold(r: BitReader): number {
  const b = r.readBits(8);
  if (b === 0) return 0;
  if (b === 255) return readRawFloat(r);
  return 2 ** (b - 244);
}

/** putCustomBound writes one custom bucket bound (see the format above). */
export function putCustomBound(w: BitWriter, f: number): void {
  const tf = f * 1000;
  if (tf < 0 || tf > 33554430 || !isWholeWhenMultiplied(f)) {
    w.writeBit(0);
    writeRawFloat(w, f);
    return;
  }
  putVarbitUint(w, Math.round(tf) + 1);
}

/** readCustomBound reads one custom bucket bound. */
export function readCustomBound(r: BitReader): number {
  const b = readVarbitUint(r);
  return b === 0 ? readRawFloat(r) : (b - 1) / 1000;
}

/** isWholeWhenMultiplied is Prometheus's check that f*1000 is an integer without losing precision. */
function isWholeWhenMultiplied(f: number): boolean {
  const i = Math.round(f * 1000);
  return i / 1000 === f;
}

/** countSpans is the number of buckets the spans cover. */
export function countSpans(spans: readonly Span[]): number {
  let n = 0;
  for (const s of spans) n += s.length;
  return n;
}

/** customBoundsMatch reports whether two custom-bucket bound lists are equal (Prometheus's CustomBucketBoundsMatch). */
export function customBoundsMatch(a: readonly number[] | undefined, b: readonly number[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
