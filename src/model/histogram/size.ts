import type { FloatHistogram } from './types.js';

/** floatHistogramBytes is the in-memory size Prometheus attributes to a float histogram (its FloatHistogram.Size on 64-bit). */
export function floatHistogramBytes(h: FloatHistogram): number {
  return (
    168 +
    8 * (h.positiveSpans.length + h.negativeSpans.length + h.positiveBuckets.length + h.negativeBuckets.length + (h.customValues?.length ?? 0))
  );
}
