// Repeats chosen HTTP query cells against one loaded Amphora server (no Prometheus) and prints
// per-cell medians; with PROFILE_DIR set the server runs under --cpu-prof (one profile per thread).
// Usage: node dist/bench/query-http-profile.js [runs] [cell keys, comma-separated]; WARMUP=n sets the untimed runs per cell (5).
// With PROFILE_PID_FILE set, the server's pid is written there once the data is loaded (to attach `perf record -p`;
// start the server with BENCH_SERVER_NODE_ARGS=--perf-basic-prof for JavaScript names).

import { writeFileSync } from 'node:fs';
import { percentiles } from './tools.js';
import { loadHttpBenchData, queryAmphora } from './http-data.js';

/** main loads the data set, times each chosen cell runs times and stops the server (writing profiles). */
async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 100);
  const keys = (process.argv[3] ?? 'rate/instant,binary_on/instant').split(',');
  const dir = process.env.PROFILE_DIR;
  if (dir) process.env.BENCH_SERVER_NODE_ARGS = `--cpu-prof --cpu-prof-dir=${dir}`;
  const data = await loadHttpBenchData({ withPrometheus: false });
  if (process.env.PROFILE_PID_FILE) writeFileSync(process.env.PROFILE_PID_FILE, String(data.amphora.proc.pid));
  try {
    for (const key of keys) {
      const c = data.cells.find((x) => x.key === key);
      if (!c) throw new Error(`no cell ${key}`);
      for (let i = 0; i < Number(process.env.WARMUP ?? 5); i++) await queryAmphora(data, c);
      const ms: number[] = [];
      for (let i = 0; i < runs; i++) ms.push((await queryAmphora(data, c)).ms);
      const p = percentiles(ms);
      const first = ms.slice(0, 10).map((x) => +x.toFixed(1));
      console.log(JSON.stringify({ key, runs: p.n, median_ms: +p.p50.toFixed(2), p90_ms: +p.p90.toFixed(2), first_runs_ms: first }));
    }
  } finally {
    await data.stop();
  }
}

await main();
