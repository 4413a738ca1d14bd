import { afterEach, describe, expect, it } from 'vitest';
import { labelsFromRecord } from '../model/labels.js';
import { newMatcher } from '../model/matcher.js';
import { CounterResetHint, type Histogram } from '../model/histogram/types.js';
import type { Querier } from '../storage/interface.js';
import { TSDB } from './db.js';
import { Cleanups } from './test-dirs.js';

const cleanups = new Cleanups();
afterEach(cleanups.run);

const HOUR = 3_600_000;

function hist(i: number): Histogram {
  return {
    counterResetHint: CounterResetHint.Unknown,
    schema: 0,
    zeroThreshold: 1e-128,
    zeroCount: 1,
    count: 1 + 3 * i,
    sum: i / 2,
    positiveSpans: [{ offset: 0, length: 3 }],
    negativeSpans: [],
    positiveBuckets: [i, 0, 0],
    negativeBuckets: [],
  };
}

function read(q: Querier): [number, number | string][] {
  const set = q.select(true, undefined, [newMatcher('=', '__name__', 'm')]);
  const out: [number, number | string][] = [];
  while (set.next()) {
    const it = set.at().iterator();
    while (it.next()) {
      const fh = it.atFloatHistogram?.();
      out.push([it.atT(), fh !== undefined ? `${fh.count}/${fh.sum}/${fh.positiveBuckets.join(',')}` : it.atV()]);
    }
  }
  q.close();
  return out;
}

describe('TSDB with native histograms', () => {
  it('cuts head histograms into blocks (through the histogram chunk encoders) and reads back the same samples', async () => {
    const db = await TSDB.open(cleanups.tempDir(), { blockRange: HOUR, compactionInterval: 0, sync: false });
    cleanups.add(() => void db.close());
    const app = db.appender();
    const l = labelsFromRecord({ __name__: 'm', job: 'x' });
    let ref = 0;
    for (let t = 0, i = 0; t <= 4 * HOUR; t += 60_000, i++) {
      // Floats, then histograms, then floats again: chunks of each kind in one series.
      if (t < HOUR / 2 || t > 3 * HOUR) ref = app.append(ref, l, t, i);
      else ref = app.appendHistogram!(ref, l, t, hist(i), undefined);
    }
    await app.commit();
    const before = read(db.querier(0, 4 * HOUR));
    expect(before.filter(([, v]) => typeof v === 'string').length).toBeGreaterThan(100);
    await db.compact();
    expect(db.blockRefs().length).toBeGreaterThan(0);
    expect(read(db.querier(0, 4 * HOUR))).toEqual(before);
  });
});
