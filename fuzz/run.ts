import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { runInput, type FuzzStats } from './check.js';
import { TARGETS } from './targets/index.js';
import type { WorkerJob, WorkerMessage } from './worker.js';

/** RunArgs are the fuzz runner's command-line options. */
interface RunArgs {
  runs: number;
  targets: string[];
  seed: number | undefined;
  timeoutMs: number;
  hangMs: number;
  heapMb: number;
  out: string;
  shrink: boolean;
  repro: string | undefined;
}

const USAGE = `usage: npm run fuzz -- [--runs N] [--target a,b] [--seed S] [--timeout-ms 1000] [--hang-ms 20000] [--heap-mb 1024] [--out fuzz-crashes] [--no-shrink]
       npm run fuzz -- --target NAME --repro FILE      (re-run one saved input)
targets: ${TARGETS.map((t) => t.name).join(' ')}`;

function parseArgs(argv: string[]): RunArgs {
  const a: RunArgs = { runs: 1_000_000, targets: TARGETS.map((t) => t.name), seed: undefined, timeoutMs: 1000, hangMs: 20_000, heapMb: 1024, out: 'fuzz-crashes', shrink: true, repro: undefined };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    const v = (): string => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${k} needs a value\n${USAGE}`);
      return x;
    };
    const num = (): number => {
      const s = v();
      const n = Number(s.replace(/_/g, ''));
      if (!Number.isFinite(n) || n < 0) throw new Error(`${k}: not a number: ${s}`);
      return n;
    };
    if (k === '--runs') a.runs = num();
    else if (k === '--target') a.targets = v().split(',').filter((x) => x !== '');
    else if (k === '--seed') a.seed = num() | 0;
    else if (k === '--timeout-ms') a.timeoutMs = num();
    else if (k === '--hang-ms') a.hangMs = num();
    else if (k === '--heap-mb') a.heapMb = num();
    else if (k === '--out') a.out = v();
    else if (k === '--no-shrink') a.shrink = false;
    else if (k === '--repro') a.repro = v();
    else if (k === '--help' || k === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown option ${k}\n${USAGE}`);
  }
  for (const t of a.targets) if (!TARGETS.some((x) => x.name === t)) throw new Error(`unknown target ${t}\n${USAGE}`);
  return a;
}

/** Outcome is one target's figures, or how its worker died. */
interface Outcome {
  stats: FuzzStats | null;
  /** fatal is a hang or a worker death (out of memory, crash) with the input it was running. */
  fatal?: { message: string; input: Uint8Array };
  seconds: number;
}

function runTarget(name: string, a: RunArgs, seed: number): Promise<Outcome> {
  const t = TARGETS.find((x) => x.name === name)!;
  const slot = new SharedArrayBuffer(8 + t.maxLen);
  const head = new Int32Array(slot, 0, 2);
  const current = (): Uint8Array => new Uint8Array(slot, 8, Atomics.load(head, 1)).slice();
  const job: WorkerJob = { target: name, runs: a.runs, seed, timeoutMs: a.timeoutMs, shrink: a.shrink, slot };
  const started = performance.now();
  const seconds = (): number => (performance.now() - started) / 1000;
  return new Promise((done) => {
    const w = new Worker(new URL('./worker.js', import.meta.url), { workerData: job, resourceLimits: { maxOldGenerationSizeMb: a.heapMb } });
    let last: FuzzStats | null = null;
    let finished = false;
    let seq = -1;
    let since = performance.now();
    const finish = (o: Outcome): void => {
      if (finished) return;
      finished = true;
      clearInterval(watch);
      done(o);
    };
    // Watchdog: an input that never returns (an infinite loop) cannot be timed from inside; kill the worker and keep the input.
    const watch = setInterval(() => {
      const s = Atomics.load(head, 0);
      if (s !== seq) {
        seq = s;
        since = performance.now();
      } else if (seq >= 0 && performance.now() - since > a.hangMs) {
        const input = current();
        void w.terminate();
        finish({ stats: last, fatal: { message: `input hung for over ${a.hangMs} ms (worker terminated)`, input }, seconds: seconds() });
      }
    }, 250);
    w.on('message', (m: WorkerMessage) => {
      last = m.stats;
      if (m.kind === 'progress') process.stderr.write(`  ${name}: ${m.stats.runs} inputs, slowest ${m.stats.slowestMs.toFixed(1)} ms, ${seconds().toFixed(0)} s\n`);
      else finish({ stats: m.stats, seconds: seconds() });
    });
    w.on('error', (err) => finish({ stats: last, fatal: { message: `worker died: ${(err as NodeJS.ErrnoException).code ?? ''} ${err.message}`, input: current() }, seconds: seconds() }));
    w.on('exit', (code) => finish({ stats: last, fatal: { message: `worker exited with code ${code} before finishing`, input: current() }, seconds: seconds() }));
  });
}

function saveFailure(out: string, target: string, seed: number, message: string, input: Uint8Array): string {
  mkdirSync(out, { recursive: true });
  const base = join(out, `${target}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  writeFileSync(`${base}.bin`, input);
  writeFileSync(`${base}.txt`, `target: ${target}\nseed: ${seed}\nreproduce: npm run fuzz -- --target ${target} --repro ${resolve(base)}.bin\n\n${message}\n`);
  return `${base}.bin`;
}

async function repro(a: RunArgs): Promise<number> {
  const t = TARGETS.find((x) => x.name === a.targets[0])!;
  await t.setup();
  try {
    const r = await runInput(t, new Uint8Array(readFileSync(a.repro!)), a.timeoutMs);
    console.log(`${t.name}: ${r.accepted ? 'accepted' : 'rejected with its own error'} in ${r.ms.toFixed(2)} ms (no crash)`);
    return 0;
  } catch (err) {
    console.log(`${t.name}: ${(err as Error).message}`);
    return 1;
  } finally {
    await t.teardown?.();
  }
}

async function main(): Promise<number> {
  const a = parseArgs(process.argv.slice(2));
  if (a.repro !== undefined) return repro(a);
  let failed = 0;
  console.log(`target\tinputs\taccepted\trejected\tcrashes\tslowest_ms\tmax_heap_mb\tseconds\tseed`);
  for (const name of a.targets) {
    const seed = a.seed ?? (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
    const o = await runTarget(name, a, seed);
    const s = o.stats;
    const crashes = (s?.crashes ?? 0) + (o.fatal ? 1 : 0);
    console.log([name, s?.runs ?? 0, s?.accepted ?? 0, s?.rejected ?? 0, crashes, (s?.slowestMs ?? 0).toFixed(1), (s?.maxHeapMb ?? 0).toFixed(0), o.seconds.toFixed(0), seed].join('\t'));
    if (s?.slowestInput) {
      mkdirSync(a.out, { recursive: true });
      writeFileSync(join(a.out, `${name}-slowest.bin`), s.slowestInput);
    }
    const fail = o.fatal ?? (s?.failure ? { message: `${s.failure.message}\norigin: ${s.failure.origin}`, input: s.failure.input } : undefined);
    if (fail) {
      failed++;
      const file = saveFailure(a.out, name, seed, fail.message, fail.input);
      console.log(`  FAILED ${name}: ${fail.message.split('\n')[0]}\n  input saved to ${file}`);
    }
  }
  return failed > 0 ? 1 : 0;
}

process.exitCode = await main().catch((err: unknown) => {
  console.error((err as Error).message);
  return 2;
});
