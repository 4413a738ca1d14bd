import { describe, expect, it } from 'vitest';
import { isStaleNaN } from '../../model/sample.js';
import { expandValues } from './script.js';

describe('expandValues', () => {
  const cases: [string, (number | null)[]][] = [
    ['1+2x3', [1, 3, 5, 7]],
    ['-3x2', [-3, -3, -3]],
    ['1x3 _x2', [1, 1, 1, 1, null, null]],
    ['10-1x2', [10, 9, 8]],
    ['1 _ 3', [1, null, 3]],
    ['1e3 Inf -Inf', [1000, Infinity, -Infinity]],
  ];
  it.each(cases)('%s', (input, want) => {
    expect(expandValues(input.split(' ')).values).toEqual(want);
  });
  it('stale and NaN', () => {
    const r = expandValues(['stale', 'NaN']);
    const v = r.values;
    expect(r.stale.has(0)).toBe(true);
    expect(r.stale.has(1)).toBe(false);
    expect(Number.isNaN(v[1]!)).toBe(true);
    expect(isStaleNaN(v[1]!)).toBe(false);
  });
});
