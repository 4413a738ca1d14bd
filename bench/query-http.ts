// Query latency over HTTP: the standard PromQL queries against the real server (SigV4 signing,
// HTTP, JSON rendering and client-side JSON.parse included) beside Prometheus 2.42 holding the same
// data, queried over HTTP too (unsigned). Runs alternate between the two so both see the same load.

import { availableParallelism, loadavg } from 'node:os';
import { sharedHttpBenchData, queryAmphora, queryPrometheus, type HttpBenchData, type QueryCell } from './http-data.js';
import { compareResults, normalisePrometheus } from './promql-queries.js';
import { BENCH_ROOT } from './server.js';
import { measureSigningCost } from './sigv4-client.js';
import { benchQuick, geomean, percentiles, procCpuMs } from './tools.js';

/** QueryHttpOptions bound the timed runs of one query: at most runs, at least minRuns, and budgetMs of wall time per query. */
export interface QueryHttpOptions {
  runs: number;
  minRuns: number;
  warmup: number;
  budgetMs: number;
}

/**
 * defaultQueryHttpOptions: 5 warm-up runs per query on both sides (Amphora's query worker is JIT-compiled, so its first
 * runs of a query shape measure the compiler, not the steady state a long-running server serves; the first run is
 * reported apart as cold_ms), then up to 10 alternating runs (3 at least) within 3 s; BENCH_QUICK=1 halves them.
 */
export function defaultQueryHttpOptions(): QueryHttpOptions {
  return benchQuick() ? { runs: 5, minRuns: 3, warmup: 2, budgetMs: 1500 } : { runs: 10, minRuns: 3, warmup: 5, budgetMs: 3000 };
}

async function measureCell(data: HttpBenchData, c: QueryCell, o: QueryHttpOptions): Promise<Record<string, unknown>> {
  const prom = data.prometheus;
  const cold: { amphora?: number; prometheus?: number } = {};
  for (let i = 0; i < o.warmup; i++) {
    const a = (await queryAmphora(data, c)).ms;
    const p = prom ? (await queryPrometheus(data, c)).ms : undefined;
    if (i === 0) Object.assign(cold, { amphora: a, prometheus: p });
  }
  const amp: number[] = [];
  const pro: number[] = [];
  let ampCpu = 0;
  let proCpu = 0;
  const t0 = performance.now();
  while (amp.length < o.runs && (amp.length < o.minRuns || performance.now() - t0 < o.budgetMs)) {
    const a0 = procCpuMs(data.amphora.proc.pid);
    amp.push((await queryAmphora(data, c)).ms);
    ampCpu += procCpuMs(data.amphora.proc.pid) - a0;
    if (prom) {
      const p0 = procCpuMs(prom.pid);
      pro.push((await queryPrometheus(data, c)).ms);
      proCpu += procCpuMs(prom.pid) - p0;
    }
  }
  const a = percentiles(amp);
  const out: Record<string, unknown> = { expr: c.expr, runs: a.n, amphora_median_ms: a.p50, amphora_p90_ms: a.p90, amphora_server_cpu_ms_per_run: Math.round(ampCpu / a.n), amphora_cold_ms: cold.amphora };
  if (!prom) return out;
  const p = percentiles(pro);
  const cmp = compareResults(normalisePrometheus((await queryAmphora(data, c)).body), normalisePrometheus((await queryPrometheus(data, c)).body));
  return {
    ...out,
    prometheus_median_ms: p.p50,
    prometheus_p90_ms: p.p90,
    prometheus_server_cpu_ms_per_run: Math.round(proCpu / p.n),
    prometheus_cold_ms: cold.prometheus,
    ratio: +(a.p50 / p.p50).toFixed(3),
    series: { amphora: cmp.amphoraSeries, prometheus: cmp.prometheusSeries },
    mismatched_points: cmp.mismatchedPoints,
  };
}

/** runQueryHttpBench measures per-query median latency over HTTP for Amphora and Prometheus 2.42 and the geometric mean of their ratios. */
export async function runQueryHttpBench(options: Partial<QueryHttpOptions> = {}): Promise<Record<string, unknown>> {
  const o = { ...defaultQueryHttpOptions(), ...options };
  const out: Record<string, unknown> = {
    cores: availableParallelism(),
    load_average_1m_at_start: loadavg()[0],
    note: 'Client-side wall time per query over loopback HTTP: Amphora with a SigV4-signed GET (signing included), Prometheus unsigned; both bodies fully read and JSON.parsed. Runs alternate Amphora/Prometheus. ratio = amphora / prometheus medians (<1 is faster). server_cpu_ms_per_run is the server process CPU per query (/proc, 10 ms ticks). mismatched_points compares the two results (subquery values legitimately differ: inner steps are grid-aligned while evaluation times sit 1 s after the sample grid).',
    target: 'geomean ratio <= 0.7, no query above 1.0',
    signing_cost: await measureSigningCost(BENCH_ROOT),
  };
  const data = await sharedHttpBenchData();
  Object.assign(out, data.figures);
  if (data.skipped) out.prometheus = data.skipped;
  const queries: Record<string, Record<string, unknown>> = {};
  for (const c of data.cells) queries[c.key] = await measureCell(data, c, o);
  out.queries = queries;
  const ratios = Object.values(queries).map((q) => q.ratio as number | undefined);
  if (ratios.every((r) => r !== undefined)) {
    out.geomean_ratio = +geomean(ratios as number[]).toFixed(3);
    out.max_ratio = Math.max(...(ratios as number[]));
    out.queries_above_1 = Object.entries(queries).filter(([, q]) => (q.ratio as number) > 1).map(([k]) => k);
  }
  out.load_average_1m_at_end = loadavg()[0];
  return out;
}
