// Remote-write benchmark: decode+append throughput of pre-encoded rwload-like requests into a
// workspace TSDB (in process, sync off and on), and end to end over HTTP with rwload against
// Amphora's route and against Prometheus's --web.enable-remote-write-receiver, same load.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { PbWriter } from '../src/remote/pb-writer.js';
import { newTestEnv, snappy } from '../src/remote/test-env.js';
import { freePort, hasCommand, startPrometheus, stopProcess } from './tools.js';

/** SERIES is the number of series per run (RW_BENCH_SERIES; 20,000 by default; the new-series figure uses 200,000 with 2 points). */
const SERIES = Number(process.env.RW_BENCH_SERIES ?? 20_000);
const BATCH = 2000;
const RWLOAD = '/work/shared/tools/rwload/rwload.mjs';

function seriesLabelBytes(n: number): Uint8Array[] {
  const modes = ['idle', 'user', 'system', 'iowait', 'irq', 'softirq', 'steal', 'nice'];
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const host = Math.floor(i / 400);
    const k = i % 400;
    const labels: [string, string][] =
      k < 64
        ? [['__name__', 'node_cpu_seconds_total'], ['cpu', String(k >> 3)], ['instance', `host-${host}.example.internal:9100`], ['job', 'node'], ['mode', modes[k & 7]!]]
        : [['__name__', `node_metric_${k % 40}_total`], ['device', `dev${k}`], ['instance', `host-${host}.example.internal:9100`], ['job', 'node']];
    const w = new PbWriter();
    for (const [name, value] of labels) w.messageField(1, (l) => l.stringField(1, name).stringField(2, value));
    out.push(w.finish());
  }
  return out;
}

/** encodeRequests builds snappy-compressed WriteRequests: every series gets one sample per point, BATCH samples per request. */
function encodeRequests(points: number, start: number): { bodies: Buffer[]; samples: number } {
  const labels = seriesLabelBytes(SERIES);
  const bodies: Buffer[] = [];
  let w = new PbWriter();
  let inBatch = 0;
  for (let p = 0; p < points; p++) {
    const t = start + p * 15_000;
    for (let i = 0; i < SERIES; i++) {
      const sample = new PbWriter().doubleField(1, i * 10 + p).uintField(2, t).finish();
      const ts = new Uint8Array(labels[i]!.length + 2 + sample.length);
      ts.set(labels[i]!, 0);
      ts[labels[i]!.length] = 0x12;
      ts[labels[i]!.length + 1] = sample.length;
      ts.set(sample, labels[i]!.length + 2);
      w.bytesField(1, ts);
      if (++inBatch === BATCH) {
        bodies.push(snappy(w.finish()));
        w = new PbWriter();
        inBatch = 0;
      }
    }
  }
  if (inBatch > 0) bodies.push(snappy(w.finish()));
  return { bodies, samples: points * SERIES };
}

async function inProcess(sync: boolean, points: number): Promise<Record<string, number>> {
  const env = newTestEnv(['ws-bench'], { sync });
  env.workspaces.limitsById.set('ws-bench', { ...(await import('../src/controlplane/limits.js')).defaultWorkspaceLimits(), ingestionRate: 1e12, ingestionBurstSize: 1e12 });
  const { bodies } = encodeRequests(points, Date.now() - points * 15_000);
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

function runRwload(url: string, points: number, sigv4?: { accessKeyId: string; secretAccessKey: string }): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const args = [RWLOAD, '--url', url, '--series', String(SERIES), '--points', String(points), '--shards', '4', '--batch', String(BATCH), ...(sigv4 ? ['--sigv4'] : [])];
    const env = sigv4 ? { ...process.env, AWS_ACCESS_KEY_ID: sigv4.accessKeyId, AWS_SECRET_ACCESS_KEY: sigv4.secretAccessKey } : process.env;
    const p = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('exit', () => {
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()!) as Record<string, unknown>);
      } catch {
        reject(new Error(`rwload failed: ${err.slice(-500)} ${out.slice(-500)}`));
      }
    });
  });
}

function procCpuSeconds(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

function procPeakRssMB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : -1;
}

/** signedFetch sends one SigV4-signed request (service aps) with the given credentials. */
async function signedFetch(base: string, creds: { accessKeyId: string; secretAccessKey: string }, method: string, path: string, body?: string): Promise<Response> {
  const url = new URL(path, base);
  const headers: Record<string, string> = { host: url.host, ...(body ? { 'content-type': 'application/json' } : {}) };
  const signer = new SignatureV4({ service: 'aps', region: 'us-east-1', sha256: Hash.bind(null, 'sha256'), credentials: creds });
  const signed = await signer.sign({ method, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query: {}, headers, body });
  const { host: _h, ...send } = signed.headers as Record<string, string>;
  return fetch(url, { method, headers: send, body });
}

