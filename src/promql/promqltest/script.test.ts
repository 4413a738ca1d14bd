import { describe, expect, it } from 'vitest';
import { isStaleNaN } from '../../model/sample.js';
import { expandSTOffsets, expandValues, parseScript } from './script.js';

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

describe('expandSTOffsets', () => {
  const cases: [string, (number | null)[]][] = [
    ['_ _ -30s-1mx2', [null, null, -30_000, -90_000, -150_000]],
    ['-1mx2', [-60_000, -60_000, -60_000]],
    ['0-1mx1 +1m -0ms', [0, -60_000, 60_000, 0]],
    ['1ms-1mx1 _x2 -59999ms', [1, -59_999, null, null, -59_999]],
  ];
  it.each(cases)('%s', (input, want) => {
    expect(expandSTOffsets(input.split(' '))).toEqual(want);
  });
  it('rejects a malformed item', () => {
    expect(() => expandSTOffsets(['-1m-1m'])).toThrow(/invalid @st item/);
  });
});

describe('@st load lines', () => {
  it('give the following series start timestamps as offsets from each sample time', () => {
    const [load] = parseScript('load 1m\n  c@st _ -1m -30s\n  c 1 2 3\n  d 1 2\n');
    if (load?.kind !== 'load') throw new Error('expected a load');
    expect(load.series.map((s) => s.startTs)).toEqual([[null, 0, 90_000], undefined]);
  });
  it('must name the series that follows', () => {
    expect(() => parseScript('load 1m\n  c@st -1m\n  d 1\n')).toThrow(/does not match/);
  });
});
