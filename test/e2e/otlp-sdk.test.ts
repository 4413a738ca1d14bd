// The OpenTelemetry JS SDK exports metrics over OTLP/HTTP (protobuf and JSON exporters from npm)
// through a SigV4-signing forwarder into Amphora; the query API reads them back under the names
// Prometheus 3 gives them.
import type { Server } from 'node:http';
import { OTLPMetricExporter as JsonExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, signedFetch, startTestAmphora } from './helpers.js';
import { startSigV4Proxy } from './sigv4-proxy.js';

interface Vector {
  metric: Record<string, string>;
  value: [number, string];
}

describe('OpenTelemetry SDK exporters into Amphora (OTLP/HTTP, signed by a forwarder)', () => {
  let amphora: Awaited<ReturnType<typeof startTestAmphora>>;
  let proxy: { url: string; server: Server };
  beforeAll(async () => {
    amphora = await startTestAmphora();
    proxy = await startSigV4Proxy(amphora.address, ROOT);
  });
  afterAll(async () => {
    proxy?.server.close();
    await amphora?.stop();
  });

  async function query(ws: string, q: string): Promise<Vector[]> {
    const r = await signedFetch(amphora.address, 'GET', `/workspaces/${ws}/api/v1/query?query=${encodeURIComponent(q)}`);
    const body = (await r.json()) as { status: string; data: { result: Vector[] }; error?: string };
    if (body.status !== 'success') throw new Error(`query ${q}: ${body.error}`);
    return body.data.result;
  }

  async function exportOnce(ws: string, exporter: (url: string) => PushMetricExporter): Promise<void> {
    const inner = exporter(`${proxy.url}/workspaces/${ws}/api/v1/otlp/v1/metrics`);
    const results: { code: number; error?: Error }[] = [];
    const checked: PushMetricExporter = {
      export: (m, cb) => inner.export(m, (r) => {
        results.push(r);
        cb(r);
      }),
      forceFlush: () => inner.forceFlush(),
      shutdown: () => inner.shutdown(),
    };
    const reader = new PeriodicExportingMetricReader({ exporter: checked, exportIntervalMillis: 3_600_000 });
    const provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': 'checkout', 'service.namespace': 'shop', 'service.instance.id': 'pod-7', 'host.name': 'node-a' }), readers: [reader] });
    const meter = provider.getMeter('amphora-e2e', '0.1.0');
    const requests = meter.createCounter('http.server.requests', { unit: '{request}', description: 'Requests served.' });
    requests.add(3, { 'http.route': '/cart' });
    requests.add(2, { 'http.route': '/cart' });
    const duration = meter.createHistogram('http.server.request.duration', { unit: 's', advice: { explicitBucketBoundaries: [0.1, 0.5, 1] } });
    for (const v of [0.05, 0.2, 0.3, 0.7]) duration.record(v, { 'http.route': '/cart' });
    const inflight = meter.createUpDownCounter('http.server.active_requests', { unit: '{request}' });
    inflight.add(4);
    inflight.add(-1);
    meter.createObservableGauge('process.memory.usage', { unit: 'By' }).addCallback((r) => r.observe(1234));
    await reader.forceFlush();
    await provider.shutdown();
    expect(results.length).toBeGreaterThan(0);
    expect(results.map((r) => r.error?.message ?? 'ok')).toEqual(results.map(() => 'ok'));
  }

  for (const [kind, make] of [
    ['protobuf', (url: string) => new ProtoExporter({ url })],
    ['json', (url: string) => new JsonExporter({ url })],
  ] as const) {
    it(`${kind} exporter: counters, histograms, up-down counters and gauges read back under Prometheus 3 names`, async () => {
      const ws = amphora.controlPlane.workspaces.create({ alias: `otlp-${kind}` }).workspaceId;
      await new Promise((r) => setTimeout(r, 1100)); // CREATING -> ACTIVE
      await exportOnce(ws, make);
      const id = { instance: 'pod-7', job: 'shop/checkout' };
      const counter = await query(ws, 'http_server_requests_total');
      expect(counter.map((v) => [v.metric, v.value[1]])).toEqual([[{ __name__: 'http_server_requests_total', http_route: '/cart', ...id }, '5']]);
      const buckets = await query(ws, 'http_server_request_duration_seconds_bucket');
      expect(Object.fromEntries(buckets.map((v) => [v.metric.le, v.value[1]]))).toEqual({ '0.1': '1', '0.5': '3', '1': '4', '+Inf': '4' });
      expect((await query(ws, 'http_server_request_duration_seconds_count'))[0]!.value[1]).toBe('4');
      expect(Number((await query(ws, 'http_server_request_duration_seconds_sum'))[0]!.value[1])).toBeCloseTo(1.25, 9);
      expect((await query(ws, 'http_server_active_requests'))[0]!.value[1]).toBe('3');
      expect((await query(ws, 'process_memory_usage_bytes'))[0]!.value[1]).toBe('1234');
      const info = await query(ws, 'target_info');
      expect(info[0]!.metric).toEqual({ __name__: 'target_info', host_name: 'node-a', ...id });
      const md = await signedFetch(amphora.address, 'GET', `/workspaces/${ws}/api/v1/metadata?metric=http_server_requests_total`);
      expect(((await md.json()) as { data: Record<string, unknown> }).data).toEqual({ http_server_requests_total: [{ type: 'counter', help: 'Requests served.', unit: '' }] });
    }, 30_000);
  }

  it('refuses an unsigned export', async () => {
    const ws = amphora.controlPlane.workspaces.create({ alias: 'otlp-unsigned' }).workspaceId;
    const r = await fetch(`${amphora.address}/workspaces/${ws}/api/v1/otlp/v1/metrics`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: new Uint8Array(0) });
    expect(r.status).toBe(403);
  });
});
