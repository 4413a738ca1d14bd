/**
 * The decoded OTLP metrics request, shared by the protobuf and JSON decoders and read by the
 * translator. Attribute values are already rendered as strings the way the OpenTelemetry
 * Collector's pcommon.Value.AsString renders them; timestamps are integer milliseconds (NaN
 * when the point carried none or an unreadable one).
 */

/** Attr is one attribute with its value rendered as a string. */
export interface Attr {
  readonly key: string;
  readonly value: string;
}

/** Temporality is OTLP's AggregationTemporality enum (0 unspecified, 1 delta, 2 cumulative). */
export type Temporality = 0 | 1 | 2;

/** TEMPORALITY_DELTA and TEMPORALITY_CUMULATIVE are the two meaningful temporalities. */
export const TEMPORALITY_DELTA = 1;
/** TEMPORALITY_CUMULATIVE is what Prometheus stores. */
export const TEMPORALITY_CUMULATIVE = 2;

/** FLAG_NO_RECORDED_VALUE is DataPointFlags.FLAG_NO_RECORDED_VALUE (the point is a staleness marker). */
export const FLAG_NO_RECORDED_VALUE = 1;

/** Exemplar is an OTLP exemplar; traceId and spanId are lowercase hex ('' when absent). */
export interface Exemplar {
  readonly attributes: Attr[];
  readonly timeMs: number;
  readonly value: number;
  readonly traceId: string;
  readonly spanId: string;
}

/** PointBase holds what every data point carries. */
export interface PointBase {
  attributes: Attr[];
  /** startMs is start_time_unix_nano in ms (0 when absent). */
  startMs: number;
  /** timeMs is time_unix_nano in ms (NaN when absent or unreadable). */
  timeMs: number;
  flags: number;
}

/** NumberPoint is a gauge or sum point. */
export interface NumberPoint extends PointBase {
  value: number;
  exemplars: Exemplar[];
}

/** HistogramPoint is an explicit-bucket histogram point. */
export interface HistogramPoint extends PointBase {
  count: number;
  sum: number;
  hasSum: boolean;
  bounds: number[];
  bucketCounts: number[];
  exemplars: Exemplar[];
}

/** ExpBuckets are one side's buckets of an exponential histogram point: counts of consecutive buckets from offset. */
export interface ExpBuckets {
  offset: number;
  counts: number[];
}

/** ExpHistogramPoint is an exponential histogram point. */
export interface ExpHistogramPoint extends PointBase {
  count: number;
  sum: number;
  hasSum: boolean;
  scale: number;
  zeroCount: number;
  zeroThreshold: number;
  positive: ExpBuckets;
  negative: ExpBuckets;
  exemplars: Exemplar[];
}

/** emptyExpHistogramPoint returns a point with every field at its protobuf default (time NaN: absent). */
export function emptyExpHistogramPoint(): ExpHistogramPoint {
  return {
    attributes: [],
    startMs: 0,
    timeMs: NaN,
    flags: 0,
    count: 0,
    sum: 0,
    hasSum: false,
    scale: 0,
    zeroCount: 0,
    zeroThreshold: 0,
    positive: { offset: 0, counts: [] },
    negative: { offset: 0, counts: [] },
    exemplars: [],
  };
}

/** Quantile is one ValueAtQuantile of a summary point. */
export interface Quantile {
  readonly quantile: number;
  readonly value: number;
}

/** SummaryPoint is a summary point. */
export interface SummaryPoint extends PointBase {
  count: number;
  sum: number;
  quantiles: Quantile[];
}

/** MetricData is a metric's data, by kind. */
export type MetricData =
  | { readonly kind: 'gauge'; readonly points: NumberPoint[] }
  | { readonly kind: 'sum'; readonly points: NumberPoint[]; readonly temporality: number; readonly monotonic: boolean }
  | { readonly kind: 'histogram'; readonly points: HistogramPoint[]; readonly temporality: number }
  | { readonly kind: 'exponentialHistogram'; readonly points: ExpHistogramPoint[]; readonly temporality: number }
  | { readonly kind: 'summary'; readonly points: SummaryPoint[] }
  | { readonly kind: 'none' };

/** Metric is one OTLP metric. */
export interface Metric {
  name: string;
  description: string;
  unit: string;
  data: MetricData;
}

/** ScopeMetrics are the metrics of one instrumentation scope. */
export interface ScopeMetrics {
  name: string;
  version: string;
  schemaUrl: string;
  attributes: Attr[];
  metrics: Metric[];
}

/** ResourceMetrics are the scopes of one resource. */
export interface ResourceMetrics {
  attributes: Attr[];
  scopes: ScopeMetrics[];
}

/** MetricsRequest is a decoded ExportMetricsServiceRequest. */
export interface MetricsRequest {
  resourceMetrics: ResourceMetrics[];
}

/** pointCount is the number of data points a metric carries. */
export function pointCount(d: MetricData): number {
  switch (d.kind) {
    case 'none':
      return 0;
    default:
      return d.points.length;
  }
}

/** formatDouble renders a double attribute as pcommon.Value.AsString does (ECMAScript number text; Go's JSON error for NaN and infinities). */
export function formatDouble(f: number): string {
  if (Number.isFinite(f)) return String(f);
  return `json: unsupported value: ${Number.isNaN(f) ? 'NaN' : f > 0 ? '+Inf' : '-Inf'}`;
}

/** nanosToMs converts a non-negative nanosecond count given as its two 32-bit halves to whole milliseconds exactly. */
export function nanosToMs(lo: number, hi: number): number {
  // hi·2^32 = hi·4294·10^6 + hi·967296, and hi·967296 + lo stays below 2^53.
  return hi * 4294 + Math.floor((hi * 967296 + lo) / 1e6);
}
