import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { labelsFromRecord, labelsToString } from '../../model/labels.js';
import { newMatcher } from '../../model/matcher.js';
import { isStaleNaN, STALE_NAN } from '../../model/sample.js';
import { XORChunk } from '../chunkenc/xor.js';
import { WAL } from '../wal/wal.js';
import { Head } from './head.js';
import type { ChunkSeries } from '../block/writer.js';

function decode(cs: ChunkSeries[]): Record<string, [number, number][]> {
  const out: Record<string, [number, number][]> = {};
  for (const s of cs) {
    const xs: [number, number][] = [];
    let prevMax = -Infinity;
    for (const c of s.chunks) {
      expect(c.mint).toBeGreaterThan(prevMax);
      prevMax = c.maxt;
      const it = new XORChunk(c.data).iterator();
      let first = true;
      let last = 0;
      while (it.next()) {
        if (first) expect(it.atT()).toBe(c.mint);
        first = false;
        last = it.atT();
        xs.push([it.atT(), it.atV()]);
      }
      expect(last).toBe(c.maxt);
    }
    out[labelsToString(s.labels)] = xs;
  }
  return out;
}

function readAll(h: Head, mint = -Infinity, maxt = Infinity): Record<string, [number, number][]> {
  const out: Record<string, [number, number][]> = {};
  const ss = h.querier(mint, maxt).select(true, undefined, [newMatcher('=~', '__name__', '.+')]);
  while (ss.next()) {
    const it = ss.at().iterator();
    const xs: [number, number][] = [];
    while (it.next()) xs.push([it.atT(), it.atV()]);
    out[labelsToString(ss.at().labels)] = xs;
  }
  return out;
}

const range = (from: number, to: number, step: number): number[] => {
  const xs: number[] = [];
  for (let t = from; t < to; t += step) xs.push(t);
  return xs;
};

describe('Head.chunkSeries', () => {
  it('returns sorted series with chunks restricted to [mint, maxt), re-encoding straddlers and merging OOO', async () => {
    const h = new Head({ chunkRange: 1000, samplesPerChunk: 8, outOfOrderWindow: () => 10_000 });
    const a = h.appender();
    for (const t of range(0, 3000, 50)) {
      a.append(0, labelsFromRecord({ __name__: 'b' }), t, t / 50);
      a.append(0, labelsFromRecord({ __name__: 'a', x: '1' }), t + 1, -t);
    }
    await a.commit();
    const b = h.appender();
    b.append(0, labelsFromRecord({ __name__: 'a', x: '1' }), 1500, 42); // OOO into [1000, 2000)
    await b.commit();
    const out = [...h.chunkSeries(1000, 2000)];
    expect(out.map((s) => labelsToString(s.labels))).toEqual(['a{x="1"}', 'b']);
    const got = decode(out);
    const wantB = range(1000, 2000, 50).map((t) => [t, t / 50]);
    expect(got['b']).toEqual(wantB);
    const wantA = range(1000, 2000, 50)
      .map((t) => [t + 1, -t])
      .filter(([t]) => t! < 2000);
    wantA.splice(10, 0, [1500, 42]);
    expect(got['a{x="1"}']).toEqual(wantA);
    // a range cutting through chunks re-encodes; the whole head round-trips
    const part = decode([...h.chunkSeries(1025, 1075)]);
    expect(part['b']).toEqual([[1050, 21]]);
    const all = decode([...h.chunkSeries(h.minTime(), h.maxTime() + 1)]);
    expect(all).toEqual(readAll(h));
    expect(all['b']!.length).toBe(60);
  });

  it('keeps stale markers and includes the open chunk', async () => {
    const h = new Head();
    const a = h.appender();
    const ref = a.append(0, labelsFromRecord({ __name__: 's' }), 10, 1);
    a.append(ref, [], 20, STALE_NAN);
    await a.commit();
    const out = [...h.chunkSeries(0, 100)];
    expect(out.length).toBe(1);
    const it = new XORChunk(out[0]!.chunks[0]!.data).iterator();
    it.next();
    it.next();
    expect(isStaleNaN(it.atV())).toBe(true);
  });
});

