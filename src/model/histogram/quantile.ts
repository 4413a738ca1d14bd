import { allBuckets, type BucketInfo } from './buckets.js';
import { CUSTOM_BUCKETS_SCHEMA, type FloatHistogram } from './types.js';

/** QuantileResult is a histogram quantile with the infos Prometheus attaches to it. */
export interface QuantileResult {
  value: number;
  /** nanResult: the sum is NaN and the rank lies in the NaN observations (the result is NaN). */
  nanResult: boolean;
  /** nanSkew: the sum is NaN, so some observations are NaN and the result may be skewed. */
  nanSkew: boolean;
}

function hasNegative(h: FloatHistogram): boolean {
  return h.negativeBuckets.length > 0;
}
function hasPositive(h: FloatHistogram): boolean {
  return h.positiveBuckets.length > 0;
}

/** histogramQuantile estimates the q-quantile of a native histogram as Prometheus's HistogramQuantile. */
export function histogramQuantile(q: number, h: FloatHistogram): QuantileResult {
  const res: QuantileResult = { value: 0, nanResult: false, nanSkew: false };
  if (q < 0) return { ...res, value: -Infinity };
  if (q > 1) return { ...res, value: Infinity };
  if (h.count === 0 || Number.isNaN(q)) return { ...res, value: NaN };
  const custom = h.schema === CUSTOM_BUCKETS_SCHEMA;
  const forward = Number.isNaN(h.sum) || q < 0.5;
  const all = allBuckets(h);
  const list = forward ? all : all.slice().reverse();
  let rank = forward ? q * h.count : (1 - q) * h.count;
  let count = 0;
  let k = 0;
  let bucket: BucketInfo | undefined;
  for (; k < list.length; k++) {
    bucket = list[k]!;
    if (bucket.count === 0) continue;
    count += bucket.count;
    if (count >= rank) break;
  }
  // No bucket at all (only NaN observations): an empty bucket at zero, as Prometheus's zero-valued iterator bucket.
  const b = bucket === undefined ? { lower: 0, upper: 0, count: 0, lowerInclusive: false, upperInclusive: false, index: 0 } : { ...bucket };
  if (!custom && b.lower < 0 && b.upper > 0) {
    if (!hasNegative(h) && hasPositive(h)) b.lower = 0;
    else if (!hasPositive(h) && hasNegative(h)) b.upper = 0;
  } else if (custom) {
    if (b.lower === -Infinity) {
      if (b.upper <= 0) return { ...res, value: b.upper };
      b.lower = 0;
    } else if (b.upper === Infinity) return { ...res, value: b.lower };
  }
  if (count > h.count) count = h.count;
  if (count < rank) {
    if (Number.isNaN(h.sum)) return { ...res, value: NaN, nanResult: true };
    return { ...res, value: b.upper };
  }
  if (forward) rank -= count - b.count;
  else rank = count - rank;
  if (Number.isNaN(h.sum)) {
    for (let j = k + 1; j < list.length; j++) count += list[j]!.count;
    if (count < h.count) res.nanSkew = true;
  }
  const fraction = rank / b.count;
  if (custom || (b.lower <= 0 && b.upper >= 0)) return { ...res, value: b.lower + (b.upper - b.lower) * fraction };
  const logLower = Math.log2(Math.abs(b.lower));
  const logUpper = Math.log2(Math.abs(b.upper));
  if (b.lower > 0) return { ...res, value: Math.pow(2, logLower + (logUpper - logLower) * fraction) };
  return { ...res, value: -Math.pow(2, logUpper + (logLower - logUpper) * (1 - fraction)) };
}

function fractionBelow(b: BucketInfo, v: number, linear: boolean): number {
  if (linear) return (v - b.lower) / (b.upper - b.lower);
  const logLower = Math.log2(Math.abs(b.lower));
  const logUpper = Math.log2(Math.abs(b.upper));
  const logV = Math.log2(Math.abs(v));
  if (v > 0) return (logV - logLower) / (logUpper - logLower);
  return 1 - (logV - logUpper) / (logLower - logUpper);
}

/** histogramFraction estimates the share of observations in [lower, upper] as Prometheus's HistogramFraction; nans when NaN observations were left out. */
export function histogramFraction(lower: number, upper: number, h: FloatHistogram): { value: number; nans: boolean } {
  if (h.count === 0 || Number.isNaN(lower) || Number.isNaN(upper)) return { value: NaN, nans: false };
  if (lower >= upper) return { value: 0, nans: false };
  const custom = h.schema === CUSTOM_BUCKETS_SCHEMA;
  const list = allBuckets(h);
  let count = 0;
  let rank = 0;
  let lowerRank = 0;
  let upperRank = 0;
  let lowerSet = false;
  let upperSet = false;
  let k = 0;
  for (; k < list.length; k++) {
    const b = { ...list[k]! };
    count += b.count;
    let zero = false;
    const lin = (v: number): number => (b.lower === -Infinity ? b.count : rank + b.count * fractionBelow(b, v, true));
    const exp = (v: number): number => rank + b.count * fractionBelow(b, v, false);
    if (b.lower <= 0 && b.upper >= 0) {
      zero = true;
      if (!hasNegative(h) && hasPositive(h)) b.lower = 0;
      else if (!hasPositive(h) && hasNegative(h)) b.upper = 0;
    }
    if (!lowerSet && b.lower >= lower) {
      lowerRank = rank;
      lowerSet = true;
    }
    if (!upperSet && b.lower >= upper) {
      upperRank = rank;
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    if (!lowerSet && b.lower < lower && b.upper > lower) {
      lowerRank = custom || zero ? lin(lower) : exp(lower);
      lowerSet = true;
    }
    if (!upperSet && b.lower < upper && b.upper > upper) {
      upperRank = custom || zero ? lin(upper) : exp(upper);
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    rank += b.count;
  }
  let nans = false;
  if (Number.isNaN(h.sum)) {
    for (let j = k + 1; j < list.length; j++) count += list[j]!.count;
    if (count < h.count) nans = true;
  } else count = h.count;
  if (!lowerSet || lowerRank > count) lowerRank = count;
  if (!upperSet || upperRank > count) upperRank = count;
  return { value: (upperRank - lowerRank) / h.count, nans };
}

/** histogramVariance estimates the variance of a native histogram's observations from bucket midpoints (geometric for exponential buckets). */
export function histogramVariance(h: FloatHistogram): number {
  const mean = h.sum / h.count;
  let variance = 0;
  let c = 0;
  const custom = h.schema === CUSTOM_BUCKETS_SCHEMA;
  for (const b of allBuckets(h)) {
    if (b.count === 0) continue;
    let val: number;
    if (custom) val = (b.upper + b.lower) / 2;
    else if (b.lower <= 0 && b.upper >= 0) val = 0;
    else {
      val = Math.sqrt(b.upper * b.lower);
      if (b.upper < 0) val = -val;
    }
    const delta = val - mean;
    const x = b.count * delta * delta;
    // Kahan-Babuska (Neumaier) summation, as Prometheus's kahansum.Inc.
    const t = variance + x;
    if (t === Infinity || t === -Infinity) c = 0;
    else if (Math.abs(variance) >= Math.abs(x)) c += variance - t + x;
    else c += x - t + variance;
    variance = t;
  }
  return (variance + c) / h.count;
}
