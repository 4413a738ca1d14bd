// Decodes OTLP/JSON (the protobuf JSON mapping with OTLP's exceptions: trace and span ids in
// hex, enums as integers; lowerCamelCase keys, snake_case accepted too). 64-bit integers may be
// strings or numbers; doubles may be "NaN", "Infinity" or "-Infinity".
import { DecodeError } from '../remote/pb.js';
import { anyAsString, type AnyRaw } from './any-value.js';
import type { Attr, Exemplar, ExpBuckets, ExpHistogramPoint, HistogramPoint, Metric, MetricData, MetricsRequest, NumberPoint, PointBase, ResourceMetrics, ScopeMetrics, SummaryPoint } from './model.js';

type Obj = Record<string, unknown>;

const TEMPORALITY_NAMES: Record<string, number> = {
  AGGREGATION_TEMPORALITY_UNSPECIFIED: 0,
  AGGREGATION_TEMPORALITY_DELTA: 1,
  AGGREGATION_TEMPORALITY_CUMULATIVE: 2,
};

/** decodeMetricsRequestJson decodes an OTLP/JSON ExportMetricsServiceRequest; malformed JSON or a wrongly typed field throws DecodeError. */
export function decodeMetricsRequestJson(text: string): MetricsRequest {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new DecodeError(`invalid JSON: ${(err as Error).message}`);
  }
  const root = obj(doc, 'request');
  return { resourceMetrics: list(field(root, 'resourceMetrics', 'resource_metrics'), 'resourceMetrics').map(resourceMetrics) };
}

function field(o: Obj, camel: string, snake?: string): unknown {
  const v = o[camel];
  return v !== undefined ? v : snake !== undefined ? o[snake] : undefined;
}

function obj(v: unknown, what: string): Obj {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new DecodeError(`${what} must be a JSON object`);
  return v as Obj;
}

function list(v: unknown, what: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new DecodeError(`${what} must be a JSON array`);
  return v;
}

function str(v: unknown, what: string): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new DecodeError(`${what} must be a string`);
  return v;
}

function double(v: unknown, what: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  throw new DecodeError(`${what} must be a number`);
}

function int64(v: unknown, what: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  throw new DecodeError(`${what} must be an integer`);
}

/** nanosMs converts a JSON fixed64 nanosecond timestamp to ms; NaN when it is not a non-negative integer. */
function nanosMs(v: unknown): number {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? Math.floor(v / 1e6) : NaN;
  if (typeof v === 'string' && /^\d+$/.test(v)) return v.length <= 6 ? 0 : Number(v.slice(0, -6));
  return NaN;
}

function enumValue(v: unknown, names: Record<string, number>, what: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && v in names) return names[v]!;
  throw new DecodeError(`${what} must be an enum number`);
}

function attrs(v: unknown, what: string): Attr[] {
  return list(v, what).map((kv) => {
    const o = obj(kv, what);
    return { key: str(o.key, `${what} key`), value: anyAsString(anyValue(o.value)) };
  });
}

function anyValue(v: unknown): AnyRaw {
  const o = obj(v, 'attribute value');
  if ('stringValue' in o || 'string_value' in o) return str(field(o, 'stringValue', 'string_value'), 'stringValue');
  if ('boolValue' in o || 'bool_value' in o) return field(o, 'boolValue', 'bool_value') === true;
  if ('intValue' in o || 'int_value' in o) {
    const x = field(o, 'intValue', 'int_value');
    if (typeof x === 'string' && /^-?\d+$/.test(x)) return { int: BigInt(x).toString() };
    return { int: String(int64(x, 'intValue')) };
  }
  if ('doubleValue' in o || 'double_value' in o) return double(field(o, 'doubleValue', 'double_value'), 'doubleValue');
  if ('arrayValue' in o || 'array_value' in o) return list(obj(field(o, 'arrayValue', 'array_value'), 'arrayValue').values, 'arrayValue.values').map(anyValue);
  if ('kvlistValue' in o || 'kvlist_value' in o) {
    const kv = list(obj(field(o, 'kvlistValue', 'kvlist_value'), 'kvlistValue').values, 'kvlistValue.values').map((e): [string, AnyRaw] => {
      const x = obj(e, 'kvlistValue entry');
      return [str(x.key, 'key'), anyValue(x.value)];
    });
    return { kv };
  }
  if ('bytesValue' in o || 'bytes_value' in o) return new Uint8Array(Buffer.from(str(field(o, 'bytesValue', 'bytes_value'), 'bytesValue'), 'base64'));
  return null;
}

function resourceMetrics(v: unknown): ResourceMetrics {
  const o = obj(v, 'resourceMetrics');
  const res = obj(o.resource, 'resource');
  return { attributes: attrs(res.attributes, 'resource.attributes'), scopes: list(field(o, 'scopeMetrics', 'scope_metrics'), 'scopeMetrics').map(scopeMetrics) };
}

function scopeMetrics(v: unknown): ScopeMetrics {
  const o = obj(v, 'scopeMetrics');
  const scope = obj(o.scope, 'scope');
  return {
    name: str(scope.name, 'scope.name'),
    version: str(scope.version, 'scope.version'),
    schemaUrl: str(field(o, 'schemaUrl', 'schema_url'), 'schemaUrl'),
    attributes: attrs(scope.attributes, 'scope.attributes'),
    metrics: list(o.metrics, 'metrics').map(metric),
  };
}

function metric(v: unknown): Metric {
  const o = obj(v, 'metric');
  return { name: str(o.name, 'metric.name'), description: str(o.description, 'metric.description'), unit: str(o.unit, 'metric.unit'), data: metricData(o) };
}

