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
 * float, so the WAL and blocks keep its kind) into one Float64Array (see pack): one retained allocation per sample
 * instead of the decoded object's eight, which keeps the garbage collector's old generation small. Readers get
 * float histograms, unpacked on demand.
 */
export class HistSamples {
  /** t are the samples' timestamps, ascending. */
  readonly t: number[] = [];
  private readonly packed: Float64Array[] = [];
  private readonly ints: boolean[] = [];
  private bytes = 0;

  /** n counts the samples. */
  get n(): number {
    return this.t.length;
  }

  /** append adds a sample newer than every one held. */
  append(t: number, h: Histogram | undefined, fh: FloatHistogram | undefined): void {
    const p = pack((h ?? fh)!);
    this.t.push(t);
    this.packed.push(p);
    this.ints.push(h !== undefined);
    this.bytes += p.byteLength + 64;
  }

  /** isInt reports whether sample i was appended as an integer histogram. */
  isInt(i: number): boolean {
    return this.ints[i]!;
  }

  /** intAt unpacks sample i, an integer histogram. */
  intAt(i: number): Histogram {
    return unpack(this.packed[i]!);
  }

  /** sampleAt returns the sample at timestamp t as appended (h for an integer one, fh for a float one), or undefined. */
  sampleAt(t: number): HistSample | undefined {
    const i = this.find(t);
    if (i < 0) return undefined;
    const x = unpack(this.packed[i]!);
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
    const x = unpack(this.packed[i]!);
    return this.ints[i] ? toFloatHistogram(x) : x;
  }

  /** dropBefore removes samples older than mint. */
  dropBefore(mint: number): void {
    const k = lowerBound(this.t, mint);
    if (k === 0) return;
    for (let i = 0; i < k; i++) this.bytes -= this.packed[i]!.byteLength + 64;
    this.t.splice(0, k);
    this.packed.splice(0, k);
    this.ints.splice(0, k);
  }

  /** bytesEstimate models the heap the samples hold. */
  bytesEstimate(): number {
    return 64 + this.t.length * 24 + this.bytes;
  }

  private find(t: number): number {
    const i = lowerBound(this.t, t);
    return i < this.t.length && this.t[i] === t ? i : -1;
  }
}

// pack layout: hint, schema, zero threshold, zero count, count, sum, #positive spans, #negative spans,
// #positive buckets, #negative buckets, #custom values (-1: none), then spans (offset, length) positive then
// negative, buckets positive then negative, custom values. Float64Array keeps NaN payloads (stale markers).
const HEADER = 11;

/** pack stores a histogram (integer or float: the same fields) in one Float64Array. */
export function pack(h: Histogram | FloatHistogram): Float64Array {
  const ps = h.positiveSpans;
  const ns = h.negativeSpans;
  const pb = h.positiveBuckets;
  const nb = h.negativeBuckets;
  const cv = h.customValues;
  const a = new Float64Array(HEADER + 2 * (ps.length + ns.length) + pb.length + nb.length + (cv?.length ?? 0));
  a[0] = h.counterResetHint;
  a[1] = h.schema;
  a[2] = h.zeroThreshold;
  a[3] = h.zeroCount;
  a[4] = h.count;
  a[5] = h.sum;
  a[6] = ps.length;
  a[7] = ns.length;
  a[8] = pb.length;
  a[9] = nb.length;
  a[10] = cv === undefined ? -1 : cv.length;
  let k = HEADER;
  for (const x of ps) {
    a[k++] = x.offset;
    a[k++] = x.length;
  }
  for (const x of ns) {
    a[k++] = x.offset;
    a[k++] = x.length;
  }
  for (const x of pb) a[k++] = x;
  for (const x of nb) a[k++] = x;
  if (cv !== undefined) for (const x of cv) a[k++] = x;
  return a;
}

/** unpack rebuilds what pack stored (integer and float histograms share the shape). */
export function unpack(a: Float64Array): Histogram & FloatHistogram {
  const nps = a[6]!;
  const nns = a[7]!;
  const npb = a[8]!;
  const nnb = a[9]!;
  const ncv = a[10]!;
  let k = HEADER;
  const positiveSpans: Span[] = new Array<Span>(nps);
  for (let i = 0; i < nps; i++, k += 2) positiveSpans[i] = { offset: a[k]!, length: a[k + 1]! };
  const negativeSpans: Span[] = new Array<Span>(nns);
  for (let i = 0; i < nns; i++, k += 2) negativeSpans[i] = { offset: a[k]!, length: a[k + 1]! };
  const positiveBuckets = Array.from(a.subarray(k, k + npb));
  k += npb;
  const negativeBuckets = Array.from(a.subarray(k, k + nnb));
  k += nnb;
  const h: Histogram & FloatHistogram = {
    counterResetHint: a[0]! as CounterResetHintValue,
    schema: a[1]!,
    zeroThreshold: a[2]!,
    zeroCount: a[3]!,
    count: a[4]!,
    sum: a[5]!,
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
