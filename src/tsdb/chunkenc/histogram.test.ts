import { describe, expect, it } from 'vitest';
import { toFloatHistogram } from '../../model/histogram/convert.js';
import { CounterResetHint, CUSTOM_BUCKETS_SCHEMA, type Histogram } from '../../model/histogram/types.js';
import { isStaleNaN, STALE_NAN } from '../../model/sample.js';
import { CounterResetHeader, HistogramAppendError, HistogramChunk, histogramChunksFromSamples } from './histogram.js';

function hist(count: number, over: Partial<Histogram> = {}): Histogram {
  // Two spans: buckets 0,1 and 3,4 (schema 0), counts growing with `count`.
  return {
    counterResetHint: CounterResetHint.Unknown,
    schema: 0,
    zeroThreshold: 2 ** -128,
    zeroCount: count,
    count: 5 * count,
    sum: 1.5 * count,
    positiveSpans: [
      { offset: 0, length: 2 },
      { offset: 1, length: 2 },
    ],
    negativeSpans: [],
    positiveBuckets: [count, 0, 0, 0],
    negativeBuckets: [],
    ...over,
  };
}

function decodeAll(c: HistogramChunk): Array<{ t: number; h: Histogram }> {
  const it = c.iterator();
  const out: Array<{ t: number; h: Histogram }> = [];
  while (it.next()) out.push({ t: it.atT(), h: it.atHistogram() });
  expect(it.err()).toBeNull();
  return out;
}

