import { createServer, type Server } from 'node:http';
import protobuf from 'protobufjs';

/**
 * The Prometheus protobuf exposition format (io.prometheus.client, delimited MetricFamily messages), restated
 * from its published message definitions: only what a native histogram needs.
 */
const SCHEMA = `
syntax = "proto2";
package io.prometheus.client;
message LabelPair { optional string name = 1; optional string value = 2; }
enum MetricType { COUNTER = 0; GAUGE = 1; SUMMARY = 2; UNTYPED = 3; HISTOGRAM = 4; GAUGE_HISTOGRAM = 5; }
message BucketSpan { optional sint32 offset = 1; optional uint32 length = 2; }
message Histogram {
  optional uint64 sample_count = 1; optional double sample_sum = 2;
  optional sint32 schema = 5; optional double zero_threshold = 6; optional uint64 zero_count = 7;
  repeated BucketSpan negative_span = 9; repeated sint64 negative_delta = 10;
  repeated BucketSpan positive_span = 12; repeated sint64 positive_delta = 13;
}
message Metric { repeated LabelPair label = 1; optional Histogram histogram = 7; }
message MetricFamily { optional string name = 1; optional string help = 2; optional MetricType type = 3; repeated Metric metric = 4; }
`;
const MetricFamily = protobuf.parse(SCHEMA).root.lookupType('io.prometheus.client.MetricFamily');

/** PROTOBUF_EXPOSITION is the content type of the delimited protobuf exposition format. */
export const PROTOBUF_EXPOSITION = 'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited';

/** SCHEMA_USED is the native histogram schema the fixture observes into (bucket boundaries 2^(k/8)). */
const SCHEMA_USED = 3;

/** NativeHistogramState accumulates observations into sparse exponential buckets, as a client library does. */
class NativeHistogramState {
  count = 0;
  sum = 0;
  zero = 0;
  readonly pos = new Map<number, number>();
  readonly neg = new Map<number, number>();

  observe(v: number): void {
    this.count++;
    this.sum += v;
    if (Math.abs(v) <= 1e-128) {
      this.zero++;
      return;
    }
    const idx = Math.ceil(Math.log2(Math.abs(v)) * 2 ** SCHEMA_USED);
    const m = v > 0 ? this.pos : this.neg;
    m.set(idx, (m.get(idx) ?? 0) + 1);
  }

  /** layout turns one side's buckets into spans (a new span after a gap of more than 2) and deltas. */
  static layout(m: Map<number, number>): { spans: { offset: number; length: number }[]; deltas: number[] } {
    const idx = [...m.keys()].sort((a, b) => a - b);
    const spans: { offset: number; length: number }[] = [];
    const deltas: number[] = [];
    let prevIdx = 0;
    let prevCount = 0;
    for (const i of idx) {
      if (spans.length === 0) spans.push({ offset: i, length: 0 });
      else if (i - prevIdx - 1 > 2) spans.push({ offset: i - prevIdx - 1, length: 0 });
      else
        for (let k = prevIdx + 1; k < i; k++) {
          spans[spans.length - 1]!.length++;
          deltas.push(-prevCount);
          prevCount = 0;
        }
      spans[spans.length - 1]!.length++;
      const c = m.get(i)!;
      deltas.push(c - prevCount);
      prevCount = c;
      prevIdx = i;
    }
    return { spans, deltas };
  }
}

/** startHistogramExporter serves one native histogram `name` in the protobuf exposition; every scrape observes `perScrape` new values first. */
export async function startHistogramExporter(name: string, perScrape = 7): Promise<{ url: string; server: Server; scrapes: () => number }> {
  const h = new NativeHistogramState();
  let scrapes = 0;
  const server = createServer((req, res) => {
    scrapes++;
    for (let i = 0; i < perScrape; i++) {
      // Deterministic values spread over several orders of magnitude, some negative, some zero.
      const k = scrapes * perScrape + i;
      h.observe(k % 13 === 0 ? 0 : (k % 5 === 0 ? -1 : 1) * 0.001 * 1.7 ** (k % 17));
    }
    const p = NativeHistogramState.layout(h.pos);
    const n = NativeHistogramState.layout(h.neg);
    const msg = MetricFamily.create({
      name,
      help: 'A native histogram served by the fixture exporter.',
      type: 4,
      metric: [
        {
          label: [{ name: 'fixture', value: 'native' }],
          histogram: {
            sampleCount: h.count,
            sampleSum: h.sum,
            schema: SCHEMA_USED,
            zeroThreshold: 1e-128,
            zeroCount: h.zero,
            positiveSpan: p.spans,
            positiveDelta: p.deltas,
            negativeSpan: n.spans,
            negativeDelta: n.deltas,
          },
        },
      ],
    });
    const body = Buffer.from(MetricFamily.encodeDelimited(msg).finish());
    if (!(req.headers.accept ?? '').includes('application/vnd.google.protobuf')) {
      res.writeHead(406, { 'content-type': 'text/plain' });
      res.end('this fixture serves the protobuf exposition format only\n');
      return;
    }
    res.writeHead(200, { 'content-type': PROTOBUF_EXPOSITION });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `127.0.0.1:${(server.address() as { port: number }).port}`, server, scrapes: () => scrapes };
}
