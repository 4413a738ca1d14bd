import { toFloatHistogram } from '../../model/histogram/convert.js';
import type { CounterResetHintValue, FloatHistogram, Histogram, Span } from '../../model/histogram/types.js';

/** HistSample is one histogram sample as appended: h (integer) or fh (float), exactly one set. */
export interface HistSample {
  readonly h: Histogram | undefined;
  readonly fh: FloatHistogram | undefined;
}

/** sameHistogramSample reports whether (h, fh) is the same sample as prev: the same kind and equal. */
export function sameHistogramSample(h: Histogram | undefined, fh: FloatHistogram | undefined, prev: HistSample): boolean {
  if (h !== undefined) return prev.h !== undefined && histogramsEqual(h, prev.h);
  return fh !== undefined && prev.fh !== undefined && histogramsEqual(fh, prev.fh);
}

/** HistSlice is a reader's copy of a series' histogram samples in a time range, oldest first (fh[i] at t[i]). */
export interface HistSlice {
  readonly t: readonly number[];
  readonly fh: readonly FloatHistogram[];
}

/**
 * HistSamples holds one head series' native histogram samples in time order, each packed as appended (integer or
 * float, so the WAL and blocks keep its kind) into the series' one growing Float64Array (see packInto): no
 * retained object per sample, which keeps the garbage collector's old generation small. Readers get float
 * histograms, unpacked on demand.
 */
export class HistSamples {
  /** t are the samples' timestamps, ascending. */
  readonly t: number[] = [];
  /** offs[i] is where sample i starts in data. */
  private readonly offs: number[] = [];
  private readonly ints: boolean[] = [];
  private data = new Float64Array(64);
  private used = 0;

  /** n counts the samples. */
  get n(): number {
    return this.t.length;
  }

  /** append adds a sample newer than every one held. */
  append(t: number, h: Histogram | undefined, fh: FloatHistogram | undefined): void {
    const x = (h ?? fh)!;
    const need = packedLength(x);
    if (this.used + need > this.data.length) {
      const grown = new Float64Array(Math.max(this.data.length * 2, this.used + need));
      grown.set(this.data.subarray(0, this.used));
      this.data = grown;
    }
    this.t.push(t);
    this.offs.push(this.used);
    this.ints.push(h !== undefined);
    this.used = packInto(x, this.data, this.used);
  }

  /** isInt reports whether sample i was appended as an integer histogram. */
  isInt(i: number): boolean {
    return this.ints[i]!;
  }

  /** intAt unpacks sample i, an integer histogram. */
  intAt(i: number): Histogram {
    return unpack(this.data, this.offs[i]!);
  }

  /** sampleAt returns the sample at timestamp t as appended (h for an integer one, fh for a float one), or undefined. */
  sampleAt(t: number): HistSample | undefined {
    const i = this.find(t);
    if (i < 0) return undefined;
    const x = unpack(this.data, this.offs[i]!);
    return this.ints[i] ? { h: x, fh: undefined } : { h: undefined, fh: x };
  }

  /** slice unpacks the samples with mint <= t <= maxt, as float histograms. */
  slice(mint: number, maxt: number): HistSlice | null {
    let i = lowerBound(this.t, mint);
    const t: number[] = [];
    const fh: FloatHistogram[] = [];
    for (; i < this.t.length && this.t[i]! <= maxt; i++) {
      t.push(this.t[i]!);
      fh.push(this.floatAt(i));
    }
    return t.length === 0 ? null : { t, fh };
  }

  /** floatAt unpacks sample i as a float histogram (absolute counts for an integer one). */
  floatAt(i: number): FloatHistogram {
    const x = unpack(this.data, this.offs[i]!);
    return this.ints[i] ? toFloatHistogram(x) : x;
  }

  /** dropBefore removes samples older than mint (and gives back memory the rest no longer needs). */
  dropBefore(mint: number): void {
    const k = lowerBound(this.t, mint);
    if (k === 0) return;
    const from = k < this.t.length ? this.offs[k]! : this.used;
    const rest = this.used - from;
    const keep = rest * 2 < this.data.length / 2 ? new Float64Array(Math.max(64, rest * 2)) : this.data;
    if (keep === this.data) keep.copyWithin(0, from, this.used);
    else keep.set(this.data.subarray(from, this.used));
    this.data = keep;
    this.used = rest;
    this.t.splice(0, k);
    this.offs.splice(0, k);
    this.ints.splice(0, k);
    for (let i = 0; i < this.offs.length; i++) this.offs[i]! -= from;
  }

  /** bytesEstimate models the heap the samples hold. */
  bytesEstimate(): number {
    return 96 + this.t.length * 24 + this.data.byteLength;
  }

  private find(t: number): number {
    const i = lowerBound(this.t, t);
    return i < this.t.length && this.t[i] === t ? i : -1;
  }
}

