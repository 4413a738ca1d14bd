// Query throughput over HTTP: queries per second with one client and with four concurrent clients
// on a round-robin mix of the standard queries (instant and range), against the real server and,
// for reference, Prometheus 2.42 with the same data. Clients read whole bodies but do not parse
// them, so the client process stays light.

import { availableParallelism, loadavg } from 'node:os';
import { loadHttpBenchData, queryAmphora, queryPrometheus, type HttpBenchData, type QueryCall, type QueryCell } from './http-data.js';
import { benchQuick } from './tools.js';

/** QpsRun is one measurement: completed queries per second and how many completed. */
interface QpsRun {
  qps: number;
  queries: number;
  seconds: number;
}

/** measureQps runs `clients` loops over the query mix for durationMs and counts completed queries (each client starts at a different cell). */
async function measureQps(cells: readonly QueryCell[], clients: number, durationMs: number, send: (c: QueryCell) => Promise<QueryCall>): Promise<QpsRun> {
  let next = 0;
  let done = 0;
  const t0 = performance.now();
  const deadline = t0 + durationMs;
  const client = async (): Promise<void> => {
    while (performance.now() < deadline) {
      await send(cells[next++ % cells.length]!);
      done++;
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  const seconds = (performance.now() - t0) / 1000;
  return { qps: +(done / seconds).toFixed(2), queries: done, seconds: +seconds.toFixed(1) };
}

async function scaling(cells: readonly QueryCell[], durationMs: number, send: (c: QueryCell) => Promise<QueryCall>): Promise<Record<string, unknown>> {
  for (const c of cells) await send(c);
  const one = await measureQps(cells, 1, durationMs, send);
  const four = await measureQps(cells, 4, durationMs, send);
  return { one_client: one, four_clients: four, ratio_4_to_1: +(four.qps / one.qps).toFixed(2) };
}

/** runQueryThroughputBench measures QPS with 1 and 4 clients (target on 2 cores: 4 clients >= 1.6x one). */
export async function runQueryThroughputBench(): Promise<Record<string, unknown>> {
  const durationMs = Number(process.env.QPS_BENCH_SECONDS ?? (benchQuick() ? 6 : 15)) * 1000;
  const withPrometheus = process.env.QPS_BENCH_PROMETHEUS !== '0';
  const out: Record<string, unknown> = {
    cores: availableParallelism(),
    load_average_1m_at_start: loadavg()[0],
    note: 'Each client sends one query at a time, cycling through the standard queries (instant and 1 h range); Amphora requests are SigV4-signed; bodies are read, not parsed. One warm-up pass over the mix first. Prometheus 2.42 (same data, unsigned) is measured after Amphora for reference.',
    target: 'amphora ratio_4_to_1 >= 1.6 on 2 cores',
    seconds_per_run: durationMs / 1000,
  };
  const data: HttpBenchData = await loadHttpBenchData({ withPrometheus });
  try {
    Object.assign(out, data.figures);
    out.amphora = await scaling(data.cells, durationMs, (c) => queryAmphora(data, c, false));
    out.prometheus = data.prometheus ? await scaling(data.cells, durationMs, (c) => queryPrometheus(data, c, false)) : (data.skipped ?? 'skipped');
    out.load_average_1m_at_end = loadavg()[0];
    return out;
  } finally {
    await data.stop();
  }
}
