// Native histogram fixtures for the interop tests: deterministic series of integer, float and
// gauge histograms, and their protobuf exposition (io.prometheus.client, delimited), encoded by
// protobufjs from the published message definitions.

import protobuf from 'protobufjs';
import { CounterResetHint, type FloatHistogram, type Histogram, type Span } from '../../src/model/histogram/types.js';

/** SCRAPE_CONTENT_TYPE is the protobuf exposition content type Prometheus negotiates for native histograms. */
export const SCRAPE_CONTENT_TYPE = 'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited';

const SCHEMA = `
syntax = "proto3";
package io.prometheus.client;
message LabelPair { string name = 1; string value = 2; }
enum MetricType { COUNTER = 0; GAUGE = 1; SUMMARY = 2; UNTYPED = 3; HISTOGRAM = 4; GAUGE_HISTOGRAM = 5; }
message BucketSpan { sint32 offset = 1; uint32 length = 2; }
message Histogram {
  uint64 sample_count = 1; double sample_count_float = 4; double sample_sum = 2;
  sint32 schema = 5; double zero_threshold = 6; uint64 zero_count = 7; double zero_count_float = 8;
  repeated BucketSpan negative_span = 9; repeated sint64 negative_delta = 10; repeated double negative_count = 11;
  repeated BucketSpan positive_span = 12; repeated sint64 positive_delta = 13; repeated double positive_count = 14;
}
message Metric { repeated LabelPair label = 1; Histogram histogram = 7; int64 timestamp_ms = 6; }
message MetricFamily { string name = 1; string help = 2; MetricType type = 3; repeated Metric metric = 4; }
`;
const MetricFamily = protobuf.parse(SCHEMA).root.lookupType('io.prometheus.client.MetricFamily');

/** FixtureSample is one sample of a fixture series: integer (h) or float (fh). */
export interface FixtureSample {
  t: number;
  h?: Histogram;
  fh?: FloatHistogram;
}

/** FixtureSeries is one fixture series: metric name, kind and samples. */
export interface FixtureSeries {
  name: string;
  gauge: boolean;
  samples: FixtureSample[];
}

/** layout turns absolute counts of consecutive bucket indexes starting at `first` (0 = no bucket) into spans and deltas. */
function layout(first: number, counts: readonly number[]): { spans: Span[]; deltas: number[]; abs: number[] } {
  const spans: Span[] = [];
  const deltas: number[] = [];
  const abs: number[] = [];
  let prevIdx = 0;
  let prevCount = 0;
  let open = false;
  counts.forEach((c, i) => {
    const idx = first + i;
    if (c === 0) {
      open = false;
      return;
    }
    if (open) spans[spans.length - 1]!.length++;
    else spans.push({ offset: spans.length === 0 ? idx : idx - prevIdx - 1, length: 1 });
    open = true;
    prevIdx = idx;
    deltas.push(c - prevCount);
    abs.push(c);
    prevCount = c;
  });
  return { spans, deltas, abs };
}

function intHist(hint: number, schema: number, zt: number, zc: number, sum: number, pFirst: number, p: number[], nFirst: number, n: number[]): Histogram {
  const pl = layout(pFirst, p);
  const nl = layout(nFirst, n);
  const count = zc + pl.abs.reduce((a, b) => a + b, 0) + nl.abs.reduce((a, b) => a + b, 0);
  return {
    counterResetHint: hint as Histogram['counterResetHint'],
    schema,
    zeroThreshold: zt,
    zeroCount: zc,
    count,
    sum,
    positiveSpans: pl.spans,
    negativeSpans: nl.spans,
    positiveBuckets: pl.deltas,
    negativeBuckets: nl.deltas,
  };
}

