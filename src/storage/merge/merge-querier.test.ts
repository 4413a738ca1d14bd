import { describe, expect, it } from 'vitest';
import { compareLabels, getLabel, labelsFromRecord, labelsToString } from '../../model/labels.js';
import type { Labels } from '../../model/labels.js';
import { newMatcher } from '../../model/matcher.js';
import type { Matcher } from '../../model/matcher.js';
import { StorageError } from '../errors.js';
import type { LabelHints, Querier } from '../interface.js';
import { runQuerierConformance } from '../querier-conformance.js';
import type { ConformanceSeries } from '../querier-conformance.js';
import type { Series, SeriesSet } from '../series.js';
import { seriesSetFromArray } from '../series.js';
import { sampleIteratorFromArrays } from './array-iterator.js';
import { mergeQueriers, mergeSortedUnique } from './merge-querier.js';

/** memQuerier is a trivial in-memory Querier over [mint, maxt]; unsorted selects keep insertion order. */
function memQuerier(data: readonly ConformanceSeries[], mint: number, maxt: number, warnings: string[] = []): Querier {
  const matching = (ms: readonly Matcher[]) =>
    data.filter((s) => ms.every((m) => m.matches(getLabel(s.labels, m.name))));
  const cap = (list: string[], hints?: LabelHints) => (hints?.limit ? list.slice(0, hints.limit) : list);
  return {
    select(sorted, _hints, ms) {
      const out: Series[] = [];
      for (const s of matching(ms)) {
        const kept = s.samples.filter(([t]) => t >= mint && t <= maxt);
        if (kept.length === 0) continue;
        const ts = Float64Array.from(kept, (x) => x[0]);
        const vs = Float64Array.from(kept, (x) => x[1]);
        out.push({ labels: s.labels, iterator: () => sampleIteratorFromArrays(ts, vs) });
      }
      if (sorted) out.sort((a, b) => compareLabels(a.labels, b.labels));
      return seriesSetFromArray(out, warnings);
    },
    labelValues(name, ms, hints) {
      const set = new Set<string>();
      for (const s of matching(ms)) {
        const v = getLabel(s.labels, name);
        if (v !== '') set.add(v);
      }
      return cap([...set].sort(), hints);
    },
    labelNames(ms, hints) {
      const set = new Set<string>();
      for (const s of matching(ms)) for (const l of s.labels) set.add(l.name);
      return cap([...set].sort(), hints);
    },
    close() {},
  };
}

/** split spreads each series' samples over three queriers with overlapping, duplicated ranges. */
function split(data: readonly ConformanceSeries[]): ConformanceSeries[][] {
  const parts: ConformanceSeries[][] = [[], [], []];
  data.forEach((s, k) => {
    const n = s.samples.length;
    if (k % 4 === 3) {
      parts[1]!.push(s);
      return;
    }
    parts[0]!.push({ labels: s.labels, samples: s.samples.slice(0, Math.ceil(n * 0.6)) });
    parts[1]!.push({ labels: s.labels, samples: s.samples.slice(Math.floor(n * 0.4)) });
    parts[2]!.push({ labels: s.labels, samples: s.samples.filter((_, i) => i % 3 === 1) });
  });
  // Reverse insertion order so that unsorted child output differs from sorted output.
  return parts.map((p) => p.reverse());
}

runQuerierConformance('mergeQueriers over 3 overlapping in-memory queriers', (data, mint, maxt) =>
  mergeQueriers(split(data).map((p) => memQuerier(p, mint, maxt))),
);

runQuerierConformance('mergeQueriers over 1 querier', (data, mint, maxt) => mergeQueriers([memQuerier(data, mint, maxt)]));

const L = (rec: Record<string, string>): Labels => labelsFromRecord(rec);
const ser = (labels: Labels, samples: [number, number][]): ConformanceSeries => ({ labels, samples });
const all = [newMatcher('=~', '__name__', '.+')];

function collect(set: SeriesSet): [string, [number, number][]][] {
  const out: [string, [number, number][]][] = [];
  while (set.next()) {
    const s = set.at();
    const it = s.iterator();
    const samples: [number, number][] = [];
    while (it.next()) samples.push([it.atT(), it.atV()]);
    out.push([labelsToString(s.labels), samples]);
  }
  return out;
}

