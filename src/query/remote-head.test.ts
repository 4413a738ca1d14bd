import { describe, expect, it } from 'vitest';
import { labelsFromRecord } from '../model/labels.js';
import { newMatcher } from '../model/matcher.js';
import type { Querier } from '../storage/interface.js';
import { runQuerierConformance } from '../storage/querier-conformance.js';
import { Head } from '../tsdb/head/head.js';
import { headWithSeries } from '../tsdb/head/test-support.js';
import { RemoteHeadQuerier } from './remote-head.js';
import { inThreadHeadCaller } from './test-support.js';

runQuerierConformance('RemoteHeadQuerier', async (data, mint, maxt) => new RemoteHeadQuerier(inThreadHeadCaller(await headWithSeries(data)), mint, maxt));

describe('RemoteHeadQuerier', () => {
  it('reads out-of-order samples, tombstones and start timestamps as the head querier does', async () => {
    const head = new Head({ wal: null, outOfOrderWindow: () => 3_600_000 });
    const l = labelsFromRecord({ __name__: 'm', job: 'a' });
    const app = head.appender();
    let ref = 0;
    for (let i = 0; i < 300; i++) ref = app.appendST(ref, l, 1000 * (i * 2), i % 5 === 0 ? 7 : 0, i);
    await app.commit();
    const late = head.appender();
    for (let i = 0; i < 50; i++) late.append(0, l, 1000 * (i * 2 + 1), -i);
    await late.commit();
    await head.delete(100_000, 120_000, [newMatcher('=', 'job', 'a')]);
    const want = dump(head.querier(0, 500_000));
    const got = dump(new RemoteHeadQuerier(inThreadHeadCaller(head), 0, 500_000));
    expect(got.length).toBeGreaterThan(250);
    expect(got.some(([, v]) => v < 0)).toBe(true);
    expect(got.some(([, , st]) => st === 7)).toBe(true);
    expect(got).toEqual(want);
  });

  it('carries native histogram samples, mixed with floats and under tombstones, as the head querier reads them', async () => {
    const head = new Head({ wal: null });
    const l = labelsFromRecord({ __name__: 'm', job: 'h' });
    const app = head.appender();
    for (let i = 0; i < 200; i++) {
      const t = 1000 * i;
      if (i % 50 < 10) app.append(0, l, t, i);
      else {
        const custom = i >= 150;
        app.appendHistogram(0, l, t, undefined, {
          counterResetHint: 0,
          schema: custom ? -53 : 2,
          zeroThreshold: custom ? 0 : 0.01,
          zeroCount: custom ? 0 : i,
          count: 4 * i,
          sum: i / 3,
          positiveSpans: [{ offset: custom ? 0 : -2, length: 2 }],
          negativeSpans: [],
          positiveBuckets: [i, 2 * i],
          negativeBuckets: [],
          ...(custom ? { customValues: [0.5, 1] } : {}),
        });
      }
    }
    await app.commit();
    await head.delete(30_000, 40_000, [newMatcher('=', 'job', 'h')]);
    const want = dumpHist(head.querier(0, 500_000));
    const got = dumpHist(new RemoteHeadQuerier(inThreadHeadCaller(head), 5_000, 500_000));
    expect(want.filter((x) => typeof x[1] !== 'number').length).toBeGreaterThan(100);
    expect(got).toEqual(want.filter(([t]) => t >= 5_000));
  });
});

function dumpHist(q: Querier): [number, unknown][] {
  const set = q.select(true, undefined, [newMatcher('=', '__name__', 'm')]);
  const out: [number, unknown][] = [];
  while (set.next()) {
    const it = set.at().iterator();
    while (it.next()) {
      const fh = it.atFloatHistogram?.();
      out.push([it.atT(), fh !== undefined ? JSON.parse(JSON.stringify(fh)) : it.atV()]);
    }
  }
  return out;
}

function dump(q: Querier): [number, number, number][] {
  const set = q.select(true, undefined, [newMatcher('=', '__name__', 'm')]);
  const out: [number, number, number][] = [];
  while (set.next()) {
    const it = set.at().iterator();
    while (it.next()) out.push([it.atT(), it.atV(), it.atST()]);
  }
  return out;
}
