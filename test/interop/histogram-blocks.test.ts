// Interop: a block written by Amphora's block writer holding integer histograms, float histograms
// and a series that switches from floats to histograms is read by `promtool tsdb dump` (2.42 prints
// float samples only and stops a series at its first histogram) and served by a stock Prometheus
// 2.42 with --enable-feature=native-histograms: raw samples, histogram_count and histogram_sum
// over the copied block answer what was written.

import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toFloatHistogram } from '../../src/model/histogram/convert.js';
import { CounterResetHint, type FloatHistogram, type Histogram, type Span } from '../../src/model/histogram/types.js';
import { labelsFromRecord } from '../../src/model/labels.js';
import type { ChunkData, ChunkSeries } from '../../src/tsdb/block/writer.js';
import { writeBlock } from '../../src/tsdb/block/writer.js';
import { floatHistogramChunksFromSamples } from '../../src/tsdb/chunkenc/float-histogram.js';
import { histogramChunksFromSamples } from '../../src/tsdb/chunkenc/histogram.js';
import { chunkFromSamples, ENCODING_XOR } from '../../src/tsdb/chunkenc/xor.js';
import { onPath, startPrometheus, type RunningPrometheus } from './prometheus-peer.js';

const HAVE_PROMTOOL = onPath('promtool');
const HAVE_PROMETHEUS = onPath('prometheus');
if (!HAVE_PROMTOOL) console.warn('skipping histogram block dump test: promtool is not on PATH');
if (!HAVE_PROMETHEUS) console.warn('skipping histogram block serving test: prometheus is not on PATH');

const HOUR = 3_600_000;
const T0 = Math.floor((Date.now() - 6 * HOUR) / (2 * HOUR)) * (2 * HOUR);
const STEP = 15_000;
const N = 200;
const ts = Array.from({ length: N }, (_, k) => T0 + k * STEP);

function intHist(k: number): Histogram {
  // Buckets 1 and 2 from the start, bucket 4 from k=50 (a recode), a reset at k=150.
  const r = k >= 150 ? k - 150 : k;
  const wide = r >= 50;
  const abs = wide ? [r + 1, 2 * r + 1, 0, r - 49] : [r + 1, 2 * r + 1];
  const deltas = abs.map((c, i) => c - (i === 0 ? 0 : abs[i - 1]!));
  return {
    counterResetHint: CounterResetHint.Unknown,
    schema: 0,
    zeroThreshold: 2 ** -128,
    zeroCount: r,
    count: r + abs.reduce((a, b) => a + b, 0) + 2,
    sum: r * 3.75 - 1,
    positiveSpans: [{ offset: 1, length: abs.length }],
    negativeSpans: [{ offset: 0, length: 1 }],
    positiveBuckets: deltas,
    negativeBuckets: [2],
  };
}

function floatHist(k: number): FloatHistogram {
  const pos = [0.5 + k / 8, 1.25 * k + 1];
  return {
    counterResetHint: CounterResetHint.Unknown,
    schema: 1,
    zeroThreshold: 0.001,
    zeroCount: k / 4,
    count: k / 4 + pos[0]! + pos[1]!,
    sum: k * 0.3,
    positiveSpans: [{ offset: -1, length: 2 }],
    negativeSpans: [],
    positiveBuckets: pos,
    negativeBuckets: [],
  };
}

function chunkData(chunks: Array<{ bytes(): Uint8Array; numSamples(): number; encoding(): number }>, times: readonly number[]): ChunkData[] {
  let at = 0;
  return chunks.map((c) => {
    const n = c.numSamples();
    const d = { mint: times[at]!, maxt: times[at + n - 1]!, encoding: c.encoding(), data: c.bytes().slice() };
    at += n;
    return d;
  });
}

/** expected is what each series holds: a float or a float histogram per timestamp. */
const expected: Record<string, Array<number | FloatHistogram>> = {
  amphora_hist_float: ts.map((_, k) => floatHist(k)),
  amphora_hist_int: ts.map((_, k) => toFloatHistogram(intHist(k))),
  amphora_hist_mixed: ts.map((_, k) => (k < 100 ? k * 2 : toFloatHistogram(intHist(k - 100)))),
};

