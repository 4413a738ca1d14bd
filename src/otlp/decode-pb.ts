// Decodes an opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest by hand with
// the remote-write PbReader (field numbers from opentelemetry-proto's metrics.proto, common.proto
// and resource.proto). Unknown fields are skipped; a truncated or malformed body throws DecodeError.
import { DecodeError, PbReader, WIRE_I64, WIRE_LEN } from '../remote/pb.js';
import { decodeUtf8 } from '../remote/validate.js';
import { anyAsString, type AnyRaw } from './any-value.js';
import { emptyExpHistogramPoint, nanosToMs, type Attr, type Exemplar, type ExpBuckets, type ExpHistogramPoint, type HistogramPoint, type Metric, type MetricData, type MetricsRequest, type NumberPoint, type PointBase, type ResourceMetrics, type ScopeMetrics, type SummaryPoint } from './model.js';

const TWO32 = 4294967296;
const lossy = new TextDecoder('utf-8');

function key(field: number, wire: number): number {
  return field * 8 + wire;
}

/** decodeMetricsRequest decodes a protobuf ExportMetricsServiceRequest. */
export function decodeMetricsRequest(buf: Uint8Array): MetricsRequest {
  const r = new PbReader(buf);
  const out: MetricsRequest = { resourceMetrics: [] };
  const end = buf.length;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === key(1, WIRE_LEN)) out.resourceMetrics.push(resourceMetrics(r, r.lenEnd(end)));
    else skip(r, tag, end);
  }
  return out;
}

function skip(r: PbReader, tag: number, end: number): void {
  if (tag >>> 3 === 0) throw new DecodeError('invalid protobuf field number 0');
  r.skip(tag & 7, end);
}

function str(r: PbReader, end: number, strict: boolean): string {
  const e = r.lenEnd(end);
  const s = strict ? decodeUtf8(r.buf, r.pos, e) : lossy.decode(r.buf.subarray(r.pos, e));
  r.pos = e;
  return s;
}

function bytes(r: PbReader, end: number): Uint8Array {
  const e = r.lenEnd(end);
  const b = r.buf.subarray(r.pos, e);
  r.pos = e;
  return b;
}

function fixed64Ms(r: PbReader): number {
  if (r.pos + 8 > r.buf.length) throw new DecodeError('unexpected end of protobuf data in fixed64');
  const lo = r.view.getUint32(r.pos, true);
  const hi = r.view.getUint32(r.pos + 4, true);
  r.pos += 8;
  return nanosToMs(lo, hi);
}

function fixed64(r: PbReader): number {
  if (r.pos + 8 > r.buf.length) throw new DecodeError('unexpected end of protobuf data in fixed64');
  const v = r.view.getUint32(r.pos + 4, true) * TWO32 + r.view.getUint32(r.pos, true);
  r.pos += 8;
  return v;
}

function sfixed64(r: PbReader): number {
  if (r.pos + 8 > r.buf.length) throw new DecodeError('unexpected end of protobuf data in sfixed64');
  const v = r.view.getInt32(r.pos + 4, true) * TWO32 + r.view.getUint32(r.pos, true);
  r.pos += 8;
  return v;
}

function resourceMetrics(r: PbReader, end: number): ResourceMetrics {
  const rm: ResourceMetrics = { attributes: [], scopes: [] };
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === key(1, WIRE_LEN)) {
      const e = r.lenEnd(end);
      while (r.pos < e) {
        const t = r.uint32();
        if (t === key(1, WIRE_LEN)) rm.attributes.push(keyValue(r, r.lenEnd(e)));
        else skip(r, t, e);
      }
    } else if (tag === key(2, WIRE_LEN)) rm.scopes.push(scopeMetrics(r, r.lenEnd(end)));
    else skip(r, tag, end);
  }
  return rm;
}

