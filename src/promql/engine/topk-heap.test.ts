import { describe, expect, it } from 'vitest';
import { kCompare } from './aggregate-steps.js';
import { selectK } from './topk-heap.js';

describe('selectK', () => {
  const pools: [string, number[]][] = [
    ['distinct', [5, 1, 9, 3, 7, 2, 8]],
    ['ties', [1, 2, 2, 2, 1, 3, 3, 0]],
    ['NaN and infinities', [NaN, 1, Infinity, NaN, -Infinity, 0, -0, 2]],
    ['all NaN', [NaN, NaN, NaN]],
  ];
  for (const [name, values] of pools) {
    for (const desc of [true, false]) {
      for (let k = 1; k <= values.length + 1; k++) {
        it(`${name}, ${desc ? 'topk' : 'bottomk'}, k=${k}: the first k of a stable sort`, () => {
          const vs = Float64Array.from(values);
          const heap = new Int32Array(values.length + 3).fill(-1);
          const cap = Math.min(k, values.length);
          let len = 0;
          for (let p = 0; p < values.length; p++) len = selectK(heap, 3, len, cap, p, vs, desc);
          const got = Array.from(heap.subarray(3, 3 + len)).sort((a, b) => kCompare(vs[a]!, vs[b]!, desc) || a - b);
          const want = values.map((_, i) => i).sort((a, b) => kCompare(vs[a]!, vs[b]!, desc) || a - b).slice(0, k);
          expect(got).toEqual(want);
        });
      }
    }
  }
});
