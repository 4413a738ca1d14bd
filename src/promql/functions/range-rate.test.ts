import { describe, expect, it } from 'vitest';
import { counterResets, extrapolatedRateAt, RANGE_FUNCTIONS, type RangeCall } from './range.js';

describe('extrapolatedRateAt', () => {
  const series: [string, number[]][] = [
    ['monotonic', [0, 3, 5, 9, 12, 20, 21, 30]],
    ['resets', [5, 7, 2, 4, 1, 1, 8, 0.5]],
    ['negative first and NaN', [-3, 2, NaN, 1, 4, -1, 6, 2]],
    ['reset at window start', [9, 1, 2, 3, 0, 5, 6, 7]],
  ];
  const ts = [0, 15_000, 30_000, 45_000, 60_000, 75_000, 90_000, 105_000];
  for (const [name, vs] of series) {
    it(`${name}: equals the window-scanning rate/increase/delta for every window`, () => {
      const resets = counterResets(vs);
      for (let lo = 0; lo < vs.length; lo++) {
        for (let hi = lo + 2; hi <= vs.length; hi++) {
          let r = 0;
          while (r < resets.length && resets[r]! <= lo) r++;
          const rangeStart = ts[lo]! - 7_000;
          const rangeEnd = ts[hi - 1]! + 3_000;
          const c: RangeCall = { ts, vs, st: null, lo, hi, evalTs: rangeEnd, rangeStart, rangeEnd, args: [] };
          for (const [fn, isCounter, isRate] of [['rate', true, true], ['increase', true, false], ['delta', false, false]] as const) {
            const want = RANGE_FUNCTIONS[fn]!(c);
            const got = extrapolatedRateAt(ts, vs, lo, hi, rangeStart, rangeEnd, isCounter, isRate, resets, r);
            expect(Object.is(got, want), `${fn} [${lo}, ${hi}): ${got} vs ${want}`).toBe(true);
          }
        }
      }
    });
  }
});
