// The query worker's side of a head query, in one process: the engine over RemoteHeadQuerier,
// whose head selects are answered from replies encoded once (so the main thread's select is not
// timed). Reports the thread's CPU time per query (/proc/thread-self/schedstat, ns) beside wall
// time: on a shared machine the CPU figure moves much less. Run it with --cpu-prof to see where
// the worker's time goes without the HTTP server around it.
// Usage: node dist/bench/worker-path.js [runs] [query names, comma-separated; default all] (QUERY_BENCH_SERIES sizes the data)

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../src/promql/engine/engine.js';
import type { HeadCall, HeadCaller } from '../src/query/head-client.js';
import type { HeadReply } from '../src/query/protocol.js';
import { RemoteHeadQuerier } from '../src/query/remote-head.js';
import { inThreadHeadCaller } from '../src/query/test-support.js';
import { TSDB } from '../src/tsdb/db.js';
import { httpBenchShape, queryCells } from './http-data.js';
import { generateRwloadData, loadIntoTSDB } from './promql-data.js';
import { percentiles } from './tools.js';

function threadCpuNs(): number {
  return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
}

/** replayingCaller answers each distinct head call once from the head and replays its reply (the buffer is only read). */
function replayingCaller(inner: HeadCaller): HeadCaller {
  const seen = new Map<string, HeadReply>();
  return {
    call(req: HeadCall): HeadReply {
      const key = JSON.stringify(req);
      let r = seen.get(key);
      if (r === undefined) seen.set(key, (r = inner.call(req)));
      return r;
    },
  };
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 30);
  const names = process.argv[3]?.split(',');
  const shape = httpBenchShape();
  const root = mkdtempSync(join(tmpdir(), 'amphora-worker-path-'));
  const db = await TSDB.open(join(root, 'db'), { sync: false, compactionInterval: 0 });
  try {
    await loadIntoTSDB(db, generateRwloadData(shape));
    const caller = replayingCaller(inThreadHeadCaller(db.head));
    const queryable = { querier: (mint: number, maxt: number) => new RemoteHeadQuerier(caller, mint, maxt) };
    const engine = new Engine();
    const cells = queryCells(shape).filter((c) => names === undefined || names.includes(c.key.split('/')[0]!));
    for (const c of cells) {
      const m = c.mode;
      const once = (): [number, number] => {
        const c0 = threadCpuNs();
        const t0 = performance.now();
        if (m.kind === 'instant') engine.instantQuery(queryable, c.expr, m.t);
        else engine.rangeQuery(queryable, c.expr, m.start, m.end, m.step);
        return [performance.now() - t0, (threadCpuNs() - c0) / 1e6];
      };
      for (let i = 0; i < 5; i++) once();
      const wall: number[] = [];
      let cpu = 0;
      for (let i = 0; i < runs; i++) {
        const [w, ms] = once();
        wall.push(w);
        cpu += ms;
      }
      console.log(JSON.stringify({ key: c.key, median_ms: +percentiles(wall).p50.toFixed(2), cpu_ms: +(cpu / runs).toFixed(2) }));
    }
  } finally {
    await db.close();
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
