// Repeats chosen HTTP query cells against one loaded Amphora server (no Prometheus) and prints
// per-cell medians; with PROFILE_DIR set the server runs under --cpu-prof (one profile per thread).
// Usage: node dist/bench/query-http-profile.js [runs] [cell keys, comma-separated]; WARMUP=n sets the untimed runs per cell (5).

import { percentiles } from './tools.js';
import { loadHttpBenchData, queryAmphora } from './http-data.js';

/** main loads the data set, times each chosen cell runs times and stops the server (writing profiles). */
async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 100);
  const keys = (process.argv[3] ?? 'rate/instant,binary_on/instant').split(',');
  const dir = process.env.PROFILE_DIR;
  if (dir) process.env.BENCH_SERVER_NODE_ARGS = `--cpu-prof --cpu-prof-dir=${dir}`;
  const data = await loadHttpBenchData({ withPrometheus: false });
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
