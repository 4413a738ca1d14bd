// Remote-read benchmark: the same node_exporter-like series written (remote write 1.0) into a real
// Amphora server (its own process, SigV4) and into Prometheus 2.42 (remote-write receiver), then
// read back whole by remote read from both in the same run: SAMPLES (snappy ReadResponse) and
// STREAMED_XOR_CHUNKS (chunked frames), median of several requests, samples/s and ratios.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeChunkedResponse, decodeReadResponse, encodeReadRequest, type ClientQuery } from '../src/remote/read/test-support.js';
import { createWorkspace, startAmphoraServer } from './server.js';
import { benchQuick, hasCommand, percentiles, procCpuMs, startPrometheus, stopProcess } from './tools.js';
import { encodeWriteRequests, nodeSeriesLabels } from './write-request.js';

const STEP_MS = 15_000;
const BATCH = 2000;

interface ReadTarget {
  readonly name: string;
  readonly pid: number | undefined;
  post(body: Buffer): Promise<Response>;
}

async function readMany(t: ReadTarget, query: ClientQuery, type: 0 | 1, reps: number, expectSamples: number): Promise<Record<string, number>> {
  const body = encodeReadRequest([query], [type]);
  const ms: number[] = [];
  let bytes = 0;
  const cpu0 = procCpuMs(t.pid);
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    const r = await t.post(body);
    const buf = Buffer.from(await r.arrayBuffer());
    ms.push(performance.now() - t0);
    if (r.status !== 200) throw new Error(`${t.name} remote read ${type}: ${r.status} ${buf.toString().slice(0, 300)}`);
    bytes = buf.length;
    if (i === 0) {
      const got = type === 0 ? decodeReadResponse(buf)[0]!.reduce((n, s) => n + s.samples.length, 0) : [...decodeChunkedResponse(buf).queries.values()].flat().reduce((n, s) => n + s.samples.length, 0);
      if (got !== expectSamples) throw new Error(`${t.name} remote read ${type}: ${got} samples, want ${expectSamples}`);
    }
  }
  const cpuS = (procCpuMs(t.pid) - cpu0) / 1000;
  const p = percentiles(ms);
  return { median_ms: +p.p50.toFixed(1), samples_per_s: Math.round(expectSamples / (p.p50 / 1000)), response_bytes: bytes, server_cpu_s_per_million: +(cpuS / ((expectSamples * reps) / 1e6)).toFixed(3) };
}

/** runRemoteReadBench loads the same data into Amphora and Prometheus and compares their remote-read throughput. */
export async function runRemoteReadBench(): Promise<Record<string, unknown>> {
  const series = Number(process.env.RR_BENCH_SERIES ?? (benchQuick() ? 800 : 4000));
  const points = Number(process.env.RR_BENCH_POINTS ?? (benchQuick() ? 120 : 240));
  const reps = Number(process.env.RR_BENCH_REPS ?? 5);
  const start = Math.floor((Date.now() - (points + 2) * STEP_MS) / STEP_MS) * STEP_MS;
  const bodies = encodeWriteRequests(nodeSeriesLabels(series), { points, start, stepMs: STEP_MS, batch: BATCH });
  const query: ClientQuery = { start, end: start + points * STEP_MS, matchers: [{ type: 0, name: 'job', value: 'node' }] };
  const total = series * points;
  const out: Record<string, unknown> = { series, points, samples: total, reps, load: `${series} node_exporter-like series x ${points} points written by remote write 1.0, then one remote-read query {job="node"} over the whole span` };
  const amp = await startAmphoraServer();
  let prom: Awaited<ReturnType<typeof startPrometheus>> | null = null;
  const dir = mkdtempSync(join(tmpdir(), 'amphora-rr-bench-'));
  try {
    const ws = await createWorkspace(amp, 'bench-rr');
    for (const b of bodies) {
      const r = await amp.fetch('POST', `/workspaces/${ws}/api/v1/remote_write`, b, { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' });
      if (r.status !== 204) throw new Error(`amphora write: ${r.status} ${await r.text()}`);
    }
    const amphora: ReadTarget = { name: 'amphora', pid: amp.proc.pid, post: (b) => amp.fetch('POST', `/workspaces/${ws}/api/v1/read`, b, { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' }) };
    const targets: ReadTarget[] = [amphora];
    if (hasCommand('prometheus')) {
      const cfg = join(dir, 'prometheus.yml');
      writeFileSync(cfg, 'global: {}\n');
      prom = await startPrometheus(join(dir, 'data'), cfg, ['--web.enable-remote-write-receiver']);
      for (const b of bodies) {
        const r = await fetch(`${prom.url}/api/v1/write`, { method: 'POST', body: b, headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' } });
        if (r.status >= 300) throw new Error(`prometheus write: ${r.status} ${await r.text()}`);
      }
      const url = `${prom.url}/api/v1/read`;
      targets.push({ name: 'prometheus', pid: prom.proc.pid, post: (b) => fetch(url, { method: 'POST', body: b, headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' } }) });
    } else out.prometheus = 'skipped: prometheus not installed';
    const figures: Record<string, Record<string, Record<string, number>>> = {};
    for (const [label, type] of [['samples', 0], ['streamed_xor_chunks', 1]] as const) {
      // Each target reads untimed first (the JIT of every query worker, page cache), then reps timed reads.
      for (const t of targets) await readMany(t, query, type, 4, total);
      for (const t of targets) (figures[t.name] ??= {})[label] = await readMany(t, query, type, reps, total);
    }
    Object.assign(out, figures);
    if (figures.prometheus) {
      out.ratio_samples_samples_per_s = +(figures.amphora!.samples!.samples_per_s! / figures.prometheus.samples!.samples_per_s!).toFixed(2);
      out.ratio_streamed_samples_per_s = +(figures.amphora!.streamed_xor_chunks!.samples_per_s! / figures.prometheus.streamed_xor_chunks!.samples_per_s!).toFixed(2);
    }
    return out;
  } finally {
    await amp.stop();
    if (prom) await stopProcess(prom.proc);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('remote-read.js') || process.argv[1]?.endsWith('remote-read.ts')) {
  runRemoteReadBench().then((r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`));
}
