// Isolation between workspaces: latency of small signed remote writes to workspace B (and of
// /-/healthy) measured alone, while workspace A runs heavy queries, and while a large remote write
// goes to A. The load on A runs in a worker thread so the measuring loop here stays idle.

import { availableParallelism, loadavg } from 'node:os';
import { runRwload, RWLOAD_SCRIPT, type RwloadShape } from './promql-data.js';
import { createWorkspace, remoteWriteURL, startAmphoraServer, type AmphoraServer } from './server.js';
import { sigv4Headers } from './sigv4-client.js';
import { startLoadWorker, type LoadRequest, type LoadResult } from './load-worker.js';
import { benchQuick, percentiles, procPeakRssMB, sleep } from './tools.js';
import { encodeWriteRequest, nodeSeriesLabels } from './write-request.js';

/** IsolationOptions size the data in A, the phases and the probes. */
export interface IsolationOptions {
  /** seriesA are rwload series loaded into A (2 h at 15 s). */
  seriesA: number;
  /** phaseMs is how long writes to B are measured alone and under heavy queries. */
  phaseMs: number;
  /** smallSeries is the series per small write to B (one sample each); intervalMs the write schedule. */
  smallSeries: number;
  intervalMs: number;
  /** healthIntervalMs spaces the /-/healthy probes. */
  healthIntervalMs: number;
  /** queryClients run the heavy queries on A concurrently. */
  queryClients: number;
  /** bigWriteSeries is the size of the large write to A (one sample per series, one request). */
  bigWriteSeries: number;
}

/** defaultIsolationOptions: 5,000 series in A, 15 s phases, 100-series writes every 20 ms, 3 query clients, a 300k-series write; BENCH_QUICK=1 shrinks them. */
export function defaultIsolationOptions(): IsolationOptions {
  const quick = benchQuick();
  return {
    seriesA: quick ? 2000 : 5000,
    phaseMs: quick ? 6000 : 15_000,
    smallSeries: 100,
    intervalMs: 20,
    healthIntervalMs: 50,
    queryClients: 3,
    bigWriteSeries: quick ? 100_000 : 300_000,
  };
}

/** heavyQueries are A's queries: a nested subquery, count_values and a label_replace range query, each over every node_cpu_seconds_total series. */
function heavyQueries(ws: string, shape: RwloadShape): LoadRequest[] {
  const end = (shape.start + (shape.points - 1) * shape.stepMs) / 1000;
  const q = (name: string, kind: 'query' | 'query_range', params: Record<string, string>): LoadRequest => ({
    name,
    method: 'GET',
    path: `/workspaces/${ws}/api/v1/${kind}?${new URLSearchParams(params)}`,
  });
  const range = { start: String(end - 3600), end: String(end), step: '15' };
  return [
    q('subquery', 'query', { query: 'max_over_time(rate(node_cpu_seconds_total[5m])[1h:10s])', time: String(end) }),
    q('count_values', 'query_range', { query: 'count_values("v", node_cpu_seconds_total)', ...range }),
    q('label_replace', 'query_range', { query: 'label_replace(node_cpu_seconds_total, "host", "$1", "instance", "host-([0-9]+).*")', ...range }),
  ];
}

/** Probe collects latencies of a sequential request loop on a fixed schedule. */
interface Probe {
  /** ms is the time from sending to the whole response; scheduledMs from when the request was due (counts time spent waiting behind a stall). */
  ms: number[];
  scheduledMs: number[];
  errors: number;
  firstError?: string;
}

/** probeLoop sends request() every intervalMs (at once when late), sequentially, until stop() says so. */
async function probeLoop(intervalMs: number, stop: () => boolean, request: (i: number) => Promise<Response>, ok: number): Promise<Probe> {
  const p: Probe = { ms: [], scheduledMs: [], errors: 0 };
  const t0 = performance.now();
  for (let i = 0; !stop(); i++) {
    const due = t0 + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const s = performance.now();
    try {
      const r = await request(i);
      const text = await r.text();
      if (r.status !== ok) {
        p.errors++;
        p.firstError ??= `${r.status} ${text.slice(0, 200)}`;
      }
    } catch (err) {
      p.errors++;
      p.firstError ??= String(err);
    }
    const e = performance.now();
    p.ms.push(e - s);
    p.scheduledMs.push(e - Math.max(due, t0));
  }
  return p;
}

function summary(p: Probe): Record<string, unknown> {
  return { ...percentiles(p.ms), from_schedule: percentiles(p.scheduledMs), errors: p.errors, ...(p.firstError ? { first_error: p.firstError } : {}) };
}

