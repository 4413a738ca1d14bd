/**
 * crash-child ingests deterministic batches into a TSDB and prints `ack <batch>` once each
 * commit has resolved (stdout to a pipe is synchronous on Linux, so an ack the parent reads
 * was acknowledged before any later kill). The parent kills it with SIGKILL at random moments.
 * Batch b holds one sample per series s at t = b * STEP_MS with value b * SERIES + s.
 */
import { labelsFromRecord } from '../../src/model/labels.js';
import { newMatcher } from '../../src/model/matcher.js';
import { TSDB } from '../../src/tsdb/db.js';
import { SERIES, STEP_MS } from './crash-constants.js';


async function lastBatch(db: TSDB): Promise<number> {
  const q = db.querier(-Infinity, Infinity);
  const set = q.select(false, undefined, [newMatcher('=', '__name__', 'crash_test'), newMatcher('=', 'series', '0')]);
  let last = -1;
  while (set.next()) {
    const it = set.at().iterator();
    while (it.next()) last = Math.max(last, it.atT() / STEP_MS);
  }
  q.close();
  return last;
}

async function main(): Promise<void> {
  const dir = process.argv[2]!;
  const db = await TSDB.open(dir, { blockRange: 60 * STEP_MS, compactionInterval: 200, retention: () => 1e15 });
  const labels = Array.from({ length: SERIES }, (_, s) => labelsFromRecord({ __name__: 'crash_test', series: String(s) }));
  const refs = new Array<number>(SERIES).fill(0);
  for (let b = (await lastBatch(db)) + 1; ; b++) {
    const app = db.appender();
    for (let s = 0; s < SERIES; s++) refs[s] = app.append(refs[s]!, labels[s]!, b * STEP_MS, b * SERIES + s);
    await app.commit();
    process.stdout.write(`ack ${b}\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`crash-child: ${(err as Error).stack}\n`);
  process.exit(1);
});
