// Test and benchmark helpers: OTLP requests written once in the OTLP/JSON shape and encoded to
// protobuf here, so both decoders are fed the same request.
import { PbWriter } from '../remote/pb-writer.js';


/** JsonAttr is an OTLP/JSON KeyValue with a scalar value. */
export interface JsonAttr {
  key: string;
  value: { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean; bytesValue?: string };
}

/** JsonPoint is any OTLP/JSON data point (the fields a kind does not have are left out). */
export interface JsonPoint {
  attributes?: JsonAttr[];
  startTimeUnixNano?: string;
  timeUnixNano?: string;
  asDouble?: number;
  asInt?: string;
  count?: string;
  sum?: number;
  bucketCounts?: string[];
  explicitBounds?: number[];
  quantileValues?: { quantile: number; value: number }[];
  exemplars?: { filteredAttributes?: JsonAttr[]; timeUnixNano?: string; asDouble?: number; traceId?: string; spanId?: string }[];
  flags?: number;
  /** scale, zeroCount, zeroThreshold, positive and negative are exponential histogram fields. */
  scale?: number;
  zeroCount?: string;
  zeroThreshold?: number;
  positive?: { offset?: number; bucketCounts: string[] };
  negative?: { offset?: number; bucketCounts: string[] };
}

/** JsonMetric is an OTLP/JSON metric. */
export interface JsonMetric {
  name: string;
  description?: string;
  unit?: string;
  gauge?: { dataPoints: JsonPoint[] };
  sum?: { dataPoints: JsonPoint[]; aggregationTemporality: number; isMonotonic?: boolean };
  histogram?: { dataPoints: JsonPoint[]; aggregationTemporality: number };
  exponentialHistogram?: { dataPoints: JsonPoint[]; aggregationTemporality: number };
  summary?: { dataPoints: JsonPoint[] };
}

/** JsonRequest is an OTLP/JSON ExportMetricsServiceRequest. */
export interface JsonRequest {
  resourceMetrics: { resource?: { attributes: JsonAttr[] }; scopeMetrics: { scope?: { name?: string; version?: string; attributes?: JsonAttr[] }; schemaUrl?: string; metrics: JsonMetric[] }[] }[];
}

/** nanos renders ms as an OTLP/JSON nanosecond string. */
export function nanos(ms: number): string {
  return `${ms}000000`;
}

/** attr builds a string attribute. */
export function attr(key: string, value: string): JsonAttr {
  return { key, value: { stringValue: value } };
}

function kv(w: PbWriter, field: number, a: JsonAttr): void {
  w.messageField(field, (m) => {
    m.stringField(1, a.key);
    m.messageField(2, (v) => {
      const x = a.value;
      if (x.stringValue !== undefined) v.stringField(1, x.stringValue);
      else if (x.boolValue !== undefined) v.uintField(2, x.boolValue ? 1 : 0);
      else if (x.intValue !== undefined) v.uintField(3, Number(x.intValue));
      else if (x.doubleValue !== undefined) v.doubleField(4, x.doubleValue);
      else if (x.bytesValue !== undefined) v.bytesField(7, Buffer.from(x.bytesValue, 'base64'));
    });
  });
}

function point(w: PbWriter, kind: 'number' | 'histogram' | 'exp' | 'summary', p: JsonPoint): void {
  const attrField = kind === 'histogram' ? 9 : kind === 'exp' ? 1 : 7;
  for (const a of p.attributes ?? []) kv(w, attrField, a);
  if (p.startTimeUnixNano !== undefined) fixed64le(w, 2, p.startTimeUnixNano);
  if (p.timeUnixNano !== undefined) fixed64le(w, 3, p.timeUnixNano);
  if (kind === 'number') {
    if (p.asDouble !== undefined) w.doubleField(4, p.asDouble);
    if (p.asInt !== undefined) fixed64le(w, 6, p.asInt);
    for (const e of p.exemplars ?? []) exemplar(w, 5, e);
    if (p.flags) w.uintField(8, p.flags);
    return;
  }
  if (p.count !== undefined) fixed64le(w, 4, p.count);
  if (p.sum !== undefined) w.doubleField(5, p.sum);
  if (kind === 'histogram') {
    if (p.bucketCounts) {
      const b = Buffer.alloc(8 * p.bucketCounts.length);
      p.bucketCounts.forEach((c, i) => b.writeBigUInt64LE(BigInt(c), 8 * i));
      w.bytesField(6, b);
    }
    if (p.explicitBounds) {
      const b = Buffer.alloc(8 * p.explicitBounds.length);
      p.explicitBounds.forEach((c, i) => b.writeDoubleLE(c, 8 * i));
      w.bytesField(7, b);
    }
    for (const e of p.exemplars ?? []) exemplar(w, 8, e);
    if (p.flags) w.uintField(10, p.flags);
  } else if (kind === 'summary') {
    for (const q of p.quantileValues ?? []) w.messageField(6, (m) => m.doubleField(1, q.quantile).doubleField(2, q.value));
    if (p.flags) w.uintField(8, p.flags);
  } else {
    const zz = (n: number): number => (n >= 0 ? n * 2 : -n * 2 - 1);
    if (p.scale !== undefined) w.uintField(6, zz(p.scale));
    if (p.zeroCount !== undefined) fixed64le(w, 7, p.zeroCount);
    const buckets = (f: number, b: { offset?: number; bucketCounts: string[] } | undefined): void => {
      if (b === undefined) return;
      w.messageField(f, (m) => {
        if (b.offset) m.uintField(1, zz(b.offset));
        const c = new PbWriter();
        for (const x of b.bucketCounts) c.varint(Number(x));
        m.bytesField(2, c.finish());
      });
    };
    buckets(8, p.positive);
    buckets(9, p.negative);
    if (p.flags) w.uintField(10, p.flags);
    for (const e of p.exemplars ?? []) exemplar(w, 11, e);
    if (p.zeroThreshold !== undefined) w.doubleField(14, p.zeroThreshold);
  }
}