/** measureB runs the small-write and health probes until stop() and summarises them. */
async function measureB(server: AmphoraServer, wsB: string, o: IsolationOptions, stop: () => boolean): Promise<Record<string, unknown>> {
  const labels = nodeSeriesLabels(o.smallSeries, { job: 'small-writes' });
  const url = new URL(remoteWriteURL(server, wsB));
  const write = (i: number): Promise<Response> => {
    const body = encodeWriteRequest(labels, Date.now(), i);
    const headers = sigv4Headers({ credentials: server.credentials }, { method: 'POST', url, body, headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy', 'x-prometheus-remote-write-version': '0.1.0' } });
    return fetch(url, { method: 'POST', headers, body });
  };
  const [writes, health] = await Promise.all([
    probeLoop(o.intervalMs, stop, write, 204),
    probeLoop(o.healthIntervalMs, stop, () => fetch(`${server.url}/-/healthy`), 200),
  ]);
  return { small_writes_ms: summary(writes), healthy_ms: summary(health) };
}

function loadSummary(results: LoadResult[]): Record<string, unknown> {
  const byName = new Map<string, LoadResult[]>();
  for (const r of results) byName.set(r.name, [...(byName.get(r.name) ?? []), r]);
  return Object.fromEntries(
    [...byName].map(([name, rs]) => {
      const p = percentiles(rs.map((r) => r.ms));
      const failed = rs.filter((r) => r.status < 200 || r.status >= 300);
      return [name, { completed: rs.length, p50_ms: p.p50, max_ms: p.max, mean_response_bytes: Math.round(rs.reduce((a, r) => a + r.bytes, 0) / rs.length), non_2xx: failed.length, statuses: [...new Set(rs.map((r) => r.status))] }];
    }),
  );
}

/** phaseAlone measures B with nothing else running. */
async function phaseAlone(server: AmphoraServer, wsB: string, o: IsolationOptions): Promise<Record<string, unknown>> {
  const until = performance.now() + o.phaseMs;
  return measureB(server, wsB, o, () => performance.now() >= until);
}

/** phaseHeavyQueries measures B while A's query clients loop over the heavy queries (each client starting at a different one). */
async function phaseHeavyQueries(server: AmphoraServer, wsA: string, wsB: string, shape: RwloadShape, o: IsolationOptions): Promise<Record<string, unknown>> {
  const load = startLoadWorker({ base: server.url, credentials: server.credentials, requests: heavyQueries(wsA, shape), clients: o.queryClients, loop: true });
  await load.started;
  await sleep(500);
  const until = performance.now() + o.phaseMs;
  const b = await measureB(server, wsB, o, () => performance.now() >= until);
  const t0 = performance.now();
  const results = await load.stop();
  return { ...b, query_clients: o.queryClients, queries_on_a: loadSummary(results), drain_after_phase_ms: Math.round(performance.now() - t0) };
}

/** phaseLargeWrite measures B from 1 s before a single large write to A until 1 s after it is answered. */
async function phaseLargeWrite(server: AmphoraServer, wsA: string, wsB: string, o: IsolationOptions): Promise<Record<string, unknown>> {
  const body = encodeWriteRequest(nodeSeriesLabels(o.bigWriteSeries, { hostOffset: 100_000, job: 'large-write' }), Date.now());
  const path = new URL(remoteWriteURL(server, wsA)).pathname;
  let doneAt = Infinity;
  const measuring = measureB(server, wsB, o, () => performance.now() >= doneAt + 1000);
  await sleep(1000);
  const load = startLoadWorker({
    base: server.url,
    credentials: server.credentials,
    requests: [{ name: 'large_write', method: 'POST', path, body, headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy', 'x-prometheus-remote-write-version': '0.1.0' } }],
    clients: 1,
    loop: false,
  });
  const results = await load.done;
  doneAt = performance.now();
  const b = await measuring;
  const big = results[0]!;
  return { ...b, large_write: { series: o.bigWriteSeries, compressed_bytes: body.length, status: big.status, ms: Math.round(big.ms) } };
}

/** runIsolationBench measures small-write latency to workspace B alone, under heavy queries on A, and during a large write to A. */
export async function runIsolationBench(options: Partial<IsolationOptions> = {}): Promise<Record<string, unknown>> {
  const o = { ...defaultIsolationOptions(), ...options };
  const out: Record<string, unknown> = {
    cores: availableParallelism(),
    load_average_1m_at_start: loadavg()[0],
    note: `Small writes: ${o.smallSeries} series x 1 sample, SigV4-signed, one every ${o.intervalMs} ms, sequential (a stalled write delays the next); ms is send to response, from_schedule counts from when the write was due. /-/healthy probed every ${o.healthIntervalMs} ms alongside. Load on A runs in a worker thread.`,
    target: 'small_writes_ms.p99 <= 100 under heavy_queries on 2 cores',
  };
  const server = await startAmphoraServer();
  try {
    const wsA = await createWorkspace(server, 'bench-tenant-a');
    const wsB = await createWorkspace(server, 'bench-tenant-b');
    const shape: RwloadShape = { series: o.seriesA, points: 480, stepMs: 15_000, shards: 4, batch: 2000, seed: 42, start: Math.floor((Date.now() - 7_300_000) / 15_000) * 15_000 };
    out.data_in_a = `rwload --series ${shape.series} --points ${shape.points} --step ${shape.stepMs} (2 h)`;
    out.load_a_samples_per_s = (await runRwload(RWLOAD_SCRIPT, remoteWriteURL(server, wsA), shape, { sigv4: server.credentials })).samples_per_s;
    out.alone = await phaseAlone(server, wsB, o);
    out.heavy_queries = await phaseHeavyQueries(server, wsA, wsB, shape, o);
    out.large_write = await phaseLargeWrite(server, wsA, wsB, o);
    out.server_peak_rss_mb = procPeakRssMB(server.proc.pid);
    out.load_average_1m_at_end = loadavg()[0];
    return out;
  } finally {
    await server.stop();
  }
}
