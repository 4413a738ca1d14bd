import type { Labels } from '../../model/labels.js';
import type { BinaryExpr, BinaryOp, VectorMatching } from '../parser/ast.js';
import { goMod, goPow } from '../functions/gofloat.js';
import { SeriesCollector } from './collector.js';
import { PromQLError, execError } from './errors.js';
import { StepCursor, type Evaluated } from './evaluated.js';
import type { Evaluator } from './evaluator.js';
import { dropMetricName, keepLabels, labelsGoString, setLabel, signatureKey, withoutLabels } from './labels-util.js';
import { getLabel, labelsKey } from '../../model/labels.js';
import type { Matrix, Sample, Vector } from './value.js';

const COMPARISON = new Set<BinaryOp>(['==', '!=', '>', '<', '>=', '<=']);

/** isComparison reports whether op is a comparison operator. */
export function isComparison(op: BinaryOp): boolean {
  return COMPARISON.has(op);
}

/** elemBinop applies op to two floats; keep is false when a comparison does not hold. */
export function elemBinop(op: BinaryOp, l: number, r: number): { v: number; keep: boolean } {
  switch (op) {
    case '+': return { v: l + r, keep: true };
    case '-': return { v: l - r, keep: true };
    case '*': return { v: l * r, keep: true };
    case '/': return { v: l / r, keep: true };
    case '%': return { v: goMod(l, r), keep: true };
    case '^': return { v: goPow(l, r), keep: true };
    case 'atan2': return { v: Math.atan2(l, r), keep: true };
    case '==': return { v: l, keep: l === r };
    case '!=': return { v: l, keep: l !== r };
    case '>': return { v: l, keep: l > r };
    case '<': return { v: l, keep: l < r };
    case '>=': return { v: l, keep: l >= r };
    case '<=': return { v: l, keep: l <= r };
    case '</':
    case '>/':
      throw new PromQLError('execution', `operator ${op} only applies to native histograms, which Amphora does not support`);
    case 'and':
    case 'or':
    case 'unless':
      throw new PromQLError('internal', `set operator ${op} not allowed on floats`);
  }
}

