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
 * ColumnCells holds the (group, step) cells of one block of steps [b0, b0 + B) of a columnar aggregation, for
 * groups that may keep appearing (the arrays grow), with what orders and names each group's output series.
 */
class ColumnCells {
  private cap = 0;
  cnt: Float64Array = new Float64Array(0);
  val: Float64Array = new Float64Array(0);
  comp: Float64Array = new Float64Array(0);
  mean: Float64Array = new Float64Array(0);
  incr: Uint8Array | null = null;
  firstStep = new Int32Array(0);
  firstSeries = new Int32Array(0);
  dropName = new Uint8Array(0);
  nGroups = 0;

  constructor(
    private readonly code: number,
    readonly B: number,
    groups: number,
  ) {
    this.grow(Math.max(1, groups));
  }

  /** addGroup makes room for one more group and returns its index. */
  addGroup(): number {
    if (this.nGroups === this.cap) this.grow(this.cap * 2);
    return this.nGroups++;
  }

  private grow(cap: number): void {
    const n = cap * this.B;
    const code = this.code;
    const f64 = (a: Float64Array): Float64Array => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    this.cnt = f64(this.cnt);
    this.val = f64(this.val);
    this.comp = code === OP_SUM || code === OP_AVG ? f64(this.comp) : this.val;
    this.mean = code === OP_AVG || code === OP_STDDEV ? f64(this.mean) : this.val;
    if (code === OP_AVG) {
      const b = new Uint8Array(n);
      if (this.incr !== null) b.set(this.incr);
      this.incr = b;
    }
    const fs = new Int32Array(cap).fill(0x7fffffff);
    fs.set(this.firstStep);
    this.firstStep = fs;
    const fr = new Int32Array(cap);
    fr.set(this.firstSeries);
    this.firstSeries = fr;
    const dn = new Uint8Array(cap);
    dn.set(this.dropName);
    this.dropName = dn;
    this.cap = cap;
  }

  /** noteFirst records series s (index in input order) as a member of group g whose first point is at step `first`. */
  noteFirst(g: number, s: number, first: number, dropName: boolean): void {
    if (first < this.firstStep[g]!) {
      this.firstStep[g] = first;
      this.firstSeries[g] = s;
      this.dropName[g] = dropName ? 1 : 0;
    } else if (first === this.firstStep[g] && dropName) this.dropName[g] = 1;
  }

  /**
   * add accumulates points j.. of a series (ts/vs, n points, on the step grid) into group g's cells, stopping at
   * the first point at or after tEnd; returns where it stopped.
   */
  add(g: number, b0: number, start: number, interval: number, tEnd: number, ts: ArrayLike<number>, vs: ArrayLike<number>, n: number, j: number): number {
    const code = this.code;
    const cnt = this.cnt;
    const val = this.val;
    const comp = this.comp;
    const mean = this.mean;
    const incr = this.incr;
    const base = g * this.B - b0;
    for (; j < n; j++) {
      const t = ts[j]!;
      if (t >= tEnd) break;
      const c = base + Math.round((t - start) / interval);
      const f = vs[j]!;
      const k = cnt[c]!;
      if (k === 0) {
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
          cnt[c] = k + 1;
          break;
        }
        case OP_AVG: {
          const count = k + 1;
          cnt[c] = count;
          if (incr![c] === 0) {
            kahanSumInc(f, val[c]!, comp[c]!, KS);
            if (KS[0] !== Infinity && KS[0] !== -Infinity) {
              val[c] = KS[0];
              comp[c] = KS[1];
              break;
            }
            incr![c] = 1;
            mean[c] = val[c]! / k;
            comp[c] = comp[c]! / k;
          }
          const q = k / count;
          kahanSumInc(f / count, q * mean[c]!, q * comp[c]!, KS);
          mean[c] = KS[0];
          comp[c] = KS[1];
          break;
        }
        case OP_COUNT:
          cnt[c] = k + 1;
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
          const count = k + 1;
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
    return j;
  }

  /** emit appends the block's steps [b0, b1) of every group to its output series (created on a group's first point). */
  emit(op: ColumnOp, metrics: readonly Labels[], out: (MatrixSeries | undefined)[], b0: number, b1: number, start: number, interval: number): void {
    const { cnt, val, comp, mean, incr } = this;
    for (let g = 0; g < this.nGroups; g++) {
      const base = g * this.B;
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
          const metric = metrics[g]!;
          o = { metric, ts: [], vs: [], dropName: this.dropName[g] === 1 && metric.some((l) => l.name === METRIC_NAME) };
          out[g] = o;
        }
        o.ts.push(start + (b0 + k) * interval);
        o.vs.push(value);
      }
    }
  }

  /** ordered lists the groups' output series in the order the per-step evaluation would first have produced them. */
  ordered(out: readonly (MatrixSeries | undefined)[]): Matrix {
    const order: number[] = [];
    for (let g = 0; g < this.nGroups; g++) if (out[g] !== undefined) order.push(g);
    order.sort((a, b) => this.firstStep[a]! - this.firstStep[b]! || this.firstSeries[a]! - this.firstSeries[b]!);
    return order.map((g) => out[g]!);
  }
}