function temporality(o: Obj): number {
  return enumValue(field(o, 'aggregationTemporality', 'aggregation_temporality'), TEMPORALITY_NAMES, 'aggregationTemporality');
}

function points(o: Obj): unknown[] {
  return list(field(o, 'dataPoints', 'data_points'), 'dataPoints');
}

function metricData(o: Obj): MetricData {
  if (o.gauge !== undefined) return { kind: 'gauge', points: points(obj(o.gauge, 'gauge')).map(numberPoint) };
  if (o.sum !== undefined) {
    const s = obj(o.sum, 'sum');
    return { kind: 'sum', points: points(s).map(numberPoint), temporality: temporality(s), monotonic: field(s, 'isMonotonic', 'is_monotonic') === true };
  }
  if (o.histogram !== undefined) {
    const h = obj(o.histogram, 'histogram');
    return { kind: 'histogram', points: points(h).map(histogramPoint), temporality: temporality(h) };
  }
  const eh = field(o, 'exponentialHistogram', 'exponential_histogram');
  if (eh !== undefined) {
    const h = obj(eh, 'exponentialHistogram');
    return { kind: 'exponentialHistogram', points: points(h).map(expHistogramPoint), temporality: temporality(h) };
  }
  if (o.summary !== undefined) return { kind: 'summary', points: points(obj(o.summary, 'summary')).map(summaryPoint) };
  return { kind: 'none' };
}

function pointBase(o: Obj, attrKey = 'attributes'): PointBase {
  const start = field(o, 'startTimeUnixNano', 'start_time_unix_nano');
  return {
    attributes: attrs(o[attrKey], 'attributes'),
    startMs: start === undefined ? 0 : nanosMs(start),
    timeMs: nanosMs(field(o, 'timeUnixNano', 'time_unix_nano')),
    flags: int64(o.flags, 'flags'),
  };
}

function numberValue(o: Obj): number {
  const d = field(o, 'asDouble', 'as_double');
  if (d !== undefined) return double(d, 'asDouble');
  return int64(field(o, 'asInt', 'as_int'), 'asInt');
}

function numberPoint(v: unknown): NumberPoint {
  const o = obj(v, 'dataPoint');
  return { ...pointBase(o), value: numberValue(o), exemplars: list(o.exemplars, 'exemplars').map(exemplar) };
}

function histogramPoint(v: unknown): HistogramPoint {
  const o = obj(v, 'dataPoint');
  const sum = o.sum;
  return {
    ...pointBase(o),
    count: int64(o.count, 'count'),
    sum: double(sum, 'sum'),
    hasSum: sum !== undefined && sum !== null,
    bounds: list(field(o, 'explicitBounds', 'explicit_bounds'), 'explicitBounds').map((b) => double(b, 'explicitBounds')),
    bucketCounts: list(field(o, 'bucketCounts', 'bucket_counts'), 'bucketCounts').map((b) => int64(b, 'bucketCounts')),
    exemplars: list(o.exemplars, 'exemplars').map(exemplar),
  };
}

function expBuckets(v: unknown): ExpBuckets {
  if (v === undefined || v === null) return { offset: 0, counts: [] };
  const o = obj(v, 'buckets');
  return {
    offset: o.offset === undefined || o.offset === null ? 0 : int64(o.offset, 'offset'),
    counts: list(field(o, 'bucketCounts', 'bucket_counts'), 'bucketCounts').map((b) => int64(b, 'bucketCounts')),
  };
}

function expHistogramPoint(v: unknown): ExpHistogramPoint {
  const o = obj(v, 'dataPoint');
  const sum = o.sum;
  const zt = field(o, 'zeroThreshold', 'zero_threshold');
  const zc = field(o, 'zeroCount', 'zero_count');
  return {
    ...pointBase(o),
    count: int64(o.count, 'count'),
    sum: double(sum, 'sum'),
    hasSum: sum !== undefined && sum !== null,
    scale: o.scale === undefined || o.scale === null ? 0 : int64(o.scale, 'scale'),
    zeroCount: zc === undefined || zc === null ? 0 : int64(zc, 'zeroCount'),
    zeroThreshold: zt === undefined || zt === null ? 0 : double(zt, 'zeroThreshold'),
    positive: expBuckets(o.positive),
    negative: expBuckets(o.negative),
    exemplars: list(o.exemplars, 'exemplars').map(exemplar),
  };
}

function summaryPoint(v: unknown): SummaryPoint {
  const o = obj(v, 'dataPoint');
  return {
    ...pointBase(o),
    count: int64(o.count, 'count'),
    sum: double(o.sum, 'sum'),
    quantiles: list(field(o, 'quantileValues', 'quantile_values'), 'quantileValues').map((q) => {
      const x = obj(q, 'quantileValue');
      return { quantile: double(x.quantile, 'quantile'), value: double(x.value, 'value') };
    }),
  };
}

function exemplar(v: unknown): Exemplar {
  const o = obj(v, 'exemplar');
  const t = field(o, 'timeUnixNano', 'time_unix_nano');
  return {
    attributes: attrs(field(o, 'filteredAttributes', 'filtered_attributes'), 'filteredAttributes'),
    timeMs: t === undefined ? 0 : nanosMs(t),
    value: numberValue(o),
    traceId: hexId(field(o, 'traceId', 'trace_id')),
    spanId: hexId(field(o, 'spanId', 'span_id')),
  };
}

function hexId(v: unknown): string {
  const s = str(v, 'trace or span id').toLowerCase();
  return /^[0-9a-f]*$/.test(s) && !/^0*$/.test(s) ? s : '';
}
