import { describe, expect, it } from 'vitest';
import type { PlanBlock } from './planner.js';
import { blocksBeyondRetention, blocksBeyondSize } from './retention.js';

const b = (ulid: string, minTime: number, maxTime: number): PlanBlock => ({ ulid, minTime, maxTime, numSeries: 1, numTombstones: 0 });

describe('blocksBeyondRetention', () => {
  const cases: [string, PlanBlock[], number, string[]][] = [
    ['no blocks', [], 100, []],
    ['retention disabled', [b('a', 0, 10), b('b', 1000, 1010)], 0, []],
    ['single block is never deleted', [b('a', 0, 10)], 1, []],
    ['all within retention', [b('a', 0, 100), b('b', 100, 200), b('c', 200, 300)], 250, []],
    ['exactly retention behind the newest is deleted', [b('a', 0, 100), b('b', 100, 200), b('c', 200, 300)], 200, ['a']],
    ['one ms short of retention is kept', [b('a', 0, 100), b('b', 100, 200), b('c', 200, 300)], 201, []],
    ['everything older goes', [b('a', 0, 100), b('b', 100, 200), b('c', 200, 300), b('d', 300, 400)], 200, ['b', 'a']],
    ['input order does not matter', [b('c', 200, 300), b('a', 0, 100), b('b', 100, 200)], 100, ['b', 'a']],
    ['newest is never deleted even with tiny retention', [b('a', 0, 100), b('b', 100, 200)], 1, ['a']],
  ];
  for (const [name, blocks, retention, want] of cases) {
    it(name, () => expect(blocksBeyondRetention(blocks, retention)).toEqual(want));
  }
});

describe('blocksBeyondSize', () => {
  const s = (ulid: string, maxTime: number, sizeBytes: number) => ({ ulid, maxTime, sizeBytes });
  const blocks = [s('old', 100, 50), s('mid', 200, 30), s('new', 300, 20)];
  const cases: [string, number, number, string[]][] = [
    ['disabled', 0, 0, []],
    ['everything fits', 100, 0, []],
    ['oldest overflows', 99, 0, ['old']],
    ['head size counts', 100, 60, ['mid', 'old']],
    ['even the newest overflows', 10, 0, ['new', 'mid', 'old']],
  ];
  for (const [name, max, extra, want] of cases) {
    it(name, () => expect(blocksBeyondSize(blocks, max, extra)).toEqual(want));
  }
});
