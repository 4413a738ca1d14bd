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
