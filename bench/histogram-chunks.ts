// Benchmark of the native histogram chunk encodings: encode and decode CPU time per sample for
// integer and float histogram chunks, bytes per sample, and (when prometheus is installed) the
// bytes per histogram sample of a block Prometheus 2.42 cuts from the same data scraped from a
// protobuf exposition, against a block Amphora's writer makes of it.

import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toFloatHistogram } from '../src/model/histogram/convert.js';
import { CounterResetHint, type FloatHistogram, type Histogram, type Span } from '../src/model/histogram/types.js';
import { labelsFromRecord } from '../src/model/labels.js';
import { Block } from '../src/tsdb/block/block.js';
import { writeBlock, type ChunkSeries } from '../src/tsdb/block/writer.js';
import { FloatHistogramIterator, floatHistogramChunksFromSamples } from '../src/tsdb/chunkenc/float-histogram.js';
import { ENCODING_HISTOGRAM, HistogramIterator, histogramChunksFromSamples } from '../src/tsdb/chunkenc/histogram.js';
import { mulberry32 } from '../src/tsdb/seeded-random.js';
import { exposition, SCRAPE_CONTENT_TYPE, type FixtureSeries } from '../test/interop/histogram-fixture.js';
import { benchQuick, dirSize, hasCommand, startPrometheus, stopProcess } from './tools.js';

const STEP = 15_000;
const PER_CHUNK = 120;
const HOUR = 3_600_000;

/** latencySeries simulates a request-latency histogram (schema 3, log-normal observations) scraped every 15 s. */
function latencySeries(rnd: () => number, t0: number, samples: number): Array<{ t: number; h: Histogram }> {
  const counts = new Map<number, number>();
  let zero = 0;
  let sum = 0;
  const mu = Math.log(0.05 + rnd() * 0.2);
  const sigma = 0.5 + rnd();
  const rate = 5 + Math.floor(rnd() * 200);
  const out: Array<{ t: number; h: Histogram }> = [];
  for (let k = 0; k < samples; k++) {
    const n = Math.floor(rate * (0.5 + rnd()));
    for (let i = 0; i < n; i++) {
      // Box-Muller normal, then log-normal latency in seconds.
      const z = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
      const v = Math.exp(mu + sigma * z);
      sum += v;
      if (v <= 2 ** -128) zero++;
      else {
        const idx = Math.ceil(Math.log2(v) * 8);
        counts.set(idx, (counts.get(idx) ?? 0) + 1);
      }
    }
    const idxs = [...counts.keys()].sort((a, b) => a - b);
    const spans: Span[] = [];
    const deltas: number[] = [];
    let prevIdx = 0;
    let prev = 0;
    let total = zero;
    for (const idx of idxs) {
      const c = counts.get(idx)!;
      total += c;
      if (spans.length > 0 && idx === prevIdx + 1) spans[spans.length - 1]!.length++;
      else spans.push({ offset: spans.length === 0 ? idx : idx - prevIdx - 1, length: 1 });
      deltas.push(c - prev);
      prev = c;
      prevIdx = idx;
    }
    out.push({
      t: t0 + k * STEP + Math.floor(rnd() * 3),
      h: { counterResetHint: CounterResetHint.Unknown, schema: 3, zeroThreshold: 2 ** -128, zeroCount: zero, count: total, sum, positiveSpans: spans, negativeSpans: [], positiveBuckets: deltas, negativeBuckets: [] },
    });
  }
  return out;
}

const cpuSec = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage): number => (b.user - a.user + b.system - a.system) / 1e6;
const round3 = (x: number): number => Math.round(x * 1000) / 1000;

interface Encoded {
  chunks: Array<{ bytes(): Uint8Array; numSamples(): number; encoding(): number }>;
}

/** encodeAll cuts each series every 120 samples (as a head does) and encodes with the appenders. */
function encodeAll<H>(series: Array<Array<{ t: number; h: H }>>, build: (part: Array<{ t: number; h: H }>) => Encoded['chunks']): Encoded['chunks'][] {
  return series.map((s) => {
    const out: Encoded['chunks'] = [];
    for (let i = 0; i < s.length; i += PER_CHUNK) out.push(...build(s.slice(i, i + PER_CHUNK)));
    return out;
  });
}

function decodeAll(chunks: Encoded['chunks'][]): number {
  const hi = new HistogramIterator();
  const fi = new FloatHistogramIterator();
  let n = 0;
  let acc = 0;
  for (const s of chunks) {
    for (const c of s) {
      const it = c.encoding() === ENCODING_HISTOGRAM ? hi : fi;
      it.reset(c.bytes());
      while (it.next()) {
        acc += it.atFloatHistogram().count;
        n++;
      }
    }
  }
  if (!Number.isFinite(acc)) throw new Error('histogram bench: bad decode');
  return n;
}

/** measure encodes and decodes every series three times and reports the best CPU time per sample (the machine is shared). */
function measure<H>(series: Array<Array<{ t: number; h: H }>>, build: (part: Array<{ t: number; h: H }>) => Encoded['chunks']): Record<string, number> {
  const samples = series.reduce((a, s) => a + s.length, 0);
  let enc = Infinity;
  let dec = Infinity;
  let chunks: Encoded['chunks'][] = [];
  for (let rep = 0; rep < 3; rep++) {
    const c0 = process.cpuUsage();
    chunks = encodeAll(series, build);
    const c1 = process.cpuUsage();
    const n = decodeAll(chunks);
    const c2 = process.cpuUsage();
    if (n !== samples) throw new Error(`histogram bench: decoded ${n} of ${samples} samples`);
    enc = Math.min(enc, cpuSec(c0, c1));
    dec = Math.min(dec, cpuSec(c1, c2));
  }
  let bytes = 0;
  for (const s of chunks) for (const c of s) bytes += c.bytes().length;
  return {
    encode_cpu_us_per_sample: round3((enc * 1e6) / samples),
    decode_cpu_us_per_sample: round3((dec * 1e6) / samples),
    chunk_bytes_per_sample: round3(bytes / samples),
  };
}

