import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addInterval, intervalsContain, intervalsCover, intervalsOverlap, mergeIntervals, type Intervals } from './intervals.js';
import { MemTombstones, decodeTombstones, encodeTombstones, readTombstones, writeTombstones } from './tombstones.js';

describe('intervals', () => {
  const f = (start: [number, number][], add: [number, number], want: [number, number][]) => {
    const ivs: Intervals = start.map(([mint, maxt]) => ({ mint, maxt }));
    expect(addInterval(ivs, { mint: add[0], maxt: add[1] }).map((i) => [i.mint, i.maxt])).toEqual(want);
  };
  it('adds and merges', () => {
    f([], [1, 2], [[1, 2]]);
    f([[1, 2]], [5, 6], [[1, 2], [5, 6]]);
    f([[5, 6]], [1, 2], [[1, 2], [5, 6]]);
    f([[1, 2]], [3, 4], [[1, 4]]); // adjacent fuse
    f([[1, 2], [5, 6], [10, 12]], [2, 10], [[1, 12]]);
    f([[1, 2], [10, 12]], [5, 6], [[1, 2], [5, 6], [10, 12]]);
    f([[-10, -5]], [-4, 0], [[-10, 0]]);
  });
  it('answers contains/cover/overlap', () => {
    const ivs = mergeIntervals([{ mint: 10, maxt: 20 }], [{ mint: 30, maxt: 40 }]);
    expect(intervalsContain(ivs, 10)).toBe(true);
    expect(intervalsContain(ivs, 25)).toBe(false);
    expect(intervalsContain(ivs, 40)).toBe(true);
    expect(intervalsContain(ivs, 41)).toBe(false);
    expect(intervalsCover(ivs, 12, 18)).toBe(true);
    expect(intervalsCover(ivs, 12, 31)).toBe(false);
    expect(intervalsOverlap(ivs, 21, 29)).toBe(false);
    expect(intervalsOverlap(ivs, 21, 30)).toBe(true);
    expect(() => addInterval([], { mint: 2, maxt: 1 })).toThrow(RangeError);
  });
});

describe('tombstones file', () => {
  it('round-trips, including negative and large values', () => {
    const t = new MemTombstones();
    t.addInterval(5, { mint: 1, maxt: 10 });
    t.addInterval(5, { mint: 20, maxt: 30 });
    t.addInterval(1, { mint: -100, maxt: 1_700_000_000_000 });
    t.addInterval(1 << 30, { mint: 0, maxt: 0 });
    const buf = encodeTombstones(t);
    expect(buf.readUInt32BE(0)).toBe(0x0130ba30);
    expect(buf[4]).toBe(1);
    const back = decodeTombstones(buf, 'x');
    expect(back.total()).toBe(4);
    expect(back.seriesCount()).toBe(3);
    expect(back.get(5)).toEqual([{ mint: 1, maxt: 10 }, { mint: 20, maxt: 30 }]);
    expect(back.get(1)).toEqual([{ mint: -100, maxt: 1_700_000_000_000 }]);
    expect(back.get(1 << 30)).toEqual([{ mint: 0, maxt: 0 }]);
    expect(back.get(2)).toEqual([]);
  });

  it('encodes one entry exactly as Prometheus does', () => {
    const t = new MemTombstones();
    t.addInterval(3, { mint: -1, maxt: 2 });
    const buf = encodeTombstones(t);
    // magic, version, ref=3, mint=-1 (zigzag 1), maxt=2 (zigzag 4), crc
    expect([...buf.subarray(0, 8)]).toEqual([0x01, 0x30, 0xba, 0x30, 1, 3, 1, 4]);
    expect(buf.length).toBe(12);
  });

  it('reads a missing file as empty, writes atomically and detects corruption', () => {
    const dir = mkdtempSync(join(tmpdir(), 'amphora-tomb-'));
    try {
      expect(readTombstones(dir).tombstones.total()).toBe(0);
      const t = new MemTombstones();
      t.addInterval(7, { mint: 100, maxt: 200 });
      const size = writeTombstones(dir, t);
      const back = readTombstones(dir);
      expect(back.size).toBe(size);
      expect(back.tombstones.get(7)).toEqual([{ mint: 100, maxt: 200 }]);
      const path = join(dir, 'tombstones');
      const raw = readFileSync(path);
      raw[6]! ^= 1;
      writeFileSync(path, raw);
      expect(() => readTombstones(dir)).toThrow(/checksum mismatch/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
