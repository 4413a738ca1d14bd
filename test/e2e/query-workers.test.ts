import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AmpClient, CreateWorkspaceCommand } from '@aws-sdk/client-amp';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { compressSync } from 'snappy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAmphora, type RunningAmphora } from '../../src/app/amphora.js';
import { loadConfig } from '../../src/app/config.js';
import { encodeWriteRequestV1 } from '../../src/remote/pb-writer.js';
import { ROOT } from './helpers.js';

/** HEAVY runs for many seconds (a one-day subquery at 1 s resolution over 2,000 series) without holding much memory. */
const HEAVY = 'max_over_time(rate(heavy_metric[5m])[1d:1s])';
const SERIES = 2000;
const POINTS = 240;

/**
 * Query workers against the real server: deadlines, memory caps, disconnects, the fair queue and
 * the result cap, with writes and health checks of other workspaces answered meanwhile.
 */
describe('query workers (the real server)', () => {
  let amphora: RunningAmphora;
  let dataDir = '';
  let wsA = '';
  let wsB = '';
  const now = Date.now();
  const signer = new SignatureV4({ service: 'aps', region: 'us-east-1', sha256: Hash.bind(null, 'sha256'), credentials: ROOT });

  async function signed(method: string, path: string, opts: { body?: Uint8Array; headers?: Record<string, string>; signal?: AbortSignal } = {}): Promise<Response> {
    const url = new URL(path, amphora.address);
    const s = await signer.sign({ method, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query: Object.fromEntries(url.searchParams), headers: { host: url.host, ...opts.headers }, body: opts.body });
    const { host: _h, ...send } = s.headers as Record<string, string>;
    return fetch(url, { method, headers: send, body: opts.body, signal: opts.signal });
  }

  function write(ws: string, series: { labels: [string, string][]; samples: { value: number; timestamp: number }[] }[]): Promise<Response> {
    return signed('POST', `/workspaces/${ws}/api/v1/remote_write`, {
      body: compressSync(Buffer.from(encodeWriteRequestV1(series))),
      headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' },
    });
  }

  function instant(ws: string, query: string, timeout: string, signal?: AbortSignal): Promise<Response> {
    return signed('GET', `/workspaces/${ws}/api/v1/query?${new URLSearchParams({ query, time: String(now / 1000), timeout })}`, signal ? { signal } : {});
  }

  function range(ws: string, query: string, step: string, timeout = '30s'): Promise<Response> {
    return signed('GET', `/workspaces/${ws}/api/v1/query_range?${new URLSearchParams({ query, start: String(now / 1000 - 3600), end: String(now / 1000), step, timeout })}`);
  }

  async function metric(name: string): Promise<number> {
    const text = await (await fetch(`${amphora.address}/metrics`)).text();
    let sum = 0;
    for (const line of text.split('\n')) if (line.startsWith(name) && /^[^ {]+(\{[^}]*\})? /.test(line)) sum += Number(line.split(' ').at(-1));
    return sum;
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'amphora-qw-'));
    amphora = await startAmphora(
      loadConfig({
        flags: {
          dataDir,
          listen: '127.0.0.1:0',
          logLevel: 'silent',
          rootAccessKeyId: ROOT.accessKeyId,
          rootSecretAccessKey: ROOT.secretAccessKey,
          query: { workers: 2, maxOldGenerationMb: 96, maxYoungGenerationMb: 16, maxResultBytes: 4_000_000, maxHeadSelectBytes: 512 * 1024 * 1024, maxQueuedPerWorkspace: 8, warmUpMs: 0 },
        },
      }),
    );
    const amp = new AmpClient({ endpoint: amphora.address, region: 'us-east-1', credentials: ROOT });
    wsA = (await amp.send(new CreateWorkspaceCommand({ alias: 'heavy' }))).workspaceId!;
    wsB = (await amp.send(new CreateWorkspaceCommand({ alias: 'light' }))).workspaceId!;
    await new Promise((r) => setTimeout(r, 1100));
    const series = [];
    for (let i = 0; i < SERIES; i++) {
      const samples = [];
      for (let k = 0; k < POINTS; k++) samples.push({ value: k * (i % 7), timestamp: now - (POINTS - k) * 15_000 });
      series.push({ labels: [['__name__', 'heavy_metric'], ['i', String(i)]] as [string, string][], samples });
    }
    expect((await write(wsA, series)).status).toBe(204);
    expect((await write(wsB, [{ labels: [['__name__', 'light_metric']], samples: [{ value: 1, timestamp: now }] }])).status).toBe(204);
  });

  afterAll(async () => {
    await amphora?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('ends a heavy query at its deadline with 422 timeout while other workspaces write and health checks answer', async () => {
    const t0 = performance.now();
    const heavy = instant(wsA, HEAVY, '1s').then(async (r) => ({ status: r.status, body: await r.text(), ms: performance.now() - t0 }));
    const latencies: number[] = [];
    let k = 0;
    let done = false;
    void heavy.then(() => (done = true));
    while (!done) {
      const s0 = performance.now();
      const [w, h] = await Promise.all([write(wsB, [{ labels: [['__name__', 'light_metric']], samples: [{ value: 2, timestamp: now + ++k }] }]), fetch(`${amphora.address}/-/healthy`)]);
      expect(w.status).toBe(204);
      expect(h.status).toBe(200);
      latencies.push(performance.now() - s0);
      await new Promise((r) => setTimeout(r, 20));
    }
    const res = await heavy;
    expect(res.status).toBe(422);
    expect(res.body).toBe('{"status":"error","errorType":"timeout","error":"query timed out in query execution"}');
    expect(res.ms).toBeLessThan(2000);
    expect(latencies.length).toBeGreaterThan(3);
    expect(Math.max(...latencies)).toBeLessThan(500);
    const light = await instant(wsB, 'light_metric', '5s');
    expect(light.status).toBe(200);
  });

  it('fails a query over the worker memory cap alone, with a clear error, and the next query works', async () => {
    const restarts = await metric('amphora_query_worker_restarts_total{reason="oom"}');
    const r = await range(wsA, 'heavy_metric', '1');
    expect(r.status).toBe(422);
    const body = (await r.json()) as { errorType: string; error: string };
    expect(body.errorType).toBe('execution');
    expect(body.error).toContain('query.maxOldGenerationMb');
    expect(await metric('amphora_query_worker_restarts_total{reason="oom"}')).toBe(restarts + 1);
    const next = await instant(wsA, 'count(heavy_metric)', '10s');
    expect(next.status).toBe(200);
    const value = ((await next.json()) as { data: { result: { value: [number, string] }[] } }).data.result[0]!.value;
    expect(value).toEqual([now / 1000, String(SERIES)]);
  });

  it('frees the worker of a client that disconnects mid-query', async () => {
    const ac = new AbortController();
    const pending = instant(wsA, HEAVY, '30s', ac.signal).catch((err: Error) => err);
    await waitFor(async () => (await metric('amphora_queries_in_flight')) === 1, 5000);
    ac.abort();
    expect(await pending).toBeInstanceOf(Error);
    const t0 = performance.now();
    await waitFor(async () => (await metric('amphora_queries_in_flight')) === 0, 3000);
    expect(performance.now() - t0).toBeLessThan(1500);
  });

  it('runs a waiting workspace before another workspace’s later-queued queries', async () => {
    const t0 = performance.now();
    const timed = (p: Promise<Response>): Promise<{ status: number; ms: number }> => p.then(async (r) => (await r.arrayBuffer(), { status: r.status, ms: performance.now() - t0 }));
    // A fills both workers until 2 s, then queues two more that could run until 5 s.
    const a1 = timed(instant(wsA, HEAVY, '2s'));
    const a2 = timed(instant(wsA, HEAVY, '2s'));
    await waitFor(async () => (await metric('amphora_queries_in_flight')) === 2, 5000);
    const a3 = timed(instant(wsA, HEAVY, '5s'));
    const a4 = timed(instant(wsA, HEAVY, '5s'));
    await waitFor(async () => (await metric('amphora_query_queue_depth')) === 2, 5000);
    const b = timed(instant(wsB, 'light_metric', '20s'));
    const [r1, r2, r3, r4, rb] = await Promise.all([a1, a2, a3, a4, b]);
    expect([r1.status, r2.status, r3.status, r4.status]).toEqual([422, 422, 422, 422]);
    expect(rb.status).toBe(200);
    // First-come-first-served would start B only when A's queued queries end (~5 s).
    expect(rb.ms).toBeLessThan(Math.min(r3.ms, r4.ms) - 1000);
  });

  it('streams large bodies, compressed or not', async () => {
    const path = `/workspaces/${wsA}/api/v1/query_range?${new URLSearchParams({ query: 'heavy_metric', start: String(now / 1000 - 3600), end: String(now / 1000), step: '60' })}`;
    for (const enc of ['gzip', 'identity']) {
      const r = await signed('GET', path, { headers: { 'accept-encoding': enc } });
      expect(r.status).toBe(200);
      expect(r.headers.get('content-encoding')).toBe(enc === 'gzip' ? 'gzip' : null);
      const body = (await r.json()) as { data: { result: { values: unknown[] }[] } };
      expect(body.data.result).toHaveLength(SERIES);
      expect(body.data.result[0]!.values.length).toBeGreaterThan(50);
    }
  });

  it('refuses a result over the size cap with a clear error', async () => {
    const r = await range(wsA, 'heavy_metric', '15');
    expect(r.status).toBe(422);
    const body = (await r.json()) as { errorType: string; error: string };
    expect(body.errorType).toBe('execution');
    expect(body.error).toContain('response size limit of 4000000 bytes (query.maxResultBytes)');
    const small = await range(wsA, 'count(heavy_metric)', '15');
    expect(small.status).toBe(200);
  });
});

async function waitFor(cond: () => Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`condition not met within ${ms} ms`);
}