describe('HistogramChunk', () => {
  it('round-trips samples and reports hints as Prometheus does', () => {
    const c = new HistogramChunk();
    let app = c.appender();
    for (let i = 0; i < 50; i++) {
      const r = app.appendHistogram(1000 + i * 15000 + (i % 3), hist(i + 1));
      expect(r.chunk).toBeNull();
      app = r.appender;
    }
    const got = decodeAll(c);
    expect(got).toHaveLength(50);
    got.forEach((s, i) => {
      expect(s.t).toBe(1000 + i * 15000 + (i % 3));
      expect(s.h).toEqual({ ...hist(i + 1), counterResetHint: i === 0 ? CounterResetHint.Unknown : CounterResetHint.NotCounterReset });
    });
    // Appending through a re-opened chunk gives the same bytes as appending straight through.
    const reopened = new HistogramChunk(c.bytes().slice());
    const cont = c.appender().appendHistogram(1000 + 50 * 15000, hist(51));
    expect(cont.chunk).toBeNull();
    reopened.appender().appendHistogram(1000 + 50 * 15000, hist(51));
    expect(Buffer.from(reopened.bytes()).equals(Buffer.from(c.bytes()))).toBe(true);
  });

  it('cuts a new chunk on a counter reset and on a schema change', () => {
    const chunks = histogramChunksFromSamples([
      { t: 1, h: hist(10) },
      { t: 2, h: hist(3) },
      { t: 3, h: hist(4, { schema: 1 }) },
    ]);
    expect(chunks.map((c) => c.numSamples())).toEqual([1, 1, 1]);
    expect(chunks.map((c) => c.counterResetHeader())).toEqual([CounterResetHeader.Unknown, CounterResetHeader.CounterReset, CounterResetHeader.Unknown]);
  });

  it('recodes the chunk when new buckets appear and pads samples that lack empty buckets', () => {
    const c = new HistogramChunk();
    const app = c.appender();
    app.appendHistogram(1, hist(1));
    // A new bucket at index 2 between the spans: the chunk is recoded with it.
    const wider = hist(2, { count: 11, positiveSpans: [{ offset: 0, length: 6 }], positiveBuckets: [2, 0, -1, 1, 0, -2] });
    const r = app.appendHistogram(2, wider);
    expect(r.recoded).toBe(true);
    expect(r.chunk!.numSamples()).toBe(2);
    const got = decodeAll(r.chunk!);
    expect(got[0]!.h.positiveSpans).toEqual([{ offset: 0, length: 6 }]);
    expect(toFloatHistogram(got[0]!.h).positiveBuckets).toEqual([1, 1, 0, 1, 1, 0]);
    expect(toFloatHistogram(got[1]!.h).positiveBuckets).toEqual([2, 2, 1, 2, 2, 0]);
    // A sample lacking the (empty) bucket at index 5 is padded, not cut.
    const narrower = hist(3, { count: 16, positiveSpans: [{ offset: 0, length: 5 }], positiveBuckets: [3, 0, -2, 2, 0] });
    const r2 = r.appender.appendHistogram(3, narrower);
    expect(r2.chunk).toBeNull();
    const last = decodeAll(r.chunk!)[2]!;
    expect(toFloatHistogram(last.h).positiveBuckets).toEqual([3, 3, 1, 3, 3, 0]);
  });

  it('stores stale markers and starts a new chunk after one', () => {
    const chunks = histogramChunksFromSamples([
      { t: 1, h: hist(1) },
      { t: 2, h: hist(0, { sum: STALE_NAN }) },
      { t: 3, h: hist(2) },
    ]);
    expect(chunks.map((c) => c.numSamples())).toEqual([2, 1]);
    const it = chunks[0]!.iterator();
    it.next();
    it.next();
    expect(isStaleNaN(it.atFloatHistogram().sum)).toBe(true);
    expect(isStaleNaN(it.atV())).toBe(true);
  });

  it('refuses in append-only mode with Prometheus texts', () => {
    const app = new HistogramChunk().appender();
    app.appendHistogram(1, hist(5));
    expect(() => app.appendHistogram(2, hist(1), { appendOnly: true })).toThrow(new HistogramAppendError('histogram counter reset', 'counter-reset'));
  });

  it('keeps gauge histograms in gauge chunks', () => {
    const g = (n: number): Histogram => hist(n, { counterResetHint: CounterResetHint.Gauge });
    const chunks = histogramChunksFromSamples([
      { t: 1, h: g(5) },
      { t: 2, h: g(1) },
      { t: 3, h: g(7) },
    ]);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.counterResetHeader()).toBe(CounterResetHeader.Gauge);
    const it = chunks[0]!.iterator();
    const hints: number[] = [];
    while (it.next()) hints.push(it.atFloatHistogram().counterResetHint);
    expect(hints).toEqual([CounterResetHint.Gauge, CounterResetHint.Gauge, CounterResetHint.Gauge]);
  });

  it('keeps custom bucket bounds (schema -53), packed or raw, and cuts with a reset header when they change', () => {
    const bounds = [-1, 0, 0.001, 0.1234567, 33554.43, 33554.431, 1e9];
    const nhcb = (n: number, cv: number[]): Histogram =>
      hist(n, { schema: CUSTOM_BUCKETS_SCHEMA, zeroThreshold: 0, zeroCount: 0, count: 4 * n, positiveSpans: [{ offset: 0, length: 4 }], customValues: cv });
    const chunks = histogramChunksFromSamples([
      { t: 1, h: nhcb(1, bounds) },
      { t: 2, h: nhcb(2, bounds) },
      { t: 3, h: nhcb(3, [0.5, 1, 2]) },
    ]);
    expect(chunks.map((c) => c.numSamples())).toEqual([2, 1]);
    expect(chunks[1]!.counterResetHeader()).toBe(CounterResetHeader.CounterReset);
    expect(decodeAll(chunks[0]!)[1]!.h.customValues).toEqual(bounds);
    expect(decodeAll(chunks[1]!)[0]!.h.customValues).toEqual([0.5, 1, 2]);
  });

  it('writes the default zero threshold 2^-128 as the single byte 116, right after the header', () => {
    const [c] = histogramChunksFromSamples([{ t: 0, h: hist(1) }]);
    expect(c!.bytes()[3]).toBe(116);
  });

  it('seeks', () => {
    const [c] = histogramChunksFromSamples([1, 2, 3, 4].map((i) => ({ t: i * 10, h: hist(i) })));
    const it = c!.iterator();
    expect(it.seek(25)).toBe(true);
    expect(it.atT()).toBe(30);
    expect(it.atFloatHistogram().count).toBe(15);
    expect(it.seek(41)).toBe(false);
  });
});