/**
 * aggregateColumns evaluates sum/avg/count/group/min/max/stddev/stdvar over all steps: each input series is walked
 * once, its values added into Float64Array cells of (group, step) in input series order — the order the per-step
 * evaluation adds them in, so Kahan sums round identically — and each group's points are written straight into its
 * output series. Output series come in the order the per-step evaluation would first have produced them.
 */
export function aggregateColumns(ev: Evaluator, op: ColumnOp, input: Matrix, grouping: Grouping, cellBudget = CELL_BUDGET): Matrix {
  const nGroups = grouping.metrics.length;
  const nSteps = ev.nSteps;
  const start = ev.start;
  const interval = ev.interval;
  const B = Math.max(1, Math.min(nSteps, Math.floor(cellBudget / Math.max(1, nGroups))));
  const cells = new ColumnCells(opCode(op), B, nGroups);
  for (let g = 0; g < nGroups; g++) cells.addGroup();
  const out: (MatrixSeries | undefined)[] = new Array<MatrixSeries | undefined>(nGroups).fill(undefined);
  const pos = new Int32Array(input.length);
  const ofSeries = grouping.ofSeries;
  for (let b0 = 0; b0 < nSteps; b0 += B) {
    checkAbort(ev.ctx);
    const b1 = Math.min(nSteps, b0 + B);
    if (b0 > 0) cells.cnt.fill(0);
    const tEnd = start + b1 * interval;
    for (let s = 0; s < input.length; s++) {
      const series = input[s]!;
      const ts = series.ts;
      const j = pos[s]!;
      if (j >= ts.length || ts[j]! >= tEnd) continue;
      const g = ofSeries[s]!;
      if (j === 0) cells.noteFirst(g, s, Math.round((ts[0]! - start) / interval), series.dropName);
      pos[s] = cells.add(g, b0, start, interval, tEnd, ts, series.vs, ts.length, j);
    }
    cells.emit(op, grouping.metrics, out, b0, b1, start, interval);
  }
  return cells.ordered(out);
}

/**
 * ColumnStream is aggregateColumns fed one input series at a time (in input order), for an input that is never
 * materialised: each series' points (valid only during the call) go straight into their group's cells, groups
 * being found as series arrive. It gives exactly aggregateColumns' answer for the same series in the same order.
 */
export class ColumnStream {
  private readonly cells: ColumnCells;
  private readonly byKey = new Map<string, number>();
  private readonly metrics: Labels[] = [];
  private readonly tEnd: number;
  private n = 0;

  constructor(
    private readonly ev: Evaluator,
    private readonly op: ColumnOp,
    private readonly names: ReadonlySet<string>,
    private readonly without: boolean,
  ) {
    this.cells = new ColumnCells(opCode(op), Math.max(1, ev.nSteps), 8);
    this.tEnd = ev.start + ev.nSteps * ev.interval;
  }

  /** add aggregates the next input series: n points of ts/vs on the step grid (none is a series with no points). */
  add(metric: Labels, ts: ArrayLike<number>, vs: ArrayLike<number>, n: number, dropName: boolean): void {
    const s = this.n++;
    if (n === 0) return;
    const gl = this.without ? withoutLabels(metric, this.names) : keepLabels(metric, this.names);
    const key = labelsKey(gl);
    let g = this.byKey.get(key);
    if (g === undefined) {
      g = this.cells.addGroup();
      this.byKey.set(key, g);
      this.metrics.push(gl);
    }
    const ev = this.ev;
    this.cells.noteFirst(g, s, Math.round((ts[0]! - ev.start) / ev.interval), dropName);
    this.cells.add(g, 0, ev.start, ev.interval, this.tEnd, ts, vs, n, 0);
  }

  /** finish returns the aggregation's output series. */
  finish(): Matrix {
    const out: (MatrixSeries | undefined)[] = new Array<MatrixSeries | undefined>(this.metrics.length).fill(undefined);
    this.cells.emit(this.op, this.metrics, out, 0, this.ev.nSteps, this.ev.start, this.ev.interval);
    return this.cells.ordered(out);
  }
}
