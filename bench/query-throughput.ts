/**
 * query-throughput measures the query API over HTTP with SigV4: queries per second of one
 * client against four concurrent clients on a standard query, the latency of a trivial `up`
 * query (the cost of the worker hop), and small remote writes to one workspace while another
 * runs a heavy query (timeout 3 s). The server runs in this process, the clients in a child
 * process so that signing and parsing do not compete with the server's event loop. Quick, not
 * part of `npm run bench`:
 *
 *     node dist/bench/query-throughput.js [--root <dist dir of the build to measure>] [--workers N] [--seconds S]
 *
 * --root lets the same script measure another build (for instance the commit before query workers).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { compressSync } from 'snappy';
import { encodeWriteRequestV1, type TestSeries } from '../src/remote/pb-writer.js';

const { values: args } = parseArgs({ options: { root: { type: 'string' }, workers: { type: 'string' }, seconds: { type: 'string', default: '8' }, client: { type: 'string' } } });
const ROOT = { accessKeyId: 'AKIABENCHROOTEXAMPLE', secretAccessKey: 'bench-root-secret-key-for-amphora-000000' };
const SERIES = 2000;
const POINTS = 240;
const STANDARD = 'sum by (job) (rate(bench_metric[5m]))';
const HEAVY = 'max_over_time(rate(bench_metric[5m])[1d:1s])';

interface Target {
  readonly address: string;
  readonly ws: string;
  readonly heavyWs: string;
  readonly now: number;
}

function signer(address: string): (method: string, path: string, body?: Uint8Array | string, headers?: Record<string, string>) => Promise<Response> {
  const sv4 = new SignatureV4({ service: 'aps', region: 'us-east-1', sha256: Hash.bind(null, 'sha256'), credentials: ROOT });
  return async (method, path, body, headers = {}) => {
    const url = new URL(path, address);
    const s = await sv4.sign({ method, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query: Object.fromEntries(url.searchParams), headers: { host: url.host, ...headers }, body });
    const { host: _h, ...send } = s.headers as Record<string, string>;
    return fetch(url, { method, headers: send, body });
  };
}

function writeBody(series: readonly TestSeries[]): Uint8Array {
  return compressSync(Buffer.from(encodeWriteRequestV1(series)));
}

const RW_HEADERS = { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' };

/** serve starts the build under test, loads the data and runs the client process against it. */
async function serve(): Promise<void> {
  const root = resolve(args.root ?? join(import.meta.dirname, '..'));
  const load = async <T>(rel: string): Promise<T> => (await import(pathToFileURL(join(root, rel)).href)) as T;
  const { startAmphora } = await load<typeof import('../src/app/amphora.js')>('src/app/amphora.js');
  const { loadConfig } = await load<typeof import('../src/app/config.js')>('src/app/config.js');
  const dataDir = mkdtempSync(join(tmpdir(), 'amphora-qbench-'));
  const flags: Record<string, unknown> = { dataDir, listen: '127.0.0.1:0', logLevel: 'warn', rootAccessKeyId: ROOT.accessKeyId, rootSecretAccessKey: ROOT.secretAccessKey };
  if (args.workers) flags.query = { workers: Number(args.workers) };
  const amphora = await startAmphora(loadConfig({ flags: flags as never }));
  const signed = signer(amphora.address);
  const create = async (alias: string): Promise<string> =>
    ((await (await signed('POST', '/workspaces', JSON.stringify({ alias }), { 'content-type': 'application/json' })).json()) as { workspaceId: string }).workspaceId;
  const ws = await create('bench');
  const heavyWs = await create('heavy');
  await new Promise((r) => setTimeout(r, 1200));
  const now = Date.now();
  const series: TestSeries[] = [];
  for (let i = 0; i < SERIES; i++) {
    const samples = [];
    for (let k = 0; k < POINTS; k++) samples.push({ value: k * (1 + (i % 7)), timestamp: now - (POINTS - k) * 15_000 });
    series.push({ labels: [['__name__', 'bench_metric'], ['i', String(i)], ['job', `job${i % 10}`]], samples });
  }
  for (const id of [ws, heavyWs]) {
    const w = await signed('POST', `/workspaces/${id}/api/v1/remote_write`, writeBody(series), RW_HEADERS);
    if (w.status !== 204) throw new Error(`remote write: ${w.status}`);
  }
  const target: Target = { address: amphora.address, ws, heavyWs, now };
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--client', JSON.stringify(target), '--seconds', args.seconds!], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  // The server's CPU use per second (all its threads): above 100% means query work ran in parallel.
  let peak = 0;
  let last = process.cpuUsage();
  const sampler = setInterval(() => {
    const u = process.cpuUsage(last);
    last = process.cpuUsage();
    peak = Math.max(peak, (u.user + u.system) / 10_000);
  }, 1000);
  await new Promise((r) => child.on('exit', r));
  clearInterval(sampler);
  process.stdout.write(`${JSON.stringify({ root, workers: args.workers ?? 'default', ...(JSON.parse(out) as object), serverCpuPeakPct: Math.round(peak) })}\n`);
  await amphora.close();
  rmSync(dataDir, { recursive: true, force: true });
}