/** fixtureSeries builds the fixture: n samples per series from t0, one a minute with a few ms of jitter. */
export function fixtureSeries(t0: number, n: number): FixtureSeries[] {
  const ts = (k: number): number => t0 + k * 60_000 + (k % 7) * 3;
  const a: FixtureSample[] = [];
  const b: FixtureSample[] = [];
  const c: FixtureSample[] = [];
  const d: FixtureSample[] = [];
  for (let k = 0; k < n; k++) {
    // a: schema 0; buckets appear (recoding the chunk) at k=1, 30 and 60; a counter reset at k=100.
    const r = k >= 100 ? k - 100 : k;
    const pa = [r + 1, 2 * r, 0, r * 3 + 1];
    const pFirst = k >= 60 ? -2 : 0;
    const counts = (k >= 60 ? [Math.max(r - 59, 0), 0] : []).concat(pa, k >= 30 ? [0, r, r + 7] : []);
    a.push({ t: ts(k), h: intHist(CounterResetHint.Unknown, 0, 2 ** -128, r, r * 1.25 + 0.1, pFirst, counts, 0, []) });
    // b: schema 3, positive and negative buckets, large irregular counts, a 9-byte zero threshold.
    const big = k * 100_003 + (k % 5) * 77_777_777;
    b.push({
      t: ts(k),
      h: intHist(CounterResetHint.Unknown, 3, 0.001, k * 2, Math.sin(k) * 1e6 + big, -5, [big + 1, k + 1, 7 * k + 1], 3, [k + 1, 2 * k + 1]),
    });
    // c: float histogram, schema -1, fractional counts.
    const cp = [0.5 + k * 0.25, 1 + k / 3, 2.75 * k + 1];
    const czc = k * 0.125;
    c.push({
      t: ts(k),
      fh: {
        counterResetHint: CounterResetHint.Unknown,
        schema: -1,
        zeroThreshold: 2 ** -128,
        zeroCount: czc,
        count: czc + cp.reduce((x, y) => x + y, 0),
        sum: k * 3.3,
        positiveSpans: [{ offset: 1, length: 3 }],
        negativeSpans: [],
        positiveBuckets: cp,
        negativeBuckets: [],
      },
    });
    // d: a gauge histogram whose counts go up and down.
    const g = [3 + (k % 4), 5 - (k % 5) + 1, (k % 3) + 1];
    d.push({ t: ts(k), h: intHist(CounterResetHint.Gauge, 1, 2 ** -128, k % 6, 42 - k * 0.5, 2, g, 0, []) });
  }
  return [
    { name: 'golden_hist_a', gauge: false, samples: a },
    { name: 'golden_hist_b', gauge: false, samples: b },
    { name: 'golden_hist_c', gauge: false, samples: c },
    { name: 'golden_hist_d', gauge: true, samples: d },
  ];
}

function protoHistogram(s: FixtureSample): Record<string, unknown> {
  if (s.fh !== undefined) {
    const f = s.fh;
    return {
      sampleCountFloat: f.count,
      sampleSum: f.sum,
      schema: f.schema,
      zeroThreshold: f.zeroThreshold,
      zeroCountFloat: f.zeroCount,
      positiveSpan: f.positiveSpans,
      positiveCount: f.positiveBuckets,
      negativeSpan: f.negativeSpans,
      negativeCount: f.negativeBuckets,
    };
  }
  const h = s.h!;
  return {
    sampleCount: h.count,
    sampleSum: h.sum,
    schema: h.schema,
    zeroThreshold: h.zeroThreshold,
    zeroCount: h.zeroCount,
    positiveSpan: h.positiveSpans,
    positiveDelta: h.positiveBuckets,
    negativeSpan: h.negativeSpans,
    negativeDelta: h.negativeBuckets,
  };
}

/** exposition encodes samples [from, to) of every series as delimited protobuf MetricFamily messages. */
export function exposition(series: readonly FixtureSeries[], from: number, to: number): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const s of series) {
    const metric = s.samples.slice(from, to).map((x) => ({ label: [{ name: 'fixture', value: 'golden' }], histogram: protoHistogram(x), timestampMs: x.t }));
    if (metric.length === 0) continue;
    const msg = MetricFamily.create({ name: s.name, help: 'Golden native histogram fixture.', type: s.gauge ? 5 : 4, metric });
    parts.push(MetricFamily.encodeDelimited(msg).finish());
  }
  return Buffer.concat(parts);
}
