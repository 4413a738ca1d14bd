import { describe, expect, it } from 'vitest';
import { compactionRanges, exponentialBlockRanges, maxBlockDuration } from './ranges.js';

const H = 3_600_000;
const D = 24 * H;

describe('exponentialBlockRanges', () => {
  const cases: [number, number, number, number[]][] = [
    [2 * H, 3, 3, [2 * H, 6 * H, 18 * H]],
    [20, 5, 3, [20, 60, 180, 540, 1620]],
    [10, 0, 3, []],
    [10, 4, 2, [10, 20, 40, 80]],
  ];
  for (const [min, steps, step, want] of cases) {
    it(`(${min}, ${steps}, ${step})`, () => expect(exponentialBlockRanges(min, steps, step)).toEqual(want));
  }
});

describe('compactionRanges', () => {
  const cases: [string, number, number | undefined, number[]][] = [
    ['15d retention: max 1.5d', 15 * D, undefined, [2 * H, 6 * H, 18 * H]],
    ['unlimited retention: capped at 31d', 0, undefined, [2 * H, 6 * H, 18 * H, 54 * H, 162 * H, 486 * H]],
    ['1 year retention: capped at 31d', 365 * D, undefined, [2 * H, 6 * H, 18 * H, 54 * H, 162 * H, 486 * H]],
    ['90d retention: 9d max', 90 * D, undefined, [2 * H, 6 * H, 18 * H, 54 * H, 162 * H]],
    ['60h retention: exactly 6h max', 60 * H, undefined, [2 * H, 6 * H]],
    ['tiny retention keeps the head range', 1 * H, undefined, [2 * H]],
    ['custom minimum block', 0, 20, [20, 60, 180, 540, 1620, 4860, 14580, 43740, 131220, 393660]],
  ];
  for (const [name, retention, minBlock, want] of cases) {
    it(name, () => expect(compactionRanges(retention, minBlock)).toEqual(want));
  }
  it('maxBlockDuration follows Prometheus defaults', () => {
    expect(maxBlockDuration(15 * D)).toBe(1.5 * D);
    expect(maxBlockDuration(0)).toBe(31 * D);
    expect(maxBlockDuration(H)).toBe(2 * H);
  });
  it('rejects a non-positive minimum block', () => {
    expect(() => compactionRanges(15 * D, 0)).toThrow(RangeError);
  });
});
