import { describe, expect, it } from 'vitest';
import { plan, splitByRange } from './planner.js';
import type { PlanBlock } from './planner.js';

const RANGES = [20, 60, 180, 540, 1620];

function b(ulid: string, minTime: number, maxTime: number, stats?: { numSeries: number; numTombstones: number }): PlanBlock {
  return { ulid, minTime, maxTime, numSeries: stats?.numSeries ?? 0, numTombstones: stats?.numTombstones ?? 0 };
}

describe('plan (Prometheus LeveledCompactor cases, ranges 20/60/180/540/1620)', () => {
  const cases: [string, PlanBlock[], string[] | null][] = [
    ['no blocks', [], null],
    ['single block is never compacted', [b('1', 0, 20)], null],
    ['wait for the parent range to fill', [b('1', 0, 20), b('2', 20, 40)], null],
    ['three small blocks, but the newest is left out', [b('1', 0, 20), b('2', 20, 40), b('3', 40, 60)], null],
    ['a block of the next range appeared: compact the full parent range', [b('1', 0, 20), b('2', 20, 40), b('3', 40, 60), b('4', 60, 80)], ['1', '2', '3']],
    ['gap, newest left out: nothing to do', [b('1', 0, 20), b('2', 20, 40), b('3', 60, 80)], null],
    ['gap that can no longer fill: compact the two', [b('1', 0, 20), b('2', 20, 40), b('3', 60, 80), b('4', 80, 100)], ['1', '2']],
    ['20,20,20,60,60: newest left out', [b('1', 0, 20), b('2', 20, 40), b('3', 40, 60), b('4', 60, 120), b('5', 120, 180)], ['1', '2', '3']],
    ['20,60,60 before a 240 block: compact at the 180 level', [b('2', 20, 40), b('4', 60, 120), b('5', 960, 980), b('6', 120, 180), b('7', 720, 960)], ['2', '4', '6']],
    ['big block with tombstones but nothing newer', [b('1', 0, 540, { numSeries: 10, numTombstones: 3 })], null],
    ['big block with >5% tombstones once a newer block exists', [b('1', 0, 540, { numSeries: 10, numTombstones: 3 }), b('2', 540, 560)], ['1']],
    ['small block with tombstones is left alone', [b('1', 0, 60, { numSeries: 10, numTombstones: 3 }), b('2', 60, 80)], null],
    ['small block entirely deleted is rewritten', [b('1', 0, 60, { numSeries: 3, numTombstones: 3 }), b('2', 60, 80)], ['1']],
    ['zero series and zero tombstones: no loop', [b('1', 0, 540, { numSeries: 0, numTombstones: 0 }), b('2', 540, 560)], null],
    ['tombstones at exactly 5% are kept', [b('1', 0, 540, { numSeries: 99, numTombstones: 5 }), b('2', 540, 560)], null],
    ['newest is chosen by time, not by ULID', [b('5', 0, 360), b('6', 540, 560), b('7', 360, 420), b('8', 420, 540)], ['7', '8']],
    ['overlap 1', [b('1', 0, 20), b('2', 19, 40), b('3', 40, 60)], ['1', '2']],
    ['overlap 2', [b('1', 0, 20), b('2', 20, 40), b('3', 30, 50)], ['2', '3']],
    ['overlap 3: chained', [b('1', 0, 20), b('2', 10, 40), b('3', 30, 50)], ['1', '2', '3']],
    ['overlap 4: one big block spanning others', [b('5', 0, 360), b('6', 340, 560), b('7', 360, 420), b('8', 420, 540)], ['5', '6', '7', '8']],
    ['overlap 5: first overlapping run only', [b('1', 0, 10), b('2', 9, 20), b('3', 30, 40), b('4', 39, 50)], ['1', '2']],
    ['overlap includes the newest block', [b('1', 0, 20), b('2', 20, 40), b('3', 39, 60)], ['2', '3']],
    ['input order does not matter', [b('4', 60, 80), b('2', 20, 40), b('3', 40, 60), b('1', 0, 20)], ['1', '2', '3']],
    ['negative times align to the window below', [b('1', -60, -40), b('2', -40, -20), b('3', -20, 0), b('4', 0, 20)], ['1', '2', '3']],
  ];
  for (const [name, blocks, want] of cases) {
    it(name, () => {
      expect(plan(blocks, RANGES)).toEqual(want === null ? [] : [want]);
    });
  }

  const failed: PlanBlock[][] = [
    [b('1', 0, 20), b('2', 20, 40), b('3', 40, 60), b('4', 60, 80)],
    [b('1', 0, 20), b('2', 20, 40), b('3', 60, 80), b('4', 80, 100)],
    [b('1', 0, 20), b('2', 20, 40), b('3', 40, 60), b('4', 60, 120), b('5', 120, 180), b('6', 180, 200)],
  ];
  for (const blocks of failed) {
    it(`a range holding a block whose compaction failed is not selected (${blocks.length} blocks)`, () => {
      blocks[1]!.compactionFailed = true;
      expect(plan(blocks, [20, 60, 240, 720, 2160])).toEqual([]);
    });
  }

  it('with a single range only overlaps and tombstones are planned', () => {
    expect(plan([b('1', 0, 20), b('2', 20, 40), b('3', 40, 60)], [20])).toEqual([]);
    expect(plan([b('1', 0, 20), b('2', 10, 40)], [20])).toEqual([['1', '2']]);
    expect(plan([b('1', 0, 20, { numSeries: 4, numTombstones: 1 }), b('2', 20, 40)], [20])).toEqual([['1']]);
  });

  it('rejects an empty range list', () => {
    expect(() => plan([b('1', 0, 20)], [])).toThrow(RangeError);
  });
});

describe('splitByRange', () => {
  const cases: [number, [number, number][], [number, number][][]][] = [
    [60, [[0, 10]], [[[0, 10]]]],
    [60, [[0, 60]], [[[0, 60]]]],
    [60, [[0, 10], [10, 30], [30, 60]], [[[0, 10], [10, 30], [30, 60]]]],
    [60, [[0, 10], [60, 90]], [[[0, 10]], [[60, 90]]]],
    [60, [[0, 10], [20, 30], [90, 120]], [[[0, 10], [20, 30]], [[90, 120]]]],
    [60, [[0, 10], [59, 61], [61, 70]], [[[0, 10]], [[61, 70]]]],
    [60, [[0, 120]], []],
    [30, [[-60, -30], [-30, 0]], [[[-60, -30]], [[-30, 0]]]],
    [60, [[-40, -10], [-10, 20]], [[[-40, -10]]]],
  ];
  for (const [tr, input, want] of cases) {
    it(`${tr} ${JSON.stringify(input)}`, () => {
      const blocks = input.map(([minTime, maxTime]) => ({ minTime, maxTime }));
      expect(splitByRange(blocks, tr).map((g) => g.map((x) => [x.minTime, x.maxTime]))).toEqual(want);
    });
  }
});
