import { labelsKey, METRIC_NAME, type Labels } from '../../model/labels.js';
import { kahanSumInc } from '../functions/kahan.js';
import { checkAbort } from './context.js';
import type { Evaluator } from './evaluator.js';
import { keepLabels, withoutLabels } from './labels-util.js';
import type { Matrix, MatrixSeries } from './value.js';

/** Grouping maps every input series of an aggregation to its group, computed once per query. */
export interface Grouping {
  /** ofSeries[i] is the group of input series i. */
  readonly ofSeries: Int32Array;
  /** metrics[g] is the label set of group g. */
  readonly metrics: Labels[];
  /** sizes[g] is the number of input series in group g. */
  readonly sizes: Int32Array;
}

/** groupSeries assigns each series its group by the labels kept by `by (names)` or left by `without (names)`. */
export function groupSeries(input: Matrix, names: ReadonlySet<string>, without: boolean): Grouping {
  const ofSeries = new Int32Array(input.length);
  const metrics: Labels[] = [];
  const byKey = new Map<string, number>();
  const counts: number[] = [];
  for (let i = 0; i < input.length; i++) {
    const gl = without ? withoutLabels(input[i]!.metric, names) : keepLabels(input[i]!.metric, names);
    const key = labelsKey(gl);
    let g = byKey.get(key);
    if (g === undefined) {
      g = metrics.length;
      byKey.set(key, g);
      metrics.push(gl);
      counts.push(0);
    }
    counts[g]!++;
    ofSeries[i] = g;
  }
  return { ofSeries, metrics, sizes: Int32Array.from(counts) };
}

/** ColumnOp is an aggregation computed by accumulating into per-(group, step) cells. */
export type ColumnOp = 'sum' | 'avg' | 'count' | 'group' | 'min' | 'max' | 'stddev' | 'stdvar';

/** isColumnOp reports whether an aggregation runs on the columnar path. */
export function isColumnOp(op: string): op is ColumnOp {
  return op === 'sum' || op === 'avg' || op === 'count' || op === 'group' || op === 'min' || op === 'max' || op === 'stddev' || op === 'stdvar';
}

/** CELL_BUDGET bounds groups x steps accumulated at once; longer queries run in blocks of steps. */
export const CELL_BUDGET = 1 << 20;

const OP_SUM = 0;
const OP_AVG = 1;
const OP_COUNT = 2;
const OP_MIN = 3;
const OP_MAX = 4;
const OP_STDDEV = 5;

function opCode(op: ColumnOp): number {
  switch (op) {
    case 'sum': return OP_SUM;
    case 'avg': return OP_AVG;
    case 'count':
    case 'group': return OP_COUNT;
    case 'min': return OP_MIN;
    case 'max': return OP_MAX;
    case 'stddev':
    case 'stdvar': return OP_STDDEV;
  }
}

const KS: [number, number] = [0, 0];

/**
 * aggregateColumns evaluates sum/avg/count/group/min/max/stddev/stdvar over all steps: each input series is walked
 * once, its values added into Float64Array cells of (group, step) in input series order — the order the per-step
 * evaluation adds them in, so Kahan sums round identically — and each group's points are written straight into its
 * output series. Output series come in the order the per-step evaluation would first have produced them.
 */
