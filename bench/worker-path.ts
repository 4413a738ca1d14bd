// The query worker's side of a head query, in one process: the engine over RemoteHeadQuerier,
// whose head selects are answered from replies encoded once (so the main thread's select is not
// timed), with the worker's caches (XOR seek checkpoints, decoded label sets) on and off,
// alternating run by run so both see the same machine load. Thread CPU time per query
// (/proc/thread-self/schedstat, ns) is reported beside wall time. First it checks that every standard query,
// instant and range, answers the same with the caches as without.
// Usage: node dist/bench/worker-path.js [runs] [query names, comma-separated; default all] (QUERY_BENCH_SERIES sizes the data)

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../src/promql/engine/engine.js';
import type { HeadCall, HeadCaller } from '../src/query/head-client.js';
import type { HeadReply } from '../src/query/protocol.js';
import { RemoteHeadQuerier } from '../src/query/remote-head.js';
import { inThreadHeadCaller } from '../src/query/test-support.js';
import { useWireLabelCache, WireLabelCache } from '../src/query/wire-labels.js';
import { useXORSeekCache, XORSeekCache } from '../src/tsdb/chunkenc/xor-seek-cache.js';
import { TSDB } from '../src/tsdb/db.js';
import { httpBenchShape, queryCells } from './http-data.js';
import { generateRwloadData, loadIntoTSDB } from './promql-data.js';
import { toPrometheusJSON } from './promql-queries.js';
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
    const seek = new XORSeekCache(16 * 1024 * 1024);
    const labels = new WireLabelCache(65_536);
    // Every standard query, instant and range, answers the same with the caches as without (twice: filling them, then using them).
    let mismatches = 0;
    for (const c of queryCells(shape)) {
      const run = (on: boolean): string => {
        useXORSeekCache(on ? seek : null);
        useWireLabelCache(on ? labels : null);
        const m = c.mode;
        return toPrometheusJSON((m.kind === 'instant' ? engine.instantQuery(queryable, c.expr, m.t) : engine.rangeQuery(queryable, c.expr, m.start, m.end, m.step)).value);
      };
      const want = run(false);
      for (let i = 0; i < 2; i++) if (run(true) !== want) (mismatches++, console.log(JSON.stringify({ key: c.key, mismatch: true })));
    }
    console.log(JSON.stringify({ same_results_with_caches: mismatches === 0 }));
    const cells = queryCells(shape).filter((c) => c.mode.kind === 'instant' && (names === undefined || names.includes(c.key.split('/')[0]!)));
    for (const c of cells) {
      const t = c.mode.kind === 'instant' ? c.mode.t : 0;
      const time = (on: boolean): [number, number] => {
        useXORSeekCache(on ? seek : null);
        useWireLabelCache(on ? labels : null);
        const c0 = threadCpuNs();
        const t0 = performance.now();
        engine.instantQuery(queryable, c.expr, t);
        return [performance.now() - t0, (threadCpuNs() - c0) / 1e6];
      };
      for (let i = 0; i < 5; i++) (time(false), time(true));
      const off: number[] = [];
      const on: number[] = [];
      let offCpu = 0;
      let onCpu = 0;
      for (let i = 0; i < runs; i++) {
        const [a, ac] = time(false);
        const [b, bc] = time(true);
        off.push(a);
        on.push(b);
        offCpu += ac;
        onCpu += bc;
      }
      const po = percentiles(off).p50;
      const pn = percentiles(on).p50;
      console.log(JSON.stringify({ key: c.key, caches_off_ms: +po.toFixed(2), caches_on_ms: +pn.toFixed(2), wall_ratio: +(pn / po).toFixed(3), cpu_off_ms: +(offCpu / runs).toFixed(2), cpu_on_ms: +(onCpu / runs).toFixed(2), cpu_ratio: +(onCpu / offCpu).toFixed(3) }));
    }
    useXORSeekCache(null);
    useWireLabelCache(null);
  } finally {
    await db.close();
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