function scopeMetrics(r: PbReader, end: number): ScopeMetrics {
  const sm: ScopeMetrics = { name: '', version: '', schemaUrl: '', attributes: [], metrics: [] };
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === key(1, WIRE_LEN)) {
      const e = r.lenEnd(end);
      while (r.pos < e) {
        const t = r.uint32();
        if (t === key(1, WIRE_LEN)) sm.name = str(r, e, true);
        else if (t === key(2, WIRE_LEN)) sm.version = str(r, e, true);
        else if (t === key(3, WIRE_LEN)) sm.attributes.push(keyValue(r, r.lenEnd(e)));
        else skip(r, t, e);
      }
    } else if (tag === key(2, WIRE_LEN)) sm.metrics.push(metric(r, r.lenEnd(end)));
    else if (tag === key(3, WIRE_LEN)) sm.schemaUrl = str(r, end, true);
    else skip(r, tag, end);
  }
  return sm;
}

function keyValue(r: PbReader, end: number): Attr {
  const [k, v] = rawKeyValue(r, end, false);
  return { key: k, value: anyAsString(v) };
}

/** rawKeyValue reads one KeyValue message (attributes and kvlist entries); strictKey refuses a key that is not valid UTF-8. */
function rawKeyValue(r: PbReader, end: number, strictKey: boolean): [string, AnyRaw] {
  let k = '';
  let v: AnyRaw = null;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === key(1, WIRE_LEN)) k = str(r, end, strictKey);
    else if (tag === key(2, WIRE_LEN)) v = anyValue(r, r.lenEnd(end));
    else skip(r, tag, end);
  }
  return [k, v];
}

function anyValue(r: PbReader, end: number): AnyRaw {
  let v: AnyRaw = null;
  while (r.pos < end) {
    const tag = r.uint32();
    switch (tag) {
      case key(1, WIRE_LEN):
        v = str(r, end, true);
        break;
      case key(2, 0):
        v = r.int64() !== 0;
        break;
      case key(3, 0):
        v = { int: String(r.int64()) };
        break;
      case key(4, WIRE_I64):
        v = r.double();
        break;
      case key(5, WIRE_LEN): {
        const e = r.lenEnd(end);
        const arr: AnyRaw[] = [];
        while (r.pos < e) {
          const t = r.uint32();
          if (t === key(1, WIRE_LEN)) arr.push(anyValue(r, r.lenEnd(e)));
          else skip(r, t, e);
        }
        v = arr;
        break;
      }
      case key(6, WIRE_LEN): {
        const e = r.lenEnd(end);
        const kv: [string, AnyRaw][] = [];
        while (r.pos < e) {
          const t = r.uint32();
          if (t === key(1, WIRE_LEN)) kv.push(rawKeyValue(r, r.lenEnd(e), true));
          else skip(r, t, e);
        }
        v = { kv };
        break;
      }
      case key(7, WIRE_LEN):
        v = bytes(r, end);
        break;
      default:
        skip(r, tag, end);
    }
  }
  return v;
}

function metric(r: PbReader, end: number): Metric {
  const m: Metric = { name: '', description: '', unit: '', data: { kind: 'none' } };
  while (r.pos < end) {
    const tag = r.uint32();
    switch (tag) {
      case key(1, WIRE_LEN):
        m.name = str(r, end, false);
        break;
      case key(2, WIRE_LEN):
        m.description = str(r, end, false);
        break;
      case key(3, WIRE_LEN):
        m.unit = str(r, end, false);
        break;
      case key(5, WIRE_LEN):
        m.data = numberData(r, r.lenEnd(end), 'gauge');
        break;
      case key(7, WIRE_LEN):
        m.data = numberData(r, r.lenEnd(end), 'sum');
        break;
      case key(9, WIRE_LEN):
        m.data = histogramData(r, r.lenEnd(end));
        break;
      case key(10, WIRE_LEN):
        m.data = expHistogramData(r, r.lenEnd(end));
        break;
      case key(11, WIRE_LEN):
        m.data = summaryData(r, r.lenEnd(end));
        break;
      default:
        skip(r, tag, end);
    }
  }
  return m;
}

