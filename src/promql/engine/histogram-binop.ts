import { addFloatHistograms, IncompatibleSchemaError } from '../../model/histogram/add.js';
import { compactFloatHistogram } from '../../model/histogram/compact.js';
import { floatHistogramsEqual } from '../../model/histogram/equals.js';
import { divFloatHistogram, mulFloatHistogram } from '../../model/histogram/scale.js';
import { trimBuckets } from '../../model/histogram/trim.js';
import { CounterResetHint, type FloatHistogram } from '../../model/histogram/types.js';
import type { BinaryOp } from '../parser/ast.js';
import { ANNO } from './annotations.js';
import { binopKeeps, binopValue } from './binary-vectors.js';

/** BinopAnno is an annotation an element operation raises; error marks Prometheus's err return (the sample is dropped). */
export interface BinopAnno {
  kind: 'warn' | 'info';
  text: string;
}

/** ElemResult is the outcome of one element operation with histograms: the value (f or h), whether it is kept, and an annotation. */
export interface ElemResult {
  f: number;
  h: FloatHistogram | undefined;
  keep: boolean;
  /** err: Prometheus returns the annotation as an error; vector/vector operations then drop the sample. */
  err: BinopAnno | null;
  info: BinopAnno | null;
}

function incompatible(l: string, op: BinaryOp, r: string): ElemResult {
  return { f: 0, h: undefined, keep: false, err: { kind: 'info', text: ANNO.incompatibleTypesInBinOp(op, l, r) }, info: null };
}

/** elemBinopH applies op to two elements of which at least one may be a histogram, as Prometheus's vectorElemBinop. */
export function elemBinopH(op: BinaryOp, l: number, r: number, hl: FloatHistogram | undefined, hr: FloatHistogram | undefined): ElemResult {
  if (hl === undefined && hr === undefined) {
    if (op === '</' || op === '>/') return incompatible('float', op, 'float');
    return { f: binopValue(op, l, r), h: undefined, keep: binopKeeps(op, l, r), err: null, info: null };
  }
  if (hl === undefined) {
    if (op === '*') return { f: 0, h: compactFloatHistogram(mulFloatHistogram(hr!, l)), keep: true, err: null, info: null };
    return incompatible('float', op, 'histogram');
  }
  if (hr === undefined) {
    switch (op) {
      case '*':
        return { f: 0, h: compactFloatHistogram(mulFloatHistogram(hl, r)), keep: true, err: null, info: null };
      case '/':
        return { f: 0, h: compactFloatHistogram(divFloatHistogram(hl, r)), keep: true, err: null, info: null };
      case '</':
        return { f: 0, h: trimBuckets(hl, r, true), keep: true, err: null, info: null };
      case '>/':
        return { f: 0, h: trimBuckets(hl, r, false), keep: true, err: null, info: null };
      default:
        return incompatible('histogram', op, 'float');
    }
  }
  switch (op) {
    case '+':
    case '-': {
      let res;
      try {
        res = addFloatHistograms(hl, hr, op === '-');
      } catch (e) {
        if (e instanceof IncompatibleSchemaError) {
          return { f: 0, h: undefined, keep: false, err: { kind: 'warn', text: ANNO.incompatibleBucketLayout(op) }, info: null };
        }
        throw e;
      }
      const h = compactFloatHistogram(res.h);
      if (op === '-') h.counterResetHint = CounterResetHint.Gauge;
      const what = op === '+' ? 'addition' : 'subtraction';
      return {
        f: 0,
        h,
        keep: true,
        err: res.counterResetCollision ? { kind: 'warn', text: ANNO.counterResetCollision(what) } : null,
        info: res.nhcbBoundsReconciled ? { kind: 'info', text: ANNO.mismatchedCustomBuckets(what) } : null,
      };
    }
    case '==':
      return { f: 0, h: hl, keep: floatHistogramsEqual(hl, hr), err: null, info: null };
    case '!=':
      return { f: 0, h: hl, keep: !floatHistogramsEqual(hl, hr), err: null, info: null };
    default:
      return incompatible('histogram', op, 'histogram');
  }
}
