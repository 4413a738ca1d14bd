// Native histogram remote-write benchmark: the same pre-encoded, snappy-compressed 1.0 WriteRequests of integer
// native histograms (schema 3, ~20 populated buckets in two spans, counts growing each point, as a client library
// exposes them) sent over HTTP to Amphora (SigV4, fsynced WAL) and to Prometheus 2.42's remote-write receiver
// (--enable-feature=native-histograms), both alive side by side. The figure is receiver CPU time per histogram
// sample (from /proc, robust on a shared machine), and the ratio Amphora / Prometheus.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CounterResetHint, type Histogram } from '../src/model/histogram/types.js';
import { encodeWriteRequestV1, type TestSeries } from '../src/remote/pb-writer.js';
import { snappy } from '../src/remote/test-env.js';
import { createWorkspace, remoteWriteURL, startAmphoraServer } from './server.js';
import { signedFetch, type Credentials } from './sigv4-client.js';
import { benchQuick, hasCommand, procCpuMs, sleep, startPrometheus, stopProcess } from './tools.js';

const STEP_MS = 15_000;

/** histogramAt is series s's histogram at point p: 20 buckets in two spans, every bucket growing. */
function histogramAt(s: number, p: number): Histogram {
  const buckets: number[] = [];
  let count = 0;
  let prev = 0;
  for (let b = 0; b < 20; b++) {
    const c = (p + 1) * (1 + ((s + b) % 7));
    buckets.push(c - prev);
    prev = c;
    count += c;
  }
  const zero = p;
  return {
    counterResetHint: CounterResetHint.Unknown,
    schema: 3,
    zeroThreshold: 1e-128,
    zeroCount: zero,
    count: count + zero,
    sum: (count + zero) * 0.25,
    positiveSpans: [{ offset: -5, length: 12 }, { offset: 3, length: 8 }],
    negativeSpans: [],
    positiveBuckets: buckets,
    negativeBuckets: [],
  };
}

/** encodeHistogramRequests builds the request bodies: every series gets one histogram per point, batch per request. */
function encodeHistogramRequests(series: number, points: number, start: number, batch: number): Buffer[] {
  const bodies: Buffer[] = [];
  let cur: TestSeries[] = [];
  for (let p = 0; p < points; p++) {
    for (let s = 0; s < series; s++) {
      cur.push({ labels: [['__name__', 'rpc_duration_seconds'], ['instance', `host-${s >> 4}:9100`], ['job', 'bench'], ['method', `m${s & 15}`]], nativeHistograms: [{ timestamp: start + p * STEP_MS, h: histogramAt(s, p) }] });
      if (cur.length === batch) {
        bodies.push(snappy(encodeWriteRequestV1(cur)));
        cur = [];
      }
    }
  }
  if (cur.length > 0) bodies.push(snappy(encodeWriteRequestV1(cur)));
  return bodies;
}

/** send posts the bodies in order over 4 concurrent shards (each shard a fixed subset of requests, in time order per series). */
async function send(url: string, bodies: readonly Buffer[], sigv4?: Credentials): Promise<number> {
  let errors = 0;
  const shards = 4;
  const headers = { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy', 'x-prometheus-remote-write-version': '0.1.0' };
  // Bodies are in time order and a point's requests hold distinct series, so 4 in flight keep each series in order
  // as long as no group of 4 spans two points (series a multiple of 4 x the batch size).
  for (let i = 0; i < bodies.length; i += shards) {
    await Promise.all(
      bodies.slice(i, i + shards).map(async (body) => {
        const u = new URL(url);
        const r = sigv4 !== undefined ? await signedFetch({ credentials: sigv4 }, { method: 'POST', url: u, headers, body }) : await fetch(u, { method: 'POST', headers, body });
        if (r.status >= 300) errors++;
        await r.arrayBuffer();
      }),
    );
  }
  return errors;
}

/** runHistogramRemoteWriteBench sends the same histogram load to Amphora and Prometheus 2.42 and compares receiver CPU per sample. */
export async function runHistogramRemoteWriteBench(): Promise<Record<string, unknown>> {
  const series = Number(process.env.RW_HIST_SERIES ?? (benchQuick() ? 2000 : 10_000));
  const points = Number(process.env.RW_HIST_POINTS ?? (benchQuick() ? 6 : 12));
  const batch = 500;
  const start = Math.floor((Date.now() - (points + 1) * STEP_MS) / STEP_MS) * STEP_MS;
  const bodies = encodeHistogramRequests(series, points, start, batch);
  const out: Record<string, unknown> = { load: `${series} native histogram series x ${points} points (2 warm-up, the rest measured), ${batch} per request, 4 concurrent requests` };
  const server = await startAmphoraServer();
  let prom: Awaited<ReturnType<typeof startPrometheus>> | null = null;
  let promDir = '';
  try {
    const ws = await createWorkspace(server, 'bench-hist');
    // Prometheus and Amphora run side by side; each is measured on its own run of the same bodies.
    if (hasCommand('prometheus')) {
      promDir = mkdtempSync(join(tmpdir(), 'amphora-rwh-bench-prom-'));
      writeFileSync(join(promDir, 'prometheus.yml'), 'global: {}\n');
      prom = await startPrometheus(join(promDir, 'data'), join(promDir, 'prometheus.yml'), ['--web.enable-remote-write-receiver', '--enable-feature=native-histograms']);
    }
    // The first two points create the series and warm both receivers up (the JIT, Go's runtime); the rest is measured.
    const warm = (2 * series) / batch;
    const measured = bodies.slice(warm);
    const samples = measured.length * batch;
    const measure = async (url: string, pid: number | undefined, sigv4?: Credentials): Promise<Record<string, number>> => {
      const warmErrors = await send(url, bodies.slice(0, warm), sigv4);
      await sleep(2000);
      const c0 = procCpuMs(pid);
      const t0 = performance.now();
      const errors = warmErrors + (await send(url, measured, sigv4));
      const wall = performance.now() - t0;
      const cpuMs = procCpuMs(pid) - c0;
      return { samples, errors, wall_s: +(wall / 1000).toFixed(2), samples_per_s: Math.round(samples / (wall / 1000)), cpu_us_per_sample: +((cpuMs * 1000) / samples).toFixed(2) };
    };
    const a = await measure(remoteWriteURL(server, ws), server.proc.pid, server.credentials);
    out.amphora = a;
    if (prom !== null) {
      const p = await measure(`${prom.url}/api/v1/write`, prom.proc.pid);
      out.prometheus = p;
      out.ratio_cpu_per_sample = +(a.cpu_us_per_sample! / p.cpu_us_per_sample!).toFixed(2);
    } else out.prometheus = 'skipped: prometheus not installed';
    return out;
  } finally {
    await server.stop();
    if (prom !== null) await stopProcess(prom.proc);
    if (promDir !== '') rmSync(promDir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('remote-write-histograms.js') || process.argv[1]?.endsWith('remote-write-histograms.ts')) {
  runHistogramRemoteWriteBench().then((r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`));
}
