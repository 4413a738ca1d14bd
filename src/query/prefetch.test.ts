import { describe, expect, it } from 'vitest';
import { labelsFromRecord } from '../model/labels.js';
import { Engine } from '../promql/engine/engine.js';
import { headWithSeries } from '../tsdb/head/test-support.js';
import { readSeries } from './head-wire.js';
import { inThreadHeadCaller } from './test-support.js';
import type { Queryable } from '../storage/interface.js';
import { seriesSetFromArray } from '../storage/series.js';
import { predictSelects, prefetchSelects, type PredictedSelect } from './prefetch.js';
import type { QueryJob } from './protocol.js';

/** recorded evaluates a query over empty storage and lists the selects the evaluator made (matchers and querier range). */
function recorded(q: string, mode: { t: number } | { start: number; end: number; step: number }): PredictedSelect[] {
  const got: PredictedSelect[] = [];
  const queryable: Queryable = {
    querier: (mint, maxt) => ({
      select: (_sorted, _hints, matchers) => {
        got.push({ matchers: matchers.map((m) => ({ type: m.type, name: m.name, value: m.value })), mint, maxt });
        return seriesSetFromArray([]);
      },
      labelValues: () => [],
      labelNames: () => [],
      close: () => {},
    }),
  };
  const e = new Engine();
  if ('t' in mode) e.instantQuery(queryable, q, mode.t);
  else e.rangeQuery(queryable, q, mode.start, mode.end, mode.step);
  return got;
}

function job(q: string, mode: { t: number } | { start: number; end: number; step: number }): Pick<QueryJob, 'kind' | 'params' | 'now' | 'engine'> {
  const params: [string, string[]][] = [['query', [q]]];
  if ('t' in mode) params.push(['time', [String(mode.t / 1000)]]);
  else params.push(['start', [String(mode.start / 1000)]], ['end', [String(mode.end / 1000)]], ['step', [String(mode.step / 1000)]]);
  return { kind: 't' in mode ? 'instant' : 'range', params, now: 0, engine: { lookbackDelta: 300_000, defaultSubqueryStep: 60_000 } };
}

describe('predictSelects', () => {
  const queries = [
    'rate(node_network_receive_bytes_total[5m])',
    'sum by (mode) (rate(node_cpu_seconds_total[5m]))',
    'histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))',
    'topk(10, sum by (instance) (rate(node_cpu_seconds_total{mode!="idle"}[5m])))',
    'sum by (instance, path) (rate(http_requests_total{path=~"path[0-2]",code=~"5.."}[5m]))',
    '1 - node_filesystem_avail_bytes / on(instance, mountpoint) node_filesystem_size_bytes',
    'x offset 5m + y @ 1000 - z @ end() offset -1m',
    'rate(x[5m] anchored) + rate(y[2m] smoothed) + x smoothed',
    'increase(x[1h] @ start() offset 10m)',
    'label_replace(up, "a", "$1", "job", "(.*)") * on() group_left scalar(count(up))',
  ];
  const modes = [{ t: 1_800_000_000 }, { start: 1_700_000_000_000, end: 1_700_003_600_000, step: 15_000 }];
  for (const q of queries) {
    for (const mode of modes) {
      it(`${q} (${'t' in mode ? 'instant' : 'range'}) predicts the selects the evaluator makes`, () => {
        expect(predictSelects(job(q, mode))).toEqual(recorded(q, mode));
      });
    }
  }

  it('leaves subqueries, duration expressions, listings and bad queries to the worker', () => {
    const t = { t: 1_800_000_000 };
    expect(predictSelects(job('max_over_time(rate(x[5m])[30m:1m])', t))).toEqual([]);
    expect(predictSelects(job('rate(x[step()])', t))).toEqual([]);
    expect(predictSelects(job('sum(', t))).toEqual([]);
    expect(predictSelects({ ...job('up', t), kind: 'series' })).toEqual([]);
    // Only the selector outside the subquery is predicted.
    expect(predictSelects(job('up + max_over_time(x[5m:1m])', t)).map((p) => p.matchers[0]!.value)).toEqual(['up']);
  });
});

describe('prefetchSelects', () => {
  const data = ['a', 'b'].map((n) => ({ labels: labelsFromRecord({ __name__: n, job: 'x' }), samples: Array.from({ length: 200 }, (_, i): [number, number] => [i * 15_000, i]) }));
  const q = job('a + b', { t: 1_000_000 });

  it('answers the predicted selects as the select call would', async () => {
    const head = await headWithSeries(data);
    const cancelled = (): boolean => false;
    const { selects, transfer } = await prefetchSelects({ ...q, queuedSeconds: 0 } as QueryJob, 1, { view: { head, blocks: () => [] }, maxSamples: 1e9, maxBytes: 1e9, cancelled });
    expect(selects.map((s) => s.matchers[0]!.value)).toEqual(['a', 'b']);
    expect(transfer).toHaveLength(2);
    const caller = inThreadHeadCaller(head);
    for (const s of selects) {
      const want = caller.call({ op: 'select', matchers: s.matchers, mint: s.mint, maxt: s.maxt });
      if (s.reply.kind !== 'series' || want.kind !== 'series') throw new Error('not series');
      expect(s.reply.mint).toBe(want.mint);
      expect(readSeries(s.reply.buf).map((x) => [x.labels, x.chunks.map((c) => [c.mint, c.maxt, [...c.data]])])).toEqual(readSeries(want.buf).map((x) => [x.labels, x.chunks.map((c) => [c.mint, c.maxt, [...c.data]])]));
    }
  });

  it('leaves a select over its limits to the worker', async () => {
    const head = await headWithSeries(data);
    const got = await prefetchSelects({ ...q, queuedSeconds: 0 } as QueryJob, 1, { view: { head, blocks: () => [] }, maxSamples: 1e9, maxBytes: 10, cancelled: () => false });
    expect(got.selects).toEqual([]);
  });
});
