import { describe, expect, it } from 'vitest';
import { isStaleNaN, STALE_NAN } from '../../model/sample.js';
import type { FloatHistogram, Histogram } from '../../model/histogram/types.js';
import { HistSamples } from './hist-samples.js';

const ih = (i: number): Histogram => ({
  counterResetHint: 2,
  schema: i % 3,
  zeroThreshold: 0.01,
  zeroCount: i,
  count: 10 * i + i,
  sum: i === 107 ? STALE_NAN : i * 1.5,
  positiveSpans: [{ offset: -i, length: 2 }, { offset: 1, length: i % 4 }],
  negativeSpans: i % 2 === 0 ? [] : [{ offset: 0, length: 1 }],
  positiveBuckets: Array.from({ length: 2 + (i % 4) }, (_, k) => k - 1),
  negativeBuckets: i % 2 === 0 ? [] : [i],
});
const fh = (i: number): FloatHistogram => ({ ...ih(i), schema: -53, zeroThreshold: 0, zeroCount: 0, negativeSpans: [], negativeBuckets: [], positiveBuckets: [i + 0.5, 1], positiveSpans: [{ offset: 0, length: 2 }], customValues: [0.25, 1 + i] });

describe('HistSamples', () => {
  it('gives back every sample as appended, of its kind, across growth and truncation', () => {
    const hs = new HistSamples();
    const want = new Map<number, Histogram | FloatHistogram>();
    for (let i = 0; i < 300; i++) {
      const x = i % 5 === 0 ? fh(i) : ih(i);
      if (i % 5 === 0) hs.append(i * 10, undefined, x);
      else hs.append(i * 10, x as Histogram, undefined);
      want.set(i * 10, x);
    }
    hs.dropBefore(1000);
    expect(hs.n).toBe(200);
    for (let i = 100; i < 300; i++) {
      const got = hs.sampleAt(i * 10)!;
      const x = want.get(i * 10)!;
      if (i % 5 === 0) expect(got.fh).toEqual(x);
      else expect({ ...got.h, sum: 0 }).toEqual({ ...x, sum: 0 });
      const sum = (got.h ?? got.fh)!.sum;
      if (i === 107) expect(isStaleNaN(sum)).toBe(true);
    }
    expect(hs.sampleAt(990)).toBeUndefined();
    // Float view: integer deltas become absolute counts.
    expect(hs.slice(1010, 1010)!.fh[0]!.positiveBuckets).toEqual([-1, -1, 0]);
  });
});
