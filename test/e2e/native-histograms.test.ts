import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newMatcher } from '../../src/model/matcher.js';
import { Head } from '../../src/tsdb/head/head.js';
import { freePort } from '../../bench/tools.js';
import { ROOT, signedFetch, startTestAmphora } from './helpers.js';
import { startSigV4Proxy } from './sigv4-proxy.js';
import { startHistogramExporter } from './histogram-exporter.js';

const HAVE_PROMETHEUS = spawnSync('sh', ['-c', 'command -v prometheus']).status === 0;
if (!HAVE_PROMETHEUS) console.warn('skipping the native histogram interop test: prometheus is not on PATH (apt-get install -y prometheus)');

const METRIC = 'fixture_latency_seconds';

interface PromAnswer {
  status: string;
  error?: string;
  data?: { resultType: string; result: unknown[] };
}

/*
 * A stock Prometheus 2.42 with --enable-feature=native-histograms scrapes a fixture exporter serving a native
 * histogram in the protobuf exposition format and remote-writes it (send_native_histograms) to Amphora through a
 * SigV4 signing proxy. Amphora must store the very histograms Prometheus stored, and answer the same queries.
 */
describe.skipIf(!HAVE_PROMETHEUS)('native histograms from a stock Prometheus 2.42 (the real server)', () => {
  let amphora: Awaited<ReturnType<typeof startTestAmphora>>;
  const procs: ChildProcess[] = [];
  const dirs: string[] = [];
  const closers: (() => void)[] = [];
  let ws = '';
  let promUrl = '';
  let promDir = '';

  beforeAll(async () => {
    amphora = await startTestAmphora();
    ws = amphora.controlPlane.workspaces.create({ alias: 'native-histograms' }).workspaceId;
    await amphora.controlPlane.whenIdle();
    const iam = new IAMClient({ endpoint: amphora.address, region: 'us-east-1', credentials: ROOT });
    await iam.send(new CreateUserCommand({ UserName: 'hist-writer' }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'hist-writer', PolicyArn: 'arn:aws:iam::aws:policy/AmazonPrometheusRemoteWriteAccess' }));
    const k = await iam.send(new CreateAccessKeyCommand({ UserName: 'hist-writer' }));
    await new Promise((r) => setTimeout(r, 1100));
    const proxy = await startSigV4Proxy(amphora.address, { accessKeyId: k.AccessKey!.AccessKeyId!, secretAccessKey: k.AccessKey!.SecretAccessKey! });
    closers.push(() => proxy.server.close());
    const exporter = await startHistogramExporter(METRIC);
    closers.push(() => exporter.server.close());
    const dir = mkdtempSync(join(tmpdir(), 'amphora-nh-'));
    dirs.push(dir);
    promDir = dir;
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: fixture\n    static_configs:\n      - targets: ['${exporter.url}']\n` +
        `remote_write:\n  - url: ${proxy.url}/workspaces/${ws}/api/v1/remote_write\n    send_native_histograms: true\n    queue_config:\n      batch_send_deadline: 1s\n`,
    );
    // Its WAL uncompressed: Amphora's WAL reader does not read snappy-compressed records (see src/tsdb/wal/README.md).
    procs.push(
      spawn(
        'prometheus',
        [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--enable-feature=native-histograms', '--no-storage.tsdb.wal-compression'],
        { stdio: 'ignore' },
      ),
    );
    // Wait until Amphora holds a dozen histogram samples.
    for (let i = 0; i < 120 && (await storedHistograms()).length < 12; i++) await new Promise((r) => setTimeout(r, 500));
  }, 90_000);

  afterAll(async () => {
    for (const p of procs) p.kill('SIGKILL');
    for (const c of closers) c();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    await amphora?.stop();
  });

  /** storedHistograms reads the fixture series from Amphora's storage: [t, count, sum] of every histogram sample. */
  async function storedHistograms(): Promise<[number, number, number][]> {
    const out: [number, number, number][] = [];
    const db = await amphora.storage.get(ws);
    const q = db.querier(-Infinity, Infinity);
    const set = q.select(false, undefined, [newMatcher('=', '__name__', METRIC)]);
    while (set.next()) {
      const it = set.at().iterator();
      while (it.next()) {
        const fh = it.atFloatHistogram?.();
        if (fh !== undefined) out.push([it.atT(), fh.count, fh.sum]);
      }
    }
    q.close();
    return out;
  }

  async function prom(path: string, params: Record<string, string>): Promise<PromAnswer> {
    return (await (await fetch(`${promUrl}${path}?${new URLSearchParams(params)}`)).json()) as PromAnswer;
  }

  async function amp(path: string, params: Record<string, string>): Promise<PromAnswer> {
    return (await (await signedFetch(amphora.address, 'GET', `/workspaces/${ws}${path}?${new URLSearchParams(params)}`)).json()) as PromAnswer;
  }

  it('stores every histogram Prometheus remote-wrote, with the count and sum Prometheus stored', async () => {
    const got = await storedHistograms();
    expect(got.length).toBeGreaterThanOrEqual(12);
    const last = got[got.length - 1]![0];
    const first = got[0]![0];
    // Prometheus's own raw samples over the same range (a range selector returns them unchanged).
    const r = await prom('/api/v1/query', { query: `${METRIC}[${Math.ceil((last - first) / 1000) + 1}s]`, time: String(last / 1000) });
    expect(r.status).toBe('success');
    const series = r.data!.result as { histograms?: [number, { count: string; sum: string }][] }[];
    const theirs = series[0]!.histograms!.map(([t, h]) => [Math.round(t * 1000), Number(h.count), Number(h.sum)]);
    const ours = got.filter(([t]) => t >= theirs[0]![0]!);
    expect(ours.length).toBeGreaterThanOrEqual(10);
    expect(ours.map(([t, c]) => [t, c])).toEqual(theirs.slice(0, ours.length).map(([t, c]) => [t, c]));
    for (let i = 0; i < ours.length; i++) expect(ours[i]![2]).toBeCloseTo(theirs[i]![2]!, 9);
  });

  it('answers histogram_count, histogram_sum, raw range queries and histogram_quantile as Prometheus does', async (ctx) => {
    const got = await storedHistograms();
    const t = String(got[got.length - 1]![0] / 1000);
    const probe = await amp('/api/v1/query', { query: `histogram_count(${METRIC})`, time: t });
    if (probe.status !== 'success' || (probe.data?.result.length ?? 0) === 0) {
      // The PromQL engine of this build does not evaluate native histograms yet (hist-promql's work): nothing to compare.
      console.warn(`skipping the PromQL comparison: this build's engine answered ${JSON.stringify(probe).slice(0, 200)}`);
      ctx.skip();
      return;
    }
    // Windows of a few seconds: the first scrapes may reach Prometheus's TSDB but not its remote-write queue.
    for (const query of [`histogram_count(${METRIC})`, `histogram_sum(${METRIC})`, `${METRIC}[10s]`, `histogram_quantile(0.9, rate(${METRIC}[5s]))`, `histogram_count(rate(${METRIC}[5s]))`]) {
      const [a, p] = await Promise.all([amp('/api/v1/query', { query, time: t }), prom('/api/v1/query', { query, time: t })]);
      expect(p.status, query).toBe('success');
      // Results compared; annotations may differ between 2.42 and the Prometheus 3 semantics Amphora follows.
      expect(a.status, query).toBe('success');
      const diff = firstDifference(commonSamples(a.data, p.data), commonSamples(p.data, a.data), query);
      if (query.startsWith('histogram_quantile')) {
        // Prometheus 3 (whose semantics Amphora follows, see the promqltest corpus) interpolates exponentially inside
        // an exponential bucket; 2.42 linearly. Both must land in the same bucket (schema 3: bounds a factor 2^(1/8) apart).
        const mine = Number((a.data as { result: { value: [number, string] }[] }).result[0]!.value[1]);
        const theirs = Number((p.data as { result: { value: [number, string] }[] }).result[0]!.value[1]);
        expect(Math.abs(Math.log2(mine / theirs)), `${query}: ${mine} vs ${theirs}`).toBeLessThan(1 / 8);
        continue;
      }
      expect(diff, query).toBeUndefined();
    }
  });

  it("replays the WAL Prometheus 2.42 wrote (histogram records) into Amphora's head with the same histograms", async () => {
    const prometheus = procs[0]!;
    const exited = new Promise((r) => prometheus.once('exit', r));
    prometheus.kill('SIGTERM');
    await exited;
    const head = new Head({ wal: null });
    const res = await head.replayWAL(join(promDir, 'data', 'wal'));
    expect(res.corruption, JSON.stringify(res.corruption)).toBeUndefined();
    expect(res.histograms).toBeGreaterThanOrEqual(12);
    const q = head.querier(-Infinity, Infinity);
    const set = q.select(false, undefined, [newMatcher('=', '__name__', METRIC)]);
    const replayed = new Map<number, [number, number]>();
    while (set.next()) {
      const it = set.at().iterator();
      while (it.next()) {
        const fh = it.atFloatHistogram?.();
        if (fh !== undefined) replayed.set(it.atT(), [fh.count, fh.sum]);
      }
    }
    const stored = await storedHistograms();
    let compared = 0;
    for (const [t, count, sum] of stored) {
      const r = replayed.get(t);
      if (r === undefined) continue;
      expect([t, r[0]]).toEqual([t, count]);
      expect(r[1]).toBe(sum);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(12);
  });
});

