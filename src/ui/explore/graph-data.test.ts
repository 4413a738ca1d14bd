import { describe, expect, it } from 'vitest';
import { alignMatrix, stackValues } from './graph-data';

describe('graph data', () => {
  it('aligns samples on the step grid with gaps as null and NaN dropped', () => {
    const g = alignMatrix([{ metric: { a: '1' }, values: [[10, '1'], [30, 'NaN'], [40, '4']] }], 10, 40, 10);
    expect(g.x).toEqual([10, 20, 30, 40]);
    expect(g.series[0]!.values).toEqual([1, null, null, 4]);
  });
  it('stacks visible series only', () => {
    expect(stackValues([[1, 2], [10, null], [100, 200]], [true, true, true])).toEqual([[1, 2], [11, null], [111, 202]]);
    expect(stackValues([[1, 2], [10, 20]], [false, true])[1]).toEqual([10, 20]);
  });
});
