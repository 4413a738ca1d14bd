import type { BinaryExpr, BinaryOp } from '../parser/ast.js';
import { binopKeeps, binopValue, vectorVector } from './binary-vectors.js';
import { PromQLError } from './errors.js';
import type { Evaluated } from './evaluated.js';
import type { Evaluator } from './evaluator.js';
import type { Matrix, MatrixSeries } from './value.js';
import { elemBinopH, type BinopAnno } from './histogram-binop.js';
import { pushPoint } from './histogram-split.js';

const COMPARISON = new Set<BinaryOp>(['==', '!=', '>', '<', '>=', '<=']);

/** isComparison reports whether op is a comparison operator. */
export function isComparison(op: BinaryOp): boolean {
  return COMPARISON.has(op);
}

/** elemBinop applies op to two floats; keep is false when a comparison does not hold. */
export function elemBinop(op: BinaryOp, l: number, r: number): { v: number; keep: boolean } {
  return { v: binopValue(op, l, r), keep: binopKeeps(op, l, r) };
}

/** evalBinary evaluates a binary expression over all steps. */
export function evalBinary(ev: Evaluator, e: BinaryExpr): Evaluated {
  const lhs = ev.eval(e.lhs);
  const rhs = ev.eval(e.rhs);
  if (lhs.kind === 'scalar' && rhs.kind === 'scalar') {
    const out = new Float64Array(ev.nSteps);
    const cmp = isComparison(e.op);
    for (let i = 0; i < ev.nSteps; i++) {
      const l = lhs.vs[i]!;
      const r = rhs.vs[i]!;
      const v = binopValue(e.op, l, r);
      out[i] = cmp ? (binopKeeps(e.op, l, r) ? 1 : 0) : v;
    }
    return { kind: 'scalar', vs: out };
  }
  if (lhs.kind === 'vector' && rhs.kind === 'scalar') return { kind: 'vector', m: vectorScalar(e, lhs.m, rhs.vs, ev, false) };
  if (lhs.kind === 'scalar' && rhs.kind === 'vector') return { kind: 'vector', m: vectorScalar(e, rhs.m, lhs.vs, ev, true) };
  if (lhs.kind === 'vector' && rhs.kind === 'vector') return { kind: 'vector', m: vectorVector(ev, e, lhs.m, rhs.m) };
  throw new PromQLError('bad_data', `binary expression must contain only scalar and instant vector types`);
}

function vectorScalar(e: BinaryExpr, m: Matrix, s: Float64Array, ev: Evaluator, swap: boolean): Matrix {
  const cmp = isComparison(e.op);
  const out: Matrix = [];
  const trim = e.op === '</' || e.op === '>/';
  for (const series of m) {
    if (series.hs !== undefined || trim) {
      const o = vectorScalarH(e, series, s, ev, swap);
      if (o !== null) out.push(o);
      continue;
    }
    const ts: number[] = [];
    const vs: number[] = [];
    for (let j = 0; j < series.ts.length; j++) {
      const t = series.ts[j]!;
      const sv = s[Math.round((t - ev.start) / ev.interval)]!;
      const v = series.vs[j]!;
      const l = swap ? sv : v;
      const r = swap ? v : sv;
      let val = binopValue(e.op, l, r);
      const keep = binopKeeps(e.op, l, r);
      if (cmp && swap) val = v;
      if (e.returnBool) val = keep ? 1 : 0;
      else if (!keep) continue;
      ts.push(t);
      vs.push(val);
    }
    if (ts.length > 0) out.push({ metric: series.metric, ts, vs, dropName: series.dropName || e.returnBool || !cmp });
  }
  return out;
}

/** vectorScalarH is vectorScalar for a series holding histograms (or a trim operator), element by element as Prometheus. */
function vectorScalarH(e: BinaryExpr, series: MatrixSeries, s: Float64Array, ev: Evaluator, swap: boolean): MatrixSeries | null {
  const cmp = isComparison(e.op);
  const keepsName = cmp || e.op === '</' || e.op === '>/';
  const o: MatrixSeries = { metric: series.metric, ts: [], vs: [], dropName: series.dropName || e.returnBool || !keepsName };
  for (let j = 0; j < series.ts.length; j++) {
    const t = series.ts[j]!;
    const sv = s[Math.round((t - ev.start) / ev.interval)]!;
    const v = series.vs[j]!;
    const h = series.hs?.[j];
    const r = swap ? elemBinopH(e.op, sv, v, undefined, h) : elemBinopH(e.op, v, sv, h, undefined);
    if (r.err !== null) {
      addBinopAnno(ev, e, r.err);
      continue;
    }
    let f = r.f;
    let rh = r.h;
    if (cmp && swap) {
      f = v;
      rh = h;
    }
    if (e.returnBool) {
      pushPoint(o, t, r.keep ? 1 : 0, undefined);
      continue;
    }
    if (!r.keep) continue;
    pushPoint(o, t, f, rh);
  }
  return o.ts.length > 0 ? o : null;
}

/** addBinopAnno records an annotation raised by an element operation at the operator's position. */
export function addBinopAnno(ev: Evaluator, e: BinaryExpr, a: BinopAnno): void {
  if (a.kind === 'warn') ev.ctx.annos.warn(a.text, e.pos);
  else ev.ctx.annos.info(a.text, e.pos);
}
