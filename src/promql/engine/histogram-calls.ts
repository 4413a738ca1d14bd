import { getLabel, labelsKey, METRIC_NAME, type Labels } from '../../model/labels.js';
import type { Call, Expr } from '../parser/ast.js';
import { bucketFraction, bucketQuantile, parseGoFloat, type Bucket } from '../functions/bucket-quantile.js';
import { formatF, formatG } from '../functions/gofloat.js';
import { ANNO } from './annotations.js';
import { stringArg } from './calls.js';
import { SeriesCollector } from './collector.js';
import { execError } from './errors.js';
import { StepCursor, type Evaluated } from './evaluated.js';
import type { Evaluator } from './evaluator.js';
import { goQuote, isValidLabelName, setLabel } from './labels-util.js';
import type { Vector } from './value.js';

/** classicGroups groups the samples of one step into classic histograms by their labels without `le`. */
function classicGroups(ev: Evaluator, e: Call, v: Vector, argIdx: number): Map<string, { metric: Labels; buckets: Bucket[] }> {
  const groups = new Map<string, { metric: Labels; buckets: Bucket[] }>();
  for (const s of v) {
    const le = getLabel(s.metric, 'le');
    const ub = parseGoFloat(le);
    if (ub === null) {
      ev.ctx.annos.warn(ANNO.badBucketLabel(getLabel(s.metric, METRIC_NAME), le), e.args[argIdx]!.pos);
      continue;
    }
    const metric = setLabel(s.metric, 'le', '');
    const key = labelsKey(metric);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { metric, buckets: [] }));
    g.buckets.push({ upperBound: ub, count: s.f });
  }
  return groups;
}

/** histogramFraction implements histogram_fraction over classic (le-labelled) buckets. */
export function histogramFraction(ev: Evaluator, e: Call, args: readonly Expr[]): Evaluated {
  const lo = ev.evalScalar(args[0]!);
  const hi = ev.evalScalar(args[1]!);
  const m = ev.evalVector(args[2]!);
  const cur = new StepCursor(m);
  const out = new SeriesCollector();
  for (let i = 0; i < ev.nSteps; i++) {
    const t = ev.stepTime(i);
    for (const g of classicGroups(ev, e, cur.at(t), 2).values()) out.add(g.metric, true, t, bucketFraction(lo[i]!, hi[i]!, g.buckets));
  }
  return { kind: 'vector', m: out.series };
}

/** formatLabelFloat renders a float as OpenMetrics label values do (integers with ".0"). */
function formatLabelFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  const s = formatF(f);
  return Number.isInteger(f) && !s.includes('.') ? s + '.0' : s;
}

/** histogramQuantiles implements histogram_quantiles over classic (le-labelled) buckets. */
export function histogramQuantiles(ev: Evaluator, e: Call, args: readonly Expr[]): Evaluated {
  const m = ev.evalVector(args[0]!);
  const label = stringArg(ev, args[1]!);
  if (!isValidLabelName(label)) throw execError(`invalid label name ${goQuote(label)}`);
  const qs: Float64Array[] = [];
  for (let k = 2; k < args.length; k++) qs.push(ev.evalScalar(args[k]!));
  const cur = new StepCursor(m);
  const out = new SeriesCollector();
  for (let i = 0; i < ev.nSteps; i++) {
    const t = ev.stepTime(i);
    const v = cur.at(t);
    for (let k = 0; k < qs.length; k++) {
      const q = qs[k]![i]!;
      if (Number.isNaN(q) || q < 0 || q > 1) ev.ctx.annos.warn(ANNO.invalidQuantile(formatG(q)), e.args[k + 2]!.pos);
    }
    const groups = classicGroups(ev, e, v, 0);
    for (let k = 0; k < qs.length; k++) {
      const q = qs[k]![i]!;
      for (const g of groups.values()) {
        const r = bucketQuantile(q, g.buckets.map((b) => ({ ...b })));
        if (r.forcedMonotonic) ev.ctx.annos.info(ANNO.forcedMonotonicity(getLabel(g.metric, METRIC_NAME)), e.args[0]!.pos);
        out.add(setLabel(g.metric, label, formatLabelFloat(q)), true, t, r.value);
      }
    }
  }
  return { kind: 'vector', m: out.series };
}

/** histogramQuantile implements histogram_quantile over classic (le-labelled) buckets. */
export function histogramQuantile(ev: Evaluator, e: Call, args: readonly Expr[]): Evaluated {
  const qs = ev.evalScalar(args[0]!);
  const m = ev.evalVector(args[1]!);
  const cur = new StepCursor(m);
  const out = new SeriesCollector();
  for (let i = 0; i < ev.nSteps; i++) {
    const t = ev.stepTime(i);
    const v = cur.at(t);
    const q = qs[i]!;
    if (Number.isNaN(q) || q < 0 || q > 1) ev.ctx.annos.warn(ANNO.invalidQuantile(formatG(q)), e.args[0]!.pos);
    const groups = classicGroups(ev, e, v, 1);
    for (const g of groups.values()) {
      const r = bucketQuantile(q, g.buckets);
      if (r.forcedMonotonic) ev.ctx.annos.info(ANNO.forcedMonotonicity(getLabel(g.metric, METRIC_NAME)), e.args[1]!.pos);
      out.add(g.metric, true, t, r.value);
    }
  }
  return { kind: 'vector', m: out.series };
}
