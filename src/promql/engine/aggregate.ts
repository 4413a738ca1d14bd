import { METRIC_NAME } from '../../model/labels.js';
import type { AggregateExpr } from '../parser/ast.js';
import { aggregateColumns, groupSeries, isColumnOp } from './aggregate-columns.js';
import { aggregateCountValues, aggregateK, aggregateLimitRatio, aggregateQuantile } from './aggregate-steps.js';
import { PromQLError, execError } from './errors.js';
import type { Evaluated } from './evaluated.js';
import type { Evaluator } from './evaluator.js';
import { goQuote, isValidLabelName } from './labels-util.js';

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
  const input = ev.evalVector(e.expr);
  const names = new Set(e.grouping);
  if (e.without) for (const n of [METRIC_NAME, '__type__', '__unit__']) names.add(n);
  const op = e.op;
  const params = (): Float64Array => paramVs ?? new Float64Array(ev.nSteps).fill(NaN);
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
