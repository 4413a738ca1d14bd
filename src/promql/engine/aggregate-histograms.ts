import { addFloatHistograms, IncompatibleSchemaError } from '../../model/histogram/add.js';
import { compactFloatHistogram } from '../../model/histogram/compact.js';
import { KahanHistogramSum } from '../../model/histogram/kahan-sum.js';
import { copyFloatHistogram } from '../../model/histogram/copy.js';
import { divFloatHistogram, mulFloatHistogram } from '../../model/histogram/scale.js';
import { CounterResetHint, type FloatHistogram } from '../../model/histogram/types.js';
import { getLabel, METRIC_NAME } from '../../model/labels.js';
import { kahanSumInc } from '../functions/kahan.js';
import type { AggregateExpr } from '../parser/ast.js';
import type { Grouping } from './aggregate-columns.js';
import { ANNO } from './annotations.js';
import { SlotCollector } from './collector.js';
import type { Evaluator } from './evaluator.js';
import { stepColumns } from './step-columns.js';
import type { Matrix, MatrixSeries } from './value.js';

interface Group {
  seen: boolean;
  f: number;
  c: number;
  mean: number;
  incMean: boolean;
  h: FloatHistogram | null;
  acc: KahanHistogramSum | null;
  hMean: FloatHistogram | null;
  hIncMean: boolean;
  count: number;
  hasFloat: boolean;
  hasHist: boolean;
  incompatible: boolean;
  resetSeen: boolean;
  notResetSeen: boolean;
  dropName: boolean;
}

function overflows(h: FloatHistogram): boolean {
  const inf = (x: number): boolean => x === Infinity || x === -Infinity;
  return inf(h.count) || inf(h.sum) || inf(h.zeroCount) || h.positiveBuckets.some(inf) || h.negativeBuckets.some(inf);
}

function noteHint(g: Group, h: FloatHistogram): void {
  if (h.counterResetHint === CounterResetHint.CounterReset) g.resetSeen = true;
  else if (h.counterResetHint === CounterResetHint.NotCounterReset) g.notResetSeen = true;
}

/**
 * aggregateSumAvgH evaluates sum or avg over an input holding native histograms, step by step as Prometheus's
 * aggregation: histograms add up (schemas reduced, custom bounds reconciled), a group mixing floats and histograms
 * gives no result and a warning, exponential mixed with custom buckets a warning naming the metric.
 */
