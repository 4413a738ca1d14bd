// PromQL latency benchmark: a fixed query set over rwload's data set (20,000 node_exporter
// series, 2h at 15s), Amphora's engine beside Prometheus 2.42 holding the same samples.

import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { labelsToString } from '../src/model/labels.js';
import { Engine } from '../src/promql/engine/engine.js';
import { TSDB } from '../src/tsdb/db.js';
import { generateRwloadData, loadIntoTSDB, runRwload, RWLOAD_SCRIPT, type RwloadData, type RwloadShape } from './promql-data.js';
import { profileCPU } from './promql-profile.js';
import {
  compareResults,
  fetchPrometheus,
  normaliseAmphora,
  normalisePrometheus,
  PROMQL_BENCH_QUERIES,
  promURL,
  runAmphora,
  toPrometheusJSON,
  type Comparison,
  type QueryMode,
} from './promql-queries.js';
import { hasCommand, percentiles, procCpuMs, startPrometheus, stopProcess } from './tools.js';

/** PromqlBenchOptions size the data set and the measurement. */
export interface PromqlBenchOptions extends RwloadShape {
  /** runs is the number of timed runs per query and mode (after warm-up), fewer if budgetMs runs out. */
  runs: number;
  /** minRuns is the number of timed runs made whatever the budget. */
  minRuns: number;
  warmup: number;
  /** budgetMs bounds the timed runs of one query, mode and engine. */
  budgetMs: number;
  /** rangeMs and rangeStepMs shape the range queries (the last rangeMs of the data). */
  rangeMs: number;
  rangeStepMs: number;
  /**
   * evalOffsetMs places evaluation times this far after the sample grid (as a dashboard's "now"), so that
   * Prometheus 2.42's closed windows [t-r, t] and Amphora's Prometheus-3 left-open windows (t-r, t] hold the
   * same samples and values can be compared.
   */
  evalOffsetMs: number;
  /** profileQueries is how many of Amphora's slowest query/mode pairs are profiled. */
  profileQueries: number;
  /** rwloadScript is the rwload tool (default ../shared/tools/rwload/rwload.mjs from the working directory). */
  rwloadScript: string;
}

/** defaultPromqlBenchOptions: rwload's 20,000 series x 480 points at 15s from a fixed, 2h-aligned start; 1h range queries at 15s. */
export function defaultPromqlBenchOptions(): PromqlBenchOptions {
  return {
    series: 20_000,
    points: 480,
    stepMs: 15_000,
    shards: 4,
    batch: 2000,
    start: 1_699_999_200_000,
    seed: 42,
    runs: 10,
    minRuns: 3,
    warmup: 1,
    budgetMs: 4000,
    rangeMs: 3_600_000,
    rangeStepMs: 15_000,
    evalOffsetMs: 1000,
    profileQueries: 3,
    rwloadScript: RWLOAD_SCRIPT,
  };
}

interface Timing {
  median: number;
  p90: number;
  runs: number;
}

function stats(ms: number[]): Timing {
  const p = percentiles(ms);
  return { median: p.p50, p90: p.p90, runs: p.n };
}

interface PairTimes {
  amphora: number[];
  amphoraJSON: number[];
  prometheus: number[];
  /** amphoraCpuMs and prometheusCpuMs are mean CPU time per timed run (contention-independent). */
  amphoraCpuMs: number;
  prometheusCpuMs: number;
}

/** measurePair alternates Amphora and Prometheus runs so both see the same machine load. */
async function measurePair(o: PromqlBenchOptions, amphora: () => [number, number], prometheus: (() => Promise<number>) | null, pid: number | undefined): Promise<PairTimes> {
  for (let i = 0; i < o.warmup; i++) {
    amphora();
    if (prometheus) await prometheus();
  }
  const r: PairTimes = { amphora: [], amphoraJSON: [], prometheus: [], amphoraCpuMs: 0, prometheusCpuMs: 0 };
  const t0 = performance.now();
  while (r.amphora.length < o.runs && (r.amphora.length < o.minRuns || performance.now() - t0 < o.budgetMs)) {
    const c0 = process.cpuUsage();
    const [engineMs, withJSON] = amphora();
    const c1 = process.cpuUsage(c0);
    r.amphoraCpuMs += (c1.user + c1.system) / 1000;
    r.amphora.push(engineMs);
    r.amphoraJSON.push(withJSON);
    if (prometheus) {
      const p0 = procCpuMs(pid);
      r.prometheus.push(await prometheus());
      r.prometheusCpuMs += procCpuMs(pid) - p0;
    }
  }
  r.amphoraCpuMs /= r.amphora.length;
  r.prometheusCpuMs /= r.amphora.length;
  return r;
}

function selectorFor(data: RwloadData, i: number): string {
  return labelsToString(data.series[i]!.labels);
}

