import { compressBuckets, expandBuckets } from './buckets.js';
import type { FloatHistogram } from './types.js';

/** compactFloatHistogram returns h without empty buckets and with adjacent spans merged (Prometheus's Compact(0)). */
export function compactFloatHistogram(h: FloatHistogram): FloatHistogram {
  const p = compressBuckets(expandBuckets(h.positiveSpans, h.positiveBuckets));
  const n = compressBuckets(expandBuckets(h.negativeSpans, h.negativeBuckets));
  const r: FloatHistogram = { ...h, positiveSpans: p.spans, positiveBuckets: p.buckets, negativeSpans: n.spans, negativeBuckets: n.buckets };
  return r;
}
