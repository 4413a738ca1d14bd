/**
 * Shared Querier conformance suite: every Querier implementation (head, block, merged, DB) runs the
 * same checks. Call runQuerierConformance from a *.test.ts file.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { compareLabels, labelsFromRecord, labelsToString } from '../model/labels.js';
import type { Labels } from '../model/labels.js';
import { newMatcher } from '../model/matcher.js';
import type { Matcher, MatchType } from '../model/matcher.js';
import { STALE_NAN, isStaleNaN } from '../model/sample.js';
import type { Querier } from './interface.js';
import type { SampleIterator, SeriesSet } from './series.js';

/** ConformanceSeries is one input series for the conformance suite; samples are [t, v] in ascending t. */
export interface ConformanceSeries {
  labels: Labels;
  samples: [number, number][];
}

/** MakeQuerierFor builds the implementation under test holding data, and opens a querier over [mint, maxt] (inclusive). */
export type MakeQuerierFor = (
  data: ConformanceSeries[],
  mint: number,
  maxt: number,
) => Promise<Querier> | Querier;

/** CONFORMANCE_T0 is the first timestamp of the conformance data set (ms). */
export const CONFORMANCE_T0 = 1_700_000_000_000;
/** CONFORMANCE_STEP is the spacing of the conformance data set's samples (ms). */
export const CONFORMANCE_STEP = 15_000;
const N = 30;
const T0 = CONFORMANCE_T0;
const STEP = CONFORMANCE_STEP;
const T_END = T0 + (N - 1) * STEP;

function ramp(n: number, f: (i: number) => number, from = 0): [number, number][] {
  const out: [number, number][] = [];
  for (let i = from; i < n; i++) out.push([T0 + i * STEP, f(i)]);
  return out;
}

/** conformanceData returns the data set the suite loads into the implementation under test. */
export function conformanceData(): ConformanceSeries[] {
  const specials = [1, Number.NaN, STALE_NAN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2.5, STALE_NAN, 3];
  return [
    { labels: labelsFromRecord({ __name__: 'up', job: 'api', instance: 'a:9090' }), samples: ramp(N, () => 1) },
    { labels: labelsFromRecord({ __name__: 'up', job: 'api', instance: 'b:9090' }), samples: ramp(N, (i) => i % 2) },
    {
      labels: labelsFromRecord({ __name__: 'up', job: 'db', instance: 'c:5432', env: 'prod' }),
      samples: ramp(N, () => 1),
    },
    {
      labels: labelsFromRecord({ __name__: 'http_requests_total', job: 'api', instance: 'a:9090', method: 'GET', code: '200' }),
      samples: ramp(N, (i) => i * 10.5),
    },
    {
      labels: labelsFromRecord({ __name__: 'http_requests_total', job: 'api', instance: 'a:9090', method: 'POST', code: '500' }),
      samples: ramp(N, (i) => i * 0.25 - 1e-9),
    },
    {
      labels: labelsFromRecord({ __name__: 'weird', job: 'api-canary', path: '/a\nb', city: 'Zürich' }),
      samples: ramp(N, (i) => -i * 1e300),
    },
    {
      labels: labelsFromRecord({ __name__: 'nan_series', job: 'nan' }),
      samples: specials.map((v, i): [number, number] => [T0 + i * STEP, v]),
    },
    { labels: labelsFromRecord({ __name__: 'early_only', job: 'old' }), samples: ramp(4, (i) => i) },
    { labels: labelsFromRecord({ __name__: 'late_only', job: 'new' }), samples: ramp(N, (i) => i, N - 3) },
    {
      labels: labelsFromRecord({ __name__: 'sparse', job: 'api', instance: 'z' }),
      samples: [
        [T0, 7],
        [T_END, 8],
      ],
    },
  ];
}

type M = [MatchType, string, string];

function ms(list: readonly M[]): Matcher[] {
  return list.map(([t, n, v]) => newMatcher(t, n, v));
}

