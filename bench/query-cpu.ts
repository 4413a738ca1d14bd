// Server CPU per query, thread by thread: on a loaded machine wall times swing with the other
// processes, CPU time much less. Loads the HTTP bench data into Amphora and (when installed)
// Prometheus 2.42, then runs each chosen cell `runs` times on each side (alternating) and reads
// the servers' CPU from /proc before and after: Amphora split by thread (main, query workers,
// the rest), Prometheus as a whole.
// Usage: node dist/bench/query-cpu.js [runs] [cell keys, comma-separated; default all]

import { readdirSync, readFileSync } from 'node:fs';
import { loadHttpBenchData, queryAmphora, queryPrometheus } from './http-data.js';
import { geomean, percentiles, procCpuMs } from './tools.js';

/** threadCpuMs reads each thread's user+system CPU (ms, 10 ms ticks) of a process, by thread id, with its name. */
function threadCpuMs(pid: number): Map<number, { name: string; ms: number }> {
  const out = new Map<number, { name: string; ms: number }>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), { name, ms: (Number(f[11]) + Number(f[12])) * 10 });
    } catch {
      // the thread ended
    }
  }
  return out;
}

/** threadGroup names a thread of the Amphora process: its main thread (tid = pid), a query worker (a thread running JavaScript named after its entry or "node"), or other. */
function threadGroup(pid: number, tid: number, name: string): string {
  if (tid === pid) return 'main';
  if (name === 'node' || name.startsWith('WorkerThread') || name.includes('worker-main')) return 'workers';
  return 'other';
}

function cpuDelta(pid: number, before: Map<number, { name: string; ms: number }>): Record<string, number> {
  const after = threadCpuMs(pid);
  const g: Record<string, number> = { main: 0, workers: 0, other: 0 };
  for (const [tid, a] of after) {
    const d = a.ms - (before.get(tid)?.ms ?? 0);
    g[threadGroup(pid, tid, a.name)]! += d;
    if (process.env.QUERY_CPU_THREADS && d > 0) g[`${a.name}#${tid}`] = (g[`${a.name}#${tid}`] ?? 0) + d;
  }
  return g;
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 30);
  const data = await loadHttpBenchData({ withPrometheus: process.env.QPS_BENCH_PROMETHEUS !== '0' });
  const keys = process.argv[3] ? process.argv[3].split(',') : data.cells.map((c) => c.key);
  const pid = data.amphora.proc.pid!;
  const ratios: number[] = [];
  try {
    for (const key of keys) {
      const c = data.cells.find((x) => x.key === key);
      if (!c) throw new Error(`no cell ${key}`);
      for (let i = 0; i < Number(process.env.WARMUP ?? 5); i++) {
        await queryAmphora(data, c);
        if (data.prometheus) await queryPrometheus(data, c);
      }
      const amp: number[] = [];
      const pro: number[] = [];
      const g: Record<string, number> = { main: 0, workers: 0, other: 0 };
      let promCpu = 0;
      for (let i = 0; i < runs; i++) {
        const before = threadCpuMs(pid);
        amp.push((await queryAmphora(data, c)).ms);
        const d = cpuDelta(pid, before);
        for (const k of Object.keys(d)) g[k] = (g[k] ?? 0) + d[k]!;
        if (data.prometheus) {
          const p0 = procCpuMs(data.prometheus.pid);
          pro.push((await queryPrometheus(data, c)).ms);
          promCpu += procCpuMs(data.prometheus.pid) - p0;
        }
      }
      const total = g.main! + g.workers! + g.other!;
      const row: Record<string, unknown> = {
        key,
        amphora_cpu_ms: +(total / runs).toFixed(2),
        main: +(g.main! / runs).toFixed(2),
        workers: +(g.workers! / runs).toFixed(2),
        other: +(g.other! / runs).toFixed(2),
        amphora_median_ms: +percentiles(amp).p50.toFixed(2),
      };
      if (data.prometheus) {
        row.prometheus_cpu_ms = +(promCpu / runs).toFixed(2);
        row.prometheus_median_ms = +percentiles(pro).p50.toFixed(2);
        row.cpu_ratio = +(total / Math.max(promCpu, 1)).toFixed(3);
        row.wall_ratio = +(percentiles(amp).p50 / percentiles(pro).p50).toFixed(3);
        ratios.push(row.cpu_ratio as number);
      }
      if (process.env.QUERY_CPU_THREADS) row.threads = Object.fromEntries(Object.entries(g).filter(([k]) => k.includes('#')).map(([k, v]) => [k, v / runs]));
      console.log(JSON.stringify(row));
    }
    if (ratios.length > 0) console.log(JSON.stringify({ cpu_ratio_geomean: +geomean(ratios).toFixed(3) }));
  } finally {
    await data.stop();
  }
}

await main();