/** client measures a running server. */
async function client(t: Target): Promise<void> {
  const signed = signer(t.address);
  const query = async (q: string): Promise<void> => {
    const r = await signed('GET', `/workspaces/${t.ws}/api/v1/query_range?${new URLSearchParams({ query: q, start: String(t.now / 1000 - 3600), end: String(t.now / 1000), step: '60' })}`);
    if (r.status !== 200) throw new Error(`query ${q}: ${r.status} ${await r.text()}`);
    await r.arrayBuffer();
  };
  const qps = async (clients: number, seconds: number): Promise<number> => {
    let n = 0;
    const t0 = performance.now();
    const end = t0 + seconds * 1000;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (performance.now() < end) {
          await query(STANDARD);
          n++;
        }
      }),
    );
    return +(n / ((performance.now() - t0) / 1000)).toFixed(2);
  };
  const pct = (ms: number[], p: number): number => +(ms[Math.min(ms.length - 1, Math.floor(ms.length * p))] ?? NaN).toFixed(1);
  const upLatency = async (n: number): Promise<{ p50: number; p90: number }> => {
    const ms: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      await (await signed('GET', `/workspaces/${t.ws}/api/v1/query?query=up`)).arrayBuffer();
      ms.push(performance.now() - t0);
    }
    ms.sort((a, b) => a - b);
    return { p50: pct(ms, 0.5), p90: pct(ms, 0.9) };
  };
  const isolation = async (): Promise<object> => {
    const t0 = performance.now();
    let done = false;
    const heavy = signed('GET', `/workspaces/${t.heavyWs}/api/v1/query?${new URLSearchParams({ query: HEAVY, time: String(t.now / 1000), timeout: '3s' })}`).then(async (r) => {
      await r.arrayBuffer();
      done = true;
      return { status: r.status, ms: Math.round(performance.now() - t0) };
    });
    const ms: number[] = [];
    await new Promise((r) => setTimeout(r, 50));
    for (let k = 1; !done; k++) {
      const body = writeBody([{ labels: [['__name__', 'small_write']], samples: [{ value: k, timestamp: t.now + k }] }]);
      const s0 = performance.now();
      await (await signed('POST', `/workspaces/${t.ws}/api/v1/remote_write`, body, RW_HEADERS)).arrayBuffer();
      ms.push(performance.now() - s0);
      await new Promise((r) => setTimeout(r, 20));
    }
    ms.sort((a, b) => a - b);
    return { heavy: await heavy, writes: ms.length, p50: pct(ms, 0.5), p99: pct(ms, 0.99), max: pct(ms, 1) };
  };
  const seconds = Number(args.seconds);
  for (let i = 0; i < 3; i++) await query(STANDARD);
  const qps1 = await qps(1, seconds);
  const qps4 = await qps(4, seconds);
  const up = await upLatency(200);
  const iso = await isolation();
  process.stdout.write(JSON.stringify({ query: STANDARD, series: SERIES, qps1, qps4, ratio: +(qps4 / qps1).toFixed(2), upLatencyMs: up, smallWritesDuringHeavyQueryMs: iso }));
}

if (args.client) await client(JSON.parse(args.client) as Target);
else await serve();
process.exit(0);
