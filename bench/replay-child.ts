/** replay-child opens a TSDB (replaying its WAL) in a fresh process and prints replay time and memory as JSON. */
import { TSDB } from '../src/tsdb/db.js';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
/** settle collects garbage until frees are done: V8 releases dead ArrayBuffers' memory in a task after the GC itself. */
async function settle(): Promise<void> {
  for (let i = 0; i < 2; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 10));
  }
}
await settle();
const base = process.memoryUsage();
const t0 = performance.now();
const db = await TSDB.open(process.argv[2]!, { compactionInterval: 0 });
const replayMs = performance.now() - t0;
await settle();
const after = process.memoryUsage();
const series = db.head.numSeries();
process.stdout.write(
  `${JSON.stringify({ replayMs, series, rssBytes: after.rss - base.rss, heapBytes: after.heapUsed + after.arrayBuffers - base.heapUsed - base.arrayBuffers })}\n`,
);
await db.close();
