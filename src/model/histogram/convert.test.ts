import { describe, expect, it } from 'vitest';
import { toFloatHistogram } from './convert.js';
import { CounterResetHint, type Histogram } from './types.js';

describe('toFloatHistogram', () => {
  it('turns bucket deltas into absolute counts and copies what it returns', () => {
    const h: Histogram = {
      counterResetHint: CounterResetHint.NotCounterReset,
      schema: 1,
      zeroThreshold: 0.001,
      zeroCount: 2,
      count: 12,
      sum: 18.4,
      positiveSpans: [{ offset: 0, length: 2 }, { offset: 1, length: 2 }],
      negativeSpans: [{ offset: 0, length: 1 }],
      positiveBuckets: [1, 1, -1, 0],
      negativeBuckets: [3],
    };
    const fh = toFloatHistogram(h);
    expect(fh.positiveBuckets).toEqual([1, 2, 1, 1]);
    expect(fh.negativeBuckets).toEqual([3]);
    expect(fh.count).toBe(12);
    fh.positiveSpans[0]!.length = 9;
    expect(h.positiveSpans[0]!.length).toBe(2);
  });
});
