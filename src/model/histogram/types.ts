/**
 * The native histogram data model, shared by ingest, storage and PromQL. Field names and meanings follow
 * Prometheus's model/histogram package; the operations live beside this file as free functions.
 */

/** Span is a run of consecutive buckets: offset is the gap (in buckets) from the previous span's end, length their count. */
export interface Span {
  offset: number;
  length: number;
}

/** CounterResetHint tells whether a histogram sample follows a counter reset, as Prometheus's hint enum. */
export const CounterResetHint = {
  /** Unknown: the storage has to detect resets itself. */
  Unknown: 0,
  /** CounterReset: a reset happened right before this sample. */
  CounterReset: 1,
  /** NotCounterReset: no reset before this sample. */
  NotCounterReset: 2,
  /** Gauge: a gauge histogram; resets do not apply. */
  Gauge: 3,
} as const;
/** CounterResetHintValue is one of CounterResetHint's values. */
export type CounterResetHintValue = (typeof CounterResetHint)[keyof typeof CounterResetHint];

/** CUSTOM_BUCKETS_SCHEMA is the schema of custom-bucket histograms (NHCB): bucket bounds are customValues. */
export const CUSTOM_BUCKETS_SCHEMA = -53;
/** EXPONENTIAL_SCHEMA_MIN and EXPONENTIAL_SCHEMA_MAX bound the exponential schemas. */
export const EXPONENTIAL_SCHEMA_MIN = -4;
export const EXPONENTIAL_SCHEMA_MAX = 8;

/**
 * Histogram is an integer histogram as remote write and the chunk encoding carry it: bucket counts are
 * deltas (each the difference to the previous bucket of the same sign, the first absolute).
 */
export interface Histogram {
  counterResetHint: CounterResetHintValue;
  schema: number;
  zeroThreshold: number;
  zeroCount: number;
  count: number;
  sum: number;
  positiveSpans: Span[];
  negativeSpans: Span[];
  positiveBuckets: number[];
  negativeBuckets: number[];
  /** customValues are the upper bounds of custom buckets (schema −53 only), strictly increasing. */
  customValues?: number[];
}

/** FloatHistogram is a histogram with float counts, absolute per bucket: what PromQL computes with. */
export interface FloatHistogram {
  counterResetHint: CounterResetHintValue;
  schema: number;
  zeroThreshold: number;
  zeroCount: number;
  count: number;
  sum: number;
  positiveSpans: Span[];
  negativeSpans: Span[];
  positiveBuckets: number[];
  negativeBuckets: number[];
  customValues?: number[];
}
