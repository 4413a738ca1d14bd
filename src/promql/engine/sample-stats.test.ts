import { beforeAll, describe, expect, it } from 'vitest';
import { labelsFromRecord } from '../../model/labels.js';
import { MemoryStorage } from '../promqltest/memory-storage.js';
import { Engine } from './engine.js';

// The float cases of Prometheus's TestQueryStatistics (promql/engine_test.go): samples every 10s from t=0.
async function load(): Promise<MemoryStorage> {
  const st = new MemoryStorage();
  const app = st.appender();
  const series = [
    { __name__: 'metricWith1SampleEvery10Seconds' },
    { __name__: 'metricWith3SampleEvery10Seconds', a: '1', b: '1' },
    { __name__: 'metricWith3SampleEvery10Seconds', a: '2', b: '2' },
    { __name__: 'metricWith3SampleEvery10Seconds', a: '3', b: '2' },
  ];
  for (const s of series) for (let i = 0; i <= 100; i++) app.append(0, labelsFromRecord(s), i * 10_000, i + 1);
  await app.commit();
  return st;
}

describe('query sample statistics', () => {
  let st: MemoryStorage;
  beforeAll(async () => {
    st = await load();
  });
  // [query, start s, end s (null = instant), step s, total, per step]
  const cases: [string, number, number | null, number, number, number[]][] = [
    ['"literal string"', 21, null, 0, 0, [0]],
    ['1', 21, null, 0, 0, [0]],
    ['metricWith1SampleEvery10Seconds', 21, null, 0, 1, [1]],
    ['timestamp(metricWith1SampleEvery10Seconds)', 21, null, 0, 1, [1]],
    ['metricWith1SampleEvery10Seconds offset 10s', 21, null, 0, 1, [1]],
    ['metricWith1SampleEvery10Seconds @ 15', 21, null, 0, 1, [1]],
    ['metricWith3SampleEvery10Seconds{a="1"}[20s] @ 19', 21, null, 0, 2, [2]],
    ['metricWith3SampleEvery10Seconds', 21, null, 0, 3, [3]],
    ['metricWith1SampleEvery10Seconds[60s]', 201, null, 0, 6, [6]],
    ['max_over_time(metricWith1SampleEvery10Seconds[60s])[20s:5s]', 201, null, 0, 24, [24]],
    ['max_over_time(metricWith1SampleEvery10Seconds[61s])[20s:5s]', 201, null, 0, 26, [26]],
    ['metricWith1SampleEvery10Seconds[60s] @ 30', 201, null, 0, 4, [4]],
    ['sum(max_over_time(metricWith3SampleEvery10Seconds[60s] @ 30))', 201, null, 0, 12, [12]],
    ['absent_over_time(metricWith1SampleEvery10Seconds[60s])', 201, null, 0, 6, [6]],
    ['max_over_time(metricWith3SampleEvery10Seconds[60s])', 201, null, 0, 18, [18]],
    ['metricWith1SampleEvery10Seconds[60s:5s]', 201, null, 0, 12, [12]],
    ['metricWith1SampleEvery10Seconds[60s:5s] offset 10s', 201, null, 0, 12, [12]],
    ['max_over_time(metricWith3SampleEvery10Seconds[60s:5s])', 201, null, 0, 36, [36]],
    ['sum(max_over_time(metricWith3SampleEvery10Seconds[60s:5s])) + sum(max_over_time(metricWith3SampleEvery10Seconds[60s:5s]))', 201, null, 0, 72, [72]],
    ['metricWith3SampleEvery10Seconds{a="1"}', 201, 220, 5, 4, [1, 1, 1, 1]],
    ['metricWith3SampleEvery10Seconds{a="1"}', 204, 223, 5, 4, [1, 1, 1, 1]],
    ['timestamp(metricWith1SampleEvery10Seconds)', 201, 220, 5, 4, [1, 1, 1, 1]],
    ['max_over_time(metricWith3SampleEvery10Seconds{a="1"}[10s])', 991, 1021, 10, 2, [1, 1, 0, 0]],
    ['metricWith3SampleEvery10Seconds{a="1"} offset 10s', 201, 220, 5, 4, [1, 1, 1, 1]],
    ['max_over_time(metricWith3SampleEvery10Seconds[60s] @ 30)', 201, 220, 5, 48, [12, 12, 12, 12]],
    ['metricWith3SampleEvery10Seconds', 201, 220, 5, 12, [3, 3, 3, 3]],
    ['max_over_time(metricWith3SampleEvery10Seconds[60s])', 201, 220, 5, 72, [18, 18, 18, 18]],
    ['max_over_time(metricWith3SampleEvery10Seconds[60s:5s])', 201, 220, 5, 144, [36, 36, 36, 36]],
    ['max_over_time(metricWith1SampleEvery10Seconds[60s:5s])', 201, 220, 5, 48, [12, 12, 12, 12]],
    ['sum by (b) (max_over_time(metricWith1SampleEvery10Seconds[60s:5s]))', 201, 220, 5, 48, [12, 12, 12, 12]],
    ['sum(max_over_time(metricWith3SampleEvery10Seconds[60s:5s])) + sum(max_over_time(metricWith3SampleEvery10Seconds[60s:5s]))', 201, 220, 5, 288, [72, 72, 72, 72]],
    ['sum(max_over_time(metricWith3SampleEvery10Seconds[60s:5s])) + sum(max_over_time(metricWith1SampleEvery10Seconds[60s:5s]))', 201, 220, 5, 192, [48, 48, 48, 48]],
  ];
  it.each(cases)('%s from %is to %s', (q, start, end, step, total, perStep) => {
    const e = new Engine();
    const r = end === null ? e.instantQuery(st, q, start * 1000) : e.rangeQuery(st, q, start * 1000, end * 1000, step * 1000);
    expect(r.stats.totalSamples).toBe(total);
    expect(r.stats.samplesPerStep).toEqual(perStep);
  });
});