function numberData(r: PbReader, end: number, kind: 'gauge' | 'sum'): MetricData {
  const points: NumberPoint[] = [];
  let temporality = 0;
  let monotonic = false;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === key(1, WIRE_LEN)) points.push(numberPoint(r, r.lenEnd(end)));
    else if (tag === key(2, 0)) temporality = r.uint32();
    else if (tag === key(3, 0)) monotonic = r.int64() !== 0;
    else skip(r, tag, end);
  }
  return kind === 'gauge' ? { kind, points } : { kind, points, temporality, monotonic };
}

/** pointCommon reads the fields every point shares (start 2, time 3) and the kind-specific attributes and flags fields; false when the tag is none of them. */
function pointCommon(r: PbReader, tag: number, end: number, p: PointBase, attrField: number, flagsField: number): boolean {
  if (tag === key(2, WIRE_I64)) p.startMs = fixed64Ms(r);
  else if (tag === key(3, WIRE_I64)) p.timeMs = fixed64Ms(r);
  else if (tag === key(attrField, WIRE_LEN)) p.attributes.push(keyValue(r, r.lenEnd(end)));
  else if (tag === key(flagsField, 0)) p.flags = r.uint32();
  else return false;
  return true;
}

function numberPoint(r: PbReader, end: number): NumberPoint {
  const p: NumberPoint = { attributes: [], startMs: 0, timeMs: NaN, flags: 0, value: 0, exemplars: [] };
  while (r.pos < end) {
    const tag = r.uint32();
    if (pointCommon(r, tag, end, p, 7, 8)) continue;
    if (tag === key(4, WIRE_I64)) p.value = r.double();
    else if (tag === key(6, WIRE_I64)) p.value = sfixed64(r);
    else if (tag === key(5, WIRE_LEN)) p.exemplars.push(exemplar(r, r.lenEnd(end)));
    else skip(r, tag, end);
  }
  return p;
}

function histogramData(r: PbReader, end: number): MetricData {
  const points: HistogramPoint[] = [];
  let temporality = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === key(1, WIRE_LEN)) points.push(histogramPoint(r, r.lenEnd(end)));
    else if (tag === key(2, 0)) temporality = r.uint32();
    else skip(r, tag, end);
  }
  return { kind: 'histogram', points, temporality };
}

function histogramPoint(r: PbReader, end: number): HistogramPoint {
  const p: HistogramPoint = { attributes: [], startMs: 0, timeMs: NaN, flags: 0, count: 0, sum: 0, hasSum: false, bounds: [], bucketCounts: [], exemplars: [] };
  while (r.pos < end) {
    const tag = r.uint32();
    if (pointCommon(r, tag, end, p, 9, 10)) continue;
    if (tag === key(4, WIRE_I64)) p.count = fixed64(r);
    else if (tag === key(5, WIRE_I64)) {
      p.sum = r.double();
      p.hasSum = true;
    } else if (tag === key(6, WIRE_LEN)) {
      const e = r.lenEnd(end);
      if ((e - r.pos) % 8 !== 0) throw new DecodeError('packed bucket_counts is not a multiple of 8 bytes');
      while (r.pos < e) p.bucketCounts.push(fixed64(r));
    } else if (tag === key(6, WIRE_I64)) p.bucketCounts.push(fixed64(r));
    else if (tag === key(7, WIRE_LEN)) {
      const e = r.lenEnd(end);
      if ((e - r.pos) % 8 !== 0) throw new DecodeError('packed explicit_bounds is not a multiple of 8 bytes');
      while (r.pos < e) p.bounds.push(r.double());
    } else if (tag === key(7, WIRE_I64)) p.bounds.push(r.double());
    else if (tag === key(8, WIRE_LEN)) p.exemplars.push(exemplar(r, r.lenEnd(end)));
    else skip(r, tag, end);
  }
  return p;
}

function expHistogramData(r: PbReader, end: number): MetricData {
  const points: ExpHistogramPoint[] = [];
  let temporality = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === key(1, WIRE_LEN)) points.push(expHistogramPoint(r, r.lenEnd(end)));
    else if (tag === key(2, 0)) temporality = r.uint32();
    else skip(r, tag, end);
  }
  return { kind: 'exponentialHistogram', points, temporality };
}

