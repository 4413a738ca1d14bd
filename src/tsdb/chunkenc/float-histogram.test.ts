import { describe, expect, it } from 'vitest';
import { CounterResetHint, CUSTOM_BUCKETS_SCHEMA, type FloatHistogram } from '../../model/histogram/types.js';
import { isStaleNaN, STALE_NAN } from '../../model/sample.js';
import { FloatHistogramChunk, floatHistogramChunksFromSamples } from './float-histogram.js';
import { CounterResetHeader } from './histogram.js';

function fh(n: number, over: Partial<FloatHistogram> = {}): FloatHistogram {
  return {
    counterResetHint: CounterResetHint.Unknown,
    schema: 3,
    zeroThreshold: 0.001,
    zeroCount: n / 2,
    count: 3.5 * n,
    sum: 10.25 * n,
    positiveSpans: [{ offset: -2, length: 2 }],
    negativeSpans: [{ offset: 1, length: 1 }],
    positiveBuckets: [n, n * 1.5],
    negativeBuckets: [n / 2],
    ...over,
  };
}

function decode(c: FloatHistogramChunk): Array<{ t: number; h: FloatHistogram }> {
  const it = c.iterator();
  const out: Array<{ t: number; h: FloatHistogram }> = [];
  while (it.next()) out.push({ t: it.atT(), h: it.atFloatHistogramCopy() });
  expect(it.err()).toBeNull();
  return out;
}

describe('FloatHistogramChunk', () => {
  it('round-trips samples, including a non-power-of-two zero threshold, and continues re-opened bytes identically', () => {
    const samples = Array.from({ length: 40 }, (_, i) => ({ t: 5000 + i * 30000, h: fh(i + 0.3) }));
    const chunks = floatHistogramChunksFromSamples(samples);
    expect(chunks).toHaveLength(1);
    const got = decode(chunks[0]!);
    got.forEach((s, i) => {
      expect(s.t).toBe(samples[i]!.t);
      expect(s.h).toEqual({ ...samples[i]!.h, counterResetHint: i === 0 ? CounterResetHint.Unknown : CounterResetHint.NotCounterReset });
    });
    const reopened = new FloatHistogramChunk(chunks[0]!.bytes().slice());
    reopened.appender().appendFloatHistogram(5000 + 40 * 30000, fh(41));
    chunks[0]!.appender().appendFloatHistogram(5000 + 40 * 30000, fh(41));
    expect(Buffer.from(reopened.bytes()).equals(Buffer.from(chunks[0]!.bytes()))).toBe(true);
  });

  it('cuts on a counter reset with the reset header, and keeps custom bounds', () => {
    const nhcb = (n: number, bounds: number[]): FloatHistogram =>
      fh(n, { schema: CUSTOM_BUCKETS_SCHEMA, zeroThreshold: 0, zeroCount: 0, negativeSpans: [], negativeBuckets: [], count: 2.5 * n, customValues: bounds });
    const chunks = floatHistogramChunksFromSamples([
      { t: 1, h: nhcb(4, [0.25, 1e9]) },
      { t: 2, h: nhcb(5, [0.25, 1e9]) },
      { t: 3, h: nhcb(6, [0.5, 1e9]) },
      { t: 4, h: nhcb(1, [0.5, 1e9]) },
    ]);
    expect(chunks.map((c) => c.numSamples())).toEqual([2, 1, 1]);
    expect(chunks.map((c) => c.counterResetHeader())).toEqual([CounterResetHeader.Unknown, CounterResetHeader.CounterReset, CounterResetHeader.CounterReset]);
    expect(decode(chunks[1]!)[0]!.h.customValues).toEqual([0.5, 1e9]);
  });

  it('stores a stale marker without buckets', () => {
    const [c] = floatHistogramChunksFromSamples([
      { t: 1, h: fh(1) },
      { t: 2, h: fh(1, { sum: STALE_NAN }) },
    ]);
    const it = c!.iterator();
    expect(it.seek(2)).toBe(true);
    const h = it.atFloatHistogram();
    expect(isStaleNaN(h.sum)).toBe(true);
    expect(h.positiveBuckets).toEqual([]);
  });
});
