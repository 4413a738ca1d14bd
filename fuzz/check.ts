import fc from 'fast-check';
import { inputArb, type FuzzInput } from './mutate.js';
import { FuzzCrash, type FuzzTarget } from './target.js';

/** FuzzOptions configure one target's run. */
export interface FuzzOptions {
  /** runs is the number of inputs. */
  runs: number;
  /** seed makes the run reproducible (fast-check's seed). */
  seed?: number;
  /** timeoutMs fails an input that takes longer (default 1000). */
  timeoutMs?: number;
  /** maxHeapGrowthMb fails when the heap grows this far over its level after setup (default 512), checked every 256 inputs. */
  maxHeapGrowthMb?: number;
  /** onInput is called before each input runs (the runner's watchdog keeps it to save a hang's input). */
  onInput?: (input: FuzzInput) => void;
  /** onProgress is called every 10,000 inputs. */
  onProgress?: (s: FuzzStats) => void;
  /** shrink minimises a failing input (default true). */
  shrink?: boolean;
}

/** FuzzStats are one target's figures. */
export interface FuzzStats {
  target: string;
  runs: number;
  /** accepted counts inputs the parser returned a result for; rejected the ones it refused with its own error. */
  accepted: number;
  rejected: number;
  crashes: number;
  slowestMs: number;
  slowestOrigin: string;
  /** slowestInput is the slowest input's bytes (saved by the runner, to look at what costs most). */
  slowestInput?: Uint8Array;
  maxHeapMb: number;
  seed: number;
  /** failure describes the first crash (after shrinking) with its input. */
  failure?: { message: string; input: Uint8Array; origin: string };
}

function describe(err: unknown): string {
  if (err instanceof Error) return `${err.constructor.name}: ${err.message}\n${err.stack ?? ''}${err.cause !== undefined ? `\ncaused by ${describe(err.cause)}` : ''}`;
  return `non-Error thrown: ${String(err)}`;
}

/** runInput runs one input through a target and throws FuzzCrash on anything but a result or the target's own error. */
export async function runInput(t: FuzzTarget, bytes: Uint8Array, timeoutMs: number): Promise<{ ms: number; accepted: boolean }> {
  const start = performance.now();
  let accepted = true;
  try {
    await t.run(bytes);
  } catch (err) {
    if (!t.expected(err)) throw new FuzzCrash(`unexpected error: ${describe(err)}`);
    accepted = false;
  }
  let ms = performance.now() - start;
  // On a shared machine a pause (GC, another process) can stretch one run: an input is slow only if it is slow every time.
  for (let retry = 0; ms > timeoutMs && retry < 2; retry++) {
    const again = performance.now();
    try {
      await t.run(bytes);
    } catch {
      // the first run classified the outcome
    }
    ms = Math.min(ms, performance.now() - again);
  }
  if (ms > timeoutMs) throw new FuzzCrash(`input took ${ms.toFixed(0)} ms (limit ${timeoutMs} ms) in each of 3 runs`);
  return { ms, accepted };
}

/** fuzzTarget runs `runs` generated inputs through an already set-up target and returns its figures. */
export async function fuzzTarget(t: FuzzTarget, seeds: readonly Uint8Array[], o: FuzzOptions): Promise<FuzzStats> {
  const timeoutMs = o.timeoutMs ?? 1000;
  const seed = o.seed ?? (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
  const s: FuzzStats = { target: t.name, runs: 0, accepted: 0, rejected: 0, crashes: 0, slowestMs: 0, slowestOrigin: '', maxHeapMb: 0, seed };
  const heap0 = process.memoryUsage().heapUsed;
  const maxGrowth = (o.maxHeapGrowthMb ?? 512) * 1024 * 1024;
  const arb = inputArb(seeds, { maxLen: t.maxLen, dictionary: t.dictionary, ...(t.fixup ? { fixup: t.fixup } : {}) });
  let shrinking = false;
  const prop = fc.asyncProperty(arb, async (input) => {
    o.onInput?.(input);
    let r: { ms: number; accepted: boolean };
    try {
      r = await runInput(t, input.bytes, timeoutMs);
    } catch (err) {
      shrinking = true; // fast-check shrinks from the first failure on: later calls are not new inputs
      throw err;
    }
    if (shrinking) return;
    s.runs++;
    if (r.accepted) s.accepted++;
    else s.rejected++;
    if (r.ms > s.slowestMs) {
      s.slowestMs = r.ms;
      s.slowestOrigin = input.origin;
      s.slowestInput = input.bytes.slice();
    }
    if ((s.runs & 255) === 0) {
      const heap = process.memoryUsage().heapUsed;
      s.maxHeapMb = Math.max(s.maxHeapMb, heap / 1048576);
      if (heap - heap0 > maxGrowth) {
        globalThis.gc?.();
        const after = process.memoryUsage().heapUsed;
        if (after - heap0 > maxGrowth) throw new FuzzCrash(`heap grew by ${((after - heap0) / 1048576).toFixed(0)} MB over ${s.runs} inputs (limit ${o.maxHeapGrowthMb ?? 512} MB)`);
      }
    }
    if (s.runs % 10_000 === 0) o.onProgress?.(s);
  });
  const details = await fc.check(prop, {
    numRuns: o.runs,
    seed,
    endOnFailure: o.shrink === false,
  });
  if (details.failed) {
    s.crashes++;
    const ex = details.counterexample?.[0];
    const err = details.errorInstance;
    s.failure = {
      message: err instanceof Error ? err.message : String(err),
      input: ex?.bytes ?? new Uint8Array(0),
      origin: ex?.origin ?? '',
    };
  }
  return s;
}
