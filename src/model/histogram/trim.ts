import { bucketsOf, type BucketInfo } from './buckets.js';
import { compactFloatHistogram } from './compact.js';
import { copyFloatHistogram } from './copy.js';
import { CUSTOM_BUCKETS_SCHEMA, type FloatHistogram } from './types.js';

function fractionBelow(b: BucketInfo, v: number, linear: boolean): number {
  if (linear) return (v - b.lower) / (b.upper - b.lower);
  const logLower = Math.log2(Math.abs(b.lower));
  const logUpper = Math.log2(Math.abs(b.upper));
  const logV = Math.log2(Math.abs(v));
  if (v > 0) return (logV - logLower) / (logUpper - logLower);
  return 1 - (logV - logUpper) / (logLower - logUpper);
}

function midpoint(lo: number, hi: number, positive: boolean, linear: boolean): number {
  if (!Number.isFinite(lo) && !Number.isNaN(lo)) {
    if (!Number.isFinite(hi) && !Number.isNaN(hi)) return 0;
    return hi > 0 ? hi / 2 : hi;
  }
  if (!Number.isFinite(hi) && !Number.isNaN(hi)) return lo;
  if (linear) return (lo + hi) / 2;
  const g = Math.sqrt(Math.abs(lo * hi));
  return positive ? g : -g;
}

function zeroIfInf(x: number): number {
  return x === Infinity || x === -Infinity ? 0 : x;
}

function infinityBucket(upperTrim: boolean, b: BucketInfo, rhs: number): [number, number] {
  if (b.lower === -Infinity) {
    if (upperTrim) {
      if (rhs >= b.upper) return [b.count, 0];
      if (rhs > 0 && b.upper > 0 && b.upper !== Infinity) return [(b.count * rhs) / b.upper, rhs / 2];
      if (b.upper <= 0) return [b.count, rhs];
      return [0, zeroIfInf(b.upper)];
    }
    if (rhs <= b.lower) return [b.count, 0];
    if (rhs >= 0 && b.upper > rhs && b.upper !== Infinity) return [b.count * (1 - rhs / b.upper), (rhs + b.upper) / 2];
    return [0, zeroIfInf(b.upper)];
  }
  if (upperTrim) return [0, zeroIfInf(b.lower)];
  if (rhs >= b.lower) return [b.count, rhs];
  return [0, zeroIfInf(b.lower)];
}

function bucketTrim(b: BucketInfo, rhs: number, upperTrim: boolean, positive: boolean, custom: boolean): [number, number] {
  if (b.lower === -Infinity || b.upper === Infinity) return infinityBucket(upperTrim, b, rhs);
  const under = rhs <= b.lower ? 0 : rhs >= b.upper ? b.count : b.count * fractionBelow(b, rhs, custom);
  if (upperTrim) return [under, midpoint(b.lower, rhs, positive, custom)];
  return [b.count - under, midpoint(rhs, b.upper, positive, custom)];
}

function zeroTrim(h: FloatHistogram, rhs: number, hasNeg: boolean, hasPos: boolean, upperTrim: boolean): [number, number] {
  let lower = -h.zeroThreshold;
  let upper = h.zeroThreshold;
  if (hasNeg && !hasPos) upper = 0;
  if (hasPos && !hasNeg) lower = 0;
  if (upperTrim) {
    if (rhs <= lower) return [0, 0];
    if (rhs >= upper) return [h.zeroCount, (lower + upper) / 2];
    return [(h.zeroCount * (rhs - lower)) / (upper - lower), (lower + rhs) / 2];
  }
  if (rhs <= lower) return [h.zeroCount, (lower + upper) / 2];
  if (rhs >= upper) return [0, 0];
  return [(h.zeroCount * (upper - rhs)) / (upper - lower), (rhs + upper) / 2];
}

/**
 * trimBuckets implements the `</` (upper trim: keep observations below rhs) and `>/` (lower trim) operators as
 * Prometheus's TrimBuckets: buckets beyond rhs are emptied, the bucket holding rhs is split by interpolation, and
 * count and sum are re-estimated from bucket midpoints when anything was trimmed.
 */
export function trimBuckets(src: FloatHistogram, rhs: number, upperTrim: boolean): FloatHistogram {
  const h = copyFloatHistogram(src);
  const custom = h.schema === CUSTOM_BUCKETS_SCHEMA;
  let count = 0;
  let sum = 0;
  let trimmed = false;
  let hasPos = false;
  let hasNeg = false;
  for (const positive of [true, false]) {
    const arr = positive ? h.positiveBuckets : h.negativeBuckets;
    const list = bucketsOf(h, positive);
    for (let i = 0; i < list.length; i++) {
      const b = list[i]!;
      if (b.count === 0) continue;
      if (positive) hasPos = true;
      else hasNeg = true;
      const whole = upperTrim ? b.upper <= rhs : b.lower >= rhs;
      const partial = upperTrim ? b.lower < rhs : b.upper > rhs;
      if (whole) {
        count += b.count;
        sum += midpoint(b.lower, b.upper, positive, custom) * b.count;
      } else if (partial) {
        const [keep, mid] = bucketTrim(b, rhs, upperTrim, positive, custom);
        count += keep;
        sum += mid * keep;
        if (arr[i] !== keep) {
          arr[i] = keep;
          trimmed = true;
        }
      } else {
        arr[i] = 0;
        trimmed = true;
      }
    }
  }
  if (h.zeroCount > 0) {
    const [keep, mid] = zeroTrim(h, rhs, hasNeg, hasPos, upperTrim);
    if (h.zeroCount !== keep) {
      h.zeroCount = keep;
      trimmed = true;
    }
    sum += mid * keep;
    count += keep;
  }
  if (!trimmed) return h;
  h.count = count;
  h.sum = sum;
  return compactFloatHistogram(h);
}