export function aggregateColumns(ev: Evaluator, op: ColumnOp, input: Matrix, grouping: Grouping, cellBudget = CELL_BUDGET): Matrix {
  const code = opCode(op);
  const nGroups = grouping.metrics.length;
  const nSteps = ev.nSteps;
  const start = ev.start;
  const interval = ev.interval;
  const B = Math.max(1, Math.min(nSteps, Math.floor(cellBudget / Math.max(1, nGroups))));
  const cells = nGroups * B;
  const cnt = new Float64Array(cells);
  const val = new Float64Array(cells);
  const comp = code === OP_SUM || code === OP_AVG ? new Float64Array(cells) : val;
  const mean = code === OP_AVG || code === OP_STDDEV ? new Float64Array(cells) : val;
  const incr = code === OP_AVG ? new Uint8Array(cells) : null;
  const firstStep = new Int32Array(nGroups).fill(0x7fffffff);
  const firstSeries = new Int32Array(nGroups);
  const dropName = new Uint8Array(nGroups);
  const out: (MatrixSeries | undefined)[] = new Array<MatrixSeries | undefined>(nGroups).fill(undefined);
  const pos = new Int32Array(input.length);
  const ofSeries = grouping.ofSeries;
  for (let b0 = 0; b0 < nSteps; b0 += B) {
    checkAbort(ev.ctx);
    const b1 = Math.min(nSteps, b0 + B);
    if (b0 > 0) cnt.fill(0);
    const tEnd = start + b1 * interval;
    for (let s = 0; s < input.length; s++) {
      const series = input[s]!;
      const ts = series.ts;
      const vs = series.vs;
      let j = pos[s]!;
      if (j >= ts.length || ts[j]! >= tEnd) continue;
      const g = ofSeries[s]!;
      const base = g * B - b0;
      if (j === 0) {
        const first = Math.round((ts[0]! - start) / interval);
        if (first < firstStep[g]!) {
          firstStep[g] = first;
          firstSeries[g] = s;
          dropName[g] = series.dropName ? 1 : 0;
        } else if (first === firstStep[g] && series.dropName) dropName[g] = 1;
      }
      for (; j < ts.length; j++) {
        const t = ts[j]!;
        if (t >= tEnd) break;
        const c = base + Math.round((t - start) / interval);
        const f = vs[j]!;
        const n = cnt[c]!;
        if (n === 0) {
          cnt[c] = 1;
          val[c] = f;
          if (code === OP_SUM) comp[c] = 0;
          else if (code === OP_AVG) {
            comp[c] = 0;
            mean[c] = f;
            incr![c] = 0;
          } else if (code === OP_STDDEV) {
            mean[c] = f;
            val[c] = Number.isFinite(f) ? 0 : NaN;
          }
          continue;
        }
        switch (code) {
          case OP_SUM: {
            const sum = val[c]!;
            const tot = sum + f;
            let cc = comp[c]!;
            if (tot === Infinity || tot === -Infinity) cc = 0;
            else if (Math.abs(sum) >= Math.abs(f)) cc += sum - tot + f;
            else cc += f - tot + sum;
            val[c] = tot;
            comp[c] = cc;
            cnt[c] = n + 1;
            break;
          }
          case OP_AVG: {
            const count = n + 1;
            cnt[c] = count;
            if (incr![c] === 0) {
              kahanSumInc(f, val[c]!, comp[c]!, KS);
              if (KS[0] !== Infinity && KS[0] !== -Infinity) {
                val[c] = KS[0];
                comp[c] = KS[1];
                break;
              }
              incr![c] = 1;
              mean[c] = val[c]! / n;
              comp[c] = comp[c]! / n;
            }
            const q = n / count;
            kahanSumInc(f / count, q * mean[c]!, q * comp[c]!, KS);
            mean[c] = KS[0];
            comp[c] = KS[1];
            break;
          }
          case OP_COUNT:
            cnt[c] = n + 1;
            break;
          case OP_MIN: {
            const v = val[c]!;
            if (v > f || Number.isNaN(v)) val[c] = f;
            break;
          }
          case OP_MAX: {
            const v = val[c]!;
            if (v < f || Number.isNaN(v)) val[c] = f;
            break;
          }
          case OP_STDDEV: {
            const count = n + 1;
            cnt[c] = count;
            const m = mean[c]!;
            const delta = f - m;
            const m2 = m + delta / count;
            mean[c] = m2;
            val[c] = val[c]! + delta * (f - m2);
            break;
          }
        }
      }
      pos[s] = j;
    }
    for (let g = 0; g < nGroups; g++) {
      const base = g * B;
      let o = out[g];
      for (let k = 0; k < b1 - b0; k++) {
        const c = base + k;
        const n = cnt[c]!;
        if (n === 0) continue;
        let value: number;
        switch (op) {
          case 'sum': value = val[c]! + comp[c]!; break;
          case 'avg': value = incr![c] === 1 ? mean[c]! + comp[c]! : val[c]! / n + comp[c]! / n; break;
          case 'count': value = n; break;
          case 'group': value = 1; break;
          case 'min':
          case 'max': value = val[c]!; break;
          case 'stddev': value = Math.sqrt(val[c]! / n); break;
          case 'stdvar': value = val[c]! / n; break;
        }
        if (o === undefined) {
          const metric = grouping.metrics[g]!;
          o = { metric, ts: [], vs: [], dropName: dropName[g] === 1 && metric.some((l) => l.name === METRIC_NAME) };
          out[g] = o;
        }
        o.ts.push(start + (b0 + k) * interval);
        o.vs.push(value);
      }
    }
  }
  const order: number[] = [];
  for (let g = 0; g < nGroups; g++) if (out[g] !== undefined) order.push(g);
  order.sort((a, b) => firstStep[a]! - firstStep[b]! || firstSeries[a]! - firstSeries[b]!);
  return order.map((g) => out[g]!);
}
