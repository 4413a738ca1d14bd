import { getLabel, METRIC_NAME, type Labels } from '../../model/labels.js';
import { newMatcher, type Matcher } from '../../model/matcher.js';
import { isStaleNaN } from '../../model/sample.js';
import type { Call, Expr } from '../parser/ast.js';
import { SeriesCollector } from './collector.js';
import { checkAbort } from './context.js';
import { PromQLError, execError } from './errors.js';
import type { Evaluated } from './evaluated.js';
import { stepColumns } from './step-columns.js';
import type { Evaluator } from './evaluator.js';
import { setLabel } from './labels-util.js';

const IDENTIFYING = ['instance', 'job'];

interface InfoSeries {
  labels: Labels;
  ts: number[];
  /** stale flags stale markers (a NaN payload does not survive plain JS arrays reliably). */
  stale: boolean[];
}

function unwrap(e: Expr): Expr {
  while (e.kind === 'ParenExpr' || e.kind === 'StepInvariantExpr') e = e.expr;
  return e;
}

/** refTimeOf maps an evaluation time to the time the base expression's samples are read at (@ and offset applied). */
function refTimeOf(ev: Evaluator, e0: Expr): (t: number) => number {
  const e = unwrap(e0);
  switch (e.kind) {
    case 'VectorSelector': {
      const at = ev.resolveAt(e.at);
      const off = ev.dur(e.offsetExpr, e.offset);
      return (t) => (at ?? t) - off;
    }
    case 'MatrixSelector': {
      const at = ev.resolveAt(e.vectorSelector.at);
      const off = ev.dur(e.vectorSelector.offsetExpr, e.vectorSelector.offset);
      return (t) => (at ?? t) - off;
    }
    case 'SubqueryExpr': {
      const at = ev.resolveAt(e.at);
      const off = ev.dur(e.offsetExpr, e.offset);
      const inner = refTimeOf(ev, e.expr);
      return (t) => inner((at ?? t) - off);
    }
    case 'Call': {
      const a = e.args.find((x) => {
        const u = unwrap(x);
        return u.kind !== 'NumberLiteral' && u.kind !== 'StringLiteral';
      });
      return a ? refTimeOf(ev, a) : (t) => t;
    }
    case 'AggregateExpr':
    case 'UnaryExpr':
      return refTimeOf(ev, e.expr);
    case 'BinaryExpr':
      return refTimeOf(ev, e.lhs.kind === 'NumberLiteral' ? e.rhs : e.lhs);
    default:
      return (t) => t;
  }
}