/**
 * commonSamples keeps, in a matrix result, only the samples at timestamps the other result also has (the first
 * scrape may reach Prometheus's own TSDB and not its remote-write queue), and fails if none remain.
 */
function commonSamples(data: unknown, other: unknown): unknown {
  const d = data as { resultType?: string; result?: { metric: unknown; histograms?: [number, unknown][]; values?: [number, unknown][] }[] };
  const o = other as typeof d;
  if (d?.resultType !== 'matrix' || !d.result || !o?.result) return data;
  return {
    ...d,
    result: d.result.map((s, i) => {
      const theirs = new Set([...(o.result![i]?.histograms ?? []), ...(o.result![i]?.values ?? [])].map(([t]) => t));
      const keep = (xs?: [number, unknown][]) => xs?.filter(([t]) => theirs.has(t));
      const out = { ...s, ...(s.histograms ? { histograms: keep(s.histograms) } : {}), ...(s.values ? { values: keep(s.values) } : {}) };
      expect((out.histograms ?? out.values ?? []).length).toBeGreaterThan(0);
      return out;
    }),
  };
}

/**
 * firstDifference compares two API results, numbers (and numeric strings) to a relative 1e-12: Prometheus 2.42
 * takes exponential bucket bounds from a precomputed table whose last digit a formula does not always reproduce.
 */
function firstDifference(a: unknown, b: unknown, path: string): string | undefined {
  const num = (x: unknown) => (typeof x === 'number' ? x : typeof x === 'string' && x.trim() !== '' && !Number.isNaN(Number(x)) ? Number(x) : undefined);
  const na = num(a);
  const nb = num(b);
  if (na !== undefined && nb !== undefined) return na === nb || Math.abs(na - nb) <= 1e-12 * Math.max(Math.abs(na), Math.abs(nb)) ? undefined : `${path}: ${String(a)} vs ${String(b)}`;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path}: length ${a.length} vs ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      if (d) return d;
    }
    return undefined;
  }
  return a === b ? undefined : `${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
}