function fixtureSeries(): ChunkSeries[] {
  const cut = <T>(xs: T[]): T[][] => Array.from({ length: Math.ceil(xs.length / 120) }, (_, i) => xs.slice(i * 120, i * 120 + 120));
  // Chunks of at most 120 samples, as Prometheus's head cuts them.
  const intChunks = cut(ts.map((t, k) => ({ t, h: intHist(k) }))).flatMap((part) => chunkData(histogramChunksFromSamples(part), part.map((x) => x.t)));
  const floatChunks = cut(ts.map((t, k) => ({ t, h: floatHist(k) }))).flatMap((part) => chunkData(floatHistogramChunksFromSamples(part), part.map((x) => x.t)));
  const first = ts.slice(0, 100);
  const rest = ts.slice(100).map((t, k) => ({ t, h: intHist(k) }));
  const mixed: ChunkData[] = [
    { mint: first[0]!, maxt: first[99]!, encoding: ENCODING_XOR, data: chunkFromSamples(first, first.map((_, k) => k * 2)).bytes().slice() },
    ...chunkData(histogramChunksFromSamples(rest), rest.map((x) => x.t)),
  ];
  return [
    { labels: labelsFromRecord({ __name__: 'amphora_hist_float', job: 'x' }), chunks: floatChunks },
    { labels: labelsFromRecord({ __name__: 'amphora_hist_int', job: 'x' }), chunks: intChunks },
    { labels: labelsFromRecord({ __name__: 'amphora_hist_mixed', job: 'x' }), chunks: mixed },
  ];
}

/** bucketsOf lists a histogram's non-empty buckets as Prometheus's API does: [boundary rule, lower, upper, count], by lower bound. */
function bucketsOf(h: FloatHistogram): Array<[number, number, number, number]> {
  const bound = (i: number): number => 2 ** (i / 2 ** h.schema);
  const walk = (spans: readonly Span[], counts: readonly number[], f: (idx: number, c: number) => void): void => {
    let idx = 0;
    let k = 0;
    for (const s of spans) {
      idx += s.offset;
      for (let j = 0; j < s.length; j++, idx++, k++) if (counts[k] !== 0) f(idx, counts[k]!);
    }
  };
  const out: Array<[number, number, number, number]> = [];
  walk(h.negativeSpans, h.negativeBuckets, (i, c) => out.push([1, -bound(i), -bound(i - 1), c]));
  if (h.zeroCount > 0) out.push([3, -h.zeroThreshold, h.zeroThreshold, h.zeroCount]);
  walk(h.positiveSpans, h.positiveBuckets, (i, c) => out.push([0, bound(i - 1), bound(i), c]));
  return out.sort((a, b) => a[1] - b[1]);
}

interface PromHistogram {
  count: string;
  sum: string;
  buckets?: Array<[number, string, string, string]>;
}

