import { describe, expect, it } from 'vitest';
import { labelsFromRecord } from '../../model/labels.js';
import { STALE_NAN } from '../../model/sample.js';
import { MemoryStorage } from '../promqltest/memory-storage.js';
import { Engine, type QueryResult } from './engine.js';

/** load writes counters with resets, gaps, stale markers and series that start late or stop early, some not named as counters. */
async function load(): Promise<MemoryStorage> {
  const st = new MemoryStorage();
  const app = st.appender();
  let seed = 3;
  const rnd = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  for (let s = 0; s < 40; s++) {
    const labels = labelsFromRecord({ __name__: s % 7 === 0 ? 'temp' : 'x_total', g: `g${s % 4}`, h: `h${s % 3}`, i: String(s) });
    let v = Math.floor(rnd() * 1000);
    const from = (s % 5) * 20;
    const to = 240 - (s % 6) * 15;
    for (let i = from; i < to; i++) {
      if (rnd() < 0.1) continue;
      v = rnd() < 0.03 ? rnd() * 10 : v + rnd() * 100;
      app.append(0, labels, i * 15_000 + (s % 3), i === 120 && s % 9 === 0 ? STALE_NAN : v);
    }
  }
  await app.commit();
  return st;
}

/** shape is what must match; annotation positions are left out (the materialised form is written 3 columns to the right). */
function shape(r: QueryResult): unknown {
  const unplaced = (xs: readonly string[]): string[] => xs.map((x) => x.replace(/ \(\d+:\d+\)$/, ''));
  return { value: r.value, stats: [r.stats.totalSamples, r.stats.peakSamples, r.stats.samplesPerStep], warnings: unplaced(r.warnings), infos: unplaced(r.infos) };
}

describe('aggregations over rate/increase/delta of a selector (evaluated without materialising the rates)', () => {
  const ops = ['sum', 'avg', 'count', 'group', 'min', 'max', 'stddev', 'stdvar'];
  const fns = ['rate', 'increase', 'delta'];
  const groupings = ['by (g)', 'without (i)', '', 'by (__name__, h)'];
  const cases: [string, string][] = [];
  for (const op of ops) for (const fn of fns) for (const g of groupings) cases.push([`${op} ${g} (${fn}(x_total[5m]))`, `${op} ${g} (-(-${fn}(x_total[5m])))`]);
  cases.push(['sum by (g) (rate({__name__=~"x_total|temp"}[2m] offset 1m))', 'sum by (g) (-(-rate({__name__=~"x_total|temp"}[2m] offset 1m)))']);
  cases.push(['avg(rate({__name__=~".+"}[5m] @ 1800))', 'avg(-(-rate({__name__=~".+"}[5m] @ 1800)))']);

  it.each(cases)('%s answers as the materialised evaluation', async (fused, plain) => {
    const st = await load();
    const e = new Engine();
    expect(shape(e.rangeQuery(st, fused, 0, 3_600_000, 30_000))).toEqual(shape(e.rangeQuery(st, plain, 0, 3_600_000, 30_000)));
    expect(shape(e.instantQuery(st, fused, 1_800_000))).toEqual(shape(e.instantQuery(st, plain, 1_800_000)));
  });

  it('places the possible non-counter info at the selector', async () => {
    const r = new Engine().instantQuery(await load(), 'sum(rate(temp[5m]))', 1_800_000);
    expect(r.infos).toEqual(['PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "temp" (1:10)']);
  });

  it('enforces the sample limit at the same point', async () => {
    const st = await load();
    for (const maxSamples of [100, 5_000, 7_000, 9_000, 20_000]) {
      const run = (q: string): string => {
        try {
          new Engine({ maxSamples }).rangeQuery(st, q, 0, 3_600_000, 30_000);
          return 'ok';
        } catch (err) {
          return (err as Error).message;
        }
      };
      expect(run('sum by (g) (rate(x_total[5m]))')).toBe(run('sum by (g) (-(-rate(x_total[5m])))'));
    }
  });
});