const bits = new DataView(new ArrayBuffer(8));

/** fixed64le writes a fixed64 field: the 8 little-endian bytes reinterpreted as the double PbWriter writes (exact for values below 2^63). */
function fixed64le(w: PbWriter, field: number, decimal: string): void {
  bits.setBigUint64(0, BigInt.asUintN(64, BigInt(decimal)), true);
  w.doubleField(field, bits.getFloat64(0, true));
}

function exemplar(w: PbWriter, field: number, e: NonNullable<JsonPoint['exemplars']>[number]): void {
  w.messageField(field, (m) => {
    for (const a of e.filteredAttributes ?? []) kv(m, 7, a);
    if (e.timeUnixNano !== undefined) fixed64le(m, 2, e.timeUnixNano);
    if (e.asDouble !== undefined) m.doubleField(3, e.asDouble);
    if (e.spanId) m.bytesField(4, Buffer.from(e.spanId, 'hex'));
    if (e.traceId) m.bytesField(5, Buffer.from(e.traceId, 'hex'));
  });
}

/** encodeProtobuf encodes an OTLP/JSON request as the protobuf ExportMetricsServiceRequest. */
export function encodeProtobuf(req: JsonRequest): Uint8Array {
  const w = new PbWriter();
  for (const rm of req.resourceMetrics) {
    w.messageField(1, (r) => {
      if (rm.resource) r.messageField(1, (res) => rm.resource!.attributes.forEach((a) => kv(res, 1, a)));
      for (const sm of rm.scopeMetrics) {
        r.messageField(2, (s) => {
          if (sm.scope) {
            s.messageField(1, (sc) => {
              if (sm.scope!.name) sc.stringField(1, sm.scope!.name);
              if (sm.scope!.version) sc.stringField(2, sm.scope!.version);
              for (const a of sm.scope!.attributes ?? []) kv(sc, 3, a);
            });
          }
          for (const m of sm.metrics) s.messageField(2, (mm) => metric(mm, m));
          if (sm.schemaUrl) s.stringField(3, sm.schemaUrl);
        });
      }
    });
  }
  return w.finish();
}

function metric(w: PbWriter, m: JsonMetric): void {
  w.stringField(1, m.name);
  if (m.description) w.stringField(2, m.description);
  if (m.unit) w.stringField(3, m.unit);
  if (m.gauge) w.messageField(5, (g) => m.gauge!.dataPoints.forEach((p) => g.messageField(1, (pp) => point(pp, 'number', p))));
  if (m.sum) {
    w.messageField(7, (g) => {
      m.sum!.dataPoints.forEach((p) => g.messageField(1, (pp) => point(pp, 'number', p)));
      g.uintField(2, m.sum!.aggregationTemporality);
      if (m.sum!.isMonotonic) g.uintField(3, 1);
    });
  }
  if (m.histogram) {
    w.messageField(9, (g) => {
      m.histogram!.dataPoints.forEach((p) => g.messageField(1, (pp) => point(pp, 'histogram', p)));
      g.uintField(2, m.histogram!.aggregationTemporality);
    });
  }
  if (m.exponentialHistogram) {
    w.messageField(10, (g) => {
      m.exponentialHistogram!.dataPoints.forEach((p) => g.messageField(1, (pp) => point(pp, 'exp', p)));
      g.uintField(2, m.exponentialHistogram!.aggregationTemporality);
    });
  }
  if (m.summary) w.messageField(11, (g) => m.summary!.dataPoints.forEach((p) => g.messageField(1, (pp) => point(pp, 'summary', p))));
}

