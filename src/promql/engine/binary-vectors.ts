import { getLabel, type Labels } from '../../model/labels.js';
import type { BinaryExpr, BinaryOp, VectorMatching } from '../parser/ast.js';
import { goMod, goPow } from '../functions/gofloat.js';
import { SlotCollector } from './collector.js';
import { PromQLError, execError } from './errors.js';
import type { Evaluator } from './evaluator.js';
import { dropMetricName, keepLabels, labelsGoString, setLabel, signatureKey, withoutLabels } from './labels-util.js';
import { stepColumns, type StepColumns } from './step-columns.js';
import type { Matrix } from './value.js';
import type { FloatHistogram } from '../../model/histogram/types.js';
import { elemBinopH, type BinopAnno } from './histogram-binop.js';
import { addBinopAnno } from './binary.js';

/** binopValue is the value of `l op r` for an arithmetic operator, or l for a comparison. */
export function binopValue(op: BinaryOp, l: number, r: number): number {
  switch (op) {
    case '+': return l + r;
    case '-': return l - r;
    case '*': return l * r;
    case '/': return l / r;
    case '%': return goMod(l, r);
    case '^': return goPow(l, r);
    case 'atan2': return Math.atan2(l, r);
    case '==':
    case '!=':
    case '>':
    case '<':
    case '>=':
    case '<=':
      return l;
    case '</':
    case '>/':
      throw new PromQLError('internal', `operator ${op} only applies to native histograms`);
    case 'and':
    case 'or':
    case 'unless':
      throw new PromQLError('internal', `set operator ${op} not allowed on floats`);
  }
}

/** binopKeeps reports whether `l op r` keeps its sample: false only for a comparison that does not hold. */
export function binopKeeps(op: BinaryOp, l: number, r: number): boolean {
  switch (op) {
    case '==': return l === r;
    case '!=': return l !== r;
    case '>': return l > r;
    case '<': return l < r;
    case '>=': return l >= r;
    case '<=': return l <= r;
    default: return true;
  }
}

/** signatures maps each series to an integer id of its matching signature (ids shared by both sides). */
function signatures(m: Matrix, on: boolean, names: ReadonlySet<string>, ids: Map<string, number>): Int32Array {
  const out = new Int32Array(m.length);
  for (let i = 0; i < m.length; i++) {
    const key = signatureKey(m[i]!.metric, on, names);
    let id = ids.get(key);
    if (id === undefined) ids.set(key, (id = ids.size));
    out[i] = id;
  }
  return out;
}

/** lazySlots resolves an output slot per series once, from labels computed by fn. */
function lazySlots(m: Matrix, out: SlotCollector, fn: (metric: Labels) => Labels): (s: number) => number {
  const slots = new Int32Array(m.length).fill(-1);
  return (s) => {
    let k = slots[s]!;
    if (k < 0) slots[s] = k = out.slot(fn(m[s]!.metric));
    return k;
  };
}

/**
 * vectorVector evaluates a binary operation between two instant vectors at every step, over step columns: matching
 * signatures and result label sets are computed once per series (or per matched pair), not per step.
 */
export function vectorVector(ev: Evaluator, e: BinaryExpr, lm: Matrix, rm: Matrix): Matrix {
  const matching: VectorMatching = e.matching ?? { card: 'one-to-one', matchingLabels: [], on: false, include: [] };
  const names = new Set(matching.matchingLabels);
  const ids = new Map<string, number>();
  const lSig = signatures(lm, matching.on, names, ids);
  const rSig = signatures(rm, matching.on, names, ids);
  const lc = stepColumns(ev, lm);
  const rc = stepColumns(ev, rm);
  switch (e.op) {
    case 'and':
    case 'or':
    case 'unless':
      return setOp(ev, e.op, lm, rm, lc, rc, lSig, rSig, ids.size);
    default:
      return binop(ev, e, matching, names, lm, rm, lc, rc, lSig, rSig, ids.size);
  }
}

