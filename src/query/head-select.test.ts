import { describe, expect, it } from 'vitest';
import { labelsFromRecord } from '../model/labels.js';
import { newMatcher } from '../model/matcher.js';
import { Head } from '../tsdb/head/head.js';
import { postingsForMatchers } from '../tsdb/postings/matchers.js';
import type { MatchType } from '../model/matcher.js';
import { HeadSelectError, headLabelNames, headLabelValues, matchingRefs, selectHead } from './head-select.js';
import { readSeries } from './head-wire.js';

const N = 5000;

async function headWith(n: number): Promise<Head> {
  const head = new Head({ wal: null });
  const app = head.appender();
  for (let i = 0; i < n; i++) {
    const l = labelsFromRecord({ __name__: 'm', i: String(i), job: `j${i % 10}` });
    let ref = 0;
    for (let k = 0; k < 10; k++) ref = app.append(ref, l, k * 15_000, i + k);
  }
  await app.commit();
  return head;
}

/** countTurns counts event-loop turns (setImmediate callbacks) until stopped. */
function countTurns(): { count: number; stop(): void } {
  const c = { count: 0, stopped: false, stop: () => void (c.stopped = true) };
  const tick = (): void => {
    c.count++;
    if (!c.stopped) setImmediate(tick);
  };
  setImmediate(tick);
  return c;
}

const free = { maxSamples: 1e9, maxBytes: 1e9, cancelled: () => false };

describe('selectHead (the owning thread’s side of the head select)', () => {
  it('encodes the matching series with their chunks', async () => {
    const head = await headWith(50);
    const got = readSeries(await selectHead(head, 0, 1e6, [newMatcher('=', 'job', 'j3')], free));
    expect(got.map((s) => s.labels.find((l) => l.name === 'i')!.value)).toEqual(['3', '13', '23', '33', '43']);
    expect(got[0]!.chunks.length).toBe(1);
    expect((got[0]!.chunks[0]!.data[0]! << 8) | got[0]!.chunks[0]!.data[1]!).toBe(10);
  });

  it('yields to the event loop between slices', async () => {
    const head = await headWith(N);
    const turns = countTurns();
    const buf = await selectHead(head, 0, 1e6, [newMatcher('=', '__name__', 'm')], { ...free, sliceItems: 100 });
    turns.stop();
    expect(readSeries(buf)).toHaveLength(N);
    expect(turns.count).toBeGreaterThanOrEqual(N / 100 - 1);
  });

  it('stops at the sample limit, the size limit and on cancellation', async () => {
    const head = await headWith(N);
    const all = [newMatcher('=', '__name__', 'm')];
    await expect(selectHead(head, 0, 1e6, all, { ...free, maxSamples: 1000 })).rejects.toThrow(/too many samples/);
    await expect(selectHead(head, 0, 1e6, all, { ...free, maxBytes: 10_000 })).rejects.toThrow(/maxHeadSelectBytes/);
    const cancelled = selectHead(head, 0, 1e6, all, { ...free, sliceItems: 10, cancelled: () => true });
    await expect(cancelled).rejects.toBeInstanceOf(HeadSelectError);
    await expect(cancelled).rejects.toMatchObject({ errorType: 'canceled' });
  });

  it('counts only the share of a chunk inside the range against the sample limit', async () => {
    const head = await headWith(10);
    // 10 series x 10 samples over 135 s; the last 15 s hold about 2 samples per series.
    await expect(selectHead(head, 120_000, 135_000, [newMatcher('=', '__name__', 'm')], { ...free, maxSamples: 30 })).resolves.toBeInstanceOf(ArrayBuffer);
  });

  it('lists label names and values as the head querier does', async () => {
    const head = await headWith(300);
    const q = head.querier(0, 1e6);
    const ms = [newMatcher('=~', 'job', 'j[12]')];
    const opts = { cancelled: () => false, sliceItems: 7 };
    expect(await headLabelNames(head, 0, 1e6, ms, opts)).toEqual(q.labelNames(ms));
    expect(await headLabelNames(head, 0, 1e6, [], opts)).toEqual(q.labelNames([]));
    expect(await headLabelValues(head, 'i', 0, 1e6, ms, opts)).toEqual(q.labelValues('i', ms));
    expect(await headLabelValues(head, 'job', 0, 1e6, [], opts)).toEqual(q.labelValues('job', []));
    expect(await headLabelValues(head, 'job', 1e7, 2e7, [], opts)).toEqual([]);
  });
});

describe('regex matchers on the owning thread', () => {
  it('are evaluated over label values in slices', async () => {
    const head = await headWith(3000);
    const turns = countTurns();
    const re = newMatcher('=~', 'i', '1.*');
    const buf = await selectHead(head, 0, 1e6, [newMatcher('=', '__name__', 'm'), re], { ...free, sliceItems: 100 });
    turns.stop();
    const want = head.querier(0, 1e6).select(false, undefined, [newMatcher('=', '__name__', 'm'), re]);
    let n = 0;
    while (want.next()) n++;
    expect(readSeries(buf)).toHaveLength(n);
    // 3,000 values of i in slices of at most 500 before the series themselves are walked.
    expect(turns.count).toBeGreaterThanOrEqual(6);
    const neg = await headLabelValues(head, 'job', 0, 1e6, [newMatcher('!~', 'job', 'j[0-7]')], { cancelled: () => false });
    expect(neg).toEqual(['j8', 'j9']);
  });
});

describe('matchingRefs', () => {
  it.each([
    [['=', 'job', 'j3']],
    [['=', '__name__', 'm'], ['!=', 'job', 'j3']],
    [['=~', 'job', 'j[1-3]'], ['!~', 'i', '1.*']],
    [['!~', 'job', 'j[0-8]']],
    [['=~', 'odd', '']],
    [['=~', 'odd', 'x|']],
    [['!=', 'odd', 'x'], ['=', 'job', 'j1']],
    [['=', 'odd', ''], ['=~', 'i', '.*7']],
    [['=~', 'job', '.*'], ['=', 'i', '42']],
    [['=', 'job', 'nope']],
    [['=', 'i', '12'], ['=~', 'job', 'j[1-3]'], ['!=', 'odd', 'x']],
    [['=~', 'i', '1[0-9]'], ['=', 'job', 'j4'], ['=', '__name__', 'm']],
  ] as [MatchType, string, string][][])('selects what postingsForMatchers selects: %j', async (...spec) => {
    const head = new Head({ wal: null });
    const app = head.appender();
    for (let i = 0; i < 200; i++) {
      const rec: Record<string, string> = { __name__: 'm', i: String(i), job: `j${i % 10}` };
      if (i % 3 === 0) rec.odd = 'x';
      app.append(0, labelsFromRecord(rec), 0, i);
    }
    await app.commit();
    const ms = spec.map(([t, n, v]) => newMatcher(t, n, v));
    const got = await matchingRefs(head, ms, { cancelled: () => false, sliceItems: 13 });
    expect([...got].sort((a, b) => a - b)).toEqual([...postingsForMatchers(head.postings, ms)]);
  });
});
