// Native histogram validation with Prometheus's error texts (model/histogram: Histogram.Validate,
// FloatHistogram.Validate and the span, bucket and custom-bound checks they share).
import { CUSTOM_BUCKETS_SCHEMA, EXPONENTIAL_SCHEMA_MAX, EXPONENTIAL_SCHEMA_MIN, type FloatHistogram, type Histogram, type Span } from './types.js';

/** HistogramValidationError is a histogram Prometheus would refuse; the message is Prometheus's text. */
export class HistogramValidationError extends Error {
  override name = 'HistogramValidationError';
}

const ERR_COUNT_NOT_BIG_ENOUGH = "histogram's observation count should be at least the number of observations found in the buckets";
const ERR_COUNT_MISMATCH = "histogram's observation count should equal the number of observations found in the buckets (in absence of NaN)";
const ERR_NEGATIVE_COUNT = "histogram's observation count is negative";
const ERR_NEGATIVE_BUCKET = 'histogram has a bucket whose observation count is negative';
const ERR_SPAN_NEGATIVE_OFFSET = 'histogram has a span whose offset is negative';
const ERR_SPANS_BUCKETS = 'histogram spans specify different number of buckets than provided';
const ERR_CUSTOM_TOO_FEW = 'histogram custom bounds are too few';
const ERR_CUSTOM_ORDER = 'histogram custom bounds must be in strictly increasing order';
const ERR_CUSTOM_INFINITE = 'histogram custom bounds must be finite';
const ERR_CUSTOM_NAN = 'histogram custom bounds must not be NaN';
const ERR_CUSTOM_ZERO_COUNT = 'custom buckets: must have zero count of 0';
const ERR_CUSTOM_ZERO_THRESHOLD = 'custom buckets: must have zero threshold of 0';
const ERR_CUSTOM_NEG_SPANS = 'custom buckets: must not have negative spans';
const ERR_CUSTOM_NEG_BUCKETS = 'custom buckets: must not have negative buckets';
const ERR_EXP_CUSTOM_BOUNDS = 'histogram with exponential schema must not have custom bounds';

/** invalidSchemaMessage is Prometheus's text for a schema that is neither exponential (−4…8) nor custom (−53). */
export function invalidSchemaMessage(schema: number): string {
  return `histogram has an invalid schema, which must be between ${EXPONENTIAL_SCHEMA_MIN} and ${EXPONENTIAL_SCHEMA_MAX} for exponential buckets, or ${CUSTOM_BUCKETS_SCHEMA} for custom buckets, got schema ${schema}`;
}

/** isExponentialSchema reports whether schema is one of the exponential schemas −4…8. */
export function isExponentialSchema(schema: number): boolean {
  return schema >= EXPONENTIAL_SCHEMA_MIN && schema <= EXPONENTIAL_SCHEMA_MAX;
}

/** validateHistogram returns Prometheus's error for an invalid integer histogram, or null when it is valid. */
export function validateHistogram(h: Histogram): HistogramValidationError | null {
  const msg = commonIssue(h);
  if (msg !== null) return new HistogramValidationError(msg);
  let counted = 0;
  if (h.schema !== CUSTOM_BUCKETS_SCHEMA) {
    const neg = bucketIssue(h.negativeBuckets, true);
    if (typeof neg === 'string') return new HistogramValidationError(`negative side: ${neg}`);
    counted += neg;
  }
  const pos = bucketIssue(h.positiveBuckets, true);
  if (typeof pos === 'string') return new HistogramValidationError(`positive side: ${pos}`);
  counted += pos + h.zeroCount;
  if (Number.isNaN(h.sum)) {
    if (counted > h.count) return new HistogramValidationError(`${counted} observations found in buckets, but the Count field is ${h.count}: ${ERR_COUNT_NOT_BIG_ENOUGH}`);
  } else if (counted !== h.count) {
    return new HistogramValidationError(`${counted} observations found in buckets, but the Count field is ${h.count}: ${ERR_COUNT_MISMATCH}`);
  }
  return null;
}

/** validateFloatHistogram returns Prometheus's error for an invalid float histogram, or null when it is valid. */
export function validateFloatHistogram(h: FloatHistogram): HistogramValidationError | null {
  const msg = commonIssue(h);
  if (msg !== null) return new HistogramValidationError(msg);
  if (h.schema !== CUSTOM_BUCKETS_SCHEMA) {
    const neg = bucketIssue(h.negativeBuckets, false);
    if (typeof neg === 'string') return new HistogramValidationError(`negative side: ${neg}`);
    if (h.zeroCount < 0) return new HistogramValidationError(`zero bucket has observation count of ${goFloat(h.zeroCount)}: ${ERR_NEGATIVE_BUCKET}`);
  }
  if (h.count < 0) return new HistogramValidationError(`observation count is  ${goFloat(h.count)}: ${ERR_NEGATIVE_COUNT}`);
  const pos = bucketIssue(h.positiveBuckets, false);
  if (typeof pos === 'string') return new HistogramValidationError(`positive side: ${pos}`);
  return null;
}

