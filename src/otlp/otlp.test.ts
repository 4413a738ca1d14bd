import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { labelsToString } from '../model/labels.js';
import { nopLogger } from '../model/logger.js';
import { newMatcher } from '../model/matcher.js';
import { isStaleNaN } from '../model/sample.js';
import { PbReader } from '../remote/pb.js';
import { dumpSeries, newTestEnv, type TestEnv } from '../remote/test-env.js';
import { decodeMetricsRequestJson } from './decode-json.js';
import { decodeMetricsRequest } from './decode-pb.js';
import { OtlpHandler } from './handler.js';
import type { OtlpOptions } from './options.js';
import { attr, encodeProtobuf, nanos, type JsonRequest } from './test-support.js';

const WS = 'ws-otlp';
const NOW = Math.floor(Date.now() / 1000) * 1000;
let env: TestEnv;

beforeEach(() => {
  env = newTestEnv([WS, 'ws-json']);
});
afterEach(async () => {
  await env.close();
});

function handler(options: Partial<OtlpOptions> = {}): OtlpHandler {
  return new OtlpHandler({ remoteWrite: env.handler, workspaces: env.workspaces, logger: nopLogger, registry: env.registry, options });
}

async function post(req: JsonRequest | Uint8Array | string, o: { ws?: string; json?: boolean; gzip?: boolean; contentType?: string; options?: Partial<OtlpOptions> } = {}) {
  let body: Uint8Array = typeof req === 'string' ? Buffer.from(req) : req instanceof Uint8Array ? req : o.json ? Buffer.from(JSON.stringify(req)) : encodeProtobuf(req);
  if (o.gzip) body = gzipSync(body);
  return handler(o.options).handle({
    workspaceId: o.ws ?? WS,
    contentType: o.contentType ?? (o.json ? 'application/json' : 'application/x-protobuf'),
    contentEncoding: o.gzip ? 'gzip' : undefined,
    body,
  });
}

function dump(ws = WS): Promise<Record<string, [number, number][]>> {
  return dumpSeries(env.storage, ws);
}

/** partialOf decodes a protobuf ExportMetricsServiceResponse's partial_success. */
function partialOf(body: Uint8Array | string): { rejected: number; message: string } | null {
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  if (buf.length === 0) return null;
  const r = new PbReader(buf);
  let rejected = 0;
  let message = '';
  r.uint32();
  const e = r.lenEnd(buf.length);
  while (r.pos < e) {
    const t = r.uint32();
    if (t === 0x08) rejected = r.int64();
    else if (t === 0x12) {
      const se = r.lenEnd(e);
      message = Buffer.from(buf.subarray(r.pos, se)).toString();
      r.pos = se;
    } else r.skip(t & 7, e);
  }
  return { rejected, message };
}

const resource = { attributes: [attr('service.name', 'checkout'), attr('service.namespace', 'shop'), attr('service.instance.id', 'pod-1'), attr('deployment.environment', 'prod'), attr('host.name', 'h1')] };