/** spotCheck asserts that both engines hold rwload's exact values and sample counts. */
async function spotCheck(data: RwloadData, engine: Engine, db: TSDB, promUrl: string | null): Promise<Record<string, unknown>> {
  const { shape, values } = data;
  const n = shape.series;
  const end = shape.start + (shape.points - 1) * shape.stepMs;
  const picks: [number, number][] = [[0, 0], [1, shape.points - 1], [Math.floor(n / 3), Math.floor(shape.points / 2)], [n - 1, shape.points - 1], [n - 2, 7]];
  const checked: string[] = [];
  for (const [i, p] of picks) {
    const expr = selectorFor(data, i);
    const t = shape.start + p * shape.stepMs;
    const want = values[i * shape.points + p]!;
    const mode: QueryMode = { kind: 'instant', t };
    const a = normaliseAmphora(runAmphora(engine, db, expr, mode));
    const got = [a.length === 1 ? a[0]!.vs[0] : undefined];
    if (promUrl) {
      const pr = normalisePrometheus(await fetchPrometheus(promURL(promUrl, expr, mode)));
      got.push(pr.length === 1 ? pr[0]!.vs[0] : undefined);
    }
    if (got.some((g) => g !== want)) throw new Error(`spot check failed for ${expr} at ${t}: generated ${want}, amphora/prometheus ${got.join(' / ')}`);
    checked.push(`${expr}@${t}=${want}`);
  }
  // Per metric name: Prometheus 2.42 drops __name__ in count_over_time before sum, so {job="node"} at once would collide.
  const names = [...new Set(data.series.map((s) => s.labels.find((l) => l.name === '__name__')!.value))];
  let amphoraTotal = 0;
  let prometheusTotal = 0;
  const mode: QueryMode = { kind: 'instant', t: end };
  for (const name of names) {
    const expr = `sum(count_over_time(${name}[3h]))`;
    amphoraTotal += normaliseAmphora(runAmphora(engine, db, expr, mode))[0]?.vs[0] ?? NaN;
    if (promUrl) prometheusTotal += normalisePrometheus(await fetchPrometheus(promURL(promUrl, expr, mode)))[0]?.vs[0] ?? NaN;
  }
  const want = n * shape.points;
  if (amphoraTotal !== want || (promUrl && prometheusTotal !== want)) throw new Error(`sample count check failed: want ${want}, amphora ${amphoraTotal}, prometheus ${prometheusTotal}`);
  const totals = { samples_per_engine: want };
  return { samples_identical: checked, totals_identical: totals };
}

interface Cell {
  key: string;
  expr: string;
  mode: QueryMode;
  amphora: Timing;
  amphoraWithJSON: Timing;
  amphoraCpuMs: number;
  prometheus?: Timing;
  prometheusCpuMs?: number;
  comparison?: Comparison;
}

