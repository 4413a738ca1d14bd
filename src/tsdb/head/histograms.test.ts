import { afterEach, describe, expect, it } from 'vitest';
import { labelsFromRecord, type Labels } from '../../model/labels.js';
import { CounterResetHint, type FloatHistogram, type Histogram } from '../../model/histogram/types.js';
import { isStaleNaN, STALE_NAN } from '../../model/sample.js';
import { newMatcher } from '../../model/matcher.js';
import { Cleanups } from '../wal/test-helpers.js';
import { WAL } from '../wal/wal.js';
import { createCheckpoint } from '../wal/checkpoint.js';
import { Head } from './head.js';
import { code } from './test-support.js';
import { ENCODING_XOR } from '../chunkenc/xor.js';
import { ENCODING_HISTOGRAM, HistogramChunk } from '../chunkenc/histogram.js';
import { ENCODING_FLOAT_HISTOGRAM } from '../chunkenc/float-histogram.js';

const cleanups = new Cleanups();
afterEach(cleanups.run);

const L = (name: string): Labels => labelsFromRecord({ __name__: name });

function hist(i: number): Histogram {
  return {
    counterResetHint: CounterResetHint.Unknown,
    schema: 1,
    zeroThreshold: 0.001,
    zeroCount: i,
    count: 3 * i + 2,
    sum: 1.5 * i,
    positiveSpans: [{ offset: -1, length: 2 }],
    negativeSpans: [],
    positiveBuckets: [i + 1, i],
    negativeBuckets: [],
  };
}

function fhist(i: number): FloatHistogram {
  return { ...hist(i), count: 2.5 * i, zeroCount: 0.5, positiveBuckets: [i, i / 2], schema: -53, zeroThreshold: 0, customValues: [1, 2] };
}

type Got = [number, number | FloatHistogram][];

/** readAll reads one series' samples: floats as numbers, histograms as float histograms (copied). */
function readAll(h: Head, name: string, mint = -Infinity, maxt = Infinity): Got {
  const set = h.querier(mint, maxt).select(false, undefined, [newMatcher('=', '__name__', name)]);
  const out: Got = [];
  while (set.next()) {
    const it = set.at().iterator();
    while (it.next()) {
      const fh = it.atFloatHistogram?.();
      // Copied by spreading: structuredClone would not keep the stale marker's NaN bits.
      out.push([it.atT(), fh !== undefined ? { ...fh, positiveBuckets: fh.positiveBuckets.slice() } : it.atV()]);
    }
  }
  return out;
}

async function openHead(dir: string): Promise<{ head: Head; wal: WAL }> {
  const head = new Head({ wal: null });
  await head.replayWAL(dir);
  const wal = await WAL.open(dir);
  head.setWAL(wal);
  return { head, wal };
}

