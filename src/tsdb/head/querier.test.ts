import { describe, expect, it } from 'vitest';
import { labelsFromRecord, labelsToString } from '../../model/labels.js';
import { newMatcher, type Matcher, type MatchType } from '../../model/matcher.js';
import { Head } from './head.js';

async function fixture(): Promise<Head> {
  const h = new Head();
  const a = h.appender();
  const series: Record<string, string>[] = [
    { __name__: 'cpu', mode: 'idle', instance: 'b' },
    { __name__: 'cpu', mode: 'user', instance: 'a' },
    { __name__: 'cpu', mode: 'system', instance: 'a' },
    { __name__: 'mem', instance: 'a' },
    { __name__: 'mem', instance: 'b', extra: 'x' },
  ];
  series.forEach((rec, i) => {
    a.append(0, labelsFromRecord(rec), 1000 + i, i);
    a.append(0, labelsFromRecord(rec), 2000 + i, i + 10);
  });
  a.append(0, labelsFromRecord({ __name__: 'late', instance: 'c' }), 50_000, 1);
  await a.commit();
  return h;
}

const m = (spec: [string, MatchType, string][]): Matcher[] => spec.map(([n, t, v]) => newMatcher(t, n, v));

describe('HeadQuerier.select', () => {
  it('selects with every matcher type and sorts by labels', async () => {
    const h = await fixture();
    const q = h.querier(0, 100_000);
    const table: [[string, MatchType, string][], string[]][] = [
      [[['__name__', '=', 'cpu']], ['cpu{instance="a", mode="system"}', 'cpu{instance="a", mode="user"}', 'cpu{instance="b", mode="idle"}']],
      [[['__name__', '=', 'cpu'], ['mode', '!=', 'idle']], ['cpu{instance="a", mode="system"}', 'cpu{instance="a", mode="user"}']],
      [[['__name__', '=~', 'c.u|mem'], ['instance', '=', 'b']], ['cpu{instance="b", mode="idle"}', 'mem{extra="x", instance="b"}']],
      [[['__name__', '=~', '.+'], ['mode', '!~', 'id.*|user']], ['cpu{instance="a", mode="system"}', 'late{instance="c"}', 'mem{extra="x", instance="b"}', 'mem{instance="a"}']],
      [[['__name__', '=', 'mem'], ['extra', '=', '']], ['mem{instance="a"}']],
      [[['__name__', '=', 'mem'], ['extra', '!=', '']], ['mem{extra="x", instance="b"}']],
      [[['__name__', '=', 'nope']], []],
    ];
    for (const [spec, want] of table) {
      const ss = q.select(true, undefined, m(spec));
      const got: string[] = [];
      while (ss.next()) got.push(labelsToString(ss.at().labels));
      expect(got, JSON.stringify(spec)).toEqual(want);
    }
  });

  it('clips samples to the range and seeks', async () => {
    const h = await fixture();
    const ss = h.querier(1500, 2001).select(true, undefined, m([['__name__', '=', 'cpu']]));
    const got: number[][] = [];
    while (ss.next()) {
      const it = ss.at().iterator();
      const xs: number[] = [];
      while (it.next()) xs.push(it.atT());
      got.push(xs);
      const it2 = ss.at().iterator();
      expect(it2.seek(0)).toBe(xs.length > 0);
      expect(it2.seek(5000)).toBe(false);
    }
    // a series whose chunk overlaps the range but has no sample in it comes back empty, as in Prometheus
    expect(got).toEqual([[], [2001], [2000]]);
    expect(h.querier(3000, 4000).select(true, undefined, m([['__name__', '=', 'cpu']])).next()).toBe(false);
  });

  it('does not see samples committed after select', async () => {
    const h = new Head();
    const a = h.appender();
    const ref = a.append(0, labelsFromRecord({ __name__: 'x' }), 1, 1);
    await a.commit();
    const ss = h.querier(0, 100).select(false, undefined, m([['__name__', '=', 'x']]));
    expect(ss.next()).toBe(true);
    const b = h.appender();
    b.append(ref, [], 2, 2);
    await b.commit();
    const it = ss.at().iterator();
    const ts: number[] = [];
    while (it.next()) ts.push(it.atT());
    expect(ts).toEqual([1]);
  });
});

describe('HeadQuerier labels', () => {
  it('lists label names and values, honouring matchers and limits', async () => {
    const h = await fixture();
    const q = h.querier(0, 10_000);
    expect(q.labelNames([])).toEqual(['__name__', 'extra', 'instance', 'mode']);
    expect(q.labelNames(m([['__name__', '=', 'mem']]))).toEqual(['__name__', 'extra', 'instance']);
    expect(q.labelValues('instance', [])).toEqual(['a', 'b', 'c']);
    expect(q.labelValues('instance', m([['__name__', '=', 'mem']]))).toEqual(['a', 'b']);
    expect(q.labelValues('mode', [], { limit: 2 })).toEqual(['idle', 'system']);
    expect(q.labelValues('nope', [])).toEqual([]);
    expect(h.querier(100_000, 200_000).labelValues('instance', [])).toEqual([]);
  });
});