/** Printed form of a value that distinguishes NaN from the stale marker. */
function showValue(v: number): string | number {
  if (isStaleNaN(v)) return 'stale';
  if (Number.isNaN(v)) return 'NaN';
  return v;
}

interface Got {
  labels: string;
  samples: [number, string | number][];
}

function drainIt(it: SampleIterator): [number, string | number][] {
  const out: [number, string | number][] = [];
  while (it.next()) out.push([it.atT(), showValue(it.atV())]);
  return out;
}

function drainSet(set: SeriesSet): { got: Got[]; labels: Labels[] } {
  const got: Got[] = [];
  const labels: Labels[] = [];
  while (set.next()) {
    const s = set.at();
    labels.push(s.labels.map((l) => ({ name: l.name, value: l.value })));
    got.push({ labels: labelsToString(s.labels), samples: drainIt(s.iterator()) });
  }
  return { got, labels };
}

function expected(data: ConformanceSeries[], matchers: Matcher[], mint: number, maxt: number): Got[] {
  const out: { labels: Labels; got: Got }[] = [];
  for (const s of data) {
    if (!matchers.every((m) => m.matches(s.labels.find((l) => l.name === m.name)?.value ?? ''))) continue;
    const samples = s.samples.filter(([t]) => t >= mint && t <= maxt).map(([t, v]): [number, string | number] => [t, showValue(v)]);
    if (samples.length === 0) continue;
    out.push({ labels: s.labels, got: { labels: labelsToString(s.labels), samples } });
  }
  return out.sort((a, b) => compareLabels(a.labels, b.labels)).map((x) => x.got);
}

/**
 * straddlers names the series that have samples before and after [mint, maxt] but none inside: like
 * Prometheus (which selects by chunk time ranges), an implementation may return them with no samples.
 */
function straddlers(data: ConformanceSeries[], mint: number, maxt: number): Set<string> {
  const out = new Set<string>();
  for (const s of data) {
    const ts = s.samples.map(([t]) => t);
    if (ts.some((t) => t < mint) && ts.some((t) => t > maxt) && !ts.some((t) => t >= mint && t <= maxt)) {
      out.add(labelsToString(s.labels));
    }
  }
  return out;
}

/**
 * runQuerierConformance registers vitest describe/it blocks that check a Querier implementation:
 * matcher semantics (incl. empty values and anchored regexes), sorted output, inclusive time clipping,
 * seek, NaN and stale marker values, label listings, and empty results. A series whose samples straddle
 * the range with none inside may be returned with an empty iterator (Prometheus selects by chunk ranges).
 */
