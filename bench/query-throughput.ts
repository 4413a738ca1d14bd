// Query throughput over HTTP: queries per second with one client and with four concurrent clients
// on a round-robin mix of the standard queries (instant and range), against the real server and,
// for reference, Prometheus 2.42 with the same data. Clients read whole bodies but do not parse
// them, so the client process stays light.

import { availableParallelism, loadavg } from 'node:os';
import { sharedHttpBenchData, queryAmphora, queryPrometheus, type HttpBenchData, type QueryCall, type QueryCell } from './http-data.js';
import { benchQuick, procCpuMs } from './tools.js';

/** QpsTotal accumulates one configuration's windows: completed queries, wall seconds and server CPU seconds. */
interface QpsTotal {
  queries: number;
  seconds: number;
  cpuSeconds: number;
}

/** Side is one server under test: how to send a query and its process id (for CPU time). */
interface Side {
  readonly send: (c: QueryCell) => Promise<QueryCall>;
  readonly pid: number | undefined;
}

/** measureWindow runs `clients` loops over the query mix for windowMs and adds the completed queries to total (clients take the next cell of a shared round robin). */
async function measureWindow(cells: readonly QueryCell[], clients: number, windowMs: number, side: Side, total: QpsTotal): Promise<void> {
  let next = 0;
  const c0 = procCpuMs(side.pid);
  const t0 = performance.now();
  const deadline = t0 + windowMs;
  const client = async (): Promise<void> => {
    while (performance.now() < deadline) {
      await side.send(cells[next++ % cells.length]!);
      total.queries++;
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  total.seconds += (performance.now() - t0) / 1000;
  total.cpuSeconds += (procCpuMs(side.pid) - c0) / 1000;
}

function report(t: QpsTotal): Record<string, number> {
  return { qps: +(t.queries / t.seconds).toFixed(2), queries: t.queries, seconds: +t.seconds.toFixed(1), server_cores_busy: +(t.cpuSeconds / t.seconds).toFixed(2) };
}

/** scaling alternates 1-client and 4-client windows on every side, round after round, so each configuration sees the same machine load. */
async function scaling(cells: readonly QueryCell[], sides: Record<string, Side>, rounds: number, windowMs: number): Promise<Record<string, unknown>> {
  const totals: Record<string, [QpsTotal, QpsTotal]> = {};
  for (const [name, side] of Object.entries(sides)) {
    for (const c of cells) await side.send(c);
    totals[name] = [{ queries: 0, seconds: 0, cpuSeconds: 0 }, { queries: 0, seconds: 0, cpuSeconds: 0 }];
  }
  for (let r = 0; r < rounds; r++) {
    for (const [name, side] of Object.entries(sides)) {
      await measureWindow(cells, 1, windowMs, side, totals[name]![0]);
      await measureWindow(cells, 4, windowMs, side, totals[name]![1]);
    }
  }
  return Object.fromEntries(
    Object.entries(totals).map(([name, [one, four]]) => [name, { one_client: report(one), four_clients: report(four), ratio_4_to_1: +(four.queries / four.seconds / (one.queries / one.seconds)).toFixed(2) }]),
  );
}

/** runQueryThroughputBench measures QPS with 1 and 4 clients (target on 2 cores: 4 clients >= 1.6x one). */
export async function runQueryThroughputBench(): Promise<Record<string, unknown>> {
  const windowMs = Number(process.env.QPS_BENCH_WINDOW_SECONDS ?? 5) * 1000;
  const rounds = Number(process.env.QPS_BENCH_ROUNDS ?? (benchQuick() ? 1 : 3));
  const withPrometheus = process.env.QPS_BENCH_PROMETHEUS !== '0';
  const out: Record<string, unknown> = {
    cores: availableParallelism(),
    load_average_1m_at_start: loadavg()[0],
    note: `Each client sends one query at a time, taking the next of the standard queries (instant and 1 h range) round robin; Amphora requests are SigV4-signed; bodies are read, not parsed. One warm-up pass over the mix first; then ${rounds} round(s) of ${windowMs / 1000} s windows alternating 1 and 4 clients, on Amphora then Prometheus 2.42 (same data, unsigned, for reference). server_cores_busy is the server's CPU seconds per wall second.`,
    target: 'amphora ratio_4_to_1 >= 1.6 on 2 cores',
  };
  const data: HttpBenchData = await sharedHttpBenchData({ withPrometheus });
  Object.assign(out, data.figures);
  const sides: Record<string, Side> = { amphora: { send: (c) => queryAmphora(data, c, false), pid: data.amphora.proc.pid } };
  if (data.prometheus) sides.prometheus = { send: (c) => queryPrometheus(data, c, false), pid: data.prometheus.pid };
  else out.prometheus = data.skipped;
  Object.assign(out, await scaling(data.cells, sides, rounds, windowMs));
  out.load_average_1m_at_end = loadavg()[0];
  return out;
}
