import protobuf from 'protobufjs';
import { compressSync } from 'snappy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedFetch, startTestAmphora } from './helpers.js';

/**
 * The Remote-Write 2.0 wire contract (io.prometheus.write.v2), restated from the published
 * specification's message definitions, and encoded by a general-purpose protobuf library, so
 * the hand-written decoder is checked against an independent encoder.
 */
const SCHEMA = `
syntax = "proto3";
package io.prometheus.write.v2;
message Request { repeated string symbols = 4; repeated TimeSeries timeseries = 5; }
message TimeSeries {
  repeated uint32 labels_refs = 1;
  repeated Sample samples = 2;
  repeated Exemplar exemplars = 4;
  Metadata metadata = 5;
  int64 created_timestamp = 6;
}
message Exemplar { repeated uint32 labels_refs = 1; double value = 2; int64 timestamp = 3; }
message Sample { double value = 1; int64 timestamp = 2; }
message Metadata { MetricType type = 1; uint32 help_ref = 3; uint32 unit_ref = 4;
  enum MetricType { METRIC_TYPE_UNSPECIFIED = 0; METRIC_TYPE_COUNTER = 1; METRIC_TYPE_GAUGE = 2; METRIC_TYPE_HISTOGRAM = 3;
    METRIC_TYPE_GAUGEHISTOGRAM = 4; METRIC_TYPE_SUMMARY = 5; METRIC_TYPE_INFO = 6; METRIC_TYPE_STATESET = 7; } }
`;
const Request = protobuf.parse(SCHEMA).root.lookupType('io.prometheus.write.v2.Request');
const V2 = 'application/x-protobuf;proto=io.prometheus.write.v2.Request';

describe('remote write 2.0 round trip (the real server, SigV4)', () => {
  let amphora: Awaited<ReturnType<typeof startTestAmphora>>;
  let ws = '';
  beforeAll(async () => {
    amphora = await startTestAmphora();
    ws = amphora.controlPlane.workspaces.create({ alias: 'v2' }).workspaceId;
    await new Promise((r) => setTimeout(r, 1100));
  });
  afterAll(async () => amphora.stop());

  const signed = (method: string, path: string, body?: Uint8Array, headers: Record<string, string> = {}): Promise<Response> => signedFetch(amphora.address, method, path, body, headers);

  it('stores samples, exemplars and metadata and reports what it wrote', async () => {
    const t = Date.now() - 60_000;
    // Symbols deliberately out of alphabetical order: refs, not positions, carry meaning.
    const symbols = ['', 'job', '__name__', 'rw2_requests_total', 'api', 'trace_id', 'abc123', 'Requests served.', 'code', '200', '500'];
    const req = Request.create({
      symbols,
      timeseries: [
        {
          labelsRefs: [2, 3, 8, 9, 1, 4],
          samples: [{ value: 1, timestamp: t }, { value: 5, timestamp: t + 15_000 }],
          exemplars: [{ labelsRefs: [5, 6], value: 5, timestamp: t + 15_000 }],
          metadata: { type: 1, helpRef: 7, unitRef: 0 },
        },
        { labelsRefs: [2, 3, 8, 10, 1, 4], samples: [{ value: 2, timestamp: t }], metadata: { type: 1, helpRef: 7, unitRef: 0 } },
      ],
    });
    const body = compressSync(Buffer.from(Request.encode(req).finish()));
    const r = await signed('POST', `/workspaces/${ws}/api/v1/remote_write`, body, { 'content-type': V2, 'content-encoding': 'snappy', 'x-prometheus-remote-write-version': '2.0.0' });
    expect(r.status, await r.text()).toBe(204);
    expect(r.headers.get('x-prometheus-remote-write-samples-written')).toBe('3');
    expect(r.headers.get('x-prometheus-remote-write-exemplars-written')).toBe('1');
    expect(r.headers.get('x-prometheus-remote-write-histograms-written')).toBe('0');

    const q = await (await signed('GET', `/workspaces/${ws}/api/v1/query?${new URLSearchParams({ query: 'rw2_requests_total', time: String((t + 15_000) / 1000) })}`)).json();
    const result = (q as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } }).data.result;
    expect(result.map((s) => [s.metric.code, s.value[1]]).sort()).toEqual([['200', '5'], ['500', '2']]);
    const md = (await (await signed('GET', `/workspaces/${ws}/api/v1/metadata?metric=rw2_requests_total`)).json()) as { data: Record<string, unknown> };
    expect(md.data).toEqual({ rw2_requests_total: [{ type: 'counter', help: 'Requests served.', unit: '' }] });
    const ex = (await (await signed('GET', `/workspaces/${ws}/api/v1/query_exemplars?${new URLSearchParams({ query: 'rw2_requests_total', start: String(t / 1000 - 1), end: String(t / 1000 + 60) })}`)).json()) as {
      data: { exemplars: { labels: Record<string, string>; value: string }[] }[];
    };
    expect(ex.data[0]!.exemplars[0]).toMatchObject({ labels: { trace_id: 'abc123' }, value: '5' });
  });

  it('answers 415 for an unsupported content type and 400 for a bad symbol reference', async () => {
    const bad = await signed('POST', `/workspaces/${ws}/api/v1/remote_write`, compressSync(Buffer.from('x')), { 'content-type': 'application/x-protobuf;proto=io.prometheus.write.v9.Request', 'content-encoding': 'snappy' });
    expect(bad.status).toBe(415);
    const req = Request.create({ symbols: ['', '__name__', 'x'], timeseries: [{ labelsRefs: [1, 7], samples: [{ value: 1, timestamp: Date.now() }] }] });
    const r = await signed('POST', `/workspaces/${ws}/api/v1/remote_write`, compressSync(Buffer.from(Request.encode(req).finish())), { 'content-type': V2, 'content-encoding': 'snappy' });
    expect(r.status).toBe(400);
    expect(await r.text()).toMatch(/symbol/i);
  });
});
