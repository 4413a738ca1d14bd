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
});

function dump(q: Querier): [number, number, number][] {
  const set = q.select(true, undefined, [newMatcher('=', '__name__', 'm')]);
  const out: [number, number, number][] = [];
  while (set.next()) {
    const it = set.at().iterator();
    while (it.next()) out.push([it.atT(), it.atV(), it.atST()]);
  }
  return out;
}
