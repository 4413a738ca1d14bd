// Benchmark of the head's ingest fast path on node_exporter-like series, and of its memory per series.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Label, Labels } from '../src/model/labels.js';
import { Head } from '../src/tsdb/head/head.js';
import { mulberry32 } from '../src/tsdb/seeded-random.js';

/** HeadBenchOptions sizes the benchmark. */
export interface HeadBenchOptions {
  /** series is the number of active series. */
  series: number;
  /** rounds is the number of samples appended per series through the fast path (after one registering round). */
  rounds: number;
  /** batch is the number of samples per commit. */
  batch: number;
  /** labelRounds is the number of rounds appended by labels (the slow path), measured separately. */
  labelRounds: number;
}

/** defaultHeadBenchOptions: 20,000 series, 120 fast-path rounds in batches of 2000. */
export function defaultHeadBenchOptions(): HeadBenchOptions {
  return { series: 20_000, rounds: 120, batch: 2000, labelRounds: 5 };
}

const METRICS = [
  'node_cpu_seconds_total',
  'node_memory_MemFree_bytes',
  'node_network_receive_bytes_total',
  'node_disk_io_time_seconds_total',
  'node_filesystem_avail_bytes',
];
const MODES = ['idle', 'iowait', 'irq', 'nice', 'softirq', 'steal', 'system', 'user'];

/** makeSeries builds node_exporter-like label sets (instance, job, and cpu/mode or device labels). */
function makeSeries(n: number): Labels[] {
  const out: Labels[] = [];
  for (let i = 0; out.length < n; i++) {
    const instance = `node-${Math.floor(i / 40)}.example.internal:9100`;
    const metric = METRICS[i % METRICS.length]!;
    const k = Math.floor(i / METRICS.length) % 8;
    const ls: Label[] = [{ name: '__name__', value: metric }];
    if (metric === 'node_cpu_seconds_total') ls.push({ name: 'cpu', value: String(k) });
    else ls.push({ name: 'device', value: `sd${String.fromCharCode(97 + k)}` });
    ls.push({ name: 'instance', value: instance }, { name: 'job', value: 'node' });
    if (metric === 'node_cpu_seconds_total') ls.push({ name: 'mode', value: MODES[(i >> 3) % 8]! });
    out.push(ls);
  }
  return out;
}

/** encodeRequest lays the label sets out as remote-write protobuf Label messages in one buffer. */
function encodeRequest(series: Labels[]): { buf: Uint8Array; start: Int32Array; end: Int32Array } {
  const te = new TextEncoder();
  const parts: number[] = [];
  const start = new Int32Array(series.length);
  const end = new Int32Array(series.length);
  const field = (tag: number, bytes: number[]): void => {
    parts.push(tag, bytes.length, ...bytes);
  };
  series.forEach((ls, i) => {
    start[i] = parts.length;
    for (const l of ls) {
      const body: number[] = [];
      const name = [...te.encode(l.name)];
      const value = [...te.encode(l.value)];
      body.push(0x0a, name.length, ...name, 0x12, value.length, ...value);
      field(0x0a, body);
    }
    end[i] = parts.length;
  });
  return { buf: Uint8Array.from(parts), start, end };
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
}

function getGC(): (() => void) | null {
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === 'function') return g;
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return null;
  }
}

function heapUsed(gc: (() => void) | null): number {
  if (gc) {
    gc();
    gc();
  }
  return process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
}

