import { histogramFraction, histogramQuantile, histogramVariance } from '../../model/histogram/quantile.js';
import type { FloatHistogram } from '../../model/histogram/types.js';
import { getLabel, labelsKey, METRIC_NAME } from '../../model/labels.js';
import type { Call, Expr } from '../parser/ast.js';
import { ANNO } from './annotations.js';
import type { Evaluated } from './evaluated.js';
import type { Evaluator } from './evaluator.js';
import { splitSamples } from './histogram-split.js';
import type { Matrix } from './value.js';

const SIMPLE: Record<string, (h: FloatHistogram) => number> = {
  histogram_count: (h) => h.count,
  histogram_sum: (h) => h.sum,
  histogram_avg: (h) => h.sum / h.count,
  histogram_stdvar: (h) => histogramVariance(h),
  histogram_stddev: (h) => Math.sqrt(histogramVariance(h)),
};

/** isSimpleHistogramFunction reports whether name is one of histogram_count/sum/avg/stddev/stdvar. */
export function isSimpleHistogramFunction(name: string): boolean {
  return SIMPLE[name] !== undefined;
}

/** simpleHistogramCall applies histogram_count/sum/avg/stddev/stdvar to the histogram samples of its argument (floats are dropped). */
export function simpleHistogramCall(ev: Evaluator, e: Call, args: readonly Expr[]): Evaluated {
  const fn = SIMPLE[e.func]!;
  const stats = e.func === 'histogram_count' || e.func === 'histogram_sum' || e.func === 'histogram_avg';
  const ctx = ev.ctx;
  const before = ctx.statsDecoding ?? 0;
  if (stats) ctx.statsDecoding = before + 1;
  let m: Matrix;
  try {
    m = ev.evalVector(args[0]!);
  } finally {
    ctx.statsDecoding = before;
  }
  const out: Matrix = [];
  for (const s of m) {
    const hs = s.hs;
    if (hs === undefined) continue;
    const ts: number[] = [];
    const vs: number[] = [];
    for (let i = 0; i < s.ts.length; i++) {
      const h = hs[i];
      if (h === undefined) continue;
      ts.push(s.ts[i]!);
      vs.push(fn(h));
    }
    if (ts.length > 0) out.push({ metric: s.metric, ts, vs, dropName: true });
  }
  return { kind: 'vector', m: out };
}

/** NativeBuckets are the histogram samples handed to histogram_quantile/fraction, by step, with their series. */
export interface NativeInput {
  floats: Matrix;
  hists: Matrix;
}

/** splitNative separates classic-bucket float series from native histogram samples. */
export function splitNative(m: Matrix): NativeInput {
  return splitSamples(m);
}

/**
 * nativeQuantileAt evaluates histogram_quantile for the native samples of step t (conflicting with classic buckets of
 * the same label set: dropped with a warning, the caller drops the classic group), adding results through emit.
 */
export function nativeAtStep(
  ev: Evaluator,
  e: Call,
  argIdx: number,
  hists: Matrix,
  cursor: Int32Array,
  t: number,
  classicKeys: ReadonlySet<string> | null,
  emit: (series: number, h: FloatHistogram, metricName: string) => void,
): Set<string> | null {
  let conflicts: Set<string> | null = null;
  for (let k = 0; k < hists.length; k++) {
    const s = hists[k]!;
    let p = cursor[k]!;
    while (p < s.ts.length && s.ts[p]! < t) p++;
    cursor[k] = p;
    if (p >= s.ts.length || s.ts[p] !== t) continue;
    const name = getLabel(s.metric, METRIC_NAME);
    if (classicKeys !== null && classicKeys.size > 0) {
      const key = labelsKey(s.metric);
      if (classicKeys.has(key)) {
        ev.ctx.annos.warn(ANNO.mixedClassicNative(name), e.args[argIdx]!.pos);
        (conflicts ??= new Set()).add(key);
        continue;
      }
    }
    emit(k, s.hs![p]!, name);
  }
  return conflicts;
}

/** quantileOf is histogram_quantile of one native histogram with its infos. */
export function quantileOf(ev: Evaluator, e: Call, argIdx: number, q: number, h: FloatHistogram, name: string): number {
  const r = histogramQuantile(q, h);
  if (r.nanResult) ev.ctx.annos.info(ANNO.quantileNaNResult(name), e.args[argIdx]!.pos);
  if (r.nanSkew) ev.ctx.annos.info(ANNO.quantileNaNSkew(name), e.args[argIdx]!.pos);
  return r.value;
}

/** fractionOf is histogram_fraction of one native histogram with its info. */
export function fractionOf(ev: Evaluator, e: Call, argIdx: number, lo: number, hi: number, h: FloatHistogram, name: string): number {
  const r = histogramFraction(lo, hi, h);
  if (r.nans) ev.ctx.annos.info(ANNO.fractionNaNs(name), e.args[argIdx]!.pos);
  return r.value;
}
