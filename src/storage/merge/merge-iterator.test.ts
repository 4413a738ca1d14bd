import { describe, expect, it } from 'vitest';
import type { SampleIterator } from '../series.js';
import { sampleIteratorFromArrays } from './array-iterator.js';
import { mergeSampleIterators } from './merge-iterator.js';

type S = [number, number];

function iter(samples: readonly S[]): SampleIterator {
  return sampleIteratorFromArrays(
    samples.map((s) => s[0]),
    samples.map((s) => s[1]),
  );
}

function drain(it: SampleIterator): S[] {
  const out: S[] = [];
  while (it.next()) out.push([it.atT(), it.atV()]);
  return out;
}

describe('mergeSampleIterators', () => {
  const cases: { name: string; inputs: S[][]; want: S[] }[] = [
    { name: 'no iterators', inputs: [], want: [] },
    { name: 'one iterator', inputs: [[[1, 1], [2, 2]]], want: [[1, 1], [2, 2]] },
    { name: 'all empty', inputs: [[], [], []], want: [] },
    {
      name: 'disjoint, adjacent',
      inputs: [[[1, 1], [2, 2]], [[3, 3], [4, 4]]],
      want: [[1, 1], [2, 2], [3, 3], [4, 4]],
    },
    {
      name: 'interleaved',
      inputs: [[[1, 1], [3, 3], [5, 5]], [[2, 2], [4, 4], [6, 6]]],
      want: [[1, 1], [2, 2], [3, 3], [4, 4], [5, 5], [6, 6]],
    },
    {
      name: 'overlapping with duplicates: first iterator wins',
      inputs: [[[1, 10], [2, 20], [3, 30]], [[2, 99], [3, 99], [4, 40]]],
      want: [[1, 10], [2, 20], [3, 30], [4, 40]],
    },
    {
      name: 'duplicates: later listed loses even when it starts first',
      inputs: [[[5, 1]], [[1, 2], [5, 2]], [[5, 3], [6, 3]]],
      want: [[1, 2], [5, 1], [6, 3]],
    },
    {
      name: 'identical inputs',
      inputs: [[[1, 1], [2, 2]], [[1, 9], [2, 9]], [[1, 8], [2, 8]]],
      want: [[1, 1], [2, 2]],
    },
    {
      name: 'one contains the other',
      inputs: [[[2, 2], [3, 3]], [[1, 1], [2, 0], [3, 0], [4, 4]]],
      want: [[1, 1], [2, 2], [3, 3], [4, 4]],
    },
    {
      name: 'negative timestamps',
      inputs: [[[-5, 1], [0, 1]], [[-10, 2], [-5, 2]]],
      want: [[-10, 2], [-5, 1], [0, 1]],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(drain(mergeSampleIterators(c.inputs.map(iter)))).toEqual(c.want);
    });
  }

  it('keeps NaN payloads (stale markers) of the winning child', () => {
    const stale = new Float64Array([0]);
    new DataView(stale.buffer).setBigUint64(0, 0x7ff0000000000002n, true);
    const v = stale[0]!;
    const m = mergeSampleIterators([
      sampleIteratorFromArrays(new Float64Array([1, 2]), new Float64Array([v, 1])),
      iter([[1, 5], [3, 3]]),
    ]);
    expect(m.next()).toBe(true);
    const bits = new DataView(new Float64Array([m.atV()]).buffer).getBigUint64(0, true);
    expect(bits & ~0x0008000000000000n).toBe(0x7ff0000000000002n);
  });

  const seekCases: { name: string; inputs: S[][]; ops: (['next'] | ['seek', number])[]; want: (S | false)[] }[] = [
    {
      name: 'seek before start',
      inputs: [[[2, 2], [4, 4]], [[3, 3]]],
      ops: [['seek', 0], ['next'], ['next'], ['next']],
      want: [[2, 2], [3, 3], [4, 4], false],
    },
    {
      name: 'seek exact then next',
      inputs: [[[2, 2], [4, 4]], [[3, 3], [5, 5]]],
      ops: [['seek', 3], ['next'], ['next'], ['next']],
      want: [[3, 3], [4, 4], [5, 5], false],
    },
    {
      name: 'seek between samples',
      inputs: [[[10, 1], [20, 1]], [[15, 2], [25, 2]]],
      ops: [['seek', 16], ['seek', 21], ['next']],
      want: [[20, 1], [25, 2], false],
    },
    {
      name: 'seek backwards stays put',
      inputs: [[[1, 1], [5, 5]], [[3, 3]]],
      ops: [['next'], ['next'], ['seek', 1], ['seek', 3], ['next']],
      want: [[1, 1], [3, 3], [3, 3], [3, 3], [5, 5]],
    },
    {
      name: 'seek past end',
      inputs: [[[1, 1]], [[2, 2]]],
      ops: [['seek', 3], ['next'], ['seek', 0]],
      want: [false, false, false],
    },
    {
      name: 'seek onto duplicate: first wins, and next skips the duplicate',
      inputs: [[[1, 1], [4, 40]], [[4, 99], [6, 6]]],
      ops: [['next'], ['seek', 4], ['next'], ['next']],
      want: [[1, 1], [4, 40], [6, 6], false],
    },
    {
      name: 'seek after one child ran out',
      inputs: [[[1, 1]], [[2, 2], [9, 9]]],
      ops: [['next'], ['next'], ['seek', 5], ['next']],
      want: [[1, 1], [2, 2], [9, 9], false],
    },
  ];
  for (const c of seekCases) {
    it(c.name, () => {
      const m = mergeSampleIterators(c.inputs.map(iter));
      const got = c.ops.map((op) => {
        const ok = op[0] === 'next' ? m.next() : m.seek(op[1]);
        return ok ? ([m.atT(), m.atV()] as S) : false;
      });
      expect(got).toEqual(c.want);
    });
  }

  it('merges many iterators in order (randomised against a reference)', () => {
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let round = 0; round < 50; round++) {
      const k = 1 + Math.floor(rnd() * 6);
      const inputs: S[][] = [];
      const want = new Map<number, number>();
      for (let i = 0; i < k; i++) {
        const s: S[] = [];
        let t = Math.floor(rnd() * 10);
        const n = Math.floor(rnd() * 30);
        for (let j = 0; j < n; j++) {
          s.push([t, i * 1000 + j]);
          if (!want.has(t)) want.set(t, i * 1000 + j);
          t += 1 + Math.floor(rnd() * 5);
        }
        inputs.push(s);
      }
      // first iterator wins: rebuild want in iterator order
      want.clear();
      for (const s of inputs) for (const [t, v] of s) if (!want.has(t)) want.set(t, v);
      const expected = [...want.entries()].sort((a, b) => a[0] - b[0]);
      expect(drain(mergeSampleIterators(inputs.map(iter)))).toEqual(expected);
      // seeks land on the first sample >= target
      const target = Math.floor(rnd() * 100);
      const m = mergeSampleIterators(inputs.map(iter));
      const first = expected.find((e) => e[0] >= target);
      expect(m.seek(target)).toBe(first !== undefined);
      if (first) expect([m.atT(), m.atV()]).toEqual(first);
    }
  });
});
