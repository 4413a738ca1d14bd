import { describe, expect, it } from 'vitest';
import { isStaleNaN } from '../model/sample.js';
import { bucketsLayout, expToNativeHistogram } from './exp-histogram.js';
import { emptyExpHistogramPoint, type ExpHistogramPoint } from './model.js';

const point = (over: Partial<ExpHistogramPoint>): ExpHistogramPoint => ({ ...emptyExpHistogramPoint(), timeMs: 1000, ...over });

describe('bucketsLayout (Prometheus convertBucketsLayout)', () => {
  // Cases as Prometheus's histograms_test.go states them: OTLP index i is Prometheus index i + 1.
  const f = (counts: number[], offset: number, scaleDown: number, spans: [number, number][], deltas: number[]): void => {
    const got = bucketsLayout(counts, offset, scaleDown);
    expect(got.spans.map((s) => [s.offset, s.length])).toEqual(spans);
    expect(got.deltas).toEqual(deltas);
  };
  it('shifts the offset by one and delta-encodes', () => f([4, 3, 2, 1], 0, 0, [[1, 4]], [4, -1, -1, -1]));
  it('fills gaps of up to two buckets and starts a span after longer ones', () => {
    f([4, 0, 0, 2, 0, 0, 0, 1], 2, 0, [[3, 4], [3, 1]], [4, -4, 0, 2, -1]);
  });
  it('merges 2^scaleDown buckets when scaling down', () => {
    f([4, 3, 2, 1], 0, 1, [[1, 2]], [7, -4]);
    f([4, 3, 2, 1], 1, 1, [[1, 3]], [4, 1, -4]);
  });
  it("matches Prometheus's positive-offset case at scale-down 0 and 1", () => {
    const counts = [4, 2, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
    f(counts, 4, 0, [[5, 4], [12, 1]], [4, -2, -2, 2, -1]);
    f(counts, 4, 1, [[3, 2], [6, 1]], [6, -4, -1]);
  });
  it('is empty without buckets', () => f([], 3, 0, [], []));
});

describe('expToNativeHistogram', () => {
  it('converts scale, counts, sum and buckets, with the default zero threshold', () => {
    const h = expToNativeHistogram(point({ scale: 2, count: 10, sum: 20, hasSum: true, zeroCount: 1, positive: { offset: -1, counts: [2, 3] }, negative: { offset: 0, counts: [4] } }), 2);
    expect(h).toEqual({
      counterResetHint: 0,
      schema: 2,
      zeroThreshold: 1e-128,
      zeroCount: 1,
      count: 10,
      sum: 20,
      positiveSpans: [{ offset: 0, length: 2 }],
      negativeSpans: [{ offset: 1, length: 1 }],
      positiveBuckets: [2, 1],
      negativeBuckets: [4],
    });
  });
  it('reduces a scale above 8 to 8, refuses one below -4', () => {
    const h = expToNativeHistogram(point({ scale: 10, count: 10, positive: { offset: 0, counts: [1, 2, 3, 4, 5] } }), 2);
    expect(typeof h !== 'string' && [h.schema, h.positiveBuckets, h.positiveSpans]).toEqual([8, [10, -5], [{ offset: 1, length: 2 }]]);
    expect(expToNativeHistogram(point({ scale: -5 }), 2)).toBe('cannot convert exponential to native histogram. Scale must be >= -4, was -5');
  });
  it('makes a point without a recorded value a stale marker', () => {
    const h = expToNativeHistogram(point({ flags: 1, count: 3 }), 2);
    expect(typeof h !== 'string' && isStaleNaN(h.sum)).toBe(true);
  });
});