export function runQuerierConformance(name: string, makeQuerierFor: MakeQuerierFor): void {
  describe(`Querier conformance: ${name}`, () => {
    const open: Querier[] = [];
    const make = async (data: ConformanceSeries[], mint: number, maxt: number): Promise<Querier> => {
      const q = await makeQuerierFor(data, mint, maxt);
      open.push(q);
      return q;
    };
    afterEach(() => {
      for (const q of open.splice(0)) q.close();
    });

    describe('select matchers', () => {
      const cases: { name: string; m: M[]; n: number }[] = [
        { name: 'equal on name', m: [['=', '__name__', 'up']], n: 3 },
        { name: 'two equals', m: [['=', '__name__', 'up'], ['=', 'job', 'api']], n: 2 },
        { name: 'not equal', m: [['=', '__name__', 'up'], ['!=', 'job', 'api']], n: 1 },
        { name: 'regex is anchored', m: [['=~', 'job', 'api']], n: 5 },
        { name: 'regex prefix', m: [['=~', 'job', 'api.*']], n: 6 },
        { name: 'regex alternation', m: [['=', '__name__', 'up'], ['=~', 'job', 'api|db']], n: 3 },
        { name: 'regex is case-sensitive', m: [['=~', 'job', 'API']], n: 0 },
        { name: 'regex (?i) flag', m: [['=~', 'job', '(?i)API']], n: 5 },
        { name: 'regex dot matches newline', m: [['=~', 'path', '/a.b']], n: 1 },
        { name: 'regex unicode value', m: [['=~', 'city', 'Z.rich']], n: 1 },
        { name: 'negative regex', m: [['=', '__name__', 'http_requests_total'], ['!~', 'code', '5..']], n: 1 },
        { name: 'negative regex is anchored', m: [['=', '__name__', 'up'], ['!~', 'instance', 'a']], n: 3 },
        { name: 'empty value selects series without the label', m: [['=', '__name__', 'up'], ['=', 'env', '']], n: 2 },
        { name: 'not-empty selects series with the label', m: [['=', '__name__', 'up'], ['!=', 'env', '']], n: 1 },
        { name: 'regex .* also matches missing label', m: [['=', '__name__', 'up'], ['=~', 'env', '.*']], n: 3 },
        { name: 'regex .+ needs the label', m: [['=', '__name__', 'up'], ['=~', 'env', '.+']], n: 1 },
        { name: 'negative regex .+ selects series without the label', m: [['=', '__name__', 'up'], ['!~', 'env', '.+']], n: 2 },
        { name: 'negative regex on value matches missing label', m: [['=', '__name__', 'up'], ['!~', 'env', 'prod']], n: 2 },
        { name: 'regex with empty alternative', m: [['=', '__name__', 'up'], ['=~', 'env', 'prod|']], n: 3 },
        { name: 'unknown label equal empty selects all', m: [['=', '__name__', 'up'], ['=', 'nonexistent', '']], n: 3 },
        { name: 'unknown label not-empty selects none', m: [['=', '__name__', 'up'], ['!=', 'nonexistent', '']], n: 0 },
        { name: 'same label twice', m: [['=~', 'job', 'api.*'], ['!=', 'job', 'api-canary']], n: 5 },
        { name: 'every series by name regex', m: [['=~', '__name__', '.+']], n: 10 },
        { name: 'only empty-matching matchers select every series', m: [['=', 'nonexistent', '']], n: 10 },
        { name: 'no match', m: [['=', '__name__', 'nope']], n: 0 },
        { name: 'contradiction', m: [['=', 'job', 'api'], ['=', 'job', 'db']], n: 0 },
      ];
      for (const c of cases) {
        it(`${c.name}: {${c.m.map(([t, n, v]) => `${n}${t}${JSON.stringify(v)}`).join(', ')}}`, async () => {
          const data = conformanceData();
          const q = await make(data, T0, T_END);
          const { got } = drainSet(q.select(true, undefined, ms(c.m)));
          expect(got).toEqual(expected(data, ms(c.m), T0, T_END));
          expect(got).toHaveLength(c.n);
        });
      }
    });

    it('returns labels exactly as stored, sorted by compareLabels', async () => {
      const data = conformanceData();
      const q = await make(data, T0, T_END);
      const { labels } = drainSet(q.select(true, { start: T0, end: T_END }, ms([['=~', '__name__', '.+']])));
      const want = data.map((d) => d.labels).sort(compareLabels);
      expect(labels).toEqual(want.map((l) => l.map((x) => ({ name: x.name, value: x.value }))));
      for (let i = 1; i < labels.length; i++) expect(compareLabels(labels[i - 1]!, labels[i]!)).toBeLessThan(0);
    });

    it('unsorted select returns the same series', async () => {
      const data = conformanceData();
      const q = await make(data, T0, T_END);
      const { got } = drainSet(q.select(false, undefined, ms([['=~', 'job', 'api.*']])));
      got.sort((a, b) => (a.labels < b.labels ? -1 : a.labels > b.labels ? 1 : 0));
      const want = expected(data, ms([['=~', 'job', 'api.*']]), T0, T_END);
      want.sort((a, b) => (a.labels < b.labels ? -1 : a.labels > b.labels ? 1 : 0));
      expect(got).toEqual(want);
    });

    it('select can be repeated and iterator() restarts', async () => {
      const data = conformanceData();
      const q = await make(data, T0, T_END);
      const first = drainSet(q.select(true, undefined, ms([['=', '__name__', 'up']]))).got;
      const set = q.select(true, undefined, ms([['=', '__name__', 'up']]));
      expect(set.next()).toBe(true);
      const s = set.at();
      const a = drainIt(s.iterator());
      const b = drainIt(s.iterator());
      expect(a).toEqual(b);
      expect(a).toEqual(first[0]!.samples);
    });

    describe('time clipping (inclusive at both ends)', () => {
      const cases: { name: string; mint: number; maxt: number }[] = [
        { name: 'bounds on samples', mint: T0 + 5 * STEP, maxt: T0 + 10 * STEP },
        { name: 'bounds between samples', mint: T0 + 5 * STEP + 1, maxt: T0 + 10 * STEP - 1 },
        { name: 'single-sample range', mint: T0 + 7 * STEP, maxt: T0 + 7 * STEP },
        { name: 'range wider than the data', mint: T0 - 1_000_000, maxt: T_END + 1_000_000 },
        { name: 'range ending on the first sample', mint: T0 - 10 * STEP, maxt: T0 },
        { name: 'range starting on the last sample', mint: T_END, maxt: T_END + 10 * STEP },
        { name: 'range after old series ended', mint: T0 + 4 * STEP, maxt: T_END },
      ];
      for (const c of cases) {
        it(c.name, async () => {
          const data = conformanceData();
          const q = await make(data, c.mint, c.maxt);
          const { got } = drainSet(q.select(true, { start: c.mint, end: c.maxt }, ms([['=~', '__name__', '.+']])));
          const straddling = straddlers(data, c.mint, c.maxt);
          const kept = got.filter((g) => g.samples.length > 0 || !straddling.has(g.labels));
          expect(kept).toEqual(expected(data, ms([['=~', '__name__', '.+']]), c.mint, c.maxt));
        });
      }
      it('range before all data selects nothing', async () => {
        const q = await make(conformanceData(), T0 - 10 * STEP, T0 - 1);
        expect(q.select(true, undefined, ms([['=~', '__name__', '.+']])).next()).toBe(false);
      });
      it('range after all data selects nothing', async () => {
        const q = await make(conformanceData(), T_END + 1, T_END + 10 * STEP);
        expect(q.select(true, undefined, ms([['=~', '__name__', '.+']])).next()).toBe(false);
      });
    });

    describe('seek', () => {
      type Op = ['next'] | ['seek', number];
      const at = (i: number): number => T0 + i * STEP;
      const mint = at(5);
      const maxt = at(20);
      const cases: { name: string; ops: Op[]; want: (number | false)[] }[] = [
        { name: 'seek before querier mint lands on first sample in range', ops: [['seek', at(0)]], want: [at(5)] },
        { name: 'seek exact', ops: [['seek', at(8)], ['next']], want: [at(8), at(9)] },
        { name: 'seek between samples', ops: [['seek', at(8) + 1]], want: [at(9)] },
        { name: 'seek backwards stays put', ops: [['seek', at(10)], ['seek', at(6)], ['seek', at(10)], ['next']], want: [at(10), at(10), at(10), at(11)] },
        { name: 'seek after next', ops: [['next'], ['next'], ['seek', at(15)], ['next']], want: [at(5), at(6), at(15), at(16)] },
        { name: 'seek to maxt', ops: [['seek', maxt], ['next']], want: [maxt, false] },
        { name: 'seek beyond querier maxt', ops: [['seek', maxt + 1]], want: [false] },
        { name: 'seek beyond data', ops: [['seek', at(100)], ['next']], want: [false, false] },
        { name: 'next after exhaustion', ops: [['seek', at(19)], ['next'], ['next'], ['seek', at(0)]], want: [at(19), at(20), false, false] },
      ];
      for (const c of cases) {
        it(c.name, async () => {
          const q = await make(conformanceData(), mint, maxt);
          const set = q.select(true, undefined, ms([['=', '__name__', 'up'], ['=', 'instance', 'b:9090']]));
          expect(set.next()).toBe(true);
          const itr = set.at().iterator();
          const got = c.ops.map((op) => {
            const ok = op[0] === 'next' ? itr.next() : itr.seek(op[1]);
            return ok ? itr.atT() : false;
          });
          expect(got).toEqual(c.want);
          expect(set.next()).toBe(false);
        });
      }
      it('seek gives the value at the sample', async () => {
        const q = await make(conformanceData(), T0, T_END);
        const set = q.select(true, undefined, ms([['=', '__name__', 'http_requests_total'], ['=', 'method', 'GET']]));
        expect(set.next()).toBe(true);
        const itr = set.at().iterator();
        expect(itr.seek(T0 + 12 * STEP)).toBe(true);
        expect(itr.atV()).toBe(12 * 10.5);
      });
    });

    it('preserves NaN, stale markers and infinities', async () => {
      const q = await make(conformanceData(), T0, T_END);
      const set = q.select(true, undefined, ms([['=', '__name__', 'nan_series']]));
      expect(set.next()).toBe(true);
      const itr = set.at().iterator();
      const raw: number[] = [];
      while (itr.next()) raw.push(itr.atV());
      expect(raw.map(showValue)).toEqual([1, 'NaN', 'stale', Infinity, -Infinity, 2.5, 'stale', 3]);
      expect(isStaleNaN(raw[1]!)).toBe(false);
      expect(isStaleNaN(raw[2]!)).toBe(true);
    });

    describe('label listings', () => {
      const names = (data: ConformanceSeries[], m: Matcher[]): string[] => {
        const set = new Set<string>();
        for (const s of data) {
          if (!m.every((x) => x.matches(s.labels.find((l) => l.name === x.name)?.value ?? ''))) continue;
          for (const l of s.labels) set.add(l.name);
        }
        return [...set].sort();
      };
      const values = (data: ConformanceSeries[], label: string, m: Matcher[]): string[] => {
        const set = new Set<string>();
        for (const s of data) {
          if (!m.every((x) => x.matches(s.labels.find((l) => l.name === x.name)?.value ?? ''))) continue;
          const v = s.labels.find((l) => l.name === label)?.value;
          if (v !== undefined) set.add(v);
        }
        return [...set].sort();
      };
      const nameCases: M[][] = [[], [['=', '__name__', 'up']], [['=', 'job', 'db']], [['=', '__name__', 'up'], ['=', 'env', '']], [['=', '__name__', 'nope']]];
      for (const m of nameCases) {
        it(`labelNames(${JSON.stringify(m)})`, async () => {
          const data = conformanceData();
          const q = await make(data, T0, T_END);
          expect(q.labelNames(ms(m))).toEqual(names(data, ms(m)));
        });
      }
      const valueCases: [string, M[]][] = [
        ['job', []],
        ['__name__', []],
        ['job', [['=', '__name__', 'up']]],
        ['instance', [['=~', 'job', 'api.*']]],
        ['env', [['=', '__name__', 'http_requests_total']]],
        ['env', [['=', '__name__', 'up'], ['!=', 'env', '']]],
        ['nonexistent', []],
        ['job', [['=', '__name__', 'nope']]],
        ['path', [['=~', 'city', '.+']]],
      ];
      for (const [label, m] of valueCases) {
        it(`labelValues(${label}, ${JSON.stringify(m)})`, async () => {
          const data = conformanceData();
          const q = await make(data, T0, T_END);
          expect(q.labelValues(label, ms(m))).toEqual(values(data, label, ms(m)));
        });
      }
      it('limit caps listings', async () => {
        const data = conformanceData();
        const q = await make(data, T0, T_END);
        expect(q.labelValues('job', [], { limit: 2 })).toEqual(values(data, 'job', []).slice(0, 2));
        expect(q.labelNames([], { limit: 3 })).toEqual(names(data, []).slice(0, 3));
      });
    });

    describe('empty storage', () => {
      it('selects nothing and lists nothing', async () => {
        const q = await make([], T0, T_END);
        const set = q.select(true, undefined, ms([['=~', '__name__', '.+']]));
        expect(set.next()).toBe(false);
        expect(q.labelNames([])).toEqual([]);
        expect(q.labelValues('job', [])).toEqual([]);
      });
    });
  });
}
