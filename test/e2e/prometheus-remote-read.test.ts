// Differential test: a stock Prometheus (Debian's 2.42) with a remote_read block pointing at an
// Amphora workspace (through the SigV4-signing forwarder: it cannot sign) answers PromQL as
// Amphora answers the same PromQL directly.
import { spawnSync, type ChildProcess } from 'node:child_process';
import type { Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrometheus, stopProcess } from '../../bench/tools.js';
import { encodeWriteRequestV1, type TestSeries } from '../../src/remote/pb-writer.js';
import { snappy } from '../../src/remote/test-env.js';
import { ROOT, signedFetch, startTestAmphora } from './helpers.js';
import { startSigV4Proxy } from './sigv4-proxy.js';

const HAVE_PROMETHEUS = spawnSync('sh', ['-c', 'command -v prometheus']).status === 0;
if (!HAVE_PROMETHEUS) console.warn('skipping remote-read differential test: prometheus is not on PATH');

interface Result {
  resultType: string;
  result: { metric: Record<string, string>; value?: [number, string]; values?: [number, string][] }[];
}

describe.skipIf(!HAVE_PROMETHEUS)('Prometheus remote_read from Amphora answers as Amphora does', () => {
  let amphora: Awaited<ReturnType<typeof startTestAmphora>>;
  let proxy: { url: string; server: Server };
  let prom: { proc: ChildProcess; url: string; log: () => string } | null = null;
  let dir = '';
  const now = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
  const start = now - 50 * 60_000;

  beforeAll(async () => {
    amphora = await startTestAmphora();
    const ws = amphora.controlPlane.workspaces.create({ alias: 'remote-read' }).workspaceId;
    await new Promise((r) => setTimeout(r, 1100));
    const series: TestSeries[] = [];
    for (let i = 0; i < 12; i++) {
      const samples = [];
      for (let t = start, k = 0; t <= now; t += 15_000, k++) samples.push({ timestamp: t, value: k * (i + 1) + (k % 7 === 0 ? 0.25 : 0) });
      series.push({ labels: [['__name__', 'rr_requests_total'], ['instance', `host-${i % 4}`], ['job', i < 6 ? 'api' : 'db'], ['code', i % 3 === 0 ? '500' : '200'], ['shard', String(i)]], samples });
      series.push({ labels: [['__name__', 'rr_temperature'], ['sensor', String(i)]], samples: samples.map((s) => ({ timestamp: s.timestamp, value: Math.sin(s.timestamp / 600_000 + i) * 20 })) });
    }
    const w = await signedFetch(amphora.address, 'POST', `/workspaces/${ws}/api/v1/remote_write`, snappy(encodeWriteRequestV1(series)), { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' });
    expect(w.status, await w.text()).toBe(204);
    proxy = await startSigV4Proxy(amphora.address, ROOT);
    dir = mkdtempSync(join(tmpdir(), 'amphora-rr-prom-'));
    const cfg = join(dir, 'prometheus.yml');
    writeFileSync(cfg, ['global: { scrape_interval: 1m }', 'remote_read:', `  - url: ${proxy.url}/workspaces/${ws}/api/v1/read`, '    read_recent: true'].join('\n'));
    prom = await startPrometheus(join(dir, 'data'), cfg);
    (amphora as unknown as { ws: string }).ws = ws;
  }, 60_000);

  afterAll(async () => {
    if (prom) await stopProcess(prom.proc);
    proxy?.server.close();
    await amphora?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function both(path: string, params: Record<string, string>): Promise<[Result, Result]> {
    const qs = new URLSearchParams(params).toString();
    const ws = (amphora as unknown as { ws: string }).ws;
    const a = (await (await signedFetch(amphora.address, 'GET', `/workspaces/${ws}/api/v1/${path}?${qs}`)).json()) as { status: string; data: Result; error?: string };
    const p = (await (await fetch(`${prom!.url}/api/v1/${path}?${qs}`)).json()) as { status: string; data: Result; error?: string };
    expect(a.status, a.error).toBe('success');
    expect(p.status, `${p.error} ${prom!.log().slice(-1500)}`).toBe('success');
    const sort = (r: Result): Result => ({ ...r, result: [...r.result].sort((x, y) => JSON.stringify(x.metric).localeCompare(JSON.stringify(y.metric))) });
    return [sort(a.data), sort(p.data)];
  }

  /** same compares two results; values to 1e-12 relative (Prometheus 2.42's and Amphora's float sums may differ in the last bit). */
  function same(p: Result, a: Result): void {
    const round = (r: Result) => JSON.parse(JSON.stringify(r, (k, v) => (typeof v === 'string' && /^-?\d/.test(v) && !Number.isNaN(Number(v)) && k !== 'le' ? Number(Number(v).toPrecision(12)) : v))) as Result;
    expect(round(p)).toEqual(round(a));
  }

  // Evaluation times sit between samples (7 s past the 15 s grid): Prometheus 3 (Amphora) made range
  // selectors left-open, Prometheus 2.42 closed, which only differs for a sample exactly on the boundary.
  const at = now - 7_000;

  const queries = ['rr_requests_total', 'sum by (job, code) (rate(rr_requests_total[5m]))', 'max_over_time(rr_temperature[10m])', 'count(rr_temperature > 0)', 'topk(3, rr_temperature)', 'histogram_quantile(0.9, sum by (le) (rate(rr_requests_total[5m])))'];
  for (const q of queries) {
    it(`instant ${q}`, async () => {
      const [a, p] = await both('query', { query: q, time: String(at / 1000) });
      expect(p.result.length).toBeGreaterThan(q.startsWith('histogram') ? -1 : 0);
      same(p, a);
    });
  }

  it('range query over the whole span', async () => {
    const [a, p] = await both('query_range', { query: 'sum by (job) (increase(rr_requests_total[2m]))', start: String((start + 53_000) / 1000), end: String(at / 1000), step: '60' });
    expect(p.result.length).toBe(2);
    same(p, a);
  });

  it('series listing', async () => {
    const ws = (amphora as unknown as { ws: string }).ws;
    const qs = new URLSearchParams({ 'match[]': 'rr_temperature', start: String(start / 1000), end: String(now / 1000) }).toString();
    const a = (await (await signedFetch(amphora.address, 'GET', `/workspaces/${ws}/api/v1/series?${qs}`)).json()) as { data: unknown[] };
    const p = (await (await fetch(`${prom!.url}/api/v1/series?${qs}`)).json()) as { data: unknown[] };
    expect(p.data.length).toBe(12);
    expect(new Set(p.data.map((x) => JSON.stringify(x)))).toEqual(new Set(a.data.map((x) => JSON.stringify(x))));
  });
});
