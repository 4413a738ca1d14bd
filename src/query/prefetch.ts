import { Form, parseDuration, parseTime, timeParam } from '../http/prometheus/params.js';
import type { AtModifier, Expr } from '../promql/parser/ast.js';
import { durationIsConstant } from '../promql/parser/durations.js';
import { parseExpr } from '../promql/parser/index.js';
import { serveHeadRequest, type HeadServeContext } from './head-server.js';
import type { HeadReply, QueryJob, WireMatcher } from './protocol.js';

/** PredictedSelect is a head select a job's evaluation is expected to make: its matchers and querier range. */
export interface PredictedSelect {
  readonly matchers: readonly WireMatcher[];
  readonly mint: number;
  readonly maxt: number;
}

/** PrefetchedSelect is a predicted select with its reply, sent along with the job. */
export interface PrefetchedSelect extends PredictedSelect {
  readonly reply: HeadReply;
}

/** MAX_PREFETCH_QUERY_CHARS bounds the query text parsed on the owning thread; longer queries are not predicted. */
const MAX_PREFETCH_QUERY_CHARS = 2048;
/** MAX_PREFETCHED_SELECTS bounds the selects answered ahead for one job. */
const MAX_PREFETCHED_SELECTS = 8;
/** MAX_PREFETCH_BYTES bounds the head data answered ahead for one job (the worker asks for the rest as it goes). */
const MAX_PREFETCH_BYTES = 32 * 1024 * 1024;

function queryRange(job: Pick<QueryJob, 'kind' | 'params' | 'now'>, form: Form): { start: number; end: number } | null {
  if (job.kind === 'instant') {
    const t = timeParam(form, 'time', job.now);
    return { start: t, end: t };
  }
  const start = parseTime(form.get('start'));
  const end = parseTime(form.get('end'));
  const step = Math.trunc(parseDuration(form.get('step')));
  return end >= start && step >= 1 ? { start, end } : null;
}

/**
 * predictSelects lists the head selects the evaluator will make for a PromQL job's vector and range selectors
 * outside subqueries, computing their querier ranges as the evaluator does (offset, @, lookback, anchored and
 * smoothed windows). It is a prediction only: a select it gets wrong is made the usual way. Any doubt (a parse
 * error, duration expressions, a long query) predicts nothing.
 */
export function predictSelects(job: Pick<QueryJob, 'kind' | 'params' | 'now' | 'engine'>): PredictedSelect[] {
  if (job.kind !== 'instant' && job.kind !== 'range') return [];
  try {
    const form = new Form(new Map(job.params));
    const q = form.get('query');
    if (q.length > MAX_PREFETCH_QUERY_CHARS) return [];
    const range = queryRange(job, form);
    if (range === null) return [];
    const lookback = job.engine.lookbackDelta;
    const resolveAt = (at: AtModifier): number | null => (at.kind === 'none' ? null : at.kind === 'timestamp' ? at.ms : at.kind === 'start' ? range.start : range.end);
    const out: PredictedSelect[] = [];
    const visit = (e: Expr): void => {
      if (out.length >= MAX_PREFETCHED_SELECTS) return;
      switch (e.kind) {
        case 'VectorSelector': {
          if (e.offsetExpr !== undefined && !durationIsConstant(e.offsetExpr)) return;
          const at = resolveAt(e.at);
          const lastRef = (at ?? range.end) - e.offset;
          out.push({ matchers: wire(e.matchers), mint: (at ?? range.start) - e.offset - lookback + 1, maxt: lastRef + (e.smoothed === true ? lookback : 0) });
          return;
        }
        case 'MatrixSelector': {
          const v = e.vectorSelector;
          if ((v.offsetExpr !== undefined && !durationIsConstant(v.offsetExpr)) || (e.rangeExpr !== undefined && !durationIsConstant(e.rangeExpr))) return;
          const at = resolveAt(v.at);
          const plain = v.anchored !== true && v.smoothed !== true;
          const firstRef = (at ?? range.start) - v.offset;
          out.push({ matchers: wire(v.matchers), mint: firstRef - e.range - (plain ? 0 : lookback) + 1, maxt: (at ?? range.end) - v.offset + (v.smoothed === true ? lookback : 0) });
          return;
        }
        case 'SubqueryExpr':
        case 'NumberLiteral':
        case 'StringLiteral':
          return;
        case 'ParenExpr':
        case 'StepInvariantExpr':
        case 'UnaryExpr':
          return visit(e.expr);
        case 'AggregateExpr':
          if (e.param !== null) visit(e.param);
          return visit(e.expr);
        case 'BinaryExpr':
          visit(e.lhs);
          return visit(e.rhs);
        case 'Call':
          for (const a of e.args) visit(a);
          return;
      }
    };
    visit(parseExpr(q));
    return out;
  } catch {
    return [];
  }
}

function wire(ms: readonly { type: WireMatcher['type']; name: string; value: string }[]): WireMatcher[] {
  return ms.map((m) => ({ type: m.type, name: m.name, value: m.value }));
}

/**
 * prefetchSelects answers a job's predicted head selects on the thread that owns the head (sliced and limited as
 * the worker's own calls are), so the worker need not call back for them; failed selects are left to the worker.
 */
export async function prefetchSelects(job: QueryJob, id: number, ctx: HeadServeContext): Promise<{ selects: PrefetchedSelect[]; transfer: ArrayBuffer[] }> {
  const selects: PrefetchedSelect[] = [];
  const transfer: ArrayBuffer[] = [];
  let bytes = 0;
  for (const p of predictSelects(job)) {
    if (ctx.cancelled() || bytes >= MAX_PREFETCH_BYTES) break;
    const { reply, transfer: t } = await serveHeadRequest({ op: 'select', seq: 0, id, matchers: p.matchers, mint: p.mint, maxt: p.maxt }, { ...ctx, maxBytes: Math.min(ctx.maxBytes, MAX_PREFETCH_BYTES - bytes) });
    if (reply.kind !== 'series') break;
    selects.push({ ...p, reply });
    transfer.push(...t);
    bytes += reply.buf.byteLength;
  }
  return { selects, transfer };
}

/** takePrefetched removes and returns the prefetched reply for exactly this select, or undefined. */
export function takePrefetched(list: PrefetchedSelect[], matchers: readonly WireMatcher[], mint: number, maxt: number): HeadReply | undefined {
  const i = list.findIndex((p) => p.mint === mint && p.maxt === maxt && p.matchers.length === matchers.length && p.matchers.every((m, k) => m.type === matchers[k]!.type && m.name === matchers[k]!.name && m.value === matchers[k]!.value));
  if (i < 0) return undefined;
  return list.splice(i, 1)[0]!.reply;
}
