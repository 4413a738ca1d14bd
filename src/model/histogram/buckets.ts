import { bucketBound } from './bounds.js';
import type { FloatHistogram, Span } from './types.js';
import { CUSTOM_BUCKETS_SCHEMA } from './types.js';

/** SparseBuckets are a histogram side's buckets as parallel absolute indexes (ascending) and counts. */
export interface SparseBuckets {
  idx: number[];
  counts: number[];
}

/** expandBuckets turns spans and bucket counts into absolute indexes with their counts. */
export function expandBuckets(spans: readonly Span[], buckets: readonly number[]): SparseBuckets {
  const idx: number[] = [];
  const counts: number[] = [];
  let cur = 0;
  let b = 0;
  for (let s = 0; s < spans.length; s++) {
    const sp = spans[s]!;
    cur += sp.offset;
    for (let j = 0; j < sp.length; j++) {
      idx.push(cur++);
      counts.push(buckets[b++] ?? 0);
    }
  }
  return { idx, counts };
}

/** compressBuckets turns sparse buckets back into spans and counts, dropping empty (zero) buckets. */
export function compressBuckets(sb: SparseBuckets): { spans: Span[]; buckets: number[] } {
  const spans: Span[] = [];
  const buckets: number[] = [];
  let next = 0;
  for (let i = 0; i < sb.idx.length; i++) {
    const c = sb.counts[i]!;
    if (c === 0) continue;
    const ix = sb.idx[i]!;
    const last = spans[spans.length - 1];
    if (last !== undefined && ix === next) last.length++;
    else spans.push({ offset: spans.length === 0 ? ix : ix - next, length: 1 });
    buckets.push(c);
    next = ix + 1;
  }
  return { spans, buckets };
}

/** BucketInfo is one bucket with its bounds, as Prometheus's bucket iterators yield it. */
export interface BucketInfo {
  lower: number;
  upper: number;
  count: number;
  lowerInclusive: boolean;
  upperInclusive: boolean;
  index: number;
}

/** bucketsOf lists one side's buckets with their bounds, in ascending order of absolute value. */
export function bucketsOf(h: FloatHistogram, positive: boolean): BucketInfo[] {
  const sb = positive ? expandBuckets(h.positiveSpans, h.positiveBuckets) : expandBuckets(h.negativeSpans, h.negativeBuckets);
  const custom = h.schema === CUSTOM_BUCKETS_SCHEMA;
  const out: BucketInfo[] = [];
  for (let i = 0; i < sb.idx.length; i++) {
    const ix = sb.idx[i]!;
    const up = bucketBound(ix, h.schema, h.customValues);
    const lo = bucketBound(ix - 1, h.schema, h.customValues);
    const b: BucketInfo = positive
      ? { lower: lo, upper: up, count: sb.counts[i]!, lowerInclusive: false, upperInclusive: false, index: ix }
      : { lower: -up, upper: -lo, count: sb.counts[i]!, lowerInclusive: false, upperInclusive: false, index: ix };
    if (custom) {
      b.lowerInclusive = ix === 0;
      b.upperInclusive = true;
    } else {
      b.lowerInclusive = b.lower < 0;
      b.upperInclusive = b.upper > 0;
    }
    out.push(b);
  }
  return out;
}

/**
 * allBuckets lists every bucket in ascending order of bounds: negative buckets, the zero bucket (when populated),
 * then positive buckets, bounds clamped to the zero bucket — Prometheus's AllBucketIterator.
 */
export function allBuckets(h: FloatHistogram): BucketInfo[] {
  const zt = h.zeroThreshold;
  const clamp = (b: BucketInfo): BucketInfo => {
    if (b.upper < 0 && b.upper > -zt) b.upper = -zt;
    else if (b.lower > 0 && b.lower < zt) b.lower = zt;
    return b;
  };
  const out = bucketsOf(h, false).reverse().map(clamp);
  if (h.schema !== CUSTOM_BUCKETS_SCHEMA && h.zeroCount > 0) {
    out.push({ lower: -zt, upper: zt, count: h.zeroCount, lowerInclusive: true, upperInclusive: true, index: 0 });
  }
  for (const b of bucketsOf(h, true)) out.push(clamp(b));
  return out;
}
