import { compareLabels, labelsKey, labelsToString } from '../../model/labels.js';
import { isStaleNaN } from '../../model/sample.js';
import { almostEqual } from '../functions/bucket-quantile.js';
import type { Matrix, Vector } from '../engine/value.js';
import type { SeriesValues } from './script.js';
import { histogramsMatch } from './compare-histogram.js';
import { histogramTestExpression } from '../../model/histogram/test-expression.js';
import type { FloatHistogram } from '../../model/histogram/types.js';

function show(f: number, h: FloatHistogram | undefined): string {
  return h === undefined ? String(f) : histogramTestExpression(h);
}

/** pointMatches compares one expected position (float or histogram) with a got point. */
function pointMatches(e: SeriesValues, i: number, f: number, h: FloatHistogram | undefined): string | null {
  const eh = e.hists?.[i];
  if (eh !== undefined) {
    if (h === undefined) return `expected histogram ${histogramTestExpression(eh.h)} for ${labelsToString(e.labels)} but got float value ${f}`;
    return histogramsMatch(eh.h, h, eh.hintSet) ? null : `expected ${histogramTestExpression(eh.h)} for ${labelsToString(e.labels)} but got ${histogramTestExpression(h)}`;
  }
  if (h !== undefined) return `expected float value ${e.values[i]} for ${labelsToString(e.labels)} but got histogram ${histogramTestExpression(h)}`;
  return floatsEqual(f, e.values[i]!) ? null : `${labelsToString(e.labels)}: expected ${e.values[i]}, got ${f}`;
}

/** floatsEqual compares floats as Prometheus's runner: NaN equals NaN, stale equals stale, else 1e-6 relative. */
export function floatsEqual(a: number, b: number): boolean {
  if (isStaleNaN(a) || isStaleNaN(b)) return isStaleNaN(a) && isStaleNaN(b);
  return almostEqual(a, b, 1e-6);
}

/** compareVector checks an instant vector against expected series; returns an error text or null. */
export function compareVector(got: Vector, expected: SeriesValues[], ordered: boolean): string | null {
  if (got.length !== expected.length) {
    return `expected ${expected.length} series, got ${got.length}: got ${got.map((s) => `${labelsToString(s.metric)} ${show(s.f, s.h)}`).join('; ')}`;
  }
  const byKey = new Map(got.map((s, i) => [labelsKey(s.metric), { s, i }] as const));
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const g = byKey.get(labelsKey(e.labels));
    if (!g) return `missing series ${labelsToString(e.labels)}; got ${got.map((s) => labelsToString(s.metric)).join('; ')}`;
    if (e.values.length !== 1 || (e.values[0] === null && e.hists?.[0] === undefined)) return `expected exactly one value for ${labelsToString(e.labels)}`;
    const err = pointMatches(e, 0, g.s.f, g.s.h);
    if (err !== null) return err;
    if (ordered && g.i !== i) return `${labelsToString(e.labels)}: expected at position ${i}, got ${g.i}`;
  }
  return null;
}

/** unsortedAt returns an error text when a matrix is not sorted by label set (as Prometheus's runner requires), else null. */
export function unsortedAt(m: Matrix): string | null {
  for (let i = 1; i < m.length; i++) {
    if (compareLabels(m[i - 1]!.metric, m[i]!.metric) > 0) {
      return `matrix results should always be sorted by labels: ${labelsToString(m[i]!.metric)} sorts before ${labelsToString(m[i - 1]!.metric)}`;
    }
  }
  return null;
}

/** compareMatrix checks a matrix against expected series with one value per step from start. */
export function compareMatrix(got: Matrix, expected: SeriesValues[], start: number, step: number): string | null {
  const unsorted = unsortedAt(got);
  if (unsorted !== null) return unsorted;
  if (got.length !== expected.length) {
    return `expected ${expected.length} series, got ${got.length}: ${got.map((s) => `${labelsToString(s.metric)} ${s.vs.map((v, i) => show(v, s.hs?.[i])).join(' ')}`).join('; ')}`;
  }
  const byKey = new Map(got.map((s) => [labelsKey(s.metric), s] as const));
  for (const e of expected) {
    const g = byKey.get(labelsKey(e.labels));
    if (!g) return `missing series ${labelsToString(e.labels)}; got ${got.map((s) => labelsToString(s.metric)).join('; ')}`;
    const want: { t: number; i: number }[] = [];
    e.values.forEach((v, i) => {
      if (v !== null || e.hists?.[i] !== undefined) want.push({ t: start + i * step, i });
    });
    if (want.length !== g.ts.length) {
      return `${labelsToString(e.labels)}: expected ${want.length} points, got ${g.ts.length} (${g.ts.map((t, i) => `${show(g.vs[i]!, g.hs?.[i])}@${t / 1000}`).join(' ')})`;
    }
    for (let i = 0; i < want.length; i++) {
      if (want[i]!.t !== g.ts[i]) return `${labelsToString(e.labels)}: expected a point @${want[i]!.t / 1000}, got @${g.ts[i]! / 1000}`;
      const err = pointMatches(e, want[i]!.i, g.vs[i]!, g.hs?.[i]);
      if (err !== null) return `${err} @${g.ts[i]! / 1000}`;
    }
  }
  return null;
}
