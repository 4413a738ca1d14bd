import { describe, expect, it } from 'vitest';
import { labelsFromRecord } from '../../model/labels.js';
import { MemoryStorage } from '../promqltest/memory-storage.js';
import { Engine } from './engine.js';

async function load(): Promise<MemoryStorage> {
  const st = new MemoryStorage();
  const app = st.appender();
  for (let i = 0; i <= 10; i++) {
    app.append(0, labelsFromRecord({ __name__: 'x_total', job: 'a' }), i * 60_000, i * 10);
    app.append(0, labelsFromRecord({ __name__: 'x_total', job: 'b' }), i * 60_000, i * 20);
  }
  await app.commit();
  return st;
}

describe('Engine', () => {
  const cases: [string, number, Record<string, number>][] = [
    ['x_total', 600, { '{__name__="x_total", job="a"}': 100, '{__name__="x_total", job="b"}': 200 }],
    ['sum(x_total)', 600, { '{}': 300 }],
    ['rate(x_total[5m])', 600, { '{job="a"}': 10 / 60, '{job="b"}': 20 / 60 }],
    ['x_total > 150', 600, { '{__name__="x_total", job="b"}': 200 }],
    ['x_total / on(job) x_total', 600, { '{job="a"}': 1, '{job="b"}': 1 }],
  ];
  it.each(cases)('%s at %is', async (q, t, want) => {
    const st = await load();
    const r = new Engine().instantQuery(st, q, t * 1000);
    expect(r.value.kind).toBe('vector');
    if (r.value.kind !== 'vector') return;
    const got: Record<string, number> = {};
    for (const s of r.value.samples) got['{' + s.metric.map((l) => `${l.name}="${l.value}"`).join(', ') + '}'] = s.f;
    expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
    for (const k of Object.keys(want)) expect(got[k]).toBeCloseTo(want[k]!, 9);
  });

  it('range query returns a sorted matrix, scalars per step', async () => {
    const st = await load();
    const r = new Engine().rangeQuery(st, 'x_total * 2', 0, 120_000, 60_000);
    expect(r.value.kind).toBe('matrix');
    if (r.value.kind !== 'matrix') return;
    expect(r.value.series.map((s) => s.vs)).toEqual([[0, 20, 40], [0, 40, 80]]);
  });

  it('enforces max samples and reports the rate annotation', async () => {
    const st = await load();
    expect(() => new Engine({ maxSamples: 3 }).rangeQuery(st, 'x_total', 0, 600_000, 60_000)).toThrow(/too many samples/);
    const r = new Engine().instantQuery(st, 'rate({job="a"}[5m]) + rate(foo[1m])', 600_000);
    expect(r.infos).toEqual([]);
  });

  it('fails on duplicate label sets after dropping names', async () => {
    const st = await load();
    const app = st.appender();
    app.append(0, labelsFromRecord({ __name__: 'y_total', job: 'a' }), 0, 1);
    await app.commit();
    expect(() => new Engine().instantQuery(st, '-{job="a"}', 0)).toThrow('vector cannot contain metrics with the same labelset');
  });

  it('honours cancellation and the injected clock for timeouts', async () => {
    const st = await load();
    const ac = new AbortController();
    ac.abort();
    expect(() => new Engine().instantQuery(st, 'x_total', 0, { signal: ac.signal })).toThrow(/canceled/);
    let t = 0;
    const e = new Engine({ timeout: 10, now: () => (t += 100) });
    expect(() => e.rangeQuery(st, 'sum(x_total)', 0, 600_000, 60_000)).toThrow(/timed out/);
  });

  it('reports bad_data for parse errors and range vectors in range queries', async () => {
    const st = await load();
    expect(() => new Engine().instantQuery(st, 'sum(', 0)).toThrow(expect.objectContaining({ kind: 'bad_data' }));
    expect(() => new Engine().rangeQuery(st, 'x_total[5m]', 0, 60_000, 60_000)).toThrow(expect.objectContaining({ kind: 'bad_data' }));
  });

  it('adds the possible non-counter info for rate on names without a counter suffix', async () => {
    const st = new MemoryStorage();
    const app = st.appender();
    for (let i = 0; i < 5; i++) app.append(0, labelsFromRecord({ __name__: 'temp' }), i * 60_000, i);
    await app.commit();
    const r = new Engine().instantQuery(st, 'rate(temp[5m])', 240_000);
    expect(r.infos).toEqual(['PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "temp" (1:6)']);
  });

  describe('label_replace uses RE2 with Go expansion', () => {
    const f = async (q: string): Promise<string[]> => {
      const r = new Engine().instantQuery(await load(), q, 600_000);
      if (r.value.kind !== 'vector') throw new Error(r.value.kind);
      return r.value.samples.map((s) => s.metric.map((l) => `${l.name}=${l.value}`).join(',')).sort();
    };
    it.each([
      ['label_replace(x_total, "dst", "${n}-$1-$$", "job", "(?P<n>a|b)")', ['__name__=x_total,dst=a-a-$,job=a', '__name__=x_total,dst=b-b-$,job=b']],
      ['label_replace(x_total, "dst", "$1x|${1}x", "job", "(a)")', ['__name__=x_total,dst=|ax,job=a', '__name__=x_total,job=b']],
      ['label_replace(x_total, "dst", "[$2]", "job", "(?i)(A)(z)?")', ['__name__=x_total,dst=[],job=a', '__name__=x_total,job=b']],
    ])('%s', async (q, want) => expect(await f(q)).toEqual(want));
    it('refuses a pattern RE2 lacks and finishes a backtracking one in linear time', async () => {
      await expect(f('label_replace(x_total, "d", "$1", "job", "(?=a)")')).rejects.toThrow('invalid regular expression in label_replace(): (?=a)');
      const t0 = performance.now();
      await f(`label_replace(label_replace(x_total{job="a"}, "job", "${'a'.repeat(60)}", "", ""), "d", "$1", "job", "(a+)+c")`);
      expect(performance.now() - t0).toBeLessThan(500);
    });
  });
});
