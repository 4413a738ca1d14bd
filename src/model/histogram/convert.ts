import type { FloatHistogram, Histogram, Span } from './types.js';

/** toFloatHistogram converts an integer histogram (delta-encoded buckets) to a float one with absolute bucket counts. */
export function toFloatHistogram(h: Histogram): FloatHistogram {
  const fh: FloatHistogram = {
    counterResetHint: h.counterResetHint,
    schema: h.schema,
    zeroThreshold: h.zeroThreshold,
    zeroCount: h.zeroCount,
    count: h.count,
    sum: h.sum,
    positiveSpans: copySpans(h.positiveSpans),
    negativeSpans: copySpans(h.negativeSpans),
    positiveBuckets: deltasToAbsolute(h.positiveBuckets),
    negativeBuckets: deltasToAbsolute(h.negativeBuckets),
  };
  if (h.customValues) fh.customValues = h.customValues.slice();
  return fh;
}

/** deltasToAbsolute turns delta-encoded bucket counts (the first absolute) into absolute counts. */
export function deltasToAbsolute(deltas: readonly number[]): number[] {
  const out = new Array<number>(deltas.length);
  let cur = 0;
  for (let i = 0; i < deltas.length; i++) out[i] = cur += deltas[i]!;
  return out;
}

/** copySpans returns a deep copy of spans. */
export function copySpans(spans: readonly Span[]): Span[] {
  return spans.map((s) => ({ offset: s.offset, length: s.length }));
}
