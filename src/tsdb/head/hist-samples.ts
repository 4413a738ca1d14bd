import { toFloatHistogram } from '../../model/histogram/convert.js';
import type { FloatHistogram, Histogram } from '../../model/histogram/types.js';

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
 * HistSamples holds one head series' native histogram samples in time order, each as appended (integer h or
 * float fh) so the WAL and blocks keep its kind; readers get float histograms, converted once and cached.
 */
export class HistSamples {
  /** t are the samples' timestamps, ascending. */
  readonly t: number[] = [];
  /** h are the integer histograms (undefined where the sample is a float histogram). */
  readonly h: (Histogram | undefined)[] = [];
  /** fh are the float histograms: as appended, or the integer ones converted when first read. */
  readonly fh: (FloatHistogram | undefined)[] = [];
  private bytes = 0;

  /** n counts the samples. */
  get n(): number {
    return this.t.length;
  }

  /** append adds a sample newer than every one held. */
  append(t: number, h: Histogram | undefined, fh: FloatHistogram | undefined): void {
    this.t.push(t);
    this.h.push(h);
    this.fh.push(fh);
    this.bytes += sampleBytes((h ?? fh)!);
  }

  /** lastT is the newest sample's timestamp, -Infinity when none. */
  lastT(): number {
    return this.t.length === 0 ? -Infinity : this.t[this.t.length - 1]!;
  }

  /** sampleAt returns the sample at timestamp t as appended (h for an integer one, fh for a float one), or undefined. */
  sampleAt(t: number): HistSample | undefined {
    const i = this.find(t);
    if (i < 0) return undefined;
    const h = this.h[i];
    return h !== undefined ? { h, fh: undefined } : { h: undefined, fh: this.fh[i] };
  }

  /** slice copies the samples with mint <= t <= maxt, as float histograms. */
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

  /** floatAt returns sample i as a float histogram (converted and cached for an integer one). */
  floatAt(i: number): FloatHistogram {
    let f = this.fh[i];
    if (f === undefined) {
      f = toFloatHistogram(this.h[i]!);
      this.fh[i] = f;
      this.bytes += sampleBytes(f);
    }
    return f;
  }

  /** dropBefore removes samples older than mint. */
  dropBefore(mint: number): void {
    const k = lowerBound(this.t, mint);
    if (k === 0) return;
    for (let i = 0; i < k; i++) {
      this.bytes -= sampleBytes((this.h[i] ?? this.fh[i])!);
      if (this.h[i] !== undefined && this.fh[i] !== undefined) this.bytes -= sampleBytes(this.fh[i]!);
    }
    this.t.splice(0, k);
    this.h.splice(0, k);
    this.fh.splice(0, k);
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

/** sampleBytes models one histogram object's heap: the object, its span and bucket arrays. */
function sampleBytes(h: Histogram | FloatHistogram): number {
  return 160 + (h.positiveSpans.length + h.negativeSpans.length) * 40 + (h.positiveBuckets.length + h.negativeBuckets.length + (h.customValues?.length ?? 0)) * 8;
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
