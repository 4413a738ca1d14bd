// Remote-write benchmark: decode+append throughput of pre-encoded rwload-like requests into a
// workspace TSDB (in process, sync off and on), and end to end over HTTP with rwload against the
// real server (SigV4, IAM, fsynced WAL) and against Prometheus 2.42's remote-write receiver, same
// load in the same run: new series (rwload --series 200000 --points 2 into an empty receiver),
// then steady state (the same series, later points).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultWorkspaceLimits } from '../src/controlplane/limits.js';
import { newTestEnv } from '../src/remote/test-env.js';
import { runRwload, RWLOAD_SCRIPT, type RwloadResult, type RwloadShape } from './promql-data.js';
import { createWorkspace, remoteWriteURL, startAmphoraServer } from './server.js';
import type { Credentials } from './sigv4-client.js';
import { benchQuick, hasCommand, procCpuMs, procPeakRssMB, startPrometheus, stopProcess } from './tools.js';
import { encodeWriteRequests, nodeSeriesLabels } from './write-request.js';

/** SERIES is the number of series per run (RW_BENCH_SERIES; 20,000 by default; the new-series figure uses 200,000 with 2 points). */
const SERIES = Number(process.env.RW_BENCH_SERIES ?? 20_000);
const BATCH = 2000;
const STEP_MS = 15_000;

async function inProcess(sync: boolean, points: number): Promise<Record<string, number>> {
  const env = newTestEnv(['ws-bench'], { sync });
  env.workspaces.limitsById.set('ws-bench', { ...defaultWorkspaceLimits(), ingestionRate: 1e12, ingestionBurstSize: 1e12 });
  const bodies = encodeWriteRequests(nodeSeriesLabels(SERIES), { points, start: Date.now() - points * STEP_MS, stepMs: STEP_MS, batch: BATCH });
  const perPoint = SERIES / BATCH;
  const run = async (from: number, to: number): Promise<number> => {
    const t0 = performance.now();
    for (let i = from; i < to; i++) {
      const r = await env.handler.handle({ workspaceId: 'ws-bench', contentType: 'application/x-protobuf', contentEncoding: 'snappy', body: bodies[i]! });
      if (r.status !== 204) throw new Error(`status ${r.status}: ${r.body}`);
    }
    return performance.now() - t0;
  };
  const firstMs = await run(0, perPoint);
  const cpu0 = process.cpuUsage();
  const steadyMs = await run(perPoint, bodies.length);
  const cpu = process.cpuUsage(cpu0);
  const steadySamples = (bodies.length - perPoint) * BATCH;
  await env.close();
  return {
    new_series_samples_per_s: Math.round((perPoint * BATCH) / (firstMs / 1000)),
    steady_samples_per_s: Math.round(steadySamples / (steadyMs / 1000)),
    steady_cpu_s_per_million: +(((cpu.user + cpu.system) / 1e6) / (steadySamples / 1e6)).toFixed(3),
    samples: steadySamples + perPoint * BATCH,
  };
}

/** ReceiverRun is one rwload run against a receiver, with the receiver's CPU time per million samples. */
type ReceiverRun = RwloadResult & { cpu_s_per_million: number };

async function rwloadMeasured(url: string, shape: RwloadShape, pid: number | undefined, sigv4?: Credentials): Promise<ReceiverRun> {
  const c0 = procCpuMs(pid);
  const r = await runRwload(RWLOAD_SCRIPT, url, shape, { sigv4 });
  const cpuS = (procCpuMs(pid) - c0) / 1000;
  return { ...r, cpu_s_per_million: +(cpuS / (r.samples / 1e6)).toFixed(3) };
}

/** ReceiverPhases are the new-series and steady-state rwload shapes, sharing series and seed; steady continues where new-series stops. */
interface ReceiverPhases {
  newSeries: RwloadShape;
  steady: RwloadShape;
}

function receiverPhases(series: number, steadyPoints: number): ReceiverPhases {
  const start = Math.floor((Date.now() - (2 + steadyPoints) * STEP_MS) / STEP_MS) * STEP_MS;
  const base = { series, stepMs: STEP_MS, shards: 4, batch: BATCH, seed: 42 };
  return { newSeries: { ...base, points: 2, start }, steady: { ...base, points: steadyPoints, start: start + 2 * STEP_MS } };
}

