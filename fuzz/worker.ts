import { parentPort, workerData } from 'node:worker_threads';
import { fuzzTarget, type FuzzStats } from './check.js';
import { TARGETS } from './targets/index.js';

/** WorkerJob is what the runner hands a worker: one target's run, and the shared slot the current input is copied into. */
export interface WorkerJob {
  target: string;
  runs: number;
  seed: number;
  timeoutMs: number;
  shrink: boolean;
  /** slot holds [seq, length] as two Int32s, then the current input's bytes (so a hang or OOM can be saved). */
  slot: SharedArrayBuffer;
}

/** WorkerMessage is a progress report or the final figures. */
export type WorkerMessage = { kind: 'progress'; stats: FuzzStats } | { kind: 'done'; stats: FuzzStats };

async function main(): Promise<void> {
  // Parsers that warn through process.emitWarning (the YAML library) would flood the runner's output.
  process.removeAllListeners('warning');
  const job = workerData as WorkerJob;
  const t = TARGETS.find((x) => x.name === job.target);
  if (!t) throw new Error(`unknown target ${job.target}`);
  const head = new Int32Array(job.slot, 0, 2);
  const body = new Uint8Array(job.slot, 8);
  const seeds = await t.setup();
  try {
    const stats = await fuzzTarget(t, seeds, {
      runs: job.runs,
      seed: job.seed,
      timeoutMs: job.timeoutMs,
      shrink: job.shrink,
      onInput: (input) => {
        const n = Math.min(input.bytes.length, body.length);
        body.set(input.bytes.subarray(0, n));
        Atomics.store(head, 1, n);
        Atomics.add(head, 0, 1);
      },
      onProgress: (stats) => parentPort!.postMessage({ kind: 'progress', stats } satisfies WorkerMessage),
    });
    parentPort!.postMessage({ kind: 'done', stats } satisfies WorkerMessage);
  } finally {
    await t.teardown?.();
  }
}

await main();
