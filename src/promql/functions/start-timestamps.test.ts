import { describe, expect, it } from 'vitest';
import { counterRateST, isStartTimestampReset, startTimeOverlaps } from './start-timestamps.js';

describe('isStartTimestampReset', () => {
  // [name, prevST, prevT, currST, currT, want]
  const cases: [string, number, number, number, number, boolean][] = [
    ['unknown ST', 0, 1000, 0, 2000, false],
    ['ST after T (invalid)', 0, 1000, 2001, 2000, false],
    ['ST equal to T (OTel unknown start)', 0, 1000, 2000, 2000, false],
    ['ST before the previous sample (same cumulative run)', 500, 1000, 500, 2000, false],
    ['ST after the previous sample', 500, 1000, 1500, 2000, true],
    ['ST at the previous sample, previous ST known: delta', 0 + 500, 1000, 1000, 2000, true],
    ['ST at the previous sample, previous ST unknown: cumulative with unknown start', 0, 1000, 1000, 2000, false],
    ['ST at the previous sample, previous ST equal to its T', 1000, 1000, 1000, 2000, false],
    ['ST at the previous sample, previous ST invalid', 1500, 1000, 1000, 2000, false],
  ];
  it.each(cases)('%s', (_name, prevST, prevT, currST, currT, want) => {
    expect(isStartTimestampReset(prevST, prevT, currST, currT)).toBe(want);
  });
});

describe('startTimeOverlaps', () => {
  const cases: [string, number, number, number, boolean][] = [
    ['delta (ST = previous T)', 0, 1000, 1000, false],
    ['cumulative (same ST)', 100, 1000, 100, false],
    ['unknown', 100, 1000, 0, false],
    ['overlap', 100, 1000, 200, true],
  ];
  it.each(cases)('%s', (_name, prevST, prevT, currST, want) => {
    expect(startTimeOverlaps(prevST, prevT, currST)).toBe(want);
  });
});

describe('counterRateST', () => {
  // Samples at 2m..4m; windows (rangeStart, rangeEnd] in ms.
  const ts = [120_000, 180_000, 240_000];
  it('uses a zero at an in-window start time instead of extrapolating left', () => {
    // ST 90s inside (60s, 360s]: increase = 3 - 1 + 1 (the first value from zero), over [90s, 240s] extended right.
    const v = counterRateST(ts, [1, 2, 3], [90_000, 90_000, 90_000], 0, 3, 60_000, 360_000, false);
    expect(v).toBeCloseTo(3 * ((150 + 30) / 150), 12);
  });
  it('extrapolates as usual when the start time is outside the window', () => {
    const v = counterRateST(ts, [1, 2, 3], [60_000, 60_000, 60_000], 0, 3, 60_000, 360_000, false);
    // durationToStart = 60s (under 1.1 x the 60s average; zero point also 60s); durationToEnd = 120s, cut to 30s.
    expect(v).toBeCloseTo(2 * ((120 + 60 + 30) / 120), 12);
  });
  it('counts delta samples (ST = previous T) as resets', () => {
    const v = counterRateST(ts, [60, 60, 60], [60_000, 120_000, 180_000], 0, 3, 0, 240_000, false);
    // 60 + 60 (two resets) + 60 (first from zero at ST 60s) over [60s, 240s], no right extrapolation.
    expect(v).toBe(180);
  });
  it('gives a single sample a value only with an in-window start time', () => {
    expect(counterRateST([240_000], [3], [0], 0, 1, 0, 300_000, false)).toBeNull();
    expect(counterRateST([240_000], [3], [150_000], 0, 1, 0, 300_000, true)).toBeCloseTo(3 / 300, 12);
  });
});
