import { afterEach, describe, expect, it } from 'vitest';
import { toFloatHistogram } from '../../model/histogram/convert.js';
import { CounterResetHint, type FloatHistogram, type Histogram } from '../../model/histogram/types.js';
import { labelsFromRecord } from '../../model/labels.js';
import { newMatcher } from '../../model/matcher.js';
import { floatHistogramChunksFromSamples } from '../chunkenc/float-histogram.js';
import { histogramChunksFromSamples } from '../chunkenc/histogram.js';
import { chunkFromSamples, ENCODING_XOR } from '../chunkenc/xor.js';
import { mergeChunkSeries } from '../compact/merge-chunks.js';
import { Cleanups } from '../test-dirs.js';
import { Block } from './block.js';
import { writeBlock, type ChunkData, type ChunkSeries } from './writer.js';

const cleanups = new Cleanups();
afterEach(cleanups.run);

const T0 = 1_700_000_000_000;
const STEP = 15_000;

function hist(k: number): Histogram {
  return {
    counterResetHint: CounterResetHint.Unknown,
    schema: 1,
    zeroThreshold: 2 ** -128,
    zeroCount: k,
    count: 4 * k + 2,
    sum: k * 1.5,
    positiveSpans: [{ offset: 0, length: 2 }],
    negativeSpans: [{ offset: 1, length: 1 }],
    positiveBuckets: [k + 1, 0],
    negativeBuckets: [k],
  };
}

function fhist(k: number): FloatHistogram {
  return { ...toFloatHistogram(hist(k)), sum: k * 2.25, count: 4 * k + 2.5, zeroCount: k + 0.5 };
}

const toData = (chunks: Array<{ bytes(): Uint8Array; numSamples(): number }>, ts: number[]): ChunkData[] => {
  let at = 0;
  return chunks.map((c) => {
    const n = c.numSamples();
    const d = { mint: ts[at]!, maxt: ts[at + n - 1]!, encoding: (c as unknown as { encoding(): number }).encoding(), data: c.bytes().slice() };
    at += n;
    return d;
  });
};

/** readAll reads every series of a block as [t, value or float histogram] pairs. */
function readAll(b: Block): Map<string, Array<[number, number | FloatHistogram]>> {
  const out = new Map<string, Array<[number, number | FloatHistogram]>>();
  const ss = b.querier(-Infinity, Infinity).select(true, undefined, [newMatcher('=~', '__name__', '.+')]);
  while (ss.next()) {
    const s = ss.at();
    const it = s.iterator();
    const xs: Array<[number, number | FloatHistogram]> = [];
    while (it.next()) {
      const fh = it.atFloatHistogram?.();
      xs.push([it.atT(), fh === undefined ? it.atV() : structuredClone(fh)]);
    }
    out.set(s.labels.find((l) => l.name === '__name__')!.value, xs);
  }
  return out;
}

