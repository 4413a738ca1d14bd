import { describe, expect, it } from 'vitest';
import { labelsFromRecord } from '../../model/labels.js';
import { Annotations } from './annotations.js';
import { aggregateColumns, groupSeries, type ColumnOp } from './aggregate-columns.js';
import type { QueryContext } from './context.js';
import { Evaluator } from './evaluator.js';
import type { Matrix } from './value.js';

function evaluator(nSteps: number): Evaluator {
  const ctx: QueryContext = {
    queryable: { querier: () => { throw new Error('unused'); } },
    lookbackDelta: 300_000,
    maxSamples: 1e9,
    defaultSubqueryStep: 60_000,
    queryStart: 0,
    queryEnd: (nSteps - 1) * 1000,
    queryStep: 1000,
    isRange: true,
    annos: new Annotations(),
    queriers: [],
    stats: { currentSamples: 0, peakSamples: 0 },
    deadline: Infinity,
    now: () => 0,
  };
  return new Evaluator(ctx, 0, (nSteps - 1) * 1000, 1000);
}

/** input builds series present at scattered steps (some starting late) with awkward values. */
function input(nSeries: number, nSteps: number): Matrix {
  const m: Matrix = [];
  const specials = [NaN, Infinity, -Infinity, -0, 1e308, 1e-308];
  for (let s = 0; s < nSeries; s++) {
    const ts: number[] = [];
    const vs: number[] = [];
    for (let i = (s * 7) % 5; i < nSteps; i++) {
      if ((i + s) % 4 === 0) continue;
      ts.push(i * 1000);
      vs.push((s * 31 + i * 17) % 13 === 0 ? specials[(s + i) % specials.length]! : Math.sin(s * 3 + i) * 1e3);
    }
    m.push({ metric: labelsFromRecord({ __name__: 'm', g: `g${s % 5}`, i: `${s}` }), ts, vs, dropName: s % 3 === 0 });
  }
  return m;
}

/** reference aggregates step by step in input order, the definition the columnar path must match exactly. */
function reference(op: ColumnOp, m: Matrix, nSteps: number): Map<string, [number, number][]> {
  const out = new Map<string, [number, number][]>();
  for (let i = 0; i < nSteps; i++) {
    const groups = new Map<string, number[]>();
    for (const s of m) {
      const j = s.ts.indexOf(i * 1000);
      if (j < 0) continue;
      const g = s.metric.find((l) => l.name === 'g')!.value;
      if (!groups.has(g)) groups.set(g, []);
      groups.get(g)!.push(s.vs[j]!);
    }
    for (const [g, vs] of groups) {
      let v: number;
      if (op === 'count') v = vs.length;
      else if (op === 'max') v = vs.reduce((a, b) => (a < b || Number.isNaN(a) ? b : a));
      else {
        // Neumaier-compensated sum, as kahanSumInc.
        let sum = vs[0]!;
        let c = 0;
        for (let k = 1; k < vs.length; k++) {
          const f = vs[k]!;
          const t = sum + f;
          if (t === Infinity || t === -Infinity) c = 0;
          else if (Math.abs(sum) >= Math.abs(f)) c += sum - t + f;
          else c += f - t + sum;
          sum = t;
        }
        v = sum + c;
      }
      if (!out.has(g)) out.set(g, []);
      out.get(g)!.push([i * 1000, v]);
    }
  }
  return out;
}

describe('aggregateColumns', () => {
  const nSteps = 40;
  const m = input(23, nSteps);
  const cases: [ColumnOp, number][] = [
    ['sum', 1 << 20],
    ['sum', 7],
    ['sum', 1],
    ['count', 3],
    ['max', 11],
  ];
  it.each(cases)('%s with a cell budget of %i matches step-by-step evaluation', (op, budget) => {
    const ev = evaluator(nSteps);
    const got = aggregateColumns(ev, op, m, groupSeries(m, new Set(['g']), false), budget);
    const want = reference(op, m, nSteps);
    expect(got.map((s) => s.metric.map((l) => l.value).join())).toEqual([...want.keys()]);
    for (const s of got) {
      const pts = want.get(s.metric[0]!.value)!;
      expect(s.ts).toEqual(pts.map((p) => p[0]));
      expect(s.vs.map((v) => (Object.is(v, -0) ? '-0' : String(v)))).toEqual(pts.map((p) => (Object.is(p[1], -0) ? '-0' : String(p[1]))));
    }
  });

  it('orders groups by first step, then by first input series at that step', () => {
    const ev = evaluator(3);
    const mk = (g: string, ts: number[]) => ({ metric: labelsFromRecord({ g, x: String(ts) }), ts, vs: ts.map(() => 1), dropName: false });
    const m2 = [mk('late', [2000]), mk('b', [1000, 2000]), mk('a', [1000]), mk('late', [1000])];
    const got = aggregateColumns(ev, 'sum', m2, groupSeries(m2, new Set(['g']), false), 1);
    expect(got.map((s) => s.metric[0]!.value)).toEqual(['b', 'a', 'late']);
    expect(got[2]!.vs).toEqual([1, 1]);
  });

  it('marks __name__ for removal when a series in the group at its first step was', () => {
    const ev = evaluator(2);
    const m3: Matrix = [
      { metric: labelsFromRecord({ __name__: 'x', a: '1' }), ts: [1000], vs: [1], dropName: false },
      { metric: labelsFromRecord({ __name__: 'x', a: '2' }), ts: [1000], vs: [2], dropName: true },
    ];
    const [s] = aggregateColumns(ev, 'sum', m3, groupSeries(m3, new Set(['__name__']), false));
    expect(s!.dropName).toBe(true);
    expect(s!.vs).toEqual([3]);
  });
});