/** commonIssue checks the schema, spans against bucket counts and custom bounds (the part both kinds share). */
function commonIssue(h: Histogram | FloatHistogram): string | null {
  if (h.schema === CUSTOM_BUCKETS_SCHEMA) {
    const cb = customBoundsIssue(h.customValues ?? [], h.positiveSpans, h.positiveBuckets.length);
    if (cb !== null) return `custom buckets: ${cb}`;
    if (h.zeroCount !== 0) return ERR_CUSTOM_ZERO_COUNT;
    if (h.zeroThreshold !== 0) return ERR_CUSTOM_ZERO_THRESHOLD;
    if (h.negativeSpans.length > 0) return ERR_CUSTOM_NEG_SPANS;
    if (h.negativeBuckets.length > 0) return ERR_CUSTOM_NEG_BUCKETS;
    return null;
  }
  if (!isExponentialSchema(h.schema)) return invalidSchemaMessage(h.schema);
  const p = spansIssue(h.positiveSpans, h.positiveBuckets.length);
  if (p !== null) return `positive side: ${p}`;
  const n = spansIssue(h.negativeSpans, h.negativeBuckets.length);
  if (n !== null) return `negative side: ${n}`;
  if (h.customValues !== undefined && h.customValues.length > 0) return ERR_EXP_CUSTOM_BOUNDS;
  return null;
}

function spansIssue(spans: readonly Span[], numBuckets: number): string | null {
  let need = 0;
  for (let i = 0; i < spans.length; i++) {
    const s = spans[i]!;
    if (i > 0 && s.offset < 0) return `span number ${i + 1} with offset ${s.offset}: ${ERR_SPAN_NEGATIVE_OFFSET}`;
    need += s.length;
  }
  if (need !== numBuckets) return `spans need ${need} buckets, have ${numBuckets} buckets: ${ERR_SPANS_BUCKETS}`;
  return null;
}

/** bucketIssue sums bucket counts (deltas when asked), or returns the first negative count's message. */
function bucketIssue(buckets: readonly number[], deltas: boolean): number | string {
  let last = 0;
  let sum = 0;
  for (let i = 0; i < buckets.length; i++) {
    const c = deltas ? last + buckets[i]! : buckets[i]!;
    if (c < 0) return `bucket number ${i + 1} has observation count of ${goFloat(c)}: ${ERR_NEGATIVE_BUCKET}`;
    last = c;
    sum += c;
  }
  return sum;
}

function customBoundsIssue(bounds: readonly number[], spans: readonly Span[], numBuckets: number): string | null {
  let prev = -Infinity;
  for (let i = 0; i < bounds.length; i++) {
    const cur = bounds[i]!;
    if (Number.isNaN(cur)) return ERR_CUSTOM_NAN;
    if (i > 0 && cur <= prev) return `previous bound is ${goFixed(prev)} and current is ${goFixed(cur)}: ${ERR_CUSTOM_ORDER}`;
    prev = cur;
  }
  if (prev === Infinity) return `last +Inf bound must not be explicitly defined: ${ERR_CUSTOM_INFINITE}`;
  let need = 0;
  let total = 0;
  for (let i = 0; i < spans.length; i++) {
    const s = spans[i]!;
    if (s.offset < 0) return `span number ${i + 1} with offset ${s.offset}: ${ERR_SPAN_NEGATIVE_OFFSET}`;
    need += s.length;
    total += s.length + s.offset;
  }
  if (need !== numBuckets) return `spans need ${need} buckets, have ${numBuckets} buckets: ${ERR_SPANS_BUCKETS}`;
  if (bounds.length + 1 < total) return `only ${bounds.length} custom bounds defined which is insufficient to cover total span length of ${total}: ${ERR_CUSTOM_TOO_FEW}`;
  return null;
}

/** goFloat formats as Go's %v for a float64 (shortest representation, exponent outside [1e-4, 1e21)). */
function goFloat(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf';
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e21)) {
    const [m, e] = v.toExponential().split('e') as [string, string];
    const exp = Number(e);
    return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(v);
}

/** goFixed formats as Go's %f (six decimals). */
function goFixed(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf';
  return v.toFixed(6);
}
