import { describe, expect, it } from 'vitest';
import { autoStep, formatDuration, parseDuration } from './duration';

describe('console durations', () => {
  it.each([
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['2d', 172_800_000],
    ['', null],
    ['1x', null],
    ['h', null],
    ['1h 2m', null],
  ])('parseDuration(%j) = %j', (s, ms) => expect(parseDuration(s)).toBe(ms));
  it('formats back to the shortest form', () => {
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(90_061_000)).toBe('1d1h1m1s');
  });
  it('picks about 250 points and at least a second', () => {
    expect(autoStep(3_600_000)).toBe(14_000);
    expect(autoStep(10_000)).toBe(1000);
  });
});
