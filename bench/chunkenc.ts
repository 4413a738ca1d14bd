// Benchmark of XOR chunk append and iteration on node_exporter-like data.

import { XORChunk, XORIterator } from '../src/tsdb/chunkenc/xor.js';
import { mulberry32 } from '../src/tsdb/seeded-random.js';

/** ChunkencBenchOptions sizes the benchmark. */
export interface ChunkencBenchOptions {
  /** samples is the total number of samples appended and iterated. */
  samples: number;
  /** templates is how many distinct series shapes are generated (then reused with other start times). */
  templates: number;
  /** samplesPerChunk is the chunk size the head cuts at. */
  samplesPerChunk: number;
  /** seed makes the data reproducible. */
  seed: number;
}

/** defaultChunkencBenchOptions appends and iterates 10M samples in 120-sample chunks. */
export function defaultChunkencBenchOptions(): ChunkencBenchOptions {
  return { samples: 10_000_000, templates: 1000, samplesPerChunk: 120, seed: 42 };
}

/** makeTemplates builds series of one chunk each: counters, gauges and constants scraped every 15s with jitter. */
function makeTemplates(o: ChunkencBenchOptions): { ts: Float64Array; vs: Float64Array } {
  const n = o.templates * o.samplesPerChunk;
  const ts = new Float64Array(n);
  const vs = new Float64Array(n);
  const rnd = mulberry32(o.seed);
  for (let s = 0; s < o.templates; s++) {
    const kind = rnd();
    let t = 1_700_000_000_000 + Math.floor(rnd() * 15_000);
    let v = kind < 0.5 ? Math.floor(rnd() * 1e6) : kind < 0.6 ? rnd() * 1e4 : kind < 0.9 ? rnd() * 8e9 : Math.floor(rnd() * 4);
    for (let i = 0; i < o.samplesPerChunk; i++) {
      const k = s * o.samplesPerChunk + i;
      ts[k] = t;
      vs[k] = v;
      t += 15_000 + (rnd() < 0.5 ? Math.floor(rnd() * 5) - 2 : 0);
      if (kind < 0.5) v += rnd() < 0.2 ? 0 : Math.floor(rnd() * 100); // integer counter (requests, bytes)
      else if (kind < 0.6) v += rnd() * 0.75; // float counter (cpu seconds)
      else if (kind < 0.9) v = rnd() < 0.5 ? v : Math.floor(v + (rnd() - 0.5) * 1e6); // gauge (memory bytes)
      // else: constant (up, info metrics)
    }
  }
  return { ts, vs };
}

function appendAll(o: ChunkencBenchOptions, tpl: { ts: Float64Array; vs: Float64Array }, samples: number): XORChunk[] {
  const chunks: XORChunk[] = [];
  const per = o.samplesPerChunk;
  const { ts, vs } = tpl;
  let done = 0;
  let round = 0;
  while (done < samples) {
    const shift = round * per * 15_000;
    for (let s = 0; s < o.templates && done < samples; s++) {
      const c = new XORChunk();
      const app = c.appender();
      const base = s * per;
      const n = Math.min(per, samples - done);
      for (let i = 0; i < n; i++) app.append(ts[base + i]! + shift, vs[base + i]!);
      chunks.push(c);
      done += n;
    }
    round++;
  }
  return chunks;
}

function iterateAll(chunks: XORChunk[]): { n: number; sum: number } {
  const it = new XORIterator();
  let n = 0;
  let sum = 0;
  for (let c = 0; c < chunks.length; c++) {
    chunks[c]!.iterator(it);
    while (it.next()) {
      sum += it.atV();
      n++;
    }
  }
  return { n, sum };
}

/** runChunkencBench measures append and iterate throughput (samples/s) and bytes per sample. */
export async function runChunkencBench(opts: Partial<ChunkencBenchOptions> = {}): Promise<Record<string, number>> {
  const o = { ...defaultChunkencBenchOptions(), ...opts };
  const tpl = makeTemplates(o);
  // warm up the JIT on a small run
  iterateAll(appendAll(o, tpl, Math.min(o.samples, 500_000)));

  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const chunks = appendAll(o, tpl, o.samples);
  const t1 = performance.now();
  const c1 = process.cpuUsage();
  const r = iterateAll(chunks);
  const t2 = performance.now();
  const c2 = process.cpuUsage();
  const cpuSec = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage): number => (b.user - a.user + b.system - a.system) / 1e6;
  if (r.n !== o.samples || !Number.isFinite(r.sum)) throw new Error(`chunkenc bench: iterated ${r.n} of ${o.samples} samples`);

  let bytes = 0;
  for (const c of chunks) bytes += c.byteLength();
  return {
    samples: o.samples,
    append_samples_per_sec: Math.round(o.samples / ((t1 - t0) / 1000)),
    iterate_samples_per_sec: Math.round(o.samples / ((t2 - t1) / 1000)),
    // per CPU-second of this process: less disturbed by other load on a shared machine
    append_samples_per_cpu_sec: Math.round(o.samples / cpuSec(c0, c1)),
    iterate_samples_per_cpu_sec: Math.round(o.samples / cpuSec(c1, c2)),
    bytes_per_sample: Math.round((bytes / o.samples) * 1000) / 1000,
  };
}