function setOp(ev: Evaluator, op: 'and' | 'or' | 'unless', lm: Matrix, rm: Matrix, lc: StepColumns, rc: StepColumns, lSig: Int32Array, rSig: Int32Array, nSigs: number): Matrix {
  const out = new SlotCollector();
  const lSlot = lazySlots(lm, out, (x) => x);
  const rSlot = lazySlots(rm, out, (x) => x);
  const stamp = new Int32Array(nSigs).fill(-1);
  for (let i = 0; i < ev.nSteps; i++) {
    const t = ev.stepTime(i);
    const l0 = lc.offsets[i]!;
    const l1 = lc.offsets[i + 1]!;
    const r0 = rc.offsets[i]!;
    const r1 = rc.offsets[i + 1]!;
    const emitL = (p: number): void => {
      const s = lc.series[p]!;
      if (lc.hists !== null) out.addH(lSlot(s), lm[s]!.dropName, t, lc.values[p]!, lc.hists[p]);
      else out.add(lSlot(s), lm[s]!.dropName, t, lc.values[p]!);
    };
    const emitR = (p: number): void => {
      const s = rc.series[p]!;
      if (rc.hists !== null) out.addH(rSlot(s), rm[s]!.dropName, t, rc.values[p]!, rc.hists[p]);
      else out.add(rSlot(s), rm[s]!.dropName, t, rc.values[p]!);
    };
    if (op === 'or') {
      for (let p = l0; p < l1; p++) emitL(p);
      if (l1 === l0) {
        for (let p = r0; p < r1; p++) emitR(p);
        continue;
      }
      if (r1 === r0) continue;
      for (let p = l0; p < l1; p++) stamp[lSig[lc.series[p]!]!] = i;
      for (let p = r0; p < r1; p++) if (stamp[rSig[rc.series[p]!]!] !== i) emitR(p);
      continue;
    }
    if (l1 === l0) continue;
    if (r1 === r0) {
      if (op === 'unless') for (let p = l0; p < l1; p++) emitL(p);
      continue;
    }
    for (let p = r0; p < r1; p++) stamp[rSig[rc.series[p]!]!] = i;
    const want = op === 'and';
    for (let p = l0; p < l1; p++) if ((stamp[lSig[lc.series[p]!]!] === i) === want) emitL(p);
  }
  return out.series;
}

