import { describe, expect, it } from 'vitest';
import { addFloatHistograms, IncompatibleSchemaError } from './add.js';
import { emptyFloatHistogram } from './copy.js';
import { detectReset } from './detect-reset.js';
import { histogramQuantile } from './quantile.js';
import { trimBuckets } from './trim.js';
import { CounterResetHint, CUSTOM_BUCKETS_SCHEMA, type FloatHistogram } from './types.js';

function fh(p: Partial<FloatHistogram>): FloatHistogram {
  return { ...emptyFloatHistogram(), ...p };
}

describe('addFloatHistograms', () => {
  it('reduces to the coarser schema and merges buckets', () => {
    const a = fh({ schema: 1, count: 3, sum: 3, positiveSpans: [{ offset: 1, length: 2 }], positiveBuckets: [1, 2] });
    const b = fh({ schema: 0, count: 1, sum: 1, positiveSpans: [{ offset: 1, length: 1 }], positiveBuckets: [1] });
    const r = addFloatHistograms(a, b);
    // schema 1 buckets 1 and 2 both fall into schema 0 bucket 1.
    expect(r.h.schema).toBe(0);
    expect(r.h.positiveSpans).toEqual([{ offset: 1, length: 1 }]);
    expect(r.h.positiveBuckets).toEqual([4]);
    expect(r.h.count).toBe(4);
  });

  it('subtracts and intersects mismatched custom bounds, reporting it', () => {
    const a = fh({ schema: CUSTOM_BUCKETS_SCHEMA, customValues: [1, 2], count: 6, positiveSpans: [{ offset: 0, length: 3 }], positiveBuckets: [1, 2, 3] });
    const b = fh({ schema: CUSTOM_BUCKETS_SCHEMA, customValues: [2], count: 2, positiveSpans: [{ offset: 0, length: 2 }], positiveBuckets: [1, 1] });
    const r = addFloatHistograms(a, b, true);
    expect(r.nhcbBoundsReconciled).toBe(true);
    expect(r.h.customValues).toEqual([2]);
    expect(r.h.positiveBuckets).toEqual([2, 2]);
  });

  it('refuses exponential with custom buckets, and flags a reset/not-reset collision', () => {
    expect(() => addFloatHistograms(fh({}), fh({ schema: CUSTOM_BUCKETS_SCHEMA, customValues: [] }))).toThrow(IncompatibleSchemaError);
    const r = addFloatHistograms(fh({ counterResetHint: CounterResetHint.CounterReset }), fh({ counterResetHint: CounterResetHint.NotCounterReset }));
    expect(r.counterResetCollision).toBe(true);
    expect(r.h.counterResetHint).toBe(CounterResetHint.Unknown);
  });
});

describe('detectReset', () => {
  it('sees a shrinking bucket even when the count grew, and trusts explicit hints', () => {
    const prev = fh({ count: 2, positiveSpans: [{ offset: 0, length: 2 }], positiveBuckets: [1, 1] });
    const cur = fh({ count: 3, positiveSpans: [{ offset: 1, length: 1 }], positiveBuckets: [3] });
    expect(detectReset(cur, prev)).toBe(true);
    expect(detectReset({ ...cur, counterResetHint: CounterResetHint.NotCounterReset }, prev)).toBe(false);
  });
});

describe('histogramQuantile and trimBuckets', () => {
  it('interpolates exponentially inside a positive bucket', () => {
    const h = fh({ count: 4, sum: 6, positiveSpans: [{ offset: 1, length: 1 }], positiveBuckets: [4] });
    // Bucket 1 of schema 0 is (1, 2]; the median lies at 2^0.5.
    expect(histogramQuantile(0.5, h).value).toBeCloseTo(Math.SQRT2, 12);
  });

  it('keeps the share of a split bucket below the bound (upper trim)', () => {
    const h = fh({ schema: CUSTOM_BUCKETS_SCHEMA, customValues: [10, 20], count: 20, sum: 200, positiveSpans: [{ offset: 0, length: 2 }], positiveBuckets: [10, 10] });
    const t = trimBuckets(h, 15, true);
    expect(t.count).toBeCloseTo(15, 12);
    expect(t.positiveBuckets).toEqual([10, 5]);
  });
});
