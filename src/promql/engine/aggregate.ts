import { METRIC_NAME } from '../../model/labels.js';
import type { AggregateExpr } from '../parser/ast.js';
import { aggregateColumns, ColumnStream, groupSeries, isColumnOp, type ColumnOp } from './aggregate-columns.js';
import { noteNonCounter, plainRateSelector, unwrap } from './calls.js';
import { account, checkAbort, release } from './context.js';
import { HistogramSeriesMet, rateSelectorStream } from './range-rate.js';
import { aggregateCountValues, aggregateK, aggregateLimitRatio, aggregateQuantile } from './aggregate-steps.js';
import { PromQLError, execError } from './errors.js';
import type { Evaluated } from './evaluated.js';
import type { Evaluator } from './evaluator.js';
import type { Call } from '../parser/ast.js';
import { goQuote, isValidLabelName } from './labels-util.js';
import { aggregateSumAvgH, asFloats, dropHistograms } from './aggregate-histograms.js';
import { hasHistograms } from './histogram-split.js';
import { ANNO } from './annotations.js';

/**
 * evalAggregate evaluates an aggregation over all steps. Groups are computed once per input series; sum-like
 * operators accumulate into typed-array cells (aggregate-columns.ts), the others run step by step over columns
 * (aggregate-steps.ts).
 */
export function evalAggregate(ev: Evaluator, e: AggregateExpr): Evaluated {
  let paramVs: Float64Array | null = null;
  let label = '';
  if (e.op === 'count_values') {
    const p = e.param ? ev.eval(e.param) : null;
    if (!p || p.kind !== 'string') throw new PromQLError('bad_data', 'count_values requires a string parameter');
    label = p.v;
    if (!isValidLabelName(label)) throw execError(`invalid label name ${goQuote(label)}`);
  } else if (e.param !== null) {
    paramVs = ev.evalScalar(e.param);
  }
  const names = new Set(e.grouping);
  if (e.without) for (const n of [METRIC_NAME, '__type__', '__unit__']) names.add(n);
  const op = e.op;
  const inner = unwrap(e.expr);
  if (isColumnOp(op) && inner.kind === 'Call' && plainRateSelector(inner) !== null) {
    const m = aggregateRatesOrNull(ev, op, inner, names, e.without);
    if (m !== null) return { kind: 'vector', m };
  }
  let input = ev.evalVector(e.expr);
  const params = (): Float64Array => paramVs ?? new Float64Array(ev.nSteps).fill(NaN);
  if (hasHistograms(input)) {
    switch (op) {
      case 'sum':
      case 'avg':
        return { kind: 'vector', m: aggregateSumAvgH(ev, e, op, input, groupSeries(input, names, e.without)) };
      case 'count':
      case 'group':
        input = asFloats(input);
        break;
      case 'min':
      case 'max':
      case 'stddev':
      case 'stdvar':
      case 'quantile':
      case 'topk':
      case 'bottomk': {
        const d = dropHistograms(input);
        if (d.dropped) ev.ctx.annos.info(ANNO.histogramIgnoredInAgg(op), op === 'topk' || op === 'bottomk' ? e.pos : e.expr.pos);
        input = d.m;
        break;
      }
      default:
        break;
    }
  }
  if (isColumnOp(op)) return { kind: 'vector', m: aggregateColumns(ev, op, input, groupSeries(input, names, e.without)) };
  switch (op) {
    case 'topk':
    case 'bottomk':
    case 'limitk':
      return { kind: 'vector', m: aggregateK(ev, op, input, groupSeries(input, names, e.without), params()) };
    case 'limit_ratio':
      return { kind: 'vector', m: aggregateLimitRatio(ev, e, input, params()) };
    case 'quantile':
      return { kind: 'vector', m: aggregateQuantile(ev, e, input, groupSeries(input, names, e.without), params()) };
    case 'count_values':
      return { kind: 'vector', m: aggregateCountValues(ev, input, names, e.without, label) };
  }
}

/**
 * aggregateRatesOrNull is aggregateRates, or null (statistics restored) when the selection holds native
 * histograms: those take the general path (evaluate the call, then aggregate its output).
 */
function aggregateRatesOrNull(ev: Evaluator, op: ColumnOp, call: Call, names: ReadonlySet<string>, without: boolean): ReturnType<ColumnStream['finish']> | null {
  const total = ev.samples.total;
  const perStep = ev.samples.perStep?.slice() ?? null;
  const current = ev.ctx.stats.currentSamples;
  try {
    return aggregateRates(ev, op, call, names, without);
  } catch (err) {
    if (!(err instanceof HistogramSeriesMet)) throw err;
    ev.samples.total = total;
    if (perStep !== null) ev.samples.perStep!.set(perStep);
    release(ev.ctx, ev.ctx.stats.currentSamples - current);
    return null;
  }
}

/**
 * aggregateRates evaluates a columnar aggregation of rate/increase/delta over a plain matrix selector without
 * materialising the rates: each series' output points go straight into its group's cells (ColumnStream). Sample
 * accounting, statistics and annotations are those of evaluating the call, then aggregating its output.
 */
function aggregateRates(ev: Evaluator, op: ColumnOp, call: Call, names: ReadonlySet<string>, without: boolean): ReturnType<ColumnStream['finish']> {
  checkAbort(ev.ctx);
  const before = ev.ctx.stats.currentSamples;
  const stream = new ColumnStream(ev, op, names, without);
  let points = 0;
  rateSelectorStream(ev, plainRateSelector(call)!, call.func !== 'delta', call.func === 'rate', (metric, ts, vs, n) => {
    if (n === 0) return;
    noteNonCounter(ev, call, 0, metric);
    points += n;
    stream.add(metric, ts, vs, n, true);
  });
  // As the call's own evaluation: its inputs are released and its output points held.
  release(ev.ctx, ev.ctx.stats.currentSamples - before);
  account(ev.ctx, points);
  return stream.finish();
}
