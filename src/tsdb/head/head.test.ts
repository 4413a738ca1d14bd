import { describe, expect, it } from 'vitest';
import { labelsFromRecord, type Labels } from '../../model/labels.js';
import { newMatcher } from '../../model/matcher.js';
import { isStaleNaN, STALE_NAN } from '../../model/sample.js';
import { isStorageError } from '../../storage/errors.js';
import { Head } from './head.js';
import { code, read } from './test-support.js';

const L = (rec: Record<string, string>): Labels => labelsFromRecord(rec);

function samplesOf(h: Head, name: string, mint = -Infinity, maxt = Infinity): [number, number][] {
  const r = read(h.querier(mint, maxt), ['__name__', name]);
  return [...r.values()][0] ?? [];
}

describe('Head append/commit/rollback', () => {
  it('makes samples visible only on commit; series visible at append', async () => {
    const h = new Head();
    const a = h.appender();
    const ref = a.append(0, L({ __name__: 'up', job: 'x' }), 1000, 1);
    expect(ref).toBeGreaterThan(0);
    expect(h.numSeries()).toBe(1);
    expect(samplesOf(h, 'up')).toEqual([]);
    expect(h.minTime()).toBe(Infinity);
    await a.commit();
    expect(samplesOf(h, 'up')).toEqual([[1000, 1]]);
    expect(h.minTime()).toBe(1000);
    expect(h.maxTime()).toBe(1000);
  });

  it('rollback discards pending samples', async () => {
    const h = new Head();
    const a = h.appender();
    const ref = a.append(0, L({ __name__: 'up' }), 1000, 1);
    a.rollback();
    expect(samplesOf(h, 'up')).toEqual([]);
    const b = h.appender();
    expect(b.append(ref, [], 1000, 2)).toBe(ref);
    await b.commit();
    expect(samplesOf(h, 'up')).toEqual([[1000, 2]]);
  });

  it('resolves by ref, falls back to labels for unknown refs, rejects invalid labels', async () => {
    const h = new Head();
    const a = h.appender();
    const r1 = a.append(0, L({ __name__: 'a' }), 1, 1);
    expect(a.append(r1, [], 2, 2)).toBe(r1);
    expect(a.append(999, L({ __name__: 'a' }), 3, 3)).toBe(r1);
    const cases: [Labels, string][] = [
      [[], 'invalid_labels'],
      [[{ name: 'b', value: '1' }, { name: 'a', value: '1' }], 'invalid_labels'],
      [[{ name: 'a', value: '1' }, { name: 'a', value: '2' }], 'invalid_labels'],
      [[{ name: 'a', value: '' }], 'invalid_labels'],
      [[{ name: '', value: 'x' }], 'invalid_labels'],
    ];
    for (const [labels, want] of cases) expect(code(() => a.append(0, labels, 10, 1))).toBe(want);
    await a.commit();
    expect(samplesOf(h, 'a')).toEqual([[1, 1], [2, 2], [3, 3]]);
  });

  it('reports ordering errors with Prometheus messages, against committed and pending samples', async () => {
    const h = new Head();
    const a = h.appender();
    const ref = a.append(0, L({ __name__: 'm' }), 100, 1);
    await a.commit();
    const b = h.appender();
    const table: [number, number, string][] = [
      [99, 1, 'out_of_order'], // older than committed
      [100, 2, 'duplicate_sample'], // same t, other value
      [100, 1, 'ok'], // same t, same value: ignored
      [150, 5, 'ok'],
      [120, 1, 'out_of_order'], // older than pending
      [150, 6, 'duplicate_sample'], // same as pending
      [150, 5, 'ok'],
    ];
    for (const [t, v, want] of table) expect(code(() => b.append(ref, [], t, v)), `t=${t} v=${v}`).toBe(want);
    try {
      b.append(ref, [], 50, 1);
    } catch (err) {
      expect((err as Error).message).toBe('out of order sample');
    }
    try {
      b.append(ref, [], 150, 7);
    } catch (err) {
      expect((err as Error).message).toBe('duplicate sample for timestamp');
    }
    await b.commit();
    expect(samplesOf(h, 'm')).toEqual([[100, 1], [150, 5]]);
    h.setMinValidTime(1000);
    const c = h.appender();
    expect(code(() => c.append(ref, [], 999, 1))).toBe('out_of_bounds');
    expect(() => c.append(ref, [], 999, 1)).toThrow('out of bounds');
    expect(isStorageError(captured(() => c.append(ref, [], 999, 1)), 'out_of_bounds')).toBe(true);
    for (const bad of [NaN, 2000.5, Infinity, 2 ** 60]) expect(code(() => c.append(ref, [], bad, 1)), String(bad)).toBe('out_of_bounds');
    await c.commit();
    expect(samplesOf(h, 'm')).toEqual([[100, 1], [150, 5]]);
  });

  it('keeps the exact bits of stale markers and treats -0 and 0 as different values', async () => {
    const h = new Head();
    const a = h.appender();
    const ref = a.append(0, L({ __name__: 's' }), 1, 1);
    a.append(ref, [], 2, STALE_NAN);
    a.append(ref, [], 3, NaN);
    a.append(ref, [], 4, 0);
    await a.commit();
    const b = h.appender();
    expect(code(() => b.append(ref, [], 4, -0))).toBe('duplicate_sample');
    expect(code(() => b.append(ref, [], 4, 0))).toBe('ok');
    const got = samplesOf(h, 's');
    expect(got.map((x) => x[0])).toEqual([1, 2, 3, 4]);
    const it = h.querier(0, 10).select(false, undefined, [newMatcher('=', '__name__', 's')]);
    it.next();
    const si = it.at().iterator();
    si.next();
    si.next();
    expect(isStaleNaN(si.atV())).toBe(true);
    si.next();
    expect(Number.isNaN(si.atV())).toBe(true);
    expect(isStaleNaN(si.atV())).toBe(false);
  });

  it('drops at commit a sample made out of order by another appender', async () => {
    const h = new Head();
    const a = h.appender();
    const b = h.appender();
    const ref = a.append(0, L({ __name__: 'x' }), 10, 1);
    b.append(ref, [], 10, 2);
    await b.commit();
    await a.commit();
    expect(samplesOf(h, 'x')).toEqual([[10, 2]]);
    expect(h.stats().numDroppedAtCommit).toBe(1);
  });
});

