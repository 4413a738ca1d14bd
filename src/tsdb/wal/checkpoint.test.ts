import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { labelsFromRecord } from '../../model/labels.js';
import { isStorageError } from '../../storage/errors.js';
import { createCheckpoint, lastCheckpoint } from './checkpoint.js';
import { segmentPath } from './format.js';
import { readRecords } from './reader.js';
import {
  RECORD_SAMPLES,
  RECORD_SERIES,
  RECORD_TOMBSTONES,
  decodeSamplesRecord,
  decodeSeriesRecord,
  decodeTombstonesRecord,
  encodeSamplesRecord,
  encodeSeriesRecord,
  encodeTombstonesRecord,
  recordType,
  type RefSeries,
  type RefTombstone,
} from './records.js';
import { Cleanups } from './test-helpers.js';
import { WAL } from './wal.js';

const cleanups = new Cleanups();
afterEach(cleanups.run);
const dir = (): string => cleanups.tempDir();

const series = (ref: number): RefSeries => ({ ref, labels: labelsFromRecord({ __name__: 'm', id: String(ref) }) });
function samples(list: [number, number, number][]): Uint8Array {
  return encodeSamplesRecord(
    list.map((s) => s[0]),
    list.map((s) => s[1]),
    list.map((s) => s[2]),
    list.length,
  );
}

async function decodeDir(d: string) {
  const out = { series: [] as RefSeries[], samples: [] as [number, number, number][], stones: [] as RefTombstone[], other: 0 };
  const res = await readRecords(d, {}, (rec) => {
    switch (recordType(rec)) {
      case RECORD_SERIES:
        out.series.push(...decodeSeriesRecord(rec));
        break;
      case RECORD_SAMPLES:
        decodeSamplesRecord(rec, (r, t, v) => out.samples.push([r, t, v]));
        break;
      case RECORD_TOMBSTONES:
        out.stones.push(...decodeTombstonesRecord(rec));
        break;
      default:
        out.other++;
    }
  });
  expect(res.corruption).toBeUndefined();
  return out;
}

/** build writes: seg 0 series 1-3 + samples, seg 1 samples + tombstones, seg 2 series 4 + samples. */
async function build(d: string): Promise<void> {
  const w = await WAL.open(d);
  await w.log([encodeSeriesRecord([series(1), series(2), series(3)]), samples([[1, 100, 1], [2, 100, 2], [3, 100, 3]])]);
  await w.nextSegment();
  await w.log([
    samples([[1, 200, 4], [2, 200, 5], [3, 140, 6]]),
    encodeTombstonesRecord([
      { ref: 2, intervals: [{ mint: 0, maxt: 500 }] },
      { ref: 3, intervals: [{ mint: 0, maxt: 100 }, { mint: 180, maxt: 300 }] },
    ]),
    new Uint8Array([6, 1, 2, 3]), // a metadata-type record: not handled, dropped
  ]);
  await w.nextSegment();
  await w.log([encodeSeriesRecord([series(4)]), samples([[4, 300, 7]])]);
  await w.close();
}

describe('createCheckpoint', () => {
  it('keeps live series, samples >= mint and live tombstones, and is readable by readRecords', async () => {
    const d = dir();
    await build(d);
    const res = await createCheckpoint(d, { from: 0, to: 1, mint: 150, keepSeries: (ref) => ref !== 2 });
    expect(res.dir).toBe(join(d, 'checkpoint.00000001'));
    expect(res.droppedSeries).toBe(1);
    expect(res.droppedSamples).toBe(4); // three at t=100, one at t=140
    expect(lastCheckpoint(d)).toEqual({ dir: res.dir, index: 1 });
    expect(readdirSync(res.dir)).toEqual(['00000000']);
    const got = await decodeDir(res.dir);
    expect(got.series).toEqual([series(1), series(3)]);
    expect(got.samples).toEqual([
      [1, 200, 4],
      [2, 200, 5],
    ]);
    expect(got.stones).toEqual([{ ref: 3, intervals: [{ mint: 180, maxt: 300 }] }]);
    expect(got.other).toBe(0);
    // Segment 2 is not in it.
    expect(got.series.some((s) => s.ref === 4)).toBe(false);
  });

  it('folds in the previous checkpoint, removes it, and rejects a gap', async () => {
    const d = dir();
    await build(d);
    await createCheckpoint(d, { from: 0, to: 0, mint: 0, keepSeries: () => true });
    expect(lastCheckpoint(d)?.index).toBe(0);
    await expect(createCheckpoint(d, { from: 2, to: 2, mint: 0, keepSeries: () => true })).rejects.toSatisfy((e: unknown) =>
      isStorageError(e, 'corruption'),
    );
    mkdirSync(join(d, 'checkpoint.00000002.tmp')); // leftover of a crashed attempt
    const res = await createCheckpoint(d, { from: 0, to: 2, mint: 0, keepSeries: (ref) => ref !== 1 });
    expect(readdirSync(d).filter((n) => n.startsWith('checkpoint.'))).toEqual(['checkpoint.00000002']);
    const got = await decodeDir(res.dir);
    expect(got.series.map((s) => s.ref)).toEqual([2, 3, 4]);
    expect(got.samples.length).toBe(7);
    expect(got.stones.length).toBe(3);
  });

  it('fails on corruption in a segment it reads and leaves no checkpoint behind', async () => {
    const d = dir();
    await build(d);
    const p = segmentPath(d, 1);
    const f = readFileSync(p);
    f[20] = f[20]! ^ 0xff;
    writeFileSync(p, f);
    await expect(createCheckpoint(d, { from: 0, to: 1, mint: 0, keepSeries: () => true })).rejects.toSatisfy((e: unknown) =>
      isStorageError(e, 'corruption'),
    );
    expect(readdirSync(d).filter((n) => n.startsWith('checkpoint.'))).toEqual([]);
    expect(existsSync(join(d, 'checkpoint.00000001.tmp'))).toBe(false);
  });

  it('handles many samples across several flushes', async () => {
    const d = dir();
    const w = await WAL.open(d, { sync: false });
    await w.log([encodeSeriesRecord([series(1)])]);
    const n = 2000;
    const refs = new Float64Array(n).fill(1);
    const ts = new Float64Array(n);
    const vs = new Float64Array(n);
    for (let r = 0; r < 200; r++) {
      for (let i = 0; i < n; i++) {
        ts[i] = r * n + i;
        vs[i] = i;
      }
      await w.log([encodeSamplesRecord(refs, ts, vs, n)]);
    }
    await w.close();
    const res = await createCheckpoint(d, { from: 0, to: 0, mint: 100 * n, keepSeries: () => true });
    expect(res.droppedSamples).toBe(100 * n);
    let count = 0;
    let minT = Infinity;
    await readRecords(res.dir, {}, (rec) => {
      if (recordType(rec) === RECORD_SAMPLES)
        decodeSamplesRecord(rec, (_r, t) => {
          count++;
          minT = Math.min(minT, t);
        });
    });
    expect(count).toBe(100 * n);
    expect(minT).toBe(100 * n);
  });
});

describe('WAL.open after every segment was removed', () => {
  it('continues after the newest checkpoint', async () => {
    const d = dir();
    await build(d);
    await createCheckpoint(d, { from: 0, to: 2, mint: 0, keepSeries: () => true });
    const { rmSync } = await import('node:fs');
    for (const s of [0, 1, 2]) rmSync(segmentPath(d, s));
    const w = await WAL.open(d);
    expect(w.segments()).toEqual({ first: 3, last: 3 });
    await w.close();
  });
});