export function aggregateSumAvgH(ev: Evaluator, e: AggregateExpr, op: 'sum' | 'avg', input: Matrix, grouping: Grouping): Matrix {
  const cols = stepColumns(ev, input);
  const { offsets, series, values } = cols;
  const hists = cols.hists;
  const nGroups = grouping.metrics.length;
  const groups: Group[] = [];
  for (let g = 0; g < nGroups; g++) {
    groups.push({ seen: false, f: 0, c: 0, mean: 0, incMean: false, h: null, acc: null, hMean: null, hIncMean: false, count: 0, hasFloat: false, hasHist: false, incompatible: false, resetSeen: false, notResetSeen: false, dropName: false });
  }
  const out = new SlotCollector();
  const slots = new Int32Array(nGroups).fill(-1);
  const pos = e.expr.pos;
  const kc: [number, number] = [0, 0];
  const touched: number[] = [];
  const addH = (g: Group, h: FloatHistogram, s: MatrixSeries): boolean => {
    try {
      const r = g.acc!.add(h);
      g.h = g.acc!.result();
      if (r.nhcbBoundsReconciled) ev.ctx.annos.info(ANNO.mismatchedCustomBuckets('aggregation'), pos);
      return true;
    } catch (err) {
      if (!(err instanceof IncompatibleSchemaError)) throw err;
      ev.ctx.annos.warn(ANNO.mixedExponentialCustom(getLabel(s.metric, METRIC_NAME)), pos);
      g.incompatible = true;
      return false;
    }
  };
  for (let i = 0; i < ev.nSteps; i++) {
    const t = ev.stepTime(i);
    touched.length = 0;
    for (let p = offsets[i]!; p < offsets[i + 1]!; p++) {
      const si = series[p]!;
      const s = input[si]!;
      const gi = grouping.ofSeries[si]!;
      const g = groups[gi]!;
      const f = values[p]!;
      const h = hists?.[p];
      if (!g.seen) {
        touched.push(gi);
        Object.assign(g, { seen: true, f, c: 0, mean: f, incMean: false, h: null, acc: null, hMean: null, hIncMean: false, count: 1, hasFloat: false, hasHist: false, incompatible: false, resetSeen: false, notResetSeen: false, dropName: s.dropName });
        if (h === undefined) g.hasFloat = true;
        else {
          g.h = copyFloatHistogram(h);
          g.acc = new KahanHistogramSum(h);
          g.hasHist = true;
          noteHint(g, h);
        }
        continue;
      }
      if (g.incompatible) continue;
      if (s.dropName) g.dropName = true;
      if (op === 'sum') {
        if (h !== undefined) {
          g.hasHist = true;
          if (g.h !== null) {
            noteHint(g, h);
            addH(g, h, s);
          }
        } else {
          g.hasFloat = true;
          kahanSumInc(f, g.f, g.c, kc);
          g.f = kc[0];
          g.c = kc[1];
        }
        continue;
      }
      g.count++;
      if (h !== undefined) {
        g.hasHist = true;
        if (g.h === null) continue;
        noteHint(g, h);
        if (!g.hIncMean) {
          const prev = g.h;
          if (!addH(g, h, s)) continue;
          if (!overflows(g.h)) continue;
          g.h = prev;
          g.hIncMean = true;
          g.hMean = divFloatHistogram(prev, g.count - 1);
        }
        const q = (g.count - 1) / g.count;
        try {
          const r = addFloatHistograms(mulFloatHistogram(g.hMean!, q), divFloatHistogram(h, g.count));
          g.hMean = r.h;
          if (r.nhcbBoundsReconciled) ev.ctx.annos.info(ANNO.mismatchedCustomBuckets('aggregation'), pos);
        } catch (err) {
          if (!(err instanceof IncompatibleSchemaError)) throw err;
          ev.ctx.annos.warn(ANNO.mixedExponentialCustom(getLabel(s.metric, METRIC_NAME)), pos);
          g.incompatible = true;
        }
        continue;
      }
      g.hasFloat = true;
      if (!g.incMean) {
        kahanSumInc(f, g.f, g.c, kc);
        if (kc[0] !== Infinity && kc[0] !== -Infinity) {
          g.f = kc[0];
          g.c = kc[1];
          continue;
        }
        g.incMean = true;
        g.mean = g.f / (g.count - 1);
        g.c /= g.count - 1;
      }
      const q = (g.count - 1) / g.count;
      kahanSumInc(f / g.count, q * g.mean, q * g.c, kc);
      g.mean = kc[0];
      g.c = kc[1];
    }
    for (const gi of touched) {
      const g = groups[gi]!;
      g.seen = false;
      if (g.hasFloat && g.hasHist) {
        ev.ctx.annos.warn(ANNO.mixedFloatsHistogramsAgg, pos);
        continue;
      }
      if (g.incompatible) continue;
      let f = 0;
      let h: FloatHistogram | undefined;
      if (g.hasHist) {
        h = op === 'avg' ? (g.hIncMean ? g.hMean! : divFloatHistogram(g.h!, g.count)) : g.h!;
        h = compactFloatHistogram(h);
      } else if (op === 'sum') f = g.f + g.c;
      else f = g.incMean ? g.mean + g.c : g.f / g.count + g.c / g.count;
      if (g.resetSeen && g.notResetSeen) ev.ctx.annos.warn(ANNO.counterResetCollision('aggregation'), pos);
      if (slots[gi]! < 0) slots[gi] = out.slot(grouping.metrics[gi]!);
      out.addH(slots[gi]!, g.dropName, t, f, h);
    }
  }
  return out.series;
}

/** dropHistograms removes histogram points from a matrix; reports whether any was removed. */
export function dropHistograms(m: Matrix): { m: Matrix; dropped: boolean } {
  let dropped = false;
  const out: Matrix = [];
  for (const s of m) {
    if (s.hs === undefined) {
      out.push(s);
      continue;
    }
    const o: MatrixSeries = { metric: s.metric, ts: [], vs: [], dropName: s.dropName };
    for (let i = 0; i < s.ts.length; i++) {
      if (s.hs[i] !== undefined) {
        dropped = true;
        continue;
      }
      o.ts.push(s.ts[i]!);
      o.vs.push(s.vs[i]!);
    }
    if (o.ts.length > 0) out.push(o);
  }
  return { m: out, dropped };
}

/** asFloats returns the matrix with histogram points treated as floats (for count and group, which read no values). */
export function asFloats(m: Matrix): Matrix {
  return m.map((s) => (s.hs === undefined ? s : { metric: s.metric, ts: s.ts, vs: s.vs, dropName: s.dropName }));
}