function expHistogramPoint(r: PbReader, end: number): ExpHistogramPoint {
  const p = emptyExpHistogramPoint();
  while (r.pos < end) {
    const tag = r.uint32();
    if (pointCommon(r, tag, end, p, 1, 10)) continue;
    if (tag === key(4, WIRE_I64)) p.count = fixed64(r);
    else if (tag === key(5, WIRE_I64)) {
      p.sum = r.double();
      p.hasSum = true;
    } else if (tag === key(6, 0)) p.scale = unzigzag(r.uint32());
    else if (tag === key(7, WIRE_I64)) p.zeroCount = fixed64(r);
    else if (tag === key(8, WIRE_LEN)) p.positive = expBuckets(r, r.lenEnd(end));
    else if (tag === key(9, WIRE_LEN)) p.negative = expBuckets(r, r.lenEnd(end));
    else if (tag === key(11, WIRE_LEN)) p.exemplars.push(exemplar(r, r.lenEnd(end)));
    else if (tag === key(14, WIRE_I64)) p.zeroThreshold = r.double();
    else skip(r, tag, end);
  }
  return p;
}

function unzigzag(u: number): number {
  return (u >>> 1) ^ -(u & 1);
}

function expBuckets(r: PbReader, end: number): ExpBuckets {
  const b: ExpBuckets = { offset: 0, counts: [] };
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === key(1, 0)) b.offset = unzigzag(r.uint32());
    else if (tag === key(2, WIRE_LEN)) {
      const e = r.lenEnd(end);
      while (r.pos < e) b.counts.push(r.int64());
    } else if (tag === key(2, 0)) b.counts.push(r.int64());
    else skip(r, tag, end);
  }
  return b;
}

function summaryData(r: PbReader, end: number): MetricData {
  const points: SummaryPoint[] = [];
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === key(1, WIRE_LEN)) points.push(summaryPoint(r, r.lenEnd(end)));
    else skip(r, tag, end);
  }
  return { kind: 'summary', points };
}

function summaryPoint(r: PbReader, end: number): SummaryPoint {
  const p: SummaryPoint = { attributes: [], startMs: 0, timeMs: NaN, flags: 0, count: 0, sum: 0, quantiles: [] };
  while (r.pos < end) {
    const tag = r.uint32();
    if (pointCommon(r, tag, end, p, 7, 8)) continue;
    if (tag === key(4, WIRE_I64)) p.count = fixed64(r);
    else if (tag === key(5, WIRE_I64)) p.sum = r.double();
    else if (tag === key(6, WIRE_LEN)) {
      const e = r.lenEnd(end);
      let quantile = 0;
      let value = 0;
      while (r.pos < e) {
        const t = r.uint32();
        if (t === key(1, WIRE_I64)) quantile = r.double();
        else if (t === key(2, WIRE_I64)) value = r.double();
        else skip(r, t, e);
      }
      p.quantiles.push({ quantile, value });
    } else skip(r, tag, end);
  }
  return p;
}

function exemplar(r: PbReader, end: number): Exemplar {
  const attributes: Attr[] = [];
  let timeMs = 0;
  let value = 0;
  let traceId = '';
  let spanId = '';
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === key(7, WIRE_LEN)) attributes.push(keyValue(r, r.lenEnd(end)));
    else if (tag === key(2, WIRE_I64)) timeMs = fixed64Ms(r);
    else if (tag === key(3, WIRE_I64)) value = r.double();
    else if (tag === key(6, WIRE_I64)) value = sfixed64(r);
    else if (tag === key(4, WIRE_LEN)) spanId = hex(bytes(r, end));
    else if (tag === key(5, WIRE_LEN)) traceId = hex(bytes(r, end));
    else skip(r, tag, end);
  }
  return { attributes, timeMs, value, traceId, spanId };
}

function hex(b: Uint8Array): string {
  for (const x of b) if (x !== 0) return Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex');
  return '';
}