/** evalBinary evaluates a binary expression over all steps. */
export function evalBinary(ev: Evaluator, e: BinaryExpr): Evaluated {
  const lhs = ev.eval(e.lhs);
  const rhs = ev.eval(e.rhs);
  if (lhs.kind === 'scalar' && rhs.kind === 'scalar') {
    const out = new Float64Array(ev.nSteps);
    for (let i = 0; i < ev.nSteps; i++) {
      const r = elemBinop(e.op, lhs.vs[i]!, rhs.vs[i]!);
      out[i] = isComparison(e.op) ? (r.keep ? 1 : 0) : r.v;
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
  for (const series of m) {
    const ts: number[] = [];
    const vs: number[] = [];
    for (let j = 0; j < series.ts.length; j++) {
      const t = series.ts[j]!;
      const sv = s[Math.round((t - ev.start) / ev.interval)]!;
      const v = series.vs[j]!;
      const r = swap ? elemBinop(e.op, sv, v) : elemBinop(e.op, v, sv);
      let val = r.v;
      if (cmp && swap) val = v;
      if (e.returnBool) val = r.keep ? 1 : 0;
      else if (!r.keep) continue;
      ts.push(t);
      vs.push(val);
    }
    if (ts.length > 0) out.push({ metric: series.metric, ts, vs, dropName: series.dropName || e.returnBool || !cmp });
  }
  return out;
}

function vectorVector(ev: Evaluator, e: BinaryExpr, lm: Matrix, rm: Matrix): Matrix {
  const matching: VectorMatching = e.matching ?? { card: 'one-to-one', matchingLabels: [], on: false, include: [] };
  const names = new Set(matching.matchingLabels);
  const lc = new StepCursor(lm);
  const rc = new StepCursor(rm);
  const out = new SeriesCollector();
  for (let i = 0; i < ev.nSteps; i++) {
    const t = ev.stepTime(i);
    const l = lc.at(t);
    const r = rc.at(t);
    let res: Vector;
    switch (e.op) {
      case 'and': res = setAnd(l, r, matching, names); break;
      case 'or': res = setOr(l, r, matching, names); break;
      case 'unless': res = setUnless(l, r, matching, names); break;
      default: res = vectorBinop(e, l, r, matching, names);
    }
    out.addVector(res);
  }
  return out.series;
}

function sigSet(v: Vector, on: boolean, names: ReadonlySet<string>): Set<string> {
  const s = new Set<string>();
  for (const x of v) s.add(signatureKey(x.metric, on, names));
  return s;
}

function setAnd(l: Vector, r: Vector, m: VectorMatching, names: ReadonlySet<string>): Vector {
  if (l.length === 0 || r.length === 0) return [];
  const rs = sigSet(r, m.on, names);
  return l.filter((x) => rs.has(signatureKey(x.metric, m.on, names)));
}

function setOr(l: Vector, r: Vector, m: VectorMatching, names: ReadonlySet<string>): Vector {
  if (l.length === 0) return r;
  if (r.length === 0) return l;
  const ls = sigSet(l, m.on, names);
  return l.concat(r.filter((x) => !ls.has(signatureKey(x.metric, m.on, names))));
}

function setUnless(l: Vector, r: Vector, m: VectorMatching, names: ReadonlySet<string>): Vector {
  if (l.length === 0 || r.length === 0) return l;
  const rs = sigSet(r, m.on, names);
  return l.filter((x) => !rs.has(signatureKey(x.metric, m.on, names)));
}

function matchLabels(ls: Labels, on: boolean, names: ReadonlySet<string>): Labels {
  if (on) return keepLabels(ls, names);
  return dropMetricName(withoutLabels(ls, names));
}

function vectorBinop(e: BinaryExpr, lhsIn: Vector, rhsIn: Vector, m: VectorMatching, names: ReadonlySet<string>): Vector {
  if (m.card === 'many-to-many') throw new PromQLError('internal', 'many-to-many only allowed for set operators');
  const fill = m.fill;
  if ((lhsIn.length === 0 || rhsIn.length === 0) && fill === undefined) return [];
  let lhs = lhsIn;
  let rhs = rhsIn;
  if (m.card === 'one-to-many') [lhs, rhs] = [rhs, lhs];
  const rightSigs = new Map<string, Sample>();
  for (const rs of rhs) {
    const sig = signatureKey(rs.metric, m.on, names);
    const dup = rightSigs.get(sig);
    if (dup !== undefined) {
      const side = m.card === 'one-to-many' ? 'left' : 'right';
      throw execError(
        `found duplicate series for the match group ${labelsGoString(matchLabels(rs.metric, m.on, names))} on the ${side} hand-side of the operation: ` +
          `[${labelsGoString(dup.metric)}, ${labelsGoString(rs.metric)}];many-to-many matching not allowed: matching labels must be unique on one side`,
      );
    }
    rightSigs.set(sig, rs);
  }
  const cmp = isComparison(e.op);
  const matched = new Map<string, Set<string> | null>();
  const out: Vector = [];
  for (const ls of lhs) {
    const sig = signatureKey(ls.metric, m.on, names);
    const rs = rightSigs.get(sig);
    if (rs === undefined) continue;
    if (m.card === 'one-to-one') {
      if (matched.has(sig)) {
        throw execError('multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)');
      }
      matched.set(sig, null);
    }
    let fl = ls.f;
    let fr = rs.f;
    if (m.card === 'one-to-many') [fl, fr] = [fr, fl];
    const r = elemBinop(e.op, fl, fr);
    let v = r.v;
    if (e.returnBool) v = r.keep ? 1 : 0;
    else if (!r.keep) continue;
    const metric = resultMetric(ls.metric, rs.metric, e.op, m, names);
    const seen = matched.get(sig);
    if (m.card !== 'one-to-one') {
      const key = labelsKey(metric);
      let set = seen ?? undefined;
      if (set === undefined) {
        set = new Set();
        matched.set(sig, set);
      } else if (set.has(key)) {
        throw execError('multiple matches for labels: grouping labels must ensure unique matches');
      }
      set.add(key);
    }
    out.push({ metric, t: ls.t, f: v, dropName: e.returnBool || (cmp && ls.dropName) });
  }
  if (fill !== undefined) {
    // fill_right fills a missing sample of the (possibly swapped) right side, fill_left one of the left side.
    const filled = (fl0: number, fr0: number, metric: Labels, t: number, dropName: boolean): void => {
      let fl = fl0;
      let fr = fr0;
      if (m.card === 'one-to-many') [fl, fr] = [fr, fl];
      const r = elemBinop(e.op, fl, fr);
      let v = r.v;
      if (e.returnBool) v = r.keep ? 1 : 0;
      else if (!r.keep) return;
      out.push({ metric, t, f: v, dropName: e.returnBool || dropName });
    };
    if (fill.rhs !== null) {
      for (const ls of lhs) {
        if (rightSigs.has(signatureKey(ls.metric, m.on, names))) continue;
        filled(ls.f, fill.rhs, resultMetric(ls.metric, [], e.op, m, names), ls.t, cmp && ls.dropName);
      }
    }
    if (fill.lhs !== null) {
      const leftSigs = sigSet(lhs, m.on, names);
      for (const rs of rhs) {
        if (leftSigs.has(signatureKey(rs.metric, m.on, names))) continue;
        filled(fill.lhs, rs.f, matchLabels(rs.metric, m.on, names), rs.t, false);
      }
    }
  }
  return out;
}

function resultMetric(lhs: Labels, rhs: Labels, op: BinaryOp, m: VectorMatching, names: ReadonlySet<string>): Labels {
  let out = lhs;
  if (!isComparison(op)) out = dropMetricName(out);
  if (m.card === 'one-to-one') out = m.on ? keepLabels(out, names) : withoutLabels(out, names);
  for (const ln of m.include) {
    out = setLabel(out, ln, getLabel(rhs, ln));
  }
  return out;
}