/** evalInfo implements info(v, selector): enrich series with data labels of matching info series. */
export function evalInfo(ev: Evaluator, e: Call): Evaluated {
  const base = ev.evalVector(e.args[0]!);
  let matchers: readonly Matcher[] = [];
  if (e.args.length > 1) {
    const sel = unwrap(e.args[1]!);
    if (sel.kind !== 'VectorSelector') throw new PromQLError('bad_data', 'info() expects a label selector as its second argument');
    matchers = sel.matchers;
  }
  let nameMatchers = matchers.filter((m) => m.name === METRIC_NAME);
  const dataMatchers = matchers.filter((m) => m.name !== METRIC_NAME);
  const hasPositive = nameMatchers.some((m) => m.type === '=' || m.type === '=~');
  const explicitNames = nameMatchers.length > 0;
  if (!explicitNames) nameMatchers = [newMatcher('=', METRIC_NAME, 'target_info')];
  const selectMatchers = hasPositive || !explicitNames ? nameMatchers : [...nameMatchers, newMatcher('=~', METRIC_NAME, '.+_info')];
  const refTime = refTimeOf(ev, e.args[0]!);
  const lookback = ev.ctx.lookbackDelta;
  let minRef = Infinity;
  let maxRef = -Infinity;
  for (let i = 0; i < ev.nSteps; i++) {
    const r = refTime(ev.stepTime(i));
    minRef = Math.min(minRef, r);
    maxRef = Math.max(maxRef, r);
  }
  // Load the candidate info series once.
  const q = ev.ctx.queryable.querier(minRef - lookback + 1, maxRef);
  ev.ctx.queriers.push(q);
  const set = q.select(true, { start: minRef - lookback + 1, end: maxRef }, selectMatchers);
  const byIdentity = new Map<string, InfoSeries[]>();
  while (set.next()) {
    checkAbort(ev.ctx);
    const s = set.at();
    if (!dataMatchers.every((m) => m.matches(getLabel(s.labels, m.name)))) continue;
    const it = s.iterator();
    const info: InfoSeries = { labels: s.labels, ts: [], stale: [] };
    let ok = it.seek(minRef - lookback + 1);
    while (ok && it.atT() <= maxRef) {
      info.ts.push(it.atT());
      info.stale.push(isStaleNaN(it.atV()));
      ok = it.next();
    }
    const key = IDENTIFYING.map((n) => getLabel(s.labels, n)).join('\u0000');
    let arr = byIdentity.get(key);
    if (!arr) byIdentity.set(key, (arr = []));
    arr.push(info);
  }
  const emptyOk = dataMatchers.every((m) => m.matches(''));
  const baseIsInfo = (ls: Labels): boolean => hasPositive && selectMatchers.every((m) => m.matches(getLabel(ls, m.name)));
  const cols = stepColumns(ev, base);
  const out = new SeriesCollector();
  for (let i = 0; i < ev.nSteps; i++) {
    const t = ev.stepTime(i);
    const ref = refTime(t);
    for (let p = cols.offsets[i]!; p < cols.offsets[i + 1]!; p++) {
      const b = base[cols.series[p]!]!;
      const s = { metric: b.metric, dropName: b.dropName, f: cols.values[p]! };
      if (baseIsInfo(s.metric)) {
        out.add(s.metric, s.dropName, t, s.f);
        continue;
      }
      const key = IDENTIFYING.map((n) => getLabel(s.metric, n)).join('\u0000');
      const candidates = (byIdentity.get(key) ?? []).filter((inf) => presentAt(inf, ref, lookback));
      if (candidates.length === 0) {
        if (emptyOk) out.add(s.metric, s.dropName, t, s.f);
        continue;
      }
      let metric = s.metric;
      const added = new Map<string, string>();
      // With several series of one info metric, the one with the latest sample wins.
      const latest = new Map<string, InfoSeries>();
      for (const inf of candidates) {
        const name = getLabel(inf.labels, METRIC_NAME);
        const prev = latest.get(name);
        if (!prev || lastTimeAt(inf, ref) > lastTimeAt(prev, ref)) latest.set(name, inf);
      }
      for (const inf of latest.values()) {
        for (const l of inf.labels) {
          if (l.name === METRIC_NAME || IDENTIFYING.includes(l.name)) continue;
          if (dataMatchers.length > 0 && !dataMatchers.some((m) => m.name === l.name)) continue;
          if (getLabel(s.metric, l.name) !== '') continue;
          const had = added.get(l.name);
          if (had !== undefined && had !== l.value) {
            throw execError(`conflicting label ${JSON.stringify(l.name)}: values ${JSON.stringify(had)} and ${JSON.stringify(l.value)} from different info metrics`);
          }
          added.set(l.name, l.value);
          metric = setLabel(metric, l.name, l.value);
        }
      }
      out.add(metric, s.dropName, t, s.f);
    }
  }
  return { kind: 'vector', m: out.series };
}

function lastIndexAt(inf: InfoSeries, ref: number): number {
  let lo = 0;
  let hi = inf.ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (inf.ts[mid]! <= ref) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

function presentAt(inf: InfoSeries, ref: number, lookback: number): boolean {
  const i = lastIndexAt(inf, ref);
  return i >= 0 && inf.ts[i]! > ref - lookback && !inf.stale[i]!;
}

function lastTimeAt(inf: InfoSeries, ref: number): number {
  const i = lastIndexAt(inf, ref);
  return i >= 0 ? inf.ts[i]! : -Infinity;
}