/** runPromqlBench measures median/p90 query latency of Amphora's engine and of Prometheus 2.42 on rwload's data, then profiles Amphora's slowest queries. */
export async function runPromqlBench(options: Partial<PromqlBenchOptions> = {}): Promise<Record<string, unknown>> {
  const o = { ...defaultPromqlBenchOptions(), ...options };
  const root = mkdtempSync(join(tmpdir(), 'amphora-promql-bench-'));
  const lastSample = o.start + (o.points - 1) * o.stepMs;
  const end = lastSample + o.evalOffsetMs;
  const out: Record<string, unknown> = {
    cores: availableParallelism(),
    load_average_1m_at_start: loadavg()[0],
    series: o.series,
    samples: o.series * o.points,
    data: `rwload --series ${o.series} --points ${o.points} --step ${o.stepMs} --shards ${o.shards} --batch ${o.batch} --start ${o.start} --seed ${o.seed}`,
    last_sample_at: lastSample,
    instant_at: end,
    range: { start: end - o.rangeMs, end, step: o.rangeStepMs },
    note: 'Amphora is measured in-process (Engine.instantQuery/rangeQuery over the TSDB, no HTTP or SigV4); amphora_json adds serialising the result in the /api/v1 JSON shape. Prometheus is measured client-side over HTTP on loopback (body fully received); runs alternate between the two so both see the same machine load; cpu_ms_per_run is process CPU time (Prometheus from /proc, 10 ms ticks, includes its background work and JSON encoding). ratio = amphora / prometheus medians (<1 is faster). Evaluation times sit evalOffsetMs after the sample grid because Amphora follows Prometheus 3 left-open range windows (t-r, t] while 2.42 uses closed [t-r, t]; subquery inner steps stay grid-aligned (multiples of 1m), so subquery values legitimately differ.',
  };
  let prom: Awaited<ReturnType<typeof startPrometheus>> | null = null;
  const db = await TSDB.open(join(root, 'amphora'), { sync: false, compactionInterval: 0 });
  try {
    const data = generateRwloadData(o);
    out.amphora_load_samples_per_s = Math.round(await loadIntoTSDB(db, data));
    if (!existsSync(o.rwloadScript)) out.prometheus = `skipped: rwload not found at ${o.rwloadScript} (set rwloadScript)`;
    else if (hasCommand('prometheus')) {
      const config = join(root, 'prometheus.yml');
      writeFileSync(config, 'global:\n  scrape_interval: 15s\n');
      prom = await startPrometheus(join(root, 'prometheus'), config, ['--web.enable-remote-write-receiver']);
      const rw = await runRwload(o.rwloadScript, `${prom.url}/api/v1/write`, o);
      out.prometheus_remote_write_samples_per_s = rw.samples_per_s;
    } else out.prometheus = 'skipped: prometheus not installed (apt-get install -y prometheus)';
    const promUrl = prom?.url ?? null;
    const engine = new Engine();
    out.same_data = await spotCheck(data, engine, db, promUrl);

    const cells: Cell[] = [];
    const modes: [string, QueryMode][] = [
      ['instant', { kind: 'instant', t: end }],
      ['range', { kind: 'range', start: end - o.rangeMs, end, step: o.rangeStepMs }],
    ];
    for (const q of PROMQL_BENCH_QUERIES) {
      for (const [modeName, mode] of modes) {
        const url = promUrl ? promURL(promUrl, q.expr, mode) : '';
        const times = await measurePair(
          o,
          () => {
            const t0 = performance.now();
            const v = runAmphora(engine, db, q.expr, mode);
            const t1 = performance.now();
            toPrometheusJSON(v);
            return [t1 - t0, performance.now() - t0];
          },
          promUrl
            ? async () => {
                const t0 = performance.now();
                await fetchPrometheus(url);
                return performance.now() - t0;
              }
            : null,
          prom?.proc.pid,
        );
        const cell: Cell = { key: `${q.name}/${modeName}`, expr: q.expr, mode, amphora: stats(times.amphora), amphoraWithJSON: stats(times.amphoraJSON), amphoraCpuMs: times.amphoraCpuMs };
        if (promUrl) {
          cell.prometheus = stats(times.prometheus);
          cell.prometheusCpuMs = times.prometheusCpuMs;
          cell.comparison = compareResults(normaliseAmphora(runAmphora(engine, db, q.expr, mode)), normalisePrometheus(await fetchPrometheus(url)));
        }
        cells.push(cell);
      }
    }
    out.queries = Object.fromEntries(
      cells.map((c) => [
        c.key,
        {
          expr: c.expr,
          amphora_median_ms: c.amphora.median,
          amphora_p90_ms: c.amphora.p90,
          amphora_json_median_ms: c.amphoraWithJSON.median,
          amphora_cpu_ms_per_run: Math.round(c.amphoraCpuMs * 10) / 10,
          runs: c.amphora.runs,
          ...(c.prometheus && c.comparison
            ? {
                prometheus_median_ms: c.prometheus.median,
                prometheus_p90_ms: c.prometheus.p90,
                prometheus_cpu_ms_per_run: Math.round(c.prometheusCpuMs! * 10) / 10,
                ratio: Number((c.amphora.median / c.prometheus.median).toFixed(3)),
                ratio_json: Number((c.amphoraWithJSON.median / c.prometheus.median).toFixed(3)),
                ratio_cpu: c.prometheusCpuMs! > 0 ? Number((c.amphoraCpuMs / c.prometheusCpuMs!).toFixed(3)) : null,
                series: { amphora: c.comparison.amphoraSeries, prometheus: c.comparison.prometheusSeries },
                same_series_count: c.comparison.amphoraSeries === c.comparison.prometheusSeries,
                points: { amphora: c.comparison.amphoraPoints, prometheus: c.comparison.prometheusPoints },
                missing_series: c.comparison.missingSeries,
                mismatched_points: c.comparison.mismatchedPoints,
                max_rel_diff: c.comparison.maxRelDiff,
              }
            : {}),
        },
      ]),
    );
    if (cells.every((c) => c.prometheus)) {
      out.queries_at_or_below_prometheus_median = cells.filter((c) => c.amphora.median <= c.prometheus!.median).map((c) => c.key);
      out.queries_slower_than_prometheus = cells.filter((c) => c.amphora.median > c.prometheus!.median).map((c) => c.key);
    }

    if (prom) {
      await stopProcess(prom.proc);
      prom = null;
    }
    out.load_average_1m_at_end = loadavg()[0];
    const slowest = [...cells].sort((a, b) => b.amphora.median - a.amphora.median).slice(0, o.profileQueries);
    out.profile = {
      queries: slowest.map((c) => c.key),
      ...(await profileCPU(
        () => {
          for (const c of slowest) for (let i = 0; i < 3; i++) runAmphora(engine, db, c.expr, c.mode);
        },
        { root: process.cwd(), top: 20 },
      )),
    };
    return out;
  } finally {
    if (prom) await stopProcess(prom.proc);
    await db.close();
    rmSync(root, { recursive: true, force: true });
  }
}