/** blockChunkBytes sums the chunk data bytes (and counts the samples) of the histogram chunks in a block. */
function blockChunkBytes(dir: string): { bytes: number; samples: number } {
  const b = Block.open(dir);
  let bytes = 0;
  let samples = 0;
  try {
    for (const s of b.chunkSeries()) {
      for (const c of s.chunks) {
        if (c.encoding !== 2 && c.encoding !== 3) continue;
        bytes += c.data.length;
        samples += (c.data[0]! << 8) | c.data[1]!;
      }
    }
  } finally {
    b.close();
  }
  return { bytes, samples };
}

/** prometheusComparison scrapes the series into Prometheus 2.42, waits for its first block and compares it with Amphora's block of the same samples. */
async function prometheusComparison(series: Array<Array<{ t: number; h: Histogram }>>, t0: number): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(join(tmpdir(), 'amphora-bench-hist-'));
  const fixture: FixtureSeries[] = series.map((s, i) => ({ name: `bench_latency_${String(i).padStart(4, '0')}_seconds`, gauge: false, samples: s }));
  // Every scrape serves everything (in case one timed out); Prometheus drops the repeats as out of order.
  const body = exposition(fixture, 0, Infinity);
  const exporter = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': SCRAPE_CONTENT_TYPE });
    res.end(body);
  });
  try {
    await new Promise<void>((r) => exporter.listen(0, '127.0.0.1', r));
    const port = (exporter.address() as { port: number }).port;
    const config = join(dir, 'prometheus.yml');
    writeFileSync(config, `global: {scrape_interval: 5s, scrape_timeout: 5s}\nscrape_configs:\n  - job_name: bench\n    static_configs: [{targets: ['127.0.0.1:${port}']}]\n`);
    const data = join(dir, 'prom');
    const prom = await startPrometheus(data, config, ['--enable-feature=native-histograms']);
    const blocks = (): string[] => readdirSync(data).filter((d) => /^[0-9A-Z]{26}$/.test(d) && readdirSync(join(data, d)).includes('meta.json'));
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline && blocks().length === 0) await new Promise((r) => setTimeout(r, 500));
    await stopProcess(prom.proc);
    const first = blocks().sort()[0];
    if (first === undefined) return { error: `no block from prometheus: ${prom.log().slice(-500)}` };
    const theirs = blockChunkBytes(join(data, first));
    // Amphora's block of the same samples, chunks cut every 120 samples.
    const ours = join(dir, 'amphora');
    mkdirSync(ours);
    const cs: ChunkSeries[] = fixture.map((f, i) => {
      const chunks = [];
      for (let k = 0; k < series[i]!.length; k += PER_CHUNK) {
        const part = series[i]!.slice(k, k + PER_CHUNK);
        for (const c of histogramChunksFromSamples(part)) chunks.push({ mint: part[0]!.t, maxt: part[part.length - 1]!.t, encoding: c.encoding(), data: c.bytes().slice() });
      }
      return { labels: labelsFromRecord({ __name__: f.name, fixture: 'golden', instance: `127.0.0.1:${port}`, job: 'bench' }), chunks };
    });
    const meta = await writeBlock(ours, { mint: t0, maxt: t0 + 2 * HOUR, series: cs });
    const mine = blockChunkBytes(join(ours, meta.ulid));
    const theirBlock = dirSize(join(data, first));
    const myBlock = dirSize(join(ours, meta.ulid));
    return {
      samples: theirs.samples,
      prometheus_chunk_bytes_per_sample: round3(theirs.bytes / theirs.samples),
      amphora_chunk_bytes_per_sample: round3(mine.bytes / mine.samples),
      prometheus_block_bytes_per_sample: round3(theirBlock / theirs.samples),
      amphora_block_bytes_per_sample: round3(myBlock / mine.samples),
      amphora_to_prometheus_block_bytes: round3(myBlock / mine.samples / (theirBlock / theirs.samples)),
    };
  } finally {
    await new Promise<void>((r) => exporter.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** runHistogramChunksBench measures the histogram chunk encodings (see the file comment). */
export async function runHistogramChunksBench(): Promise<Record<string, unknown>> {
  const quick = benchQuick();
  const rnd = mulberry32(7);
  // Two hours of 15 s scrapes per series, starting 2h-aligned about five hours ago (Prometheus's
  // own series at scrape time then make its head cut the block).
  const t0 = Math.floor((Date.now() - 5 * HOUR) / (2 * HOUR)) * (2 * HOUR);
  const nSeries = quick ? 20 : 100;
  const samples = (2 * HOUR) / STEP;
  const ints = Array.from({ length: nSeries }, () => latencySeries(rnd, t0, samples));
  const floats = ints.map((s) => s.map((x) => ({ t: x.t, h: toFloatHistogram(x.h) as FloatHistogram })));
  const result: Record<string, unknown> = {
    series: nSeries,
    samples: nSeries * samples,
    buckets_per_sample: round3(ints.reduce((a, s) => a + s.reduce((b, x) => b + x.h.positiveBuckets.length, 0), 0) / (nSeries * samples)),
    integer: measure(ints, (p) => histogramChunksFromSamples(p)),
    float: measure(floats, (p) => floatHistogramChunksFromSamples(p)),
  };
  if (hasCommand('prometheus')) result['vs_prometheus_2_42'] = await prometheusComparison(ints, t0);
  else result['vs_prometheus_2_42'] = { skipped: 'prometheus is not on PATH' };
  return result;
}