/** Receiver is a running remote-write receiver: its write URL, process and credentials when it wants SigV4. */
interface Receiver {
  readonly url: string;
  readonly pid: number | undefined;
  readonly sigv4?: Credentials;
  stop(): Promise<void>;
}

async function amphoraReceiver(): Promise<Receiver> {
  const server = await startAmphoraServer();
  try {
    const ws = await createWorkspace(server, 'bench-rw');
    return { url: remoteWriteURL(server, ws), pid: server.proc.pid, sigv4: server.credentials, stop: () => server.stop() };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

async function prometheusReceiver(): Promise<Receiver> {
  const dir = mkdtempSync(join(tmpdir(), 'amphora-rw-bench-prom-'));
  const cfg = join(dir, 'prometheus.yml');
  writeFileSync(cfg, 'global: {}\n');
  const prom = await startPrometheus(join(dir, 'data'), cfg, ['--web.enable-remote-write-receiver']);
  return {
    url: `${prom.url}/api/v1/write`,
    pid: prom.proc.pid,
    stop: async () => {
      await stopProcess(prom.proc);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * endToEnd runs the same two rwload phases against Amphora (SigV4) and Prometheus 2.42, both fresh processes
 * alive side by side; each phase runs on one then the other (Amphora first for new series, Prometheus first for
 * steady state) so both see the same machine load; reports samples/s ratios.
 */
async function endToEnd(series: number, steadyPoints: number): Promise<Record<string, unknown>> {
  const ph = receiverPhases(series, steadyPoints);
  const out: Record<string, unknown> = {
    load: `rwload --series ${series} --points 2 (new series), then --points ${steadyPoints} (same series, later samples); --shards 4 --batch ${BATCH} --step ${STEP_MS}`,
  };
  const amp = await amphoraReceiver();
  let prom: Receiver | null = null;
  try {
    if (!hasCommand('prometheus')) {
      const newSeries = await rwloadMeasured(amp.url, ph.newSeries, amp.pid, amp.sigv4);
      const steady = await rwloadMeasured(amp.url, ph.steady, amp.pid, amp.sigv4);
      out.amphora = { new_series: newSeries, steady, sigv4: true, peak_rss_mb: procPeakRssMB(amp.pid) };
      out.prometheus = 'skipped: prometheus not installed';
      return out;
    }
    prom = await prometheusReceiver();
    const aNew = await rwloadMeasured(amp.url, ph.newSeries, amp.pid, amp.sigv4);
    const pNew = await rwloadMeasured(prom.url, ph.newSeries, prom.pid);
    const pSteady = await rwloadMeasured(prom.url, ph.steady, prom.pid);
    const aSteady = await rwloadMeasured(amp.url, ph.steady, amp.pid, amp.sigv4);
    out.amphora = { new_series: aNew, steady: aSteady, sigv4: true, peak_rss_mb: procPeakRssMB(amp.pid) };
    out.prometheus = { new_series: pNew, steady: pSteady, peak_rss_mb: procPeakRssMB(prom.pid) };
    out.ratio_new_series_samples_per_s = +(aNew.samples_per_s / pNew.samples_per_s).toFixed(2);
    out.ratio_steady_samples_per_s = +(aSteady.samples_per_s / pSteady.samples_per_s).toFixed(2);
    return out;
  } finally {
    await amp.stop();
    if (prom) await prom.stop();
  }
}

/** runRemoteWriteBench measures remote-write ingestion in process (sync off/on) and end to end against Prometheus 2.42 (new series, then steady state). */
export async function runRemoteWriteBench(): Promise<Record<string, unknown>> {
  const points = Number(process.env.RW_BENCH_POINTS ?? 30);
  const newSeries = Number(process.env.RW_BENCH_NEW_SERIES ?? (benchQuick() ? 50_000 : 200_000));
  const steadyPoints = Number(process.env.RW_BENCH_STEADY_POINTS ?? (benchQuick() ? 4 : 10));
  return {
    series: SERIES,
    batch: BATCH,
    points,
    in_process_sync_off: await inProcess(false, points),
    in_process_sync_on: await inProcess(true, points),
    end_to_end: await endToEnd(newSeries, steadyPoints),
  };
}

if (process.argv[1]?.endsWith('remote-write.js') || process.argv[1]?.endsWith('remote-write.ts')) {
  runRemoteWriteBench().then((r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`));
}
