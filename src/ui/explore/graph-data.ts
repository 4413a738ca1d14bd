import type { Metric, SampleValue } from '../lib/prom';

/** GraphData is a range result aligned on one time axis for uPlot: x in seconds, one row per series (null where it has no point). */
export interface GraphData {
  readonly x: number[];
  readonly series: { metric: Metric; values: (number | null)[] }[];
}

/** alignMatrix puts a matrix result on the query's step grid from start to end (seconds); NaN and ±Inf are left out of the plot. */
export function alignMatrix(result: readonly { metric: Metric; values?: SampleValue[] }[], startS: number, endS: number, stepS: number): GraphData {
  const x: number[] = [];
  for (let t = startS; t <= endS + 1e-9; t += stepS) x.push(Math.round(t * 1000) / 1000);
  const index = new Map(x.map((t, i) => [t, i]));
  const series = result.map((r) => {
    const values: (number | null)[] = new Array<number | null>(x.length).fill(null);
    for (const [t, v] of r.values ?? []) {
      const i = index.get(Math.round(t * 1000) / 1000);
      const n = Number(v);
      if (i !== undefined && Number.isFinite(n)) values[i] = n;
    }
    return { metric: r.metric, values };
  });
  return { x, series };
}

/** stackValues returns cumulative sums over the visible series (hidden ones add nothing), for a stacked graph. */
export function stackValues(rows: readonly (number | null)[][], visible: readonly boolean[]): (number | null)[][] {
  const acc: number[] = new Array<number>(rows[0]?.length ?? 0).fill(0);
  return rows.map((row, s) =>
    row.map((v, i) => {
      if (v === null) return null;
      if (visible[s] !== false) acc[i]! += v;
      return acc[i]!;
    }),
  );
}
