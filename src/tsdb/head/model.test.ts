import { describe, expect, it } from 'vitest';
import { labelsFromRecord } from '../../model/labels.js';
import { newMatcher } from '../../model/matcher.js';
import { XORChunk } from '../chunkenc/xor.js';
import { Head } from './head.js';
import { mulberry32 } from '../seeded-random.js';

// Randomised comparison of the head against a plain model: in-order and out-of-order
// appends over many commits, deletes, then reads (next and seek) and chunkSeries over random ranges.
describe('Head against a model', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`agrees with the model (seed ${seed})`, async () => {
      const r = mulberry32(seed);
      const window = 500;
      const h = new Head({ chunkRange: 2000, samplesPerChunk: 16, outOfOrderWindow: () => window });
      const model = new Map<number, number>();
      const deleted: [number, number][] = [];
      let maxT = -Infinity;
      const lbl = labelsFromRecord({ __name__: 'm' });
      for (let batch = 0; batch < 60; batch++) {
        const a = h.appender();
        const pending = new Map<number, number>();
        let pmax = maxT;
        for (let i = 0; i < 20; i++) {
          const t = Math.floor(pmax === -Infinity ? 0 : pmax - window + r() * (window + 60));
          const v = Math.floor(r() * 1000);
          let err = '';
          try {
            a.append(0, lbl, t, v);
          } catch (e) {
            err = (e as { code: string }).code;
          }
          const committed = model.get(t);
          if (t > pmax) {
            expect(err).toBe('');
            pending.set(t, v);
            pmax = t;
          } else if (t === pmax) {
            expect(err).toBe((pending.get(t) ?? committed) === v ? '' : 'duplicate_sample');
          } else if (t < pmax - window) {
            expect(err).toBe('too_old');
          } else if (committed !== undefined) {
            expect(err).toBe(committed === v ? '' : 'duplicate_sample');
          } else {
            // an out-of-order sample pending twice in one batch: the first one wins at commit
            expect(err).toBe('');
            if (!pending.has(t)) pending.set(t, v);
          }
        }
        if (r() < 0.1) {
          a.rollback();
        } else {
          await a.commit();
          for (const [t, v] of pending) if (!model.has(t)) model.set(t, v);
          maxT = pmax;
        }
        if (r() < 0.05 && maxT > 0) {
          const lo = Math.floor(r() * maxT);
          const hi = lo + Math.floor(r() * 200);
          deleted.push([lo, hi]);
          await h.delete(lo, hi, [newMatcher('=', '__name__', 'm')]);
        }
      }
      const visible = [...model.entries()]
        .filter(([t]) => !deleted.some(([lo, hi]) => t >= lo && t <= hi))
        .sort((x, y) => x[0] - y[0]);
      for (let q = 0; q < 30; q++) {
        const lo = Math.floor(r() * (maxT + 100)) - 50;
        const hi = lo + Math.floor(r() * 3000);
        const want = visible.filter(([t]) => t >= lo && t <= hi);
        const ss = h.querier(lo, hi).select(false, undefined, [newMatcher('=', '__name__', 'm')]);
        const got: [number, number][] = [];
        if (ss.next()) {
          const it = ss.at().iterator();
          while (it.next()) got.push([it.atT(), it.atV()]);
          // seeks: random targets, forward only
          const it2 = ss.at().iterator();
          let target = lo;
          for (let k = 0; k < 10; k++) {
            target += Math.floor(r() * 300);
            const first = want.find(([t]) => t >= target);
            expect(it2.seek(target)).toBe(first !== undefined);
            if (!first) break;
            expect([it2.atT(), it2.atV()]).toEqual(first);
          }
        }
        expect(got).toEqual(want);
        // chunkSeries over [lo, hi+1)
        const cs = [...h.chunkSeries(lo, hi + 1)];
        const fromChunks: [number, number][] = [];
        for (const s of cs) {
          for (const c of s.chunks) {
            const ci = new XORChunk(c.data).iterator();
            while (ci.next()) fromChunks.push([ci.atT(), ci.atV()]);
          }
        }
        expect(fromChunks).toEqual(want);
      }
    });
  }
});