describe('mergeQueriers', () => {
  it('merges series present in several queriers; first querier wins duplicate timestamps', () => {
    const a = memQuerier([ser(L({ __name__: 'm', x: '1' }), [[1, 10], [2, 20]]), ser(L({ __name__: 'm', x: '3' }), [[1, 1]])], 0, 100);
    const b = memQuerier([ser(L({ __name__: 'm', x: '2' }), [[5, 5]]), ser(L({ __name__: 'm', x: '1' }), [[2, 99], [3, 30]])], 0, 100);
    expect(collect(mergeQueriers([a, b]).select(false, undefined, all))).toEqual([
      ['m{x="1"}', [[1, 10], [2, 20], [3, 30]]],
      ['m{x="2"}', [[5, 5]]],
      ['m{x="3"}', [[1, 1]]],
    ]);
    expect(collect(mergeQueriers([b, a]).select(true, undefined, all))[0]).toEqual(['m{x="1"}', [[1, 10], [2, 99], [3, 30]]]);
  });

  it('orders by labels, not by name alone', () => {
    const a = memQuerier([ser(L({ __name__: 'a', z: '1' }), [[1, 1]]), ser(L({ __name__: 'b' }), [[1, 1]])], 0, 9);
    const b = memQuerier([ser(L({ __name__: 'a' }), [[1, 1]]), ser(L({ __name__: 'a', y: '1' }), [[1, 1]])], 0, 9);
    expect(collect(mergeQueriers([a, b]).select(true, undefined, all)).map((x) => x[0])).toEqual([
      'a',
      'a{y="1"}',
      'a{z="1"}',
      'b',
    ]);
  });

  it('merges label listings as sorted unions and applies the limit', () => {
    const a = memQuerier([ser(L({ __name__: 'm', job: 'b', x: '1' }), [[1, 1]])], 0, 9);
    const b = memQuerier([ser(L({ __name__: 'm', job: 'a', y: '1' }), [[1, 1]]), ser(L({ __name__: 'n', job: 'c' }), [[1, 1]])], 0, 9);
    const q = mergeQueriers([a, b]);
    expect(q.labelNames([])).toEqual(['__name__', 'job', 'x', 'y']);
    expect(q.labelValues('job', [])).toEqual(['a', 'b', 'c']);
    expect(q.labelValues('job', [newMatcher('=', '__name__', 'm')])).toEqual(['a', 'b']);
    expect(q.labelValues('job', [], { limit: 2 })).toEqual(['a', 'b']);
  });

  it('concatenates warnings of all queriers', () => {
    const a = memQuerier([ser(L({ __name__: 'm' }), [[1, 1]])], 0, 9, ['wa']);
    const b = memQuerier([], 0, 9, ['wb']);
    const set = mergeQueriers([a, b]).select(true, undefined, all);
    while (set.next());
    expect(set.warnings()).toEqual(['wa', 'wb']);
  });

  const corrupt = (when: 'select' | 'next'): Querier => ({
    ...memQuerier([], 0, 9),
    select() {
      if (when === 'select') throw new StorageError('corruption', 'block 01BAD: bad checksum');
      let n = 0;
      return {
        next: () => {
          if (n++ === 0) return true;
          throw new StorageError('corruption', 'block 01BAD: bad chunk');
        },
        at: () => ({ labels: L({ __name__: 'm', x: '0' }), iterator: () => sampleIteratorFromArrays([1], [7]) }),
        warnings: () => [],
      };
    },
  });

  for (const when of ['select', 'next'] as const) {
    it(`skips a querier that throws corruption during ${when}, with a warning naming it`, () => {
      const good = memQuerier([ser(L({ __name__: 'm', x: '1' }), [[1, 1]]), ser(L({ __name__: 'm', x: '2' }), [[2, 2]])], 0, 9);
      const q = mergeQueriers([corrupt(when), good], { names: ['block 01BAD', 'head'] });
      const set = q.select(true, undefined, all);
      const got = collect(set).map((x) => x[0]);
      expect(got).toEqual(when === 'select' ? ['m{x="1"}', 'm{x="2"}'] : ['m{x="0"}', 'm{x="1"}', 'm{x="2"}']);
      expect(set.warnings()).toHaveLength(1);
      expect(set.warnings()[0]).toContain('block 01BAD skipped');
      expect(set.warnings()[0]).toContain('corruption');
    });
  }

  it('skips a corrupt querier in label listings and reports it through onWarning', () => {
    const bad: Querier = {
      ...memQuerier([], 0, 9),
      labelNames() {
        throw new StorageError('corruption', 'index');
      },
    };
    const warnings: string[] = [];
    const q = mergeQueriers([bad, memQuerier([ser(L({ __name__: 'm' }), [[1, 1]])], 0, 9)], { onWarning: (w) => warnings.push(w) });
    expect(q.labelNames([])).toEqual(['__name__']);
    expect(warnings).toEqual(['querier 0 skipped: corruption: index']);
  });

  it('propagates errors other than corruption', () => {
    const bad: Querier = {
      ...memQuerier([], 0, 9),
      select() {
        throw new StorageError('io', 'disk gone');
      },
    };
    expect(() => mergeQueriers([bad, memQuerier([], 0, 9)]).select(true, undefined, all)).toThrow('disk gone');
  });

  it('closes every querier', () => {
    let closed = 0;
    const q = (): Querier => ({ ...memQuerier([], 0, 9), close: () => void closed++ });
    mergeQueriers([q(), q(), q()]).close();
    expect(closed).toBe(3);
  });

  it('zero queriers behave as empty storage', () => {
    const q = mergeQueriers([]);
    expect(q.select(true, undefined, all).next()).toBe(false);
    expect(q.labelNames([])).toEqual([]);
  });
});

describe('mergeSortedUnique', () => {
  const cases: [string[][], number, string[]][] = [
    [[], 0, []],
    [[['a', 'b']], 0, ['a', 'b']],
    [[['a', 'c'], ['b', 'c', 'd'], []], 0, ['a', 'b', 'c', 'd']],
    [[['b'], ['a'], ['a', 'b']], 0, ['a', 'b']],
    [[['a', 'c'], ['b', 'd']], 3, ['a', 'b', 'c']],
  ];
  for (const [lists, limit, want] of cases) {
    it(`${JSON.stringify(lists)} limit ${limit}`, () => expect(mergeSortedUnique(lists, limit)).toEqual(want));
  }
});
