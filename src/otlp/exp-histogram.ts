// OTLP exponential histogram points to native (integer) histograms, as Prometheus's OTLP receiver converts them
// (otlptranslator/prometheusremotewrite, exponentialToNativeHistogram and convertBucketsLayout):
//   scale becomes the schema; a scale above 8 is reduced to 8 by merging 2^(scale-8) adjacent buckets;
//   a scale below −4 is refused. OTLP bucket index i covers (base^i, base^(i+1)], Prometheus's index i covers
//   (base^(i-1), base^i], so indexes shift by one. Dense bucket counts become spans (a gap of more than two
//   empty buckets starts a new span, smaller gaps are filled with empty buckets) and deltas. The zero threshold
//   is Prometheus's default 1e-128, the reset hint unknown (gauge for delta temporality); a point flagged as having
//   no recorded value becomes a stale marker (sum = the stale NaN).
import { CounterResetHint, EXPONENTIAL_SCHEMA_MAX, EXPONENTIAL_SCHEMA_MIN, type Histogram, type Span } from '../model/histogram/types.js';
import { STALE_NAN } from '../model/sample.js';
import { FLAG_NO_RECORDED_VALUE, type ExpHistogramPoint } from './model.js';

/** DEFAULT_ZERO_THRESHOLD is the zero bucket width Prometheus gives converted OTLP histograms. */
export const DEFAULT_ZERO_THRESHOLD = 1e-128;

/** TEMPORALITY_DELTA is AggregationTemporality.DELTA. */
const TEMPORALITY_DELTA = 1;

/** expToNativeHistogram converts one exponential histogram point; a string is the reason it cannot be converted. */
export function expToNativeHistogram(p: ExpHistogramPoint, temporality: number): Histogram | string {
  let scale = p.scale;
  if (scale < EXPONENTIAL_SCHEMA_MIN) return `cannot convert exponential to native histogram. Scale must be >= ${EXPONENTIAL_SCHEMA_MIN}, was ${scale}`;
  let scaleDown = 0;
  if (scale > EXPONENTIAL_SCHEMA_MAX) {
    scaleDown = scale - EXPONENTIAL_SCHEMA_MAX;
    scale = EXPONENTIAL_SCHEMA_MAX;
  }
  const pos = bucketsLayout(p.positive.counts, p.positive.offset, scaleDown);
  const neg = bucketsLayout(p.negative.counts, p.negative.offset, scaleDown);
  const stale = (p.flags & FLAG_NO_RECORDED_VALUE) !== 0;
  return {
    counterResetHint: temporality === TEMPORALITY_DELTA ? CounterResetHint.Gauge : CounterResetHint.Unknown,
    schema: scale,
    zeroThreshold: DEFAULT_ZERO_THRESHOLD,
    zeroCount: p.zeroCount,
    count: stale ? 0 : p.count,
    sum: stale ? STALE_NAN : p.hasSum ? p.sum : 0,
    positiveSpans: pos.spans,
    negativeSpans: neg.spans,
    positiveBuckets: pos.deltas,
    negativeBuckets: neg.deltas,
  };
}

/** bucketsLayout turns dense OTLP bucket counts from offset into Prometheus spans and deltas, merging 2^scaleDown buckets into one. */
export function bucketsLayout(counts: readonly number[], offset: number, scaleDown: number): { spans: Span[]; deltas: number[] } {
  const spans: Span[] = [];
  const deltas: number[] = [];
  if (counts.length === 0) return { spans, deltas };
  let prev = 0;
  const appendDelta = (c: number): void => {
    spans[spans.length - 1]!.length++;
    deltas.push(c - prev);
    prev = c;
  };
  const gapFill = (gap: number): void => {
    // A gap of more than two empty buckets starts a new span; smaller ones are filled with empty buckets.
    if (gap > 2) spans.push({ offset: gap, length: 0 });
    else for (let k = 0; k < gap; k++) appendDelta(0);
  };
  let bucketIdx = (offset >> scaleDown) + 1;
  spans.push({ offset: bucketIdx, length: 0 });
  let count = 0;
  for (let i = 0; i < counts.length; i++) {
    const nextIdx = ((i + offset) >> scaleDown) + 1;
    if (bucketIdx === nextIdx) {
      count += counts[i]!;
      continue;
    }
    if (count === 0) {
      count = counts[i]!;
      continue;
    }
    gapFill(nextIdx - bucketIdx - 1);
    appendDelta(count);
    count = counts[i]!;
    bucketIdx = nextIdx;
  }
  gapFill(((counts.length + offset - 1) >> scaleDown) + 1 - bucketIdx);
  appendDelta(count);
  return { spans, deltas };
}
