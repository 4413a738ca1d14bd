/**
 * query-throughput measures the query API over HTTP with SigV4: queries per second of one
 * client against four concurrent clients on a standard query, and the latency of a trivial
 * `up` query (the cost of the worker hop). Quick, not part of `npm run bench`:
 *
 *     node dist/bench/query-throughput.js [--root <dist dir of the build to measure>] [--workers N] [--seconds S]
 *
 * --root lets the same script measure another build (for instance the commit before query workers).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { compressSync } from 'snappy';

const { values: args } = parseArgs({ options: { root: { type: 'string' }, workers: { type: 'string' }, seconds: { type: 'string', default: '8' } } });
const root = resolve(args.root ?? join(import.meta.dirname, '..'));
const load = async <T>(rel: string): Promise<T> => (await import(pathToFileURL(join(root, rel)).href)) as T;
const { startAmphora } = await load<typeof import('../src/app/amphora.js')>('src/app/amphora.js');
const { loadConfig } = await load<typeof import('../src/app/config.js')>('src/app/config.js');
const { encodeWriteRequestV1 } = await load<typeof import('../src/remote/pb-writer.js')>('src/remote/pb-writer.js');

const ROOT = { accessKeyId: 'AKIABENCHROOTEXAMPLE', secretAccessKey: 'bench-root-secret-key-for-amphora-000000' };
const SERIES = 2000;
const POINTS = 240;
const STANDARD = 'sum by (job) (rate(bench_metric[5m]))';

const dataDir = mkdtempSync(join(tmpdir(), 'amphora-qbench-'));
const flags: Record<string, unknown> = { dataDir, listen: '127.0.0.1:0', logLevel: 'warn', rootAccessKeyId: ROOT.accessKeyId, rootSecretAccessKey: ROOT.secretAccessKey };
if (args.workers) flags.query = { workers: Number(args.workers) };
const amphora = await startAmphora(loadConfig({ flags: flags as never }));
const signer = new SignatureV4({ service: 'aps', region: 'us-east-1', sha256: Hash.bind(null, 'sha256'), credentials: ROOT });

async function signed(method: string, path: string, body?: Uint8Array | string, headers: Record<string, string> = {}): Promise<Response> {
  const url = new URL(path, amphora.address);
  const s = await signer.sign({ method, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query: Object.fromEntries(url.searchParams), headers: { host: url.host, ...headers }, body });
  const { host: _h, ...send } = s.headers as Record<string, string>;
  return fetch(url, { method, headers: send, body });
}

const ws = ((await (await signed('POST', '/workspaces', JSON.stringify({ alias: 'bench' }), { 'content-type': 'application/json' })).json()) as { workspaceId: string }).workspaceId;
await new Promise((r) => setTimeout(r, 1200));
const now = Date.now();
const series = [];
for (let i = 0; i < SERIES; i++) {
  const samples = [];
  for (let k = 0; k < POINTS; k++) samples.push({ value: k * (1 + (i % 7)), timestamp: now - (POINTS - k) * 15_000 });
  series.push({ labels: [['__name__', 'bench_metric'], ['i', String(i)], ['job', `job${i % 10}`]] as [string, string][], samples });
}
const w = await signed('POST', `/workspaces/${ws}/api/v1/remote_write`, compressSync(Buffer.from(encodeWriteRequestV1(series))), { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' });
if (w.status !== 204) throw new Error(`remote write: ${w.status}`);

async function query(q: string): Promise<void> {
  const r = await signed('GET', `/workspaces/${ws}/api/v1/query_range?${new URLSearchParams({ query: q, start: String(now / 1000 - 3600), end: String(now / 1000), step: '60' })}`);
  if (r.status !== 200) throw new Error(`query ${q}: ${r.status} ${await r.text()}`);
  await r.arrayBuffer();
}

async function qps(clients: number, seconds: number): Promise<number> {
  let n = 0;
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end) {
        await query(STANDARD);
        n++;
      }
    }),
  );
  return n / ((performance.now() - t0) / 1000);
}

async function upLatency(n: number): Promise<{ p50: number; p90: number }> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const r = await signed('GET', `/workspaces/${ws}/api/v1/query?query=up`);
    await r.arrayBuffer();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { p50: ms[Math.floor(n * 0.5)]!, p90: ms[Math.floor(n * 0.9)]! };
}

const seconds = Number(args.seconds);
for (let i = 0; i < 3; i++) await query(STANDARD);
const one = await qps(1, seconds);
const four = await qps(4, seconds);
const up = await upLatency(200);
process.stdout.write(
  `${JSON.stringify({ root, query: STANDARD, series: SERIES, qps1: +one.toFixed(2), qps4: +four.toFixed(2), ratio: +(four / one).toFixed(2), upLatencyMs: { p50: +up.p50.toFixed(2), p90: +up.p90.toFixed(2) } })}\n`,
);
await amphora.close();
rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
