import { customBoundsMatch } from './add.js';
import { compactFloatHistogram } from './compact.js';
import { CUSTOM_BUCKETS_SCHEMA, type FloatHistogram, type Span } from './types.js';

function spansEqual(a: readonly Span[], b: readonly Span[]): boolean {
  return a.length === b.length && a.every((s, i) => s.offset === b[i]!.offset && s.length === b[i]!.length);
}

function bucketsEqual(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
}

/** floatHistogramsEqual reports whether two histograms hold the same data (bit-equal values, same layout once compacted), as Prometheus's Equals. */
export function floatHistogramsEqual(x: FloatHistogram, y: FloatHistogram): boolean {
  const a = compactFloatHistogram(x);
  const b = compactFloatHistogram(y);
  if (a.schema !== b.schema || !Object.is(a.count, b.count) || !Object.is(a.sum, b.sum)) return false;
  if (a.schema === CUSTOM_BUCKETS_SCHEMA && !customBoundsMatch(a.customValues, b.customValues)) return false;
  if (a.zeroThreshold !== b.zeroThreshold || !Object.is(a.zeroCount, b.zeroCount)) return false;
  return (
    spansEqual(a.negativeSpans, b.negativeSpans) &&
    bucketsEqual(a.negativeBuckets, b.negativeBuckets) &&
    spansEqual(a.positiveSpans, b.positiveSpans) &&
    bucketsEqual(a.positiveBuckets, b.positiveBuckets)
  );
}