function binop(
  ev: Evaluator,
  e: BinaryExpr,
  m: VectorMatching,
  names: ReadonlySet<string>,
  lmIn: Matrix,
  rmIn: Matrix,
  lcIn: StepColumns,
  rcIn: StepColumns,
  lSigIn: Int32Array,
  rSigIn: Int32Array,
  nSigs: number,
): Matrix {
  if (m.card === 'many-to-many') throw new PromQLError('internal', 'many-to-many only allowed for set operators');
  const op = e.op;
  const fill = m.fill;
  const swap = m.card === 'one-to-many';
  // After the swap, "L" is the side whose series appear in the output ("many" side), "R" the side matched into it.
  const [lm, rm, lc, rc, lSig, rSig] = swap ? [rmIn, lmIn, rcIn, lcIn, rSigIn, lSigIn] : [lmIn, rmIn, lcIn, rcIn, lSigIn, rSigIn];
  const cmp = isComparisonOp(op);
  const oneToOne = m.card === 'one-to-one';
  const perL = oneToOne && m.include.length === 0;
  const out = new SlotCollector();
  const rStamp = new Int32Array(nSigs).fill(-1);
  const rAt = new Int32Array(nSigs);
  const matchedStamp = new Int32Array(nSigs).fill(-1);
  const lStamp = new Int32Array(nSigs).fill(-1);
  // Result label sets: one-to-one depends on the L series only; group_left/right on the pair (cached per L series).
  const oneSlot = lazySlots(lm, out, (ls) => resultMetric(ls, [], op, m, names));
  const pairR = new Int32Array(lm.length).fill(-1);
  const pairSlot = new Int32Array(lm.length);
  const fillSlot = lazySlots(lm, out, (ls) => resultMetric(ls, [], op, m, names));
  const fillLSlot = lazySlots(rm, out, (rs) => matchLabels(rs, m.on, names));
  // Per step: which signature first produced a result slot (duplicate detection of grouping labels).
  let slotStamp = new Int32Array(64).fill(-1);
  let slotSig = new Int32Array(64);
  let conflicts: Map<number, Set<number>> | null = null;
  const emSlot: number[] = [];
  const emVal: number[] = [];
  const emDrop: boolean[] = [];
  const value = (fl0: number, fr0: number): number | null => {
    const fl = swap ? fr0 : fl0;
    const fr = swap ? fl0 : fr0;
    const v = binopValue(op, fl, fr);
    const keep = binopKeeps(op, fl, fr);
    if (e.returnBool) return keep ? 1 : 0;
    return keep ? v : null;
  };
  // Histogram-aware element operation (only when an input holds histograms or the operator is a trim): the float
  // result goes to value's return, a histogram result to lastH. Annotations: the last one of a step, as Prometheus.
  const withH = lc.hists !== null || rc.hists !== null || op === '</' || op === '>/';
  let lastH: FloatHistogram | undefined;
  let stepAnno: BinopAnno | null = null;
  const valueH = (fl0: number, fr0: number, hl0: FloatHistogram | undefined, hr0: FloatHistogram | undefined): number | null => {
    const r = swap ? elemBinopH(op, fr0, fl0, hr0, hl0) : elemBinopH(op, fl0, fr0, hl0, hr0);
    lastH = undefined;
    if (r.err !== null) {
      stepAnno = r.err;
      return null;
    }
    if (r.info !== null) stepAnno = r.info;
    if (e.returnBool) return r.keep ? 1 : 0;
    if (!r.keep) return null;
    lastH = r.h;
    return r.f;
  };
  const emH: (FloatHistogram | undefined)[] = [];
  for (let i = 0; i < ev.nSteps; i++) {
    const l0 = lc.offsets[i]!;
    const l1 = lc.offsets[i + 1]!;
    const r0 = rc.offsets[i]!;
    const r1 = rc.offsets[i + 1]!;
    if ((l1 === l0 || r1 === r0) && fill === undefined) continue;
    const t = ev.stepTime(i);
    emSlot.length = 0;
    emVal.length = 0;
    emDrop.length = 0;
    emH.length = 0;
    stepAnno = null;
    if (conflicts !== null) conflicts.clear();
    for (let p = r0; p < r1; p++) {
      const sig = rSig[rc.series[p]!]!;
      if (rStamp[sig] === i) {
        const dup = rm[rc.series[rAt[sig]!]!]!.metric;
        const rs = rm[rc.series[p]!]!.metric;
        throw execError(
          `found duplicate series for the match group ${labelsGoString(matchLabels(rs, m.on, names))} on the ${swap ? 'left' : 'right'} hand-side of the operation: ` +
            `[${labelsGoString(dup)}, ${labelsGoString(rs)}];many-to-many matching not allowed: matching labels must be unique on one side`,
        );
      }
      rStamp[sig] = i;
      rAt[sig] = p;
    }
    for (let p = l0; p < l1; p++) {
      const ls = lc.series[p]!;
      const sig = lSig[ls]!;
      if (rStamp[sig] !== i) continue;
      if (oneToOne) {
        if (matchedStamp[sig] === i) throw execError('multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)');
        matchedStamp[sig] = i;
      }
      const rp = rAt[sig]!;
      const v = withH ? valueH(lc.values[p]!, rc.values[rp]!, lc.hists?.[p], rc.hists?.[rp]) : value(lc.values[p]!, rc.values[rp]!);
      if (v === null) continue;
      let slot: number;
      if (perL) slot = oneSlot(ls);
      else {
        const rs = rc.series[rp]!;
        if (pairR[ls] === rs) slot = pairSlot[ls]!;
        else {
          slot = out.slot(resultMetric(lm[ls]!.metric, rm[rs]!.metric, op, m, names));
          pairR[ls] = rs;
          pairSlot[ls] = slot;
        }
      }
      if (!oneToOne) {
        if (slot >= slotStamp.length) {
          const n = Math.max(slot + 1, slotStamp.length * 2);
          const st = new Int32Array(n).fill(-1);
          st.set(slotStamp);
          const sg = new Int32Array(n);
          sg.set(slotSig);
          slotStamp = st;
          slotSig = sg;
        }
        if (slotStamp[slot] !== i) {
          slotStamp[slot] = i;
          slotSig[slot] = sig;
        } else {
          // The slot already has a result at this step: an error if the same match group produced it.
          conflicts ??= new Map();
          let sigs = conflicts.get(slot);
          if (sigs === undefined) conflicts.set(slot, (sigs = new Set([slotSig[slot]!])));
          if (sigs.has(sig)) throw execError('multiple matches for labels: grouping labels must ensure unique matches');
          sigs.add(sig);
        }
      }
      emSlot.push(slot);
      emVal.push(v);
      emDrop.push(e.returnBool || (cmp && lm[ls]!.dropName));
      if (withH) emH[emSlot.length - 1] = lastH;
    }
    if (fill !== undefined) {
      if (fill.rhs !== null) {
        for (let p = l0; p < l1; p++) {
          const ls = lc.series[p]!;
          if (rStamp[lSig[ls]!] === i) continue;
          const v = withH ? valueH(lc.values[p]!, fill.rhs, lc.hists?.[p], undefined) : value(lc.values[p]!, fill.rhs);
          if (v === null) continue;
          emSlot.push(fillSlot(ls));
          emVal.push(v);
          emDrop.push(e.returnBool || (cmp && lm[ls]!.dropName));
          if (withH) emH[emSlot.length - 1] = lastH;
        }
      }
      if (fill.lhs !== null) {
        for (let p = l0; p < l1; p++) lStamp[lSig[lc.series[p]!]!] = i;
        for (let p = r0; p < r1; p++) {
          const rs = rc.series[p]!;
          if (lStamp[rSig[rs]!] === i) continue;
          const v = withH ? valueH(fill.lhs, rc.values[p]!, undefined, rc.hists?.[p]) : value(fill.lhs, rc.values[p]!);
          if (v === null) continue;
          emSlot.push(fillLSlot(rs));
          emVal.push(v);
          emDrop.push(e.returnBool);
          if (withH) emH[emSlot.length - 1] = lastH;
        }
      }
    }
    if (withH) {
      for (let k = 0; k < emSlot.length; k++) out.addH(emSlot[k]!, emDrop[k]!, t, emVal[k]!, emH[k]);
      if (stepAnno !== null) addBinopAnno(ev, e, stepAnno);
    } else for (let k = 0; k < emSlot.length; k++) out.add(emSlot[k]!, emDrop[k]!, t, emVal[k]!);
  }
  return out.series;
}

function isComparisonOp(op: BinaryOp): boolean {
  return op === '==' || op === '!=' || op === '>' || op === '<' || op === '>=' || op === '<=';
}

function matchLabels(ls: Labels, on: boolean, names: ReadonlySet<string>): Labels {
  if (on) return keepLabels(ls, names);
  return dropMetricName(withoutLabels(ls, names));
}

function resultMetric(lhs: Labels, rhs: Labels, op: BinaryOp, m: VectorMatching, names: ReadonlySet<string>): Labels {
  let out = lhs;
  if (!isComparisonOp(op) && op !== '</' && op !== '>/') out = dropMetricName(out);
  if (m.card === 'one-to-one') out = m.on ? keepLabels(out, names) : withoutLabels(out, names);
  for (const ln of m.include) {
    out = setLabel(out, ln, getLabel(rhs, ln));
  }
  return out;
}
