import { existsSync, readFileSync, statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { isStorageError } from '../../storage/errors.js';
import { crc32c } from '../encoding/crc32c.js';
import { PAGE_SIZE, listSegments, segmentPath } from './format.js';
import { Cleanups, faultyFs, hexOf, readAll, rec, recordingLogger } from './test-helpers.js';
import { WAL } from './wal.js';

const cleanups = new Cleanups();
afterEach(cleanups.run);
const dir = (): string => cleanups.tempDir();

describe('page layout (byte-compatible with Prometheus wlog)', () => {
  it('writes a full fragment with type, BE16 length and BE32 CRC32C, and pads the last page on close', async () => {
    const d = dir();
    const w = await WAL.open(d);
    const r = rec(1, 10);
    await w.log([r]);
    expect(statSync(segmentPath(d, 0)).size).toBe(17); // partial page flushed, not padded
    await w.close();
    const f = readFileSync(segmentPath(d, 0));
    expect(f.length).toBe(PAGE_SIZE);
    expect(f[0]).toBe(1);
    expect(f.readUInt16BE(1)).toBe(10);
    expect(f.readUInt32BE(3)).toBe(crc32c(r));
    expect(f.subarray(7, 17).equals(Buffer.from(r))).toBe(true);
    expect(f.subarray(17).every((b) => b === 0)).toBe(true);
  });

  it('splits a record over pages as first/middle/last fragments', async () => {
    const d = dir();
    const w = await WAL.open(d);
    const big = rec(7, 2 * PAGE_SIZE + 100);
    await w.log([big]);
    await w.close();
    const f = readFileSync(segmentPath(d, 0));
    const frag = (off: number) => ({ type: f[off], len: f.readUInt16BE(off + 1) });
    expect(frag(0)).toEqual({ type: 2, len: PAGE_SIZE - 7 });
    expect(frag(PAGE_SIZE)).toEqual({ type: 3, len: PAGE_SIZE - 7 });
    expect(frag(2 * PAGE_SIZE)).toEqual({ type: 4, len: 2 * PAGE_SIZE + 100 - 2 * (PAGE_SIZE - 7) });
    expect(hexOf([big])).toEqual((await readAll(d)).recs);
  });

  it('starts the next record on a new page when fewer than 7 bytes would remain', async () => {
    const d = dir();
    const w = await WAL.open(d);
    // First record leaves exactly 3 bytes in the page: they become zero padding.
    const a = rec(1, PAGE_SIZE - 7 - 3);
    const b = rec(2, 5);
    await w.log([a, b]);
    await w.close();
    const f = readFileSync(segmentPath(d, 0));
    expect(f.subarray(PAGE_SIZE - 3, PAGE_SIZE).every((x) => x === 0)).toBe(true);
    expect(f[PAGE_SIZE]).toBe(1);
    expect(f.readUInt16BE(PAGE_SIZE + 1)).toBe(5);
    expect((await readAll(d)).recs).toEqual(hexOf([a, b]));
  });

  it('writes a zero-length record as a full fragment', async () => {
    const d = dir();
    const w = await WAL.open(d);
    await w.log([new Uint8Array(0), rec(3, 4)]);
    await w.close();
    const f = readFileSync(segmentPath(d, 0));
    expect([...f.subarray(0, 7)]).toEqual([1, 0, 0, 0, 0, 0, 0]);
    expect((await readAll(d)).recs).toEqual(['', Buffer.from(rec(3, 4)).toString('hex')]);
  });

  it('never splits a record across segments: a record that does not fit starts a new segment', async () => {
    const d = dir();
    const w = await WAL.open(d, { segmentSize: 2 * PAGE_SIZE });
    const a = rec(1, PAGE_SIZE); // spans into page 2
    const b = rec(2, PAGE_SIZE); // does not fit in what is left of segment 0
    const c = rec(3, 5 * PAGE_SIZE); // bigger than a segment: gets a segment of its own
    const e = rec(4, 10);
    await w.log([a, b]);
    await w.log([c, e]);
    expect(w.segments()).toEqual({ first: 0, last: 3 });
    await w.close();
    const got = await readAll(d);
    expect(got.recs).toEqual(hexOf([a, b, c, e]));
    expect(got.segs).toEqual([0, 1, 2, 3]);
    expect(statSync(segmentPath(d, 0)).size).toBe(2 * PAGE_SIZE);
    expect(got.corruption).toBeUndefined();
  });

  it('nextSegment pads the page and starts a new segment; truncate removes older ones', async () => {
    const d = dir();
    const w = await WAL.open(d);
    await w.log([rec(1, 100)]);
    expect(await w.nextSegment()).toBe(1);
    expect(statSync(segmentPath(d, 0)).size).toBe(PAGE_SIZE);
    expect(existsSync(segmentPath(d, 1))).toBe(true);
    await w.log([rec(2, 100)]);
    expect(await w.nextSegment()).toBe(2);
    await w.truncate(2);
    expect(listSegments(d)).toEqual([2]);
    expect(w.segments()).toEqual({ first: 2, last: 2 });
    await w.truncate(100); // never removes the active segment
    expect(listSegments(d)).toEqual([2]);
    await w.log([rec(3, 100)]);
    await w.close();
    expect((await readAll(d)).recs).toEqual(hexOf([rec(3, 100)]));
  });
});

describe('reopen', () => {
  it('appends into a new segment after the last and replays everything in order', async () => {
    const d = dir();
    let w = await WAL.open(d);
    const first = [rec(1, 50), rec(2, 40000)];
    await w.log(first);
    await w.close();
    w = await WAL.open(d);
    expect(w.segments()).toEqual({ first: 0, last: 1 });
    const second = [rec(3, 10)];
    await w.log(second);
    await w.close();
    const got = await readAll(d);
    expect(got.recs).toEqual(hexOf([...first, ...second]));
    expect(got.segs).toEqual([0, 0, 1]);
  });

  it('repairs a torn tail of the last segment on open (truncates and warns)', async () => {
    const d = dir();
    let w = await WAL.open(d, { sync: false });
    const recs = [rec(1, 100), rec(2, 3 * PAGE_SIZE), rec(3, 200)];
    await w.log(recs);
    await w.close();
    // Cut into the middle of the big record's last fragment.
    const { truncateSync } = await import('node:fs');
    truncateSync(segmentPath(d, 0), 3 * PAGE_SIZE + 50);
    const log = recordingLogger();
    w = await WAL.open(d, { logger: log });
    expect(log.warns.length).toBe(1);
    expect(statSync(segmentPath(d, 0)).size).toBe(PAGE_SIZE); // cut after record 1, page zero-padded
    await w.log([rec(4, 10)]);
    await w.close();
    const got = await readAll(d);
    expect(got.corruption).toBeUndefined();
    expect(got.recs).toEqual(hexOf([recs[0]!, rec(4, 10)]));
  });

  it('rejects non-sequential segments', async () => {
    const d = dir();
    const w = await WAL.open(d);
    await w.nextSegment();
    await w.nextSegment();
    await w.close();
    const { unlinkSync } = await import('node:fs');
    unlinkSync(segmentPath(d, 1));
    await expect(WAL.open(d)).rejects.toThrow(/not sequential/);
  });
});

describe('group commit', () => {
  it('many concurrent log calls share far fewer fsyncs', async () => {
    const d = dir();
    const w = await WAL.open(d);
    const calls = 500;
    await Promise.all(Array.from({ length: calls }, (_, i) => w.log([rec(i, 64)])));
    expect(w.stats().fsyncs).toBeLessThan(calls / 10);
    // Concurrent loggers that each wait for their own commit before the next one.
    const before = w.stats().fsyncs;
    const loggers = 16;
    const each = 20;
    await Promise.all(
      Array.from({ length: loggers }, async (_, l) => {
        for (let k = 0; k < each; k++) await w.log([rec(10000 + l * each + k, 64)]);
      }),
    );
    const fsyncs = w.stats().fsyncs - before;
    expect(fsyncs).toBeLessThan((loggers * each) / 4);
    await w.close();
    const got = await readAll(d);
    expect(got.recs.length).toBe(calls + loggers * each);
  });

  it('keeps the order of log calls', async () => {
    const d = dir();
    const w = await WAL.open(d);
    const recs = Array.from({ length: 300 }, (_, i) => rec(i, 10 + (i % 7) * 500));
    const ps: Promise<void>[] = [];
    for (const r of recs) {
      ps.push(w.log([r]));
      if (ps.length % 37 === 0) await ps[ps.length - 1];
    }
    await Promise.all(ps);
    await w.close();
    expect((await readAll(d)).recs).toEqual(hexOf(recs));
  });

  it('rejects log after close', async () => {
    const w = await WAL.open(dir());
    await w.close();
    await expect(w.log([rec(1, 1)])).rejects.toSatisfy((e: unknown) => isStorageError(e, 'closed'));
  });
});

describe('disk full', () => {
  it('rejects with disk_full, leaves nothing of the failed batch, and works again once space returns', async () => {
    const d = dir();
    const { fs, state } = faultyFs();
    const w = await WAL.open(d, { fs });
    const ok1 = [rec(1, 100), rec(2, PAGE_SIZE + 10)];
    await w.log(ok1);
    const goodSize = statSync(segmentPath(d, 0)).size;
    state.full = true;
    const failed = w.log([rec(3, 2 * PAGE_SIZE)]);
    const alsoFailed = w.log([rec(4, 10)]);
    await expect(failed).rejects.toSatisfy((e: unknown) => isStorageError(e, 'disk_full'));
    await expect(alsoFailed).rejects.toSatisfy((e: unknown) => isStorageError(e, 'disk_full'));
    expect(statSync(segmentPath(d, 0)).size).toBe(goodSize);
    // Replay while the disk is still full sees only acknowledged records.
    expect((await readAll(d)).recs).toEqual(hexOf(ok1));
    await expect(w.log([rec(5, 10)])).rejects.toSatisfy((e: unknown) => isStorageError(e, 'disk_full'));
    state.full = false;
    const ok2 = [rec(6, 300), rec(7, 3 * PAGE_SIZE)];
    await w.log([ok2[0]!]);
    await w.log([ok2[1]!]);
    await w.close();
    const got = await readAll(d);
    expect(got.corruption).toBeUndefined();
    expect(got.recs).toEqual(hexOf([...ok1, ...ok2]));
  });

  it('rolls back a batch that failed after starting a new segment', async () => {
    const d = dir();
    const { fs, state } = faultyFs();
    const w = await WAL.open(d, { fs, segmentSize: 2 * PAGE_SIZE });
    const a = rec(1, PAGE_SIZE);
    await w.log([a]);
    const writesBefore = state.writes;
    // b fits, c needs a new segment; fail the second write (the one into segment 1).
    const b = rec(2, 1000);
    const c = rec(3, PAGE_SIZE + 10);
    const orig = fs.write;
    fs.write = async (...args) => {
      if (state.writes === writesBefore + 1) state.full = true;
      return orig(...args);
    };
    await expect(w.log([b, c])).rejects.toSatisfy((e: unknown) => isStorageError(e, 'disk_full'));
    fs.write = orig;
    state.full = false;
    expect(listSegments(d)).toEqual([0]);
    expect((await readAll(d)).recs).toEqual(hexOf([a]));
    await w.log([b, c]);
    await w.close();
    const got = await readAll(d);
    expect(got.recs).toEqual(hexOf([a, b, c]));
    expect(got.segs).toEqual([0, 0, 1]);
  });

  it('maps other failures to io and recovers', async () => {
    const d = dir();
    const { fs, state } = faultyFs();
    const w = await WAL.open(d, { fs });
    state.failSync = true;
    await expect(w.log([rec(1, 10)])).rejects.toSatisfy((e: unknown) => isStorageError(e, 'io'));
    state.failSync = false;
    await w.log([rec(2, 10)]);
    await w.close();
    expect((await readAll(d)).recs).toEqual(hexOf([rec(2, 10)]));
  });

  it('recovers when creating the next segment fails', async () => {
    const d = dir();
    const { fs } = faultyFs();
    let failOpen = false;
    const origOpen = fs.open;
    fs.open = async (path) => {
      if (failOpen) throw Object.assign(new Error('ENOSPC: no space left on device, open'), { code: 'ENOSPC' });
      return origOpen(path);
    };
    const w = await WAL.open(d, { fs, segmentSize: PAGE_SIZE });
    await w.log([rec(1, 20000)]);
    failOpen = true;
    await expect(w.log([rec(2, 20000)])).rejects.toSatisfy((e: unknown) => isStorageError(e, 'disk_full'));
    await expect(w.nextSegment()).rejects.toSatisfy((e: unknown) => isStorageError(e, 'disk_full'));
    expect(w.segments().last).toBe(0);
    failOpen = false;
    await w.log([rec(3, 20000)]);
    expect(w.segments().last).toBe(1);
    await w.close();
    const got = await readAll(d);
    expect(got.corruption).toBeUndefined();
    expect(got.recs).toEqual(hexOf([rec(1, 20000), rec(3, 20000)]));
  });
});

describe('options', () => {
  it('sync: false writes without fdatasync per batch', async () => {
    const d = dir();
    const w = await WAL.open(d, { sync: false });
    await Promise.all([w.log([rec(1, 10)]), w.log([rec(2, 10)])]);
    await w.log([rec(3, 10)]);
    expect(w.stats()).toMatchObject({ fsyncs: 0, records: 3, batches: 2 });
    await w.close();
    expect((await readAll(d)).recs.length).toBe(3);
  });

  it('rejects a segment size that is not a multiple of the page size', async () => {
    await expect(WAL.open(dir(), { segmentSize: 1000 })).rejects.toThrow(RangeError);
  });
});
