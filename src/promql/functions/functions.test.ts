import { describe, expect, it } from 'vitest';
import { bucketFraction, bucketQuantile } from './bucket-quantile.js';
import { extendedRate, extendFloats } from './extended.js';
import { formatF, formatG, goPow } from './gofloat.js';
import { linearRegression, quantile } from './kahan.js';
import { expandGoTemplate, naturalLess } from './labels.js';
import { RANGE_FUNCTIONS, type RangeCall } from './range.js';

function call(ts: number[], vs: number[], evalTs: number, range: number, args: number[] = []): RangeCall {
  return { ts, vs, st: null, lo: 0, hi: ts.length, evalTs, rangeStart: evalTs - range, rangeEnd: evalTs, args };
}

describe('Go float formatting and math', () => {
  const g: [number, string][] = [[1, '1'], [0.5, '0.5'], [1e6, '1e+06'], [123456, '123456'], [1e-5, '1e-05'], [NaN, 'NaN'], [-Infinity, '-Inf'], [1.5, '1.5']];
  it.each(g)('formatG(%d)', (x, want) => expect(formatG(x)).toBe(want));
  const f: [number, string][] = [[1e21, '1000000000000000000000'], [1e-7, '0.0000001'], [6, '6'], [-2.5, '-2.5']];
  it.each(f)('formatF(%d)', (x, want) => expect(formatF(x)).toBe(want));
  const p: [number, number, number][] = [[1, NaN, 1], [-1, Infinity, 1], [NaN, 0, 1], [2, 10, 1024]];
  it.each(p)('goPow(%d, %d)', (x, y, want) => expect(goPow(x, y)).toBe(want));
});

describe('quantiles', () => {
  it('quantile interpolates and handles bounds', () => {
    expect(quantile(0.5, [1, 2, 3, 4])).toBe(2.5);
    expect(quantile(-1, [1])).toBe(-Infinity);
    expect(quantile(2, [1])).toBe(Infinity);
    expect(quantile(NaN, [1])).toBeNaN();
  });
  it('bucketQuantile on classic buckets, with monotonicity fix-up', () => {
    const b = () => [
      { upperBound: 0.1, count: 10 },
      { upperBound: 0.5, count: 20 },
      { upperBound: Infinity, count: 40 },
    ];
    expect(bucketQuantile(0.25, b()).value).toBeCloseTo(0.1, 12);
    expect(bucketQuantile(0.5, b()).value).toBeCloseTo(0.5, 12);
    expect(bucketQuantile(0.9, b()).value).toBe(0.5);
    const r = bucketQuantile(0.5, [{ upperBound: 1, count: 10 }, { upperBound: 2, count: 5 }, { upperBound: Infinity, count: 10 }]);
    expect(r.forcedMonotonic).toBe(true);
    expect(bucketQuantile(0.5, [{ upperBound: 1, count: 1 }]).value).toBeNaN();
  });
  it('bucketFraction', () => {
    const b = () => [{ upperBound: 1, count: 10 }, { upperBound: 2, count: 20 }, { upperBound: Infinity, count: 20 }];
    expect(bucketFraction(0, 1, b())).toBeCloseTo(0.5, 12);
    expect(bucketFraction(1, 1.5, b())).toBeCloseTo(0.25, 12);
    expect(bucketFraction(3, 2, b())).toBe(0);
  });
});

describe('range functions', () => {
  const ts = [0, 60_000, 120_000, 180_000, 240_000];
  const cases: [string, number[], number, number, number[], number | null][] = [
    // 40 over 240s, extrapolated by 60s to the range end (within 1.1 x the 60s spacing): 50 over 300s.
    ['rate', [0, 10, 20, 30, 40], 300_000, 300_000, [], 50 / 300],
    ['increase', [0, 10, 20, 5, 15], 240_000, 300_000, [], null],
    ['changes', [1, 1, 2, 2, 3], 240_000, 300_000, [], 2],
    ['resets', [5, 1, 2, 0, 3], 240_000, 300_000, [], 2],
    ['max_over_time', [1, NaN, 3, 2, 0], 240_000, 300_000, [], 3],
    ['last_over_time', [1, 2, 3, 4, 5], 240_000, 300_000, [], 5],
    ['irate', [1, 2, 3, 10, 1], 240_000, 300_000, [], 1 / 60],
    ['idelta', [1, 2, 3, 10, 1], 240_000, 300_000, [], -9],
    ['quantile_over_time', [1, 2, 3, 4, 5], 240_000, 300_000, [0.5], 3],
  ];
  it.each(cases)('%s', (name, vs, t, range, args, want) => {
    const got = RANGE_FUNCTIONS[name]!(call(ts, vs, t, range, args));
    if (want === null) expect(got).not.toBeNull();
    else expect(got).toBeCloseTo(want, 9);
  });
  it('deriv and predict_linear use least squares', () => {
    const [slope, intercept] = linearRegression(ts, [0, 60, 120, 180, 240], 0, 5, 0);
    expect(slope).toBeCloseTo(1, 12);
    expect(intercept).toBeCloseTo(0, 9);
  });
});

describe('anchored and smoothed', () => {
  it('extendedRate anchored picks the sample at or before the window start', () => {
    // samples every 15s: 1,2,3,4,5 ; window (20s, 80s]
    const ts = [0, 15_000, 30_000, 45_000, 60_000, 75_000];
    const vs = [1, 2, 3, 4, 5, 6];
    expect(extendedRate(ts, vs, 0, 6, 20_000, 80_000, false, true, false)).toBe(6 - 2);
    // smoothed: the left boundary is interpolated at 20s (2 + 1/3); no sample after 80s, so the right value is the last one.
    expect(extendedRate(ts, vs, 0, 6, 20_000, 80_000, true, true, false)).toBeCloseTo(6 - (2 + 1 / 3), 9);
  });
  it('extendFloats adds synthetic boundary points', () => {
    expect(extendFloats([0, 10, 20], [1, 2, 3], 0, 3, 5, 20, false)).toEqual({ ts: [5, 10, 20], vs: [1, 2, 3] });
  });
});

describe('label helpers', () => {
  const re = /^(?<a>x)(y)$/su;
  const m = re.exec('xy')!;
  const cases: [string, string][] = [['$1-$2', 'x-y'], ['${1}z', 'xz'], ['$1z', ''], ['$$1', '$1'], ['$a', 'x']];
  it.each(cases)('expand %s', (tpl, want) => expect(expandGoTemplate(tpl, m)).toBe(want));
  it('natural order', () => {
    expect(naturalLess('a2', 'a10')).toBe(true);
    expect(naturalLess('b', 'a')).toBe(false);
  });
});