/** runHeadBench measures fast-path append throughput (samples/s, wal: null) and bytes per active series. */
export async function runHeadBench(options: Partial<HeadBenchOptions> = {}): Promise<Record<string, number>> {
  const o = { ...defaultHeadBenchOptions(), ...options };
  const labels = makeSeries(o.series);
  const req = encodeRequest(labels);
  // Values as in bench/chunkenc.ts: integer counters, float counters, gauges, constants.
  const vals = new Float64Array(o.series);
  const kinds = new Float64Array(o.series);
  const rnd = mulberry32(42);
  for (let i = 0; i < o.series; i++) {
    const kind = rnd();
    kinds[i] = kind;
    vals[i] = kind < 0.5 ? Math.floor(rnd() * 1e6) : kind < 0.6 ? rnd() * 1e4 : kind < 0.9 ? rnd() * 8e9 : Math.floor(rnd() * 4);
  }
  const nextValue = (i: number): number => {
    const kind = kinds[i]!;
    let v = vals[i]!;
    if (kind < 0.5) v += rnd() < 0.2 ? 0 : Math.floor(rnd() * 100);
    else if (kind < 0.6) v += rnd() * 0.75;
    else if (kind < 0.9) v = rnd() < 0.5 ? v : Math.floor(v + (rnd() - 0.5) * 1e6);
    vals[i] = v;
    return v;
  };
  const gc = getGC();
  const heap0 = heapUsed(gc);
  const head = new Head({ wal: null });
  const t0 = 1_700_000_000_000;
  const step = 15_000;

  // Round 0: create series by labels and register their bytes.
  let app = head.appender();
  const createStart = performance.now();
  for (let i = 0; i < o.series; i++) {
    const ref = app.append(0, labels[i]!, t0, vals[i]!);
    app.registerBytes(req.buf, req.start[i]!, req.end[i]!, ref);
    if ((i + 1) % o.batch === 0) {
      await app.commit();
      app = head.appender();
    }
  }
  await app.commit();
  const createMs = performance.now() - createStart;

  // Fast path: resolve each series from its bytes, append, commit every batch.
  const empty: Labels = [];
  let samples = 0;
  let misses = 0;
  const fastStart = performance.now();
  const fastCpu = process.cpuUsage();
  for (let r = 1; r <= o.rounds; r++) {
    const t = t0 + r * step;
    app = head.appender();
    let inBatch = 0;
    for (let i = 0; i < o.series; i++) {
      const ref = app.refForBytes(req.buf, req.start[i]!, req.end[i]!);
      if (ref === 0) misses++;
      app.append(ref, ref === 0 ? labels[i]! : empty, t, nextValue(i));
      samples++;
      if (++inBatch === o.batch) {
        await app.commit();
        app = head.appender();
        inBatch = 0;
      }
    }
    await app.commit();
  }
  const fastMs = performance.now() - fastStart;
  const fastCpuMs = cpuMs(fastCpu);
  if (misses > 0) throw new Error(`head bench: ${misses} fast-path misses`);

  const heap1 = heapUsed(gc);
  const stats = head.stats();

  // Slow path for comparison: append by labels (hash + compare of label strings).
  const slowStart = performance.now();
  const slowCpu = process.cpuUsage();
  let slowSamples = 0;
  for (let r = 1; r <= o.labelRounds; r++) {
    const t = t0 + (o.rounds + r) * step;
    app = head.appender();
    for (let i = 0; i < o.series; i++) {
        app.append(0, labels[i]!, t, nextValue(i));
      slowSamples++;
      if (slowSamples % o.batch === 0) {
        await app.commit();
        app = head.appender();
      }
    }
    await app.commit();
  }
  const slowMs = performance.now() - slowStart;
  const slowCpuMs = cpuMs(slowCpu);

  // Read back one full series set to keep the head alive past the heap measurement and check it.
  const q = head.querier(t0, t0 + (o.rounds + o.labelRounds) * step);
  let read = 0;
  const ss = q.select(false, undefined, []);
  while (ss.next()) {
    const it = ss.at().iterator();
    while (it.next()) read++;
  }
  const expected = o.series * (1 + o.rounds + o.labelRounds);
  if (read !== expected) throw new Error(`head bench: read ${read} samples, expected ${expected}`);

  return {
    series: o.series,
    samples_per_series: 1 + o.rounds,
    fast_path_samples_per_sec: Math.round(samples / (fastMs / 1000)),
    fast_path_samples_per_cpu_sec: Math.round(samples / (fastCpuMs / 1000)),
    label_path_samples_per_sec: Math.round(slowSamples / (slowMs / 1000)),
    label_path_samples_per_cpu_sec: Math.round(slowSamples / (slowCpuMs / 1000)),
    create_series_per_sec: Math.round(o.series / (createMs / 1000)),
    bytes_per_series_measured: gc ? Math.round((heap1 - heap0) / o.series) : -1,
    bytes_per_series_estimated: Math.round(stats.memoryBytesEstimate / o.series),
    chunk_data_bytes_per_series: Math.round(stats.chunkDataBytes / o.series),
    chunks: stats.numChunks,
  };
}
