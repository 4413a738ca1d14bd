import { copySpans } from './convert.js';
import type { FloatHistogram } from './types.js';

/** copyFloatHistogram returns a deep copy of h (custom bounds are shared: they are never modified in place). */
export function copyFloatHistogram(h: FloatHistogram): FloatHistogram {
  const c: FloatHistogram = {
    counterResetHint: h.counterResetHint,
    schema: h.schema,
    zeroThreshold: h.zeroThreshold,
    zeroCount: h.zeroCount,
    count: h.count,
    sum: h.sum,
    positiveSpans: copySpans(h.positiveSpans),
    negativeSpans: copySpans(h.negativeSpans),
    positiveBuckets: h.positiveBuckets.slice(),
    negativeBuckets: h.negativeBuckets.slice(),
  };
  if (h.customValues !== undefined) c.customValues = h.customValues;
  return c;
}

/** emptyFloatHistogram returns a histogram without observations: schema 0 (or the given one), no buckets, hint Unknown. */
export function emptyFloatHistogram(schema = 0, customValues?: number[]): FloatHistogram {
  const h: FloatHistogram = {
    counterResetHint: 0,
    schema,
    zeroThreshold: 0,
    zeroCount: 0,
    count: 0,
    sum: 0,
    positiveSpans: [],
    negativeSpans: [],
    positiveBuckets: [],
    negativeBuckets: [],
  };
  if (customValues !== undefined) h.customValues = customValues;
  return h;
}