/** startServerProcess runs `amphora serve` as its own process, so its CPU and peak memory are its own. */
async function startServerProcess(dataDir: string, root: { accessKeyId: string; secretAccessKey: string }): Promise<{ proc: ChildProcess; url: string }> {
  const port = await freePort();
  const proc = spawn(process.execPath, [join(import.meta.dirname, '../src/cli/main.js'), 'serve', '--data-dir', dataDir, '--listen', `127.0.0.1:${port}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, AMPHORA_ROOT_ACCESS_KEY_ID: root.accessKeyId, AMPHORA_ROOT_SECRET_ACCESS_KEY: root.secretAccessKey, AMPHORA_LOG_LEVEL: 'warn' },
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (proc.exitCode !== null) throw new Error('amphora serve exited early');
    try {
      if ((await fetch(`${url}/-/healthy`)).ok) return { proc, url };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill('SIGKILL');
  throw new Error('amphora serve did not start');
}

async function endToEnd(points: number): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  // The real service in its own process: SigV4 on every request, IAM policy, control-plane workspace, fsynced WAL.
  const dataDir = mkdtempSync(join(tmpdir(), 'amphora-rw-bench-'));
  const root = { accessKeyId: 'AKIABENCHROOT0000000', secretAccessKey: 'bench-root-secret-bench-root-secret-0000' };
  const server = await startServerProcess(dataDir, root);
  try {
    const created = (await (await signedFetch(server.url, root, 'POST', '/workspaces', JSON.stringify({ alias: 'bench' }))).json()) as { workspaceId: string };
    await new Promise((r) => setTimeout(r, 1100));
    const patched = await signedFetch(server.url, root, 'PATCH', `/workspaces/${created.workspaceId}/configuration`, JSON.stringify({ amphoraLimits: { ingestionRate: 1e12, ingestionBurstSize: 1e12 } }));
    if (patched.status >= 300) throw new Error(`raising the bench workspace's limits failed: ${patched.status} ${await patched.text()}`);
    await new Promise((r) => setTimeout(r, 1100));
    const c0 = procCpuSeconds(server.proc.pid!);
    const amp = await runRwload(`${server.url}/workspaces/${created.workspaceId}/api/v1/remote_write`, points, root);
    const c1 = procCpuSeconds(server.proc.pid!);
    if (Number(amp.errors) > 0) throw new Error(`rwload against Amphora had errors: ${JSON.stringify(amp.err_samples)}`);
    out.amphora = { ...amp, sigv4: true, cpu_s_per_million: +((c1 - c0) / (Number(amp.samples) / 1e6)).toFixed(3), peak_rss_mb: procPeakRssMB(server.proc.pid!) };
  } finally {
    await stopProcess(server.proc);
    rmSync(dataDir, { recursive: true, force: true });
  }
  const amp = out.amphora as Record<string, unknown>;
  if (hasCommand('prometheus')) {
    const dir = mkdtempSync(join(tmpdir(), 'amphora-rw-bench-prom-'));
    const cfg = join(dir, 'prometheus.yml');
    writeFileSync(cfg, 'global: {}\n');
    const prom = await startPrometheus(join(dir, 'data'), cfg, ['--web.enable-remote-write-receiver']);
    try {
      const c0 = procCpuSeconds(prom.proc.pid!);
      const p = await runRwload(`${prom.url}/api/v1/write`, points);
      const c1 = procCpuSeconds(prom.proc.pid!);
      out.prometheus = { ...p, cpu_s_per_million: +((c1 - c0) / (Number(p.samples) / 1e6)).toFixed(3), peak_rss_mb: procPeakRssMB(prom.proc.pid!) };
      out.ratio_samples_per_s = +(Number(amp.samples_per_s) / Number(p.samples_per_s)).toFixed(2);
    } finally {
      await stopProcess(prom.proc);
      rmSync(dir, { recursive: true, force: true });
    }
  } else out.prometheus = 'skipped: prometheus is not installed';
  return out;
}

/** runRemoteWriteBench measures remote-write ingestion in process (sync off/on) and end to end against Prometheus. */
export async function runRemoteWriteBench(): Promise<Record<string, unknown>> {
  const points = Number(process.env.RW_BENCH_POINTS ?? 30);
  return {
    series: SERIES,
    batch: BATCH,
    points,
    in_process_sync_off: await inProcess(false, points),
    in_process_sync_on: await inProcess(true, points),
    end_to_end: await endToEnd(points),
  };
}

if (process.argv[1]?.endsWith('remote-write.js') || process.argv[1]?.endsWith('remote-write.ts')) {
  runRemoteWriteBench().then((r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`));
}