function fullRequest(t = NOW): JsonRequest {
  return {
    resourceMetrics: [
      {
        resource,
        scopeMetrics: [
          {
            scope: { name: 'io.opentelemetry.test', version: '1.2.3' },
            metrics: [
              { name: 'queue.depth', unit: '{item}', description: 'items queued', gauge: { dataPoints: [{ attributes: [attr('queue', 'a')], timeUnixNano: nanos(t), asDouble: 4.5 }] } },
              {
                name: 'http.server.requests',
                unit: '{request}',
                sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: [{ attributes: [attr('http.method', 'GET')], startTimeUnixNano: nanos(t - 60_000), timeUnixNano: nanos(t), asInt: '42', exemplars: [{ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', timeUnixNano: nanos(t - 1000), asDouble: 1 }] }] },
              },
              { name: 'memory.used', unit: 'By', sum: { aggregationTemporality: 2, isMonotonic: false, dataPoints: [{ timeUnixNano: nanos(t), asInt: '1024' }] } },
              {
                name: 'http.server.duration',
                unit: 's',
                histogram: { aggregationTemporality: 2, dataPoints: [{ startTimeUnixNano: nanos(t - 60_000), timeUnixNano: nanos(t), count: '6', sum: 2.5, explicitBounds: [0.1, 1], bucketCounts: ['3', '2', '1'] }] },
              },
              { name: 'rpc.latency', unit: 'ms', summary: { dataPoints: [{ timeUnixNano: nanos(t), count: '10', sum: 55, quantileValues: [{ quantile: 0.5, value: 4 }, { quantile: 0.99, value: 9 }] }] } },
            ],
          },
        ],
      },
    ],
  };
}

describe('OTLP metrics translated as Prometheus 3 translates', () => {
  it('stores gauges, counters, histograms and summaries under Prometheus names with job, instance and target_info', async () => {
    const res = await post(fullRequest());
    expect(res.status).toBe(200);
    expect(partialOf(res.body)).toBeNull();
    const id = 'instance="pod-1", job="shop/checkout"';
    expect(await dump()).toEqual({
      [`http_server_duration_seconds_bucket{${id}, le="+Inf"}`]: [[NOW - 60_000, 0], [NOW, 6]],
      [`http_server_duration_seconds_bucket{${id}, le="0.1"}`]: [[NOW - 60_000, 0], [NOW, 3]],
      [`http_server_duration_seconds_bucket{${id}, le="1"}`]: [[NOW - 60_000, 0], [NOW, 5]],
      [`http_server_duration_seconds_count{${id}}`]: [[NOW - 60_000, 0], [NOW, 6]],
      [`http_server_duration_seconds_sum{${id}}`]: [[NOW - 60_000, 0], [NOW, 2.5]],
      [`http_server_requests_total{http_method="GET", ${id}}`]: [[NOW - 60_000, 0], [NOW, 42]],
      [`memory_used_bytes{${id}}`]: [[NOW, 1024]],
      [`queue_depth{${id}, queue="a"}`]: [[NOW, 4.5]],
      [`rpc_latency_milliseconds_count{${id}}`]: [[NOW, 10]],
      [`rpc_latency_milliseconds_sum{${id}}`]: [[NOW, 55]],
      [`rpc_latency_milliseconds{${id}, quantile="0.5"}`]: [[NOW, 4]],
      [`rpc_latency_milliseconds{${id}, quantile="0.99"}`]: [[NOW, 9]],
      [`target_info{deployment_environment="prod", host_name="h1", ${id}}`]: [[NOW, 1]],
    });
    const md = env.metadata.query(WS);
    expect(md.http_server_requests_total).toEqual([{ type: 'counter', help: '', unit: '' }]);
    expect(md.memory_used_bytes).toEqual([{ type: 'gauge', help: '', unit: 'bytes' }]);
    expect(md.http_server_duration_seconds).toEqual([{ type: 'histogram', help: '', unit: 'seconds' }]);
    expect(md.queue_depth).toEqual([{ type: 'gauge', help: 'items queued', unit: '' }]);
    expect(md.target_info).toEqual([{ type: 'gauge', help: 'Target metadata', unit: '' }]);
    const ex = await env.exemplars.query(WS, 0, Infinity, [[newMatcher('=', '__name__', 'http_server_requests_total')]]);
    expect(ex[0]!.exemplars).toEqual([{ labels: [{ name: 'span_id', value: 'b7ad6b7169203331' }, { name: 'trace_id', value: '0af7651916cd43dd8448eb211c80319c' }], value: 1, ts: NOW - 1000 }]);
  });

  it('decodes JSON and protobuf to the same request and stores the same series', async () => {
    const req = fullRequest();
    expect(decodeMetricsRequestJson(JSON.stringify(req))).toEqual(decodeMetricsRequest(encodeProtobuf(req)));
    expect((await post(req, { ws: 'ws-json', json: true, gzip: true })).status).toBe(200);
    expect((await post(req, { gzip: true })).status).toBe(200);
    expect(await dump('ws-json')).toEqual(await dump());
  });

  it('promotes configured resource attributes and scope metadata', async () => {
    const res = await post(fullRequest(), { options: { promoteResourceAttributes: ['deployment.environment'], promoteScopeMetadata: true } });
    expect(res.status).toBe(200);
    const names = Object.keys(await dump());
    expect(names).toContain('queue_depth{deployment_environment="prod", instance="pod-1", job="shop/checkout", otel_scope_name="io.opentelemetry.test", otel_scope_version="1.2.3", queue="a"}');
  });

  it('marks a point without a recorded value stale', async () => {
    const req: JsonRequest = { resourceMetrics: [{ resource, scopeMetrics: [{ metrics: [{ name: 'g', gauge: { dataPoints: [{ timeUnixNano: nanos(NOW), asDouble: 1, flags: 1 }] } }] }] }] };
    expect((await post(req)).status).toBe(200);
    const v = (await dump())['g{instance="pod-1", job="shop/checkout"}']![0]![1];
    expect(isStaleNaN(v)).toBe(true);
  });
});

describe('OTLP exponential histograms', () => {
  it.each([false, true])('stores them as native histograms with their exemplars (json: %s)', async (json) => {
    const req: JsonRequest = {
      resourceMetrics: [
        {
          resource,
          scopeMetrics: [
            {
              metrics: [
                {
                  name: 'rpc.duration',
                  unit: 's',
                  exponentialHistogram: {
                    aggregationTemporality: 2,
                    dataPoints: [
                      {
                        timeUnixNano: nanos(NOW),
                        count: '9',
                        sum: 3.5,
                        scale: 10,
                        zeroCount: '1',
                        positive: { offset: -2, bucketCounts: ['1', '2', '3', '0', '1'] },
                        negative: { bucketCounts: ['1'] },
                        exemplars: [{ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', timeUnixNano: nanos(NOW - 5), asDouble: 0.25 }],
                      },
                      { timeUnixNano: nanos(NOW + 1000), count: '0', scale: -5 },
                    ],
                  },
                },
              ],
            },
          ],
        },
      ],
    };
    const res = await post(req, { json });
    expect(res.status).toBe(200);
    const partial = json ? JSON.parse(String(res.body)).partialSuccess : partialOf(res.body);
    expect(partial).toMatchObject(json ? { rejectedDataPoints: '1' } : { rejected: 1 });
    expect(partial.errorMessage ?? partial.message).toMatch(/Scale must be >= -4, was -5/);
    const db = await env.storage.get(WS);
    const q = db.querier(-Infinity, Infinity);
    const ss = q.select(true, undefined, [newMatcher('=', '__name__', 'rpc_duration_seconds')]);
    expect(ss.next()).toBe(true);
    const it = ss.at().iterator();
    expect(it.next()).toBe(true);
    expect(it.atT()).toBe(NOW);
    const fh = it.atFloatHistogram?.();
    // Scale 10 is reduced to schema 8: OTLP buckets -2..2 merge four at a time into Prometheus buckets 0 and 1.
    expect(fh).toMatchObject({ schema: 8, count: 9, sum: 3.5, zeroCount: 1, zeroThreshold: 1e-128, positiveBuckets: [3, 4], negativeBuckets: [1] });
    expect([fh!.positiveSpans, fh!.negativeSpans]).toEqual([[{ offset: 0, length: 2 }], [{ offset: 1, length: 1 }]]);
    expect(it.next()).toBe(false);
    q.close();
    const ex = await env.exemplars.query(WS, NOW - 10, NOW, [[newMatcher('=', '__name__', 'rpc_duration_seconds')]]);
    expect(ex[0]!.exemplars[0]!.value).toBe(0.25);
  });
});

describe('OTLP partial success and bad input', () => {
  it('refuses delta sums and delta exponential histograms per point, storing the rest', async () => {
    const req: JsonRequest = {
      resourceMetrics: [
        {
          resource,
          scopeMetrics: [
            {
              metrics: [
                { name: 'ok', gauge: { dataPoints: [{ timeUnixNano: nanos(NOW), asDouble: 1 }] } },
                { name: 'deltas', sum: { aggregationTemporality: 1, isMonotonic: true, dataPoints: [{ timeUnixNano: nanos(NOW), asInt: '1' }, { timeUnixNano: nanos(NOW + 1), asInt: '2' }] } },
                { name: 'latency', exponentialHistogram: { aggregationTemporality: 1, dataPoints: [{ timeUnixNano: nanos(NOW), count: '1' }] } },
              ],
            },
          ],
        },
      ],
    };
    const res = await post(req);
    expect(res.status).toBe(200);
    const p = partialOf(res.body)!;
    expect(p.rejected).toBe(3);
    expect(p.message).toMatch(/invalid temporality and type combination for metric "deltas": delta temporality/);
    expect(p.message).toMatch(/invalid temporality and type combination for metric "latency": delta temporality/);
    expect(Object.keys(await dump())).toContain('ok{instance="pod-1", job="shop/checkout"}');
  });

  it('names points without a valid timestamp (JSON "NaN") and keeps the others', async () => {
    const body = JSON.stringify({ resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'g', gauge: { dataPoints: [{ timeUnixNano: 'NaN', asDouble: 1 }, { timeUnixNano: nanos(NOW), asDouble: 2 }] } }] }] }] });
    const res = await post(body, { json: true });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(JSON.parse(String(Buffer.from(res.body)))).toEqual({ partialSuccess: { rejectedDataPoints: '1', errorMessage: 'data point of metric "g" dropped: time_unix_nano is missing or not a valid timestamp' } });
    expect(await dump()).toEqual({ 'g': [[NOW, 2]] });
  });

  it('reports series the storage refuses (names invalid for it under NoTranslation) as partial success', async () => {
    const req: JsonRequest = { resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'http.requests', gauge: { dataPoints: [{ timeUnixNano: nanos(NOW), asDouble: 1 }] } }, { name: 'fine', gauge: { dataPoints: [{ timeUnixNano: nanos(NOW), asDouble: 1 }] } }] }] }] };
    const res = await post(req, { options: { translationStrategy: 'NoTranslation' } });
    expect(res.status).toBe(200);
    const p = partialOf(res.body)!;
    expect(p.rejected).toBe(1);
    expect(p.message).toMatch(/storage refused 1 of 2 samples: sample invalid metric name: "http.requests"/);
    expect(Object.keys(await dump())).toEqual(['fine']);
  });

  it('answers a truncated protobuf body with 400 and a google.rpc.Status', async () => {
    const body = encodeProtobuf(fullRequest());
    const res = await post(body.subarray(0, body.length - 7));
    expect(res.status).toBe(400);
    const r = new PbReader(res.body as Uint8Array);
    expect(r.uint32()).toBe(0x08);
    expect(r.uint32()).toBe(3);
    expect(Buffer.from(res.body as Uint8Array).toString()).toMatch(/failed to decode OTLP metrics request \(application\/x-protobuf\): .*overruns/);
    expect(await dump()).toEqual({});
  });

  it('answers malformed JSON with 400 in JSON', async () => {
    const res = await post('{"resourceMetrics": [', { json: true });
    expect(res.status).toBe(400);
    expect(JSON.parse(String(res.body))).toMatchObject({ code: 3, message: expect.stringMatching(/invalid JSON/) });
  });

  it('answers an unsupported content type or encoding with 415', async () => {
    expect((await post(fullRequest(), { contentType: 'text/plain' })).status).toBe(415);
    const res = await handler().handle({ workspaceId: WS, contentType: 'application/x-protobuf', contentEncoding: 'br', body: encodeProtobuf(fullRequest()) });
    expect(res.status).toBe(415);
    expect(String(res.body)).toMatch(/unsupported compression: br/);
  });

  it('answers a body over the decompressed limit with 413 (gzip bomb included)', async () => {
    const big = Buffer.alloc(4 * 1024 * 1024, 0x0a);
    const res = await post(big, { options: { maxDecompressedBytes: 1024 * 1024 } });
    expect(res.status).toBe(413);
    const res2 = await handler({ maxDecompressedBytes: 1024 * 1024 }).handle({ workspaceId: WS, contentType: 'application/x-protobuf', contentEncoding: 'gzip', body: gzipSync(big) });
    expect(res2.status).toBe(413);
    expect(Buffer.from(res2.body as Uint8Array).toString()).toMatch(/exceeds the limit of 1048576 bytes once decompressed \(otlp.maxDecompressedBytes\)/);
  });

  it('answers an unknown workspace with 404 in the AWS shape', async () => {
    const res = await post(fullRequest(), { ws: 'ws-nope' });
    expect(res.status).toBe(404);
    expect(res.headers['x-amzn-errortype']).toBe('ResourceNotFoundException');
  });

  it('applies the workspace ingestion rate limit (429)', async () => {
    env.workspaces.limitsById.set(WS, { ...env.workspaces.limits(WS), ingestionRate: 1, ingestionBurstSize: 2 });
    const res = await post(fullRequest());
    expect(res.status).toBe(429);
    expect(await dump()).toEqual({});
  });
});