describe('blocks holding histogram chunks', () => {
  it('writes and reads integer, float and mixed float/histogram series', async () => {
    const ts = Array.from({ length: 30 }, (_, k) => T0 + k * STEP);
    const ints = histogramChunksFromSamples(ts.map((t, k) => ({ t, h: hist(k) })));
    const floats = floatHistogramChunksFromSamples(ts.map((t, k) => ({ t, h: fhist(k) })));
    const mixed: ChunkData[] = [
      { mint: ts[0]!, maxt: ts[9]!, encoding: ENCODING_XOR, data: chunkFromSamples(ts.slice(0, 10), ts.slice(0, 10).map((_, k) => k)).bytes().slice() },
      ...toData(histogramChunksFromSamples(ts.slice(10).map((t, k) => ({ t, h: hist(k + 10) }))), ts.slice(10)),
    ];
    const series: ChunkSeries[] = [
      { labels: labelsFromRecord({ __name__: 'h_float' }), chunks: toData(floats, ts) },
      { labels: labelsFromRecord({ __name__: 'h_int' }), chunks: toData(ints, ts) },
      { labels: labelsFromRecord({ __name__: 'h_mixed' }), chunks: mixed },
    ];
    const dir = cleanups.tempDir('amphora-block-hist-');
    const meta = await writeBlock(dir, { mint: T0, maxt: T0 + 3_600_000, series });
    expect(meta.stats.numSamples).toBe(90);
    const b = Block.open(`${dir}/${meta.ulid}`);
    try {
      const got = readAll(b);
      const hint = (k: number): number => (k === 0 ? CounterResetHint.Unknown : CounterResetHint.NotCounterReset);
      expect(got.get('h_int')).toEqual(ts.map((t, k) => [t, { ...toFloatHistogram(hist(k)), counterResetHint: hint(k) }]));
      expect(got.get('h_float')).toEqual(ts.map((t, k) => [t, { ...fhist(k), counterResetHint: hint(k) }]));
      const m = got.get('h_mixed')!;
      expect(m.slice(0, 10)).toEqual(ts.slice(0, 10).map((t, k) => [t, k]));
      expect(m.slice(10).map(([t, h]) => [t, (h as FloatHistogram).count])).toEqual(ts.slice(10).map((t, k) => [t, hist(k + 10).count]));
      // Seeking into the histogram part of the mixed series.
      const ss = b.querier(-Infinity, Infinity).select(false, undefined, [newMatcher('=', '__name__', 'h_mixed')]);
      ss.next();
      const it = ss.at().iterator();
      expect(it.seek(ts[12]!)).toBe(true);
      expect(it.atFloatHistogram!()!.zeroCount).toBe(12);
      expect(it.seek(ts[13]!)).toBe(true);
      expect(it.atT()).toBe(ts[13]);
    } finally {
      b.close();
    }
  });

  it('merges overlapping histogram chunks and trims them to the block range', () => {
    const ts = Array.from({ length: 20 }, (_, k) => T0 + k * STEP);
    const a: ChunkSeries = { labels: labelsFromRecord({ __name__: 'x' }), chunks: toData(histogramChunksFromSamples(ts.filter((_, k) => k % 2 === 0).map((t) => ({ t, h: hist((t - T0) / STEP) }))), ts.filter((_, k) => k % 2 === 0)) };
    const odd = ts.filter((_, k) => k % 2 === 1);
    const b: ChunkSeries = { labels: labelsFromRecord({ __name__: 'x' }), chunks: toData(histogramChunksFromSamples(odd.map((t) => ({ t, h: hist((t - T0) / STEP) }))), odd) };
    const [merged] = [...mergeChunkSeries([[a], [b]], { maxt: ts[15]! })];
    expect(merged!.chunks).toHaveLength(1);
    expect(merged!.chunks[0]).toMatchObject({ mint: ts[0], maxt: ts[15], encoding: 2 });
    const direct = histogramChunksFromSamples(ts.slice(0, 16).map((t, k) => ({ t, h: hist(k) })));
    expect(Buffer.from(merged!.chunks[0]!.data).equals(Buffer.from(direct[0]!.bytes()))).toBe(true);
  });

  it('cuts a new chunk where a merged series switches between floats and histograms', () => {
    const ts = Array.from({ length: 6 }, (_, k) => T0 + k * STEP);
    const floats: ChunkSeries = { labels: labelsFromRecord({ __name__: 'y' }), chunks: [{ mint: ts[0]!, maxt: ts[4]!, encoding: ENCODING_XOR, data: chunkFromSamples([ts[0]!, ts[4]!], [1, 2]).bytes().slice() }] };
    const hs = [ts[1]!, ts[2]!, ts[5]!];
    const hists: ChunkSeries = { labels: labelsFromRecord({ __name__: 'y' }), chunks: toData(histogramChunksFromSamples(hs.map((t, k) => ({ t, h: hist(k) }))), hs) };
    const [merged] = [...mergeChunkSeries([[floats], [hists]])];
    expect(merged!.chunks.map((c) => [c.encoding, c.mint, c.maxt])).toEqual([
      [1, ts[0], ts[0]],
      [2, ts[1], ts[2]],
      [1, ts[4], ts[4]],
      [2, ts[5], ts[5]],
    ]);
  });
});