describe('Amphora blocks holding native histograms, read by Prometheus 2.42 tools', () => {
  const dir = mkdtempSync(join(tmpdir(), 'amphora-hist-blocks-'));
  let ulid = '';
  beforeAll(async () => {
    const meta = await writeBlock(dir, { mint: T0, maxt: T0 + 2 * HOUR, series: fixtureSeries() });
    ulid = meta.ulid;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.skipIf(!HAVE_PROMTOOL)('promtool tsdb dump reads the block: the float samples, then stops at the histograms (2.42 dumps floats only)', () => {
    const data = join(dir, 'dump');
    mkdirSync(join(data, 'wal'), { recursive: true });
    cpSync(join(dir, ulid), join(data, ulid), { recursive: true });
    const r = spawnSync('promtool', ['tsdb', 'dump', data], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').filter((l) => l !== '');
    expect(lines.every((l) => l.startsWith('{__name__="amphora_hist_mixed"'))).toBe(true);
    expect(lines.map((l) => l.split(' ').slice(-2).map(Number))).toEqual(ts.slice(0, 100).map((t, k) => [k * 2, t]));
  });

  describe.skipIf(!HAVE_PROMETHEUS)('a stock Prometheus 2.42 serving a copy of the block', () => {
    let prom: RunningPrometheus;
    beforeAll(async () => {
      const data = join(dir, 'serve');
      mkdirSync(data);
      cpSync(join(dir, ulid), join(data, ulid), { recursive: true });
      const config = join(dir, 'prometheus.yml');
      writeFileSync(config, 'global:\n  scrape_interval: 1m\n');
      prom = await startPrometheus([`--config.file=${config}`, `--storage.tsdb.path=${data}`, '--storage.tsdb.retention.time=100y', '--enable-feature=native-histograms']);
    }, 60_000);
    afterAll(async () => prom?.stop());

    const query = async (path: string, params: Record<string, string>): Promise<{ resultType: string; result: Array<Record<string, unknown>> }> => {
      const res = await fetch(`${prom.base}${path}?${new URLSearchParams(params)}`);
      const body = (await res.json()) as { status: string; data: { resultType: string; result: Array<Record<string, unknown>> } };
      expect(body.status, JSON.stringify(body)).toBe('success');
      return body.data;
    };
    const end = (T0 + N * STEP) / 1000;

    it('returns the raw samples written, floats and histograms', async () => {
      // One query per series: 2.42 returns one series' histogram objects for another when a
      // matrix holds several histogram series (its iterators reuse them).
      const result: Array<Record<string, unknown>> = [];
      for (const name of Object.keys(expected)) {
        const data = await query('/api/v1/query', { query: `${name}[${(N * STEP) / 1000 + 1}s]`, time: String(end) });
        expect(data.resultType).toBe('matrix');
        expect(data.result).toHaveLength(1);
        result.push(data.result[0]!);
      }
      for (const r of result) {
        const name = (r['metric'] as Record<string, string>)['__name__']!;
        const want = expected[name]!;
        const floats = ((r['values'] as Array<[number, string]> | undefined) ?? []).map(([t, v]) => [Math.round(t * 1000), Number(v)]);
        const hists = ((r['histograms'] as Array<[number, PromHistogram]> | undefined) ?? []).map(([t, h]) => [
          Math.round(t * 1000),
          Number(h.count),
          Number(h.sum),
          (h.buckets ?? []).map(([rule, lo, hi, c]) => [rule, Number(lo), Number(hi), Number(c)]).sort((a, b) => (a[1] as number) - (b[1] as number)),
        ]);
        expect(floats, name).toEqual(ts.flatMap((t, k) => (typeof want[k] === 'number' ? [[t, want[k]]] : [])));
        const wantH = ts.flatMap((t, k) => {
          const h = want[k]!;
          return typeof h === 'number' ? [] : [[t, h.count, h.sum, bucketsOf(h)]];
        });
        expect(hists.length, name).toBe(wantH.length);
        hists.forEach((got, i) => {
          const w = wantH[i]!;
          expect(got.slice(0, 3), name).toEqual(w.slice(0, 3));
          const gb = got[3] as number[][];
          const wb = w[3] as number[][];
          expect(gb.map((b) => [b[0], b[3]]), `${name} @${w[0]}`).toEqual(wb.map((b) => [b[0], b[3]]));
          gb.forEach((b, j) => {
            expect(b[1]).toBeCloseTo(wb[j]![1]!, 12);
            expect(b[2]).toBeCloseTo(wb[j]![2]!, 12);
          });
        });
      }
    });

    it('answers histogram_count and histogram_sum over the block', async () => {
      for (const [fn, field] of [
        ['histogram_count', 'count'],
        ['histogram_sum', 'sum'],
      ] as const) {
        const data = await query('/api/v1/query_range', { query: `${fn}(amphora_hist_int)`, start: String(ts[0]! / 1000), end: String(ts[N - 1]! / 1000), step: String(STEP / 1000) });
        const values = (data.result[0]!['values'] as Array<[number, string]>).map(([t, v]) => [Math.round(t * 1000), Number(v)]);
        expect(values, fn).toEqual(ts.map((t, k) => [t, (expected['amphora_hist_int']![k] as FloatHistogram)[field]]));
      }
    });
  });
});
