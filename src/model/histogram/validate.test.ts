import { describe, expect, it } from 'vitest';
import { CounterResetHint, type FloatHistogram, type Histogram } from './types.js';
import { validateFloatHistogram, validateHistogram } from './validate.js';

function h(over: Partial<Histogram>): Histogram {
  return {
    counterResetHint: CounterResetHint.Unknown,
    schema: 0,
    zeroThreshold: 0.001,
    zeroCount: 1,
    count: 6,
    sum: 10,
    positiveSpans: [{ offset: 0, length: 2 }],
    negativeSpans: [{ offset: 1, length: 1 }],
    positiveBuckets: [1, 1],
    negativeBuckets: [2],
    ...over,
  };
}

describe('validateHistogram', () => {
  const f = (over: Partial<Histogram>, want: string | null): void => {
    const err = validateHistogram(h(over));
    expect(err === null ? null : err.message).toBe(want);
  };
  it('accepts a consistent histogram', () => f({}, null));
  it('refuses spans that need more buckets than given', () =>
    f({ positiveSpans: [{ offset: 0, length: 3 }] }, 'positive side: spans need 3 buckets, have 2 buckets: histogram spans specify different number of buckets than provided'));
  it('refuses a negative offset after the first span', () =>
    f(
      { positiveSpans: [{ offset: 0, length: 1 }, { offset: -1, length: 1 }] },
      'positive side: span number 2 with offset -1: histogram has a span whose offset is negative',
    ));
  it('refuses a bucket whose delta makes it negative', () =>
    f({ positiveBuckets: [1, -2], count: 3 }, 'positive side: bucket number 2 has observation count of -1: histogram has a bucket whose observation count is negative'));
  it('refuses a count that differs from the buckets', () =>
    f({ count: 7 }, "6 observations found in buckets, but the Count field is 7: histogram's observation count should equal the number of observations found in the buckets (in absence of NaN)"));
  it('allows a larger count with a NaN sum, not a smaller one', () => {
    f({ count: 7, sum: NaN }, null);
    f({ count: 5, sum: NaN }, "6 observations found in buckets, but the Count field is 5: histogram's observation count should be at least the number of observations found in the buckets");
  });
  it('refuses schemas out of range', () =>
    f({ schema: 9 }, 'histogram has an invalid schema, which must be between -4 and 8 for exponential buckets, or -53 for custom buckets, got schema 9'));
  it('checks custom bounds', () => {
    const cb = { schema: -53, zeroThreshold: 0, zeroCount: 0, negativeSpans: [], negativeBuckets: [], count: 3, positiveBuckets: [1, 1] };
    f({ ...cb, customValues: [1, 2] }, null);
    f({ ...cb, customValues: [2, 1] }, 'custom buckets: previous bound is 2.000000 and current is 1.000000: histogram custom bounds must be in strictly increasing order');
    f({ ...cb, customValues: [1, Infinity] }, 'custom buckets: last +Inf bound must not be explicitly defined: histogram custom bounds must be finite');
    f({ ...cb, positiveSpans: [{ offset: 2, length: 2 }], customValues: [1, 2] }, 'custom buckets: only 2 custom bounds defined which is insufficient to cover total span length of 4: histogram custom bounds are too few');
    f({ ...cb, customValues: [1, 2], zeroCount: 1, count: 4 }, 'custom buckets: must have zero count of 0');
  });
  it('refuses custom bounds on an exponential schema', () => f({ customValues: [1] }, 'histogram with exponential schema must not have custom bounds'));
});

describe('validateFloatHistogram', () => {
  const fh = (over: Partial<FloatHistogram>): FloatHistogram => ({ ...h({}), positiveBuckets: [1, 2], negativeBuckets: [2], ...over });
  it('accepts absolute counts without comparing the count field', () => expect(validateFloatHistogram(fh({ count: 100 }))).toBeNull());
  it('refuses a negative bucket and a negative count', () => {
    expect(validateFloatHistogram(fh({ positiveBuckets: [1, -0.5] }))?.message).toBe(
      'positive side: bucket number 2 has observation count of -0.5: histogram has a bucket whose observation count is negative',
    );
    expect(validateFloatHistogram(fh({ count: -1 }))?.message).toBe("observation count is  -1: histogram's observation count is negative");
    expect(validateFloatHistogram(fh({ zeroCount: -1 }))?.message).toBe('zero bucket has observation count of -1: histogram has a bucket whose observation count is negative');
  });
});
