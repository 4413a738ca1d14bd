import { bucketsOf, type BucketInfo } from '../../model/histogram/buckets.js';
import { CUSTOM_BUCKETS_SCHEMA, type FloatHistogram } from '../../model/histogram/types.js';
import { formatG } from '../functions/gofloat.js';

function bucketString(b: BucketInfo): string {
  return `${b.lowerInclusive ? '[' : '('}${formatG(b.lower)},${formatG(b.upper)}${b.upperInclusive ? ']' : ')'}:${formatG(b.count)}`;
}

/** histogramString renders a histogram as Prometheus's FloatHistogram.String (count_values labels use it). */
export function histogramString(h: FloatHistogram): string {
  const parts = [`{count:${formatG(h.count)}, sum:${formatG(h.sum)}`];
  for (const b of bucketsOf(h, false).reverse()) if (b.count !== 0) parts.push(bucketString(b));
  if (h.zeroCount !== 0 && h.schema !== CUSTOM_BUCKETS_SCHEMA) {
    parts.push(bucketString({ lower: -h.zeroThreshold, upper: h.zeroThreshold, count: h.zeroCount, lowerInclusive: true, upperInclusive: true, index: 0 }));
  }
  for (const b of bucketsOf(h, true)) if (b.count !== 0) parts.push(bucketString(b));
  return parts.join(', ') + '}';
}
