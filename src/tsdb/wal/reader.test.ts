import { readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { PAGE_SIZE, segmentPath } from './format.js';
import { readRecords } from './reader.js';
import { Cleanups, hexOf, readAll, rec, recordingLogger } from './test-helpers.js';
import { WAL } from './wal.js';

const cleanups = new Cleanups();
afterEach(cleanups.run);
const dir = (): string => cleanups.tempDir();

/** isPrefix reports whether got is a prefix of want. */
function isPrefix(got: string[], want: string[]): boolean {
  return got.length <= want.length && got.every((g, i) => g === want[i]);
}

describe('torn tail', () => {
  it('truncating the last segment at every byte offset of its last page replays a prefix, never throws', async () => {
    const d = dir();
    const w = await WAL.open(d, { sync: false });
    // Records that fill page 0 and end part-way into page 1, one of them spanning the boundary.
    const recs = [rec(1, 9000), rec(2, 20000), rec(3, 7000), rec(4, 3), rec(5, 1500), rec(6, 0), rec(7, 4000)];
    for (const r of recs) await w.log([r]);
    await w.close();
    const want = hexOf(recs);
    const path = segmentPath(d, 0);
    const full = readFileSync(path);
    expect(full.length).toBe(2 * PAGE_SIZE);
    const complete = (await readAll(d)).recs;
    expect(complete).toEqual(want);
    let prev = want.length;
    let torn = 0;
    // Every byte where page 1 holds data; a sample of the zero padding after it.
    let dataEnd = full.length;
    while (dataEnd > PAGE_SIZE && full[dataEnd - 1] === 0) dataEnd--;
    for (let off = full.length; off >= PAGE_SIZE; off -= off > dataEnd + 8 ? 61 : 1) {
      truncateSync(path, off);
      const got = await readAll(d);
      expect(isPrefix(got.recs, want)).toBe(true);
      expect(got.recs.length).toBeLessThanOrEqual(prev);
      prev = got.recs.length;
      if (got.corruption) {
        torn++;
        expect(got.corruption.segment).toBe(0);
      }
    }
    // Cut at the page start, the record spanning pages 0/1 (the third) cannot be complete.
    expect(prev).toBe(2);
    expect(torn).toBeGreaterThan((dataEnd - PAGE_SIZE) / 2);
  });

  it('reopening after a cut at any of a sample of offsets keeps the prefix and appends after it', async () => {
    const d0 = dir();
    const w0 = await WAL.open(d0, { sync: false });
    const recs = [rec(1, 30000), rec(2, 5000), rec(3, 100)];
    await w0.log(recs);
    await w0.close();
    const image = readFileSync(segmentPath(d0, 0));
    for (const off of [PAGE_SIZE, PAGE_SIZE + 3, PAGE_SIZE + 2700, PAGE_SIZE + 2240, PAGE_SIZE + 2247, PAGE_SIZE + 7400]) {
      const d = dir();
      writeFileSync(segmentPath(d, 0), image.subarray(0, off));
      const before = (await readAll(d)).recs;
      const w = await WAL.open(d, { sync: false });
      await w.log([rec(9, 10)]);
      await w.close();
      const after = await readAll(d);
      expect(after.corruption).toBeUndefined();
      expect(after.recs).toEqual([...before, ...hexOf([rec(9, 10)])]);
    }
  });
});

describe('corruption', () => {
  it('a garbled byte stops the replay of that segment with a warning and a report', async () => {
    const d = dir();
    const w = await WAL.open(d);
    const recs = Array.from({ length: 10 }, (_, i) => rec(i, 1000));
    await w.log(recs);
    await w.close();
    const path = segmentPath(d, 0);
    const f = readFileSync(path);
    const at = 4 * 1007 + 7 + 500; // inside record 4's data
    f[at] = f[at]! ^ 0x40;
    writeFileSync(path, f);
    const log = recordingLogger();
    const got = await readAll(d, { logger: log });
    expect(got.recs).toEqual(hexOf(recs.slice(0, 4)));
    expect(got.corruption).toMatchObject({ segment: 0, offset: 4 * 1007 });
    expect(got.corruption!.message).toMatch(/checksum/);
    expect(log.warns.length).toBe(1);
  });

  it('non-zero bytes in page padding and bad fragment sequences are corruption', async () => {
    const d = dir();
    const w = await WAL.open(d);
    await w.log([rec(1, 10)]);
    await w.close();
    const path = segmentPath(d, 0);
    const f = readFileSync(path);
    f[100] = 1;
    writeFileSync(path, f);
    let got = await readAll(d);
    expect(got.recs.length).toBe(1);
    expect(got.corruption?.message).toMatch(/non-zero/);
    // A last fragment with no first one.
    f[100] = 0;
    f[0] = 4;
    writeFileSync(path, f);
    got = await readAll(d);
    expect(got.recs.length).toBe(0);
    expect(got.corruption?.message).toMatch(/outside a record/);
  });

  it('corruption in a segment that is not the last is reported and later segments are still read', async () => {
    const d = dir();
    const w = await WAL.open(d);
    await w.log([rec(1, 100), rec(2, 100)]);
    await w.nextSegment();
    await w.log([rec(3, 100)]);
    await w.close();
    const path = segmentPath(d, 0);
    const f = readFileSync(path);
    f[107 + 7 + 50] ^= 0xff;
    writeFileSync(path, f);
    const log = recordingLogger();
    const got = await readAll(d, { logger: log });
    expect(got.recs).toEqual(hexOf([rec(1, 100), rec(3, 100)]));
    expect(got.corruption).toMatchObject({ segment: 0, offset: 107 });
    expect(log.warns[0]).toMatch(/corrupt/);
  });

  it('reads a range of segments and an empty or missing dir', async () => {
    const d = dir();
    const w = await WAL.open(d);
    for (let i = 0; i < 4; i++) {
      await w.log([rec(i, 10)]);
      await w.nextSegment();
    }
    await w.close();
    expect((await readAll(d, { from: 1, to: 2 })).recs).toEqual(hexOf([rec(1, 10), rec(2, 10)]));
    expect((await readAll(d, { from: 3 })).segs).toEqual([3]);
    let n = 0;
    expect(await readRecords(d + '/missing', {}, () => n++)).toEqual({ records: 0, compressed: 0 });
    expect(n).toBe(0);
    expect(statSync(segmentPath(d, 4)).size).toBe(0);
  });
});