function captured(f: () => unknown): unknown {
  try {
    f();
  } catch (err) {
    return err;
  }
  return null;
}

describe('Head out-of-order window', () => {
  it('accepts within the window, rejects beyond it as too old, and merges on read', async () => {
    let window = 0;
    const h = new Head({ outOfOrderWindow: () => window });
    const a = h.appender();
    const ref = a.append(0, L({ __name__: 'o' }), 1000, 1);
    a.append(ref, [], 2000, 2);
    await a.commit();
    const b = h.appender();
    expect(code(() => b.append(ref, [], 1500, 9))).toBe('out_of_order');
    window = 600;
    expect(code(() => b.append(ref, [], 1500, 1.5))).toBe('ok');
    expect(code(() => b.append(ref, [], 1300, 1.3))).toBe('too_old');
    expect(code(() => b.append(ref, [], 1400, 1.4))).toBe('ok');
    expect(code(() => b.append(ref, [], 2500, 2.5))).toBe('ok');
    await b.commit();
    expect(samplesOf(h, 'o')).toEqual([[1000, 1], [1400, 1.4], [1500, 1.5], [2000, 2], [2500, 2.5]]);
    window = 1100;
    const c = h.appender();
    expect(code(() => c.append(ref, [], 1500, 1.5))).toBe('ok'); // identical duplicate ignored
    expect(code(() => c.append(ref, [], 1500, 7))).toBe('duplicate_sample');
    await c.commit();
    expect(samplesOf(h, 'o', 1400, 2000)).toEqual([[1400, 1.4], [1500, 1.5], [2000, 2]]);
    // seek across the merge
    const ss = h.querier(0, 5000).select(false, undefined, [newMatcher('=', '__name__', 'o')]);
    ss.next();
    const it = ss.at().iterator();
    expect(it.seek(1450)).toBe(true);
    expect(it.atT()).toBe(1500);
    expect(it.seek(1450)).toBe(true);
    expect(it.atT()).toBe(1500);
    expect(it.next()).toBe(true);
    expect(it.atT()).toBe(2000);
    expect(it.seek(2001)).toBe(true);
    expect(it.atT()).toBe(2500);
    expect(it.seek(2501)).toBe(false);
    expect(h.stats().numOutOfOrderAppended).toBe(2);
  });
});

describe('Head chunk cutting', () => {
  it('cuts at 120 samples for a regular 15s interval, and at chunkRange boundaries', async () => {
    const range = 2 * 3600 * 1000;
    const h = new Head({ chunkRange: range });
    const a = h.appender();
    let ref = 0;
    const n = 480 + 40;
    for (let i = 0; i < n; i++) ref = a.append(ref, L({ __name__: 'c' }), i * 15000, i);
    await a.commit();
    const s = h.seriesByRef(ref)!;
    const sizes = s.closedChunks().map((c) => new Uint8Array(c.data)[1]! | (new Uint8Array(c.data)[0]! << 8));
    expect(sizes).toEqual([120, 120, 120, 120]);
    for (const c of s.closedChunks()) expect(Math.floor(c.mint / range)).toBe(Math.floor(c.maxt / range));
    expect(s.headN).toBe(40);
    expect(s.headMint).toBe(range);
    expect(samplesOf(h, 'c').length).toBe(n);
    expect(h.stats().numChunks).toBe(5);
  });

  it('never lets a chunk span a chunkRange boundary even when sparse', async () => {
    const h = new Head({ chunkRange: 1000 });
    const a = h.appender();
    let ref = 0;
    for (const t of [10, 500, 999, 1000, 1500, 2999, 3000]) ref = a.append(ref, L({ __name__: 'c' }), t, t);
    await a.commit();
    const s = h.seriesByRef(ref)!;
    expect(s.closedChunks().map((c) => [c.mint, c.maxt])).toEqual([
      [10, 999],
      [1000, 1500],
      [2999, 2999],
    ]);
    expect(s.headMint).toBe(3000);
  });

  it('caps chunks at 2x samplesPerChunk when the rate rises', async () => {
    const h = new Head({ chunkRange: 1_000_000, samplesPerChunk: 8 });
    const a = h.appender();
    let ref = 0;
    // slow start predicts a far end time, then samples arrive densely
    for (let i = 0; i < 3; i++) ref = a.append(ref, L({ __name__: 'c' }), i * 100_000, i);
    for (let i = 0; i < 40; i++) a.append(ref, [], 300_000 + i, i);
    await a.commit();
    const s = h.seriesByRef(ref)!;
    for (const c of s.closedChunks()) expect(new Uint8Array(c.data)[1]!).toBeLessThanOrEqual(16);
    expect(samplesOf(h, 'c').length).toBe(43);
  });
});
