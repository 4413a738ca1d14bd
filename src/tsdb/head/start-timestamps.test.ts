import { describe, expect, it } from 'vitest';
import { labelsFromRecord } from '../../model/labels.js';
import { newMatcher } from '../../model/matcher.js';
import type { Querier } from '../../storage/interface.js';
import { Head } from './head.js';

/** readST returns [t, v, st] of every sample of the series named name. */
function readST(q: Querier, name: string): [number, number, number][] {
  const ss = q.select(true, undefined, [newMatcher('=', '__name__', name)]);
  const out: [number, number, number][] = [];
  while (ss.next()) {
    const it = ss.at().iterator();
    while (it.next()) out.push([it.atT(), it.atV(), it.atST()]);
  }
  return out;
}

describe('Head start timestamps', () => {
  const c = labelsFromRecord({ __name__: 'c' });

  it('keeps the start timestamps of samples appended with one (0 for the others) once committed', async () => {
    const h = new Head();
    const a = h.appender();
    a.appendST!(0, c, 1000, 500, 1);
    a.append(0, c, 2000, 2);
    a.appendST!(0, c, 3000, 2500, 1);
    expect(readST(h.querier(0, 10_000), 'c')).toEqual([]);
    await a.commit();
    expect(readST(h.querier(0, 10_000), 'c')).toEqual([
      [1000, 1, 500],
      [2000, 2, 0],
      [3000, 1, 2500],
    ]);
    // seek lands on a sample with its start timestamp.
    const ss = h.querier(0, 10_000).select(false, undefined, [newMatcher('=', '__name__', 'c')]);
    expect(ss.next()).toBe(true);
    const it = ss.at().iterator();
    expect(it.seek(2500)).toBe(true);
    expect([it.atT(), it.atST()]).toEqual([3000, 2500]);
  });

  it('drops the start timestamps of a rolled-back batch', async () => {
    const h = new Head();
    const a = h.appender();
    a.appendST!(0, c, 1000, 500, 1);
    a.rollback();
    const b = h.appender();
    b.append(0, c, 1000, 1);
    await b.commit();
    expect(readST(h.querier(0, 10_000), 'c')).toEqual([[1000, 1, 0]]);
  });

  it('does not keep the start timestamp of a rejected sample', async () => {
    const h = new Head();
    const a = h.appender();
    a.append(0, c, 2000, 1);
    expect(() => a.appendST!(0, c, 1000, 500, 1)).toThrow();
    await a.commit();
    expect(readST(h.querier(0, 10_000), 'c')).toEqual([[2000, 1, 0]]);
  });
});
