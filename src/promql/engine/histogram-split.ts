import type { FloatHistogram } from '../../model/histogram/types.js';
import type { Matrix, MatrixSeries } from './value.js';

/** splitSamples separates a matrix's float points from its histogram points (series without histograms pass as they are). */
export function splitSamples(m: Matrix): { floats: Matrix; hists: Matrix } {
  const floats: Matrix = [];
  const hists: Matrix = [];
  for (const s of m) {
    const hs = s.hs;
    if (hs === undefined) {
      floats.push(s);
      continue;
    }
    const f: MatrixSeries = { metric: s.metric, ts: [], vs: [], dropName: s.dropName };
    const h: MatrixSeries = { metric: s.metric, ts: [], vs: [], dropName: s.dropName, hs: [] };
    for (let i = 0; i < s.ts.length; i++) {
      const x = hs[i];
      if (x === undefined) {
        f.ts.push(s.ts[i]!);
        f.vs.push(s.vs[i]!);
      } else {
        h.ts.push(s.ts[i]!);
        h.vs.push(0);
        h.hs!.push(x);
      }
    }
    if (f.ts.length > 0) floats.push(f);
    if (h.ts.length > 0) hists.push(h);
  }
  return { floats, hists };
}

/** hasHistograms reports whether any series of m holds a histogram point. */
export function hasHistograms(m: Matrix): boolean {
  for (const s of m) if (s.hs !== undefined) return true;
  return false;
}

/** pushPoint appends a float or histogram point to a series (creating its hs on the first histogram). */
export function pushPoint(s: MatrixSeries, t: number, v: number, h: FloatHistogram | undefined): void {
  if (h !== undefined) {
    s.hs ??= new Array<FloatHistogram | undefined>(s.ts.length);
    s.hs[s.ts.length] = h;
    s.ts.push(t);
    s.vs.push(0);
    return;
  }
  if (s.hs !== undefined) s.hs[s.ts.length] = undefined;
  s.ts.push(t);
  s.vs.push(v);
}