// Packed layout: hint, schema, zero threshold, zero count, count, sum, #positive spans, #negative spans,
// #positive buckets, #negative buckets, #custom values (-1: none), then spans (offset, length) positive then
// negative, buckets positive then negative, custom values. Float64Array keeps NaN payloads (stale markers).
const HEADER = 11;

/** packedLength is how many doubles packInto writes for h. */
export function packedLength(h: Histogram | FloatHistogram): number {
  return HEADER + 2 * (h.positiveSpans.length + h.negativeSpans.length) + h.positiveBuckets.length + h.negativeBuckets.length + (h.customValues?.length ?? 0);
}

/** packInto writes a histogram (integer or float: the same fields) into a at k; returns the end. */
export function packInto(h: Histogram | FloatHistogram, a: Float64Array, k: number): number {
  const ps = h.positiveSpans;
  const ns = h.negativeSpans;
  const pb = h.positiveBuckets;
  const nb = h.negativeBuckets;
  const cv = h.customValues;
  a[k] = h.counterResetHint;
  a[k + 1] = h.schema;
  a[k + 2] = h.zeroThreshold;
  a[k + 3] = h.zeroCount;
  a[k + 4] = h.count;
  a[k + 5] = h.sum;
  a[k + 6] = ps.length;
  a[k + 7] = ns.length;
  a[k + 8] = pb.length;
  a[k + 9] = nb.length;
  a[k + 10] = cv === undefined ? -1 : cv.length;
  k += HEADER;
  for (let i = 0; i < ps.length; i++) {
    a[k++] = ps[i]!.offset;
    a[k++] = ps[i]!.length;
  }
  for (let i = 0; i < ns.length; i++) {
    a[k++] = ns[i]!.offset;
    a[k++] = ns[i]!.length;
  }
  for (let i = 0; i < pb.length; i++) a[k++] = pb[i]!;
  for (let i = 0; i < nb.length; i++) a[k++] = nb[i]!;
  if (cv !== undefined) for (let i = 0; i < cv.length; i++) a[k++] = cv[i]!;
  return k;
}

/** unpack rebuilds what packInto wrote at k (integer and float histograms share the shape). */
export function unpack(a: Float64Array, k: number): Histogram & FloatHistogram {
  const nps = a[k + 6]!;
  const nns = a[k + 7]!;
  const npb = a[k + 8]!;
  const nnb = a[k + 9]!;
  const ncv = a[k + 10]!;
  const h0 = k;
  k += HEADER;
  const positiveSpans: Span[] = new Array<Span>(nps);
  for (let i = 0; i < nps; i++, k += 2) positiveSpans[i] = { offset: a[k]!, length: a[k + 1]! };
  const negativeSpans: Span[] = new Array<Span>(nns);
  for (let i = 0; i < nns; i++, k += 2) negativeSpans[i] = { offset: a[k]!, length: a[k + 1]! };
  const positiveBuckets = Array.from(a.subarray(k, k + npb));
  k += npb;
  const negativeBuckets = Array.from(a.subarray(k, k + nnb));
  k += nnb;
  const h: Histogram & FloatHistogram = {
    counterResetHint: a[h0]! as CounterResetHintValue,
    schema: a[h0 + 1]!,
    zeroThreshold: a[h0 + 2]!,
    zeroCount: a[h0 + 3]!,
    count: a[h0 + 4]!,
    sum: a[h0 + 5]!,
    positiveSpans,
    negativeSpans,
    positiveBuckets,
    negativeBuckets,
  };
  if (ncv >= 0) h.customValues = Array.from(a.subarray(k, k + ncv));
  return h;
}

function lowerBound(a: readonly number[], t: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** histogramsEqual reports whether two histograms of the same kind are identical (NaN sums compared by bits' NaN-ness). */
export function histogramsEqual(a: Histogram | FloatHistogram, b: Histogram | FloatHistogram): boolean {
  if (a.schema !== b.schema || a.counterResetHint !== b.counterResetHint || a.count !== b.count || a.zeroCount !== b.zeroCount) return false;
  if (a.zeroThreshold !== b.zeroThreshold || !(a.sum === b.sum || (a.sum !== a.sum && b.sum !== b.sum))) return false;
  return (
    sameNums(a.positiveBuckets, b.positiveBuckets) &&
    sameNums(a.negativeBuckets, b.negativeBuckets) &&
    sameNums(a.customValues ?? [], b.customValues ?? []) &&
    sameSpans(a.positiveSpans, b.positiveSpans) &&
    sameSpans(a.negativeSpans, b.negativeSpans)
  );
}

function sameNums(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameSpans(a: readonly { offset: number; length: number }[], b: readonly { offset: number; length: number }[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.offset !== b[i]!.offset || a[i]!.length !== b[i]!.length) return false;
  return true;
}
