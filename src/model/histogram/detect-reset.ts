import { bucketBound } from './bounds.js';
import { customBoundsMatch, intersectBounds, mapCustomBuckets, reduceSparse, usesCustomBuckets } from './add.js';
import { expandBuckets, type SparseBuckets } from './buckets.js';
import { CounterResetHint, type FloatHistogram } from './types.js';

/** bucketsDecreased reports whether a bucket of prev (non-zero) is missing from cur or larger than cur's. */
function bucketsDecreased(cur: SparseBuckets, prev: SparseBuckets, schema: number, threshold: number): boolean {
  let j = 0;
  for (let i = 0; i < prev.idx.length; i++) {
    const ix = prev.idx[i]!;
    if (threshold > 0 && bucketBound(ix, schema, undefined) <= threshold) continue;
    while (j < cur.idx.length && cur.idx[j]! < ix) j++;
    const c = j < cur.idx.length && cur.idx[j] === ix ? cur.counts[j]! : 0;
    if (c < prev.counts[i]!) return true;
  }
  return false;
}

/** zeroCountAt is h's zero count with its buckets up to threshold folded in, and the threshold that requires. */
function zeroCountAt(h: FloatHistogram, threshold: number): { zc: number; threshold: number } {
  let zc = h.zeroCount;
  const pos = expandBuckets(h.positiveSpans, h.positiveBuckets);
  const neg = expandBuckets(h.negativeSpans, h.negativeBuckets);
  if (threshold === h.zeroThreshold) return { zc, threshold };
  for (const sb of [pos, neg]) {
    for (let i = 0; i < sb.idx.length; i++) {
      const lo = bucketBound(sb.idx[i]! - 1, h.schema, undefined);
      const up = bucketBound(sb.idx[i]!, h.schema, undefined);
      if (lo >= threshold) break;
      zc += sb.counts[i]!;
      if (up > threshold && sb.counts[i] !== 0) return { zc, threshold: up };
    }
  }
  return { zc, threshold };
}

/**
 * detectReset reports whether cur follows a counter reset after prev, as Prometheus's FloatHistogram.DetectReset:
 * the hint decides when it is CounterReset or NotCounterReset; otherwise a smaller count, a finer schema, a
 * narrower zero bucket or any bucket that shrank means a reset.
 */
export function detectReset(cur: FloatHistogram, prev: FloatHistogram): boolean {
  if (cur.counterResetHint === CounterResetHint.CounterReset) return true;
  if (cur.counterResetHint === CounterResetHint.NotCounterReset) return false;
  if (cur.count < prev.count) return true;
  if (usesCustomBuckets(cur)) {
    if (!usesCustomBuckets(prev)) return true;
    if (!customBoundsMatch(cur.customValues, prev.customValues)) {
      const common = intersectBounds(cur.customValues ?? [], prev.customValues ?? []);
      const c = mapCustomBuckets(expandBuckets(cur.positiveSpans, cur.positiveBuckets), cur.customValues ?? [], common);
      const p = mapCustomBuckets(expandBuckets(prev.positiveSpans, prev.positiveBuckets), prev.customValues ?? [], common);
      return bucketsDecreased(c, p, cur.schema, 0);
    }
    return bucketsDecreased(expandBuckets(cur.positiveSpans, cur.positiveBuckets), expandBuckets(prev.positiveSpans, prev.positiveBuckets), cur.schema, 0);
  }
  if (cur.schema > prev.schema) return true;
  if (cur.zeroThreshold < prev.zeroThreshold) return true;
  const z = zeroCountAt(prev, cur.zeroThreshold);
  if (z.threshold !== cur.zeroThreshold) return true;
  if (cur.zeroCount < z.zc) return true;
  const t = cur.zeroThreshold;
  const pos = reduceSparse(expandBuckets(prev.positiveSpans, prev.positiveBuckets), prev.schema, cur.schema);
  if (bucketsDecreased(expandBuckets(cur.positiveSpans, cur.positiveBuckets), pos, cur.schema, t)) return true;
  const neg = reduceSparse(expandBuckets(prev.negativeSpans, prev.negativeBuckets), prev.schema, cur.schema);
  return bucketsDecreased(expandBuckets(cur.negativeSpans, cur.negativeBuckets), neg, cur.schema, t);
}