describe('Head native histograms', () => {
  it('stores integer and float histograms and mixed float samples in time order, and reads them back as float histograms', async () => {
    const head = new Head({ wal: null });
    const a = head.appender();
    a.append(0, L('m'), 10, 1);
    a.appendHistogram(0, L('m'), 20, hist(1), undefined);
    a.appendHistogram(0, L('m'), 30, hist(2), undefined);
    a.append(0, L('m'), 40, 4);
    a.appendHistogram(0, L('c'), 15, undefined, fhist(3));
    await a.commit();
    const got = readAll(head, 'm');
    expect(got.map(([t]) => t)).toEqual([10, 20, 30, 40]);
    expect(got[0]![1]).toBe(1);
    expect(got[3]![1]).toBe(4);
    const h2 = got[2]![1] as FloatHistogram;
    expect(h2.positiveBuckets).toEqual([3, 5]);
    expect(h2.count).toBe(8);
    expect((readAll(head, 'c')[0]![1] as FloatHistogram).customValues).toEqual([1, 2]);
    expect(readAll(head, 'm', 15, 35).map(([t]) => t)).toEqual([20, 30]);
    const st = head.stats();
    expect(st.numHistogramSeries).toBe(2);
    expect(st.numHistogramSamplesAppended).toBe(3);
    // Series m: its float chunk (closed by the first histogram), the one reopened after, and one histogram chunk; c: one.
    expect(st.numChunks).toBe(4);
  });

  it('refuses out-of-order histograms, and at the newest timestamp anything but the identical histogram', async () => {
    const head = new Head({ wal: null });
    const a = head.appender();
    a.appendHistogram(0, L('m'), 20, hist(1), undefined);
    await a.commit();
    const b = head.appender();
    expect(code(() => b.appendHistogram(0, L('m'), 10, hist(1), undefined))).toBe('out_of_order');
    expect(code(() => b.appendHistogram(0, L('m'), 20, hist(2), undefined))).toBe('duplicate_sample');
    expect(code(() => b.append(0, L('m'), 20, 5))).toBe('duplicate_sample');
    expect(code(() => b.appendHistogram(0, L('m'), 20, undefined, fhist(1)))).toBe('duplicate_sample');
    expect(b.appendHistogram(0, L('m'), 20, hist(1), undefined)).toBeGreaterThan(0);
    b.append(0, L('m'), 30, 7);
    expect(code(() => b.appendHistogram(0, L('m'), 30, hist(3), undefined))).toBe('duplicate_sample');
    await b.commit();
    expect(readAll(head, 'm').map(([t]) => t)).toEqual([20, 30]);
  });

  it('keeps histograms and stale markers through WAL replay and a checkpoint', async () => {
    const dir = cleanups.tempDir();
    {
      const { head, wal } = await openHead(dir);
      // One commit logs its float samples, then its histograms (as Prometheus): replay re-applies them in that
      // order, so a series' float and histogram samples are committed apart here.
      const first = head.appender();
      first.appendHistogram(0, L('m'), 1000, hist(1), undefined);
      await first.commit();
      const second = head.appender();
      second.append(0, L('m'), 2000, 2);
      await second.commit();
      const a = head.appender();
      a.appendHistogram(0, L('m'), 3000, { ...hist(2), sum: STALE_NAN }, undefined);
      a.appendHistogram(0, L('c'), 1000, undefined, fhist(1));
      a.appendHistogram(0, L('c'), 2000, undefined, fhist(2));
      await a.commit();
      await wal.close();
    }
    const { head, wal } = await openHead(dir);
    const got = readAll(head, 'm');
    expect(got.map(([t]) => t)).toEqual([1000, 2000, 3000]);
    expect((got[0]![1] as FloatHistogram).positiveBuckets).toEqual([2, 3]);
    expect(isStaleNaN((got[2]![1] as FloatHistogram).sum)).toBe(true);
    expect((readAll(head, 'c')[1]![1] as FloatHistogram).positiveBuckets).toEqual([2, 1]);
    // A checkpoint keeps the histograms at or after its mint.
    const seg = await wal.nextSegment();
    await wal.close();
    await createCheckpoint(dir, { from: 0, to: seg - 1, mint: 2000, keepSeries: () => true });
    const again = new Head({ wal: null });
    const res = await again.replayWAL(dir);
    expect(res.checkpoint).toBe(seg - 1);
    expect(readAll(again, 'm').map(([t]) => t)).toEqual([2000, 3000]);
    expect(readAll(again, 'c').map(([t]) => t)).toEqual([2000]);
  });

  it('hands histogram runs to the block writer as histogram and float histogram chunks between float chunks', async () => {
    const head = new Head({ wal: null });
    const a = head.appender();
    for (let i = 0; i < 10; i++) a.append(0, L('m'), i, i);
    for (let i = 10; i < 300; i++) a.appendHistogram(0, L('m'), i, hist(i), undefined);
    for (let i = 300; i < 310; i++) a.appendHistogram(0, L('m'), i, undefined, fhist(i));
    for (let i = 310; i < 320; i++) a.append(0, L('m'), i, i);
    await a.commit();
    const [cs] = [...head.chunkSeries(0, 1000)];
    const kinds = cs!.chunks.map((c) => [c.encoding, c.mint, c.maxt]);
    expect(kinds[0]).toEqual([ENCODING_XOR, 0, 9]);
    expect(kinds.slice(1, -2).every(([e]) => e === ENCODING_HISTOGRAM)).toBe(true);
    expect(kinds.at(-2)).toEqual([ENCODING_FLOAT_HISTOGRAM, 300, 309]);
    expect(kinds.at(-1)).toEqual([ENCODING_XOR, 310, 319]);
    // Every integer histogram comes back from the chunks, in order, at most samplesPerChunk per chunk.
    const ts: number[] = [];
    for (const c of cs!.chunks.filter((c) => c.encoding === ENCODING_HISTOGRAM)) {
      const it = new HistogramChunk(c.data).iterator();
      let n = 0;
      while (it.next()) {
        ts.push(it.atT());
        expect(it.atHistogram().count).toBe(3 * it.atT() + 2);
        n++;
      }
      expect(n).toBeLessThanOrEqual(120);
    }
    expect(ts).toEqual(Array.from({ length: 290 }, (_, i) => i + 10));
  });

  it('drops histograms older than a truncation and counts their memory', async () => {
    const head = new Head({ wal: null });
    const before = head.stats().memoryBytesEstimate;
    const a = head.appender();
    for (let i = 0; i < 10; i++) a.appendHistogram(0, L('m'), i * 100, hist(i), undefined);
    await a.commit();
    const grown = head.stats().memoryBytesEstimate;
    expect(grown - before).toBeGreaterThan(10 * 160);
    head.truncate(500);
    expect(readAll(head, 'm').map(([t]) => t)).toEqual([500, 600, 700, 800, 900]);
    expect(head.stats().memoryBytesEstimate).toBeLessThan(grown);
  });
});