describe('Head.truncate', () => {
  it('drops old chunks and empty series, updates postings and min time', async () => {
    const h = new Head({ chunkRange: 1000 });
    const a = h.appender();
    for (const t of range(0, 3000, 100)) a.append(0, labelsFromRecord({ __name__: 'keep' }), t, t);
    for (const t of range(0, 1500, 100)) a.append(0, labelsFromRecord({ __name__: 'gone', job: 'j' }), t, t);
    await a.commit();
    const pending = h.appender();
    pending.append(0, labelsFromRecord({ __name__: 'pending' }), 5000, 1);
    expect(h.numSeries()).toBe(3);
    const r = h.truncate(2000);
    expect(r.removedSeries).toBe(1);
    expect(h.numSeries()).toBe(2);
    expect(h.minTime()).toBe(2000);
    expect(h.maxTime()).toBe(2900);
    expect(h.querier(0, 10_000).labelValues('__name__', [])).toEqual(['keep', 'pending']);
    expect(h.querier(0, 10_000).labelNames([])).toEqual(['__name__']);
    expect(readAll(h, 0, 10_000)['keep']!.map((x) => x[0])).toEqual(range(2000, 3000, 100));
    await pending.commit();
    expect(readAll(h, 0, 10_000)['pending']).toEqual([[5000, 1]]);
    expect(h.isLive(1)).toBe(true);
    expect(h.isLive(2)).toBe(false);
    const again = h.appender();
    const ref = again.append(0, labelsFromRecord({ __name__: 'gone', job: 'j' }), 6000, 1);
    expect(ref).toBeGreaterThan(3);
    await again.commit();
  });
});

describe('Head.delete', () => {
  it('hides deleted samples from reads and chunkSeries', async () => {
    const h = new Head();
    const a = h.appender();
    for (const t of range(0, 1000, 100)) {
      a.append(0, labelsFromRecord({ __name__: 'd', i: '1' }), t, t);
      a.append(0, labelsFromRecord({ __name__: 'd', i: '2' }), t, t);
    }
    await a.commit();
    expect(await h.delete(200, 450, [newMatcher('=', 'i', '1')])).toBe(1);
    expect(await h.delete(5000, 6000, [newMatcher('=', 'i', '2')])).toBe(0);
    const all = readAll(h);
    expect(all['d{i="1"}']!.map((x) => x[0])).toEqual([0, 100, 500, 600, 700, 800, 900]);
    expect(all['d{i="2"}']!.length).toBe(10);
    expect(decode([...h.chunkSeries(0, 1000)])['d{i="1"}']!.map((x) => x[0])).toEqual([0, 100, 500, 600, 700, 800, 900]);
  });
});

describe('Head WAL replay', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('round-trips series, samples, stale markers, OOO samples and tombstones through a real WAL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'head-wal-'));
    dirs.push(dir);
    const wal = await WAL.open(dir, { sync: false });
    const h = new Head({ wal, outOfOrderWindow: () => 1000 });
    const a = h.appender();
    const bytes = new TextEncoder().encode('up-bytes');
    let ref = 0;
    for (const t of range(0, 2000, 10)) ref = a.append(ref, labelsFromRecord({ __name__: 'up', job: 'a' }), t, t * 1.5);
    a.registerBytes(bytes, 0, bytes.length, ref);
    a.append(0, labelsFromRecord({ __name__: 'down' }), 5, STALE_NAN);
    await a.commit();
    const b = h.appender();
    b.append(ref, [], 1995, 7); // OOO
    expect(b.refForBytes(bytes, 0, bytes.length)).toBe(ref);
    b.append(b.refForBytes(bytes, 0, bytes.length), [], 3000, 8);
    b.append(0, labelsFromRecord({ __name__: 'rolled' }), 10, 1);
    await b.commit();
    const c = h.appender();
    c.append(ref, [], 4000, 1);
    c.rollback();
    await h.delete(100, 200, [newMatcher('=', 'job', 'a')]);
    await wal.close();
    const before = readAll(h);

    const h2 = new Head({ outOfOrderWindow: () => 1000 });
    const res = await h2.replayWAL(dir);
    expect(res.corruption).toBeUndefined();
    expect(res.series).toBe(3);
    expect(res.samples).toBe(200 + 1 + 2 + 1);
    expect(h2.numSeries()).toBe(3);
    expect(readAll(h2)).toEqual(before);
    const ss = h2.querier(0, 10).select(false, undefined, [newMatcher('=', '__name__', 'down')]);
    ss.next();
    const it = ss.at().iterator();
    it.next();
    expect(isStaleNaN(it.atV())).toBe(true);
    // refs survive replay, so new series do not collide
    const d = h2.appender();
    expect(d.append(ref, [], 5000, 1)).toBe(ref);
    expect(d.append(0, labelsFromRecord({ __name__: 'new' }), 1, 1)).toBe(4);
  });

  it('reports no records for a missing directory', async () => {
    const h = new Head();
    const res = await h.replayWAL(join(tmpdir(), 'definitely-missing-wal-dir-x'));
    expect(res).toMatchObject({ series: 0, samples: 0 });
  });
});
