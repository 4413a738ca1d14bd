import { labelsFromRecord } from '../model/labels.js';
import { defaultEngineOptions } from '../promql/engine/engine.js';
import type { Queryable } from '../storage/interface.js';
import { Head } from '../tsdb/head/head.js';
import { executeJob } from './execute.js';
import type { QueryJob, QueryKind } from './protocol.js';

const STEP = 15_000;
const POINTS = 240;
const END = POINTS * STEP;

/** WARM_UP_QUERIES are the shapes a fresh worker evaluates before its first real query (the benchmark's standard mix). */
const WARM_UP_QUERIES: readonly string[] = [
  'warm_total',
  'rate(warm_total[5m])',
  'sum by (job) (rate(warm_total[5m]))',
  'topk(3, rate(warm_total[5m]))',
  'histogram_quantile(0.9, sum by (le) (rate(warm_bucket[5m])))',
  'max_over_time(rate(warm_total[5m])[10m:1m])',
  'warm_total{i=~"1.*"}',
  'warm_total / on(i, job) group_left warm_total',
  'count_values("v", warm_total)',
  'label_replace(warm_total, "x", "$1", "i", "(.*)")',
];

/** WarmUpResult tells how much a warm-up did. */
export interface WarmUpResult {
  readonly queries: number;
  readonly ms: number;
}

async function syntheticHead(): Promise<Head> {
  const head = new Head({ wal: null });
  const app = head.appender();
  for (let i = 0; i < 40; i++) {
    const job = `j${i % 4}`;
    const series = [
      labelsFromRecord({ __name__: 'warm_total', job, i: String(i) }),
      labelsFromRecord({ __name__: 'warm_bucket', job, i: String(i), le: String(2 ** (i % 8)) }),
    ];
    for (const l of series) {
      let ref = 0;
      for (let p = 0; p < POINTS; p++) ref = app.append(ref, l, p * STEP, p * (i + 1));
    }
  }
  await app.commit();
  return head;
}

function job(kind: QueryKind, query: string): QueryJob {
  const opts = defaultEngineOptions();
  const params: [string, string[]][] =
    kind === 'range'
      ? [['query', [query]], ['start', [String((END - 1_800_000) / 1000)]], ['end', [String(END / 1000)]], ['step', ['60']]]
      : [['query', [query]], ['time', [String(END / 1000)]]];
  return {
    kind,
    workspaceId: 'warm-up',
    params,
    now: END,
    deadline: Date.now() + 10_000,
    queuedSeconds: 0,
    limits: { maxSamples: 50_000_000, maxQueryTimeRangeMs: 0, maxResultBytes: 64 * 1024 * 1024 },
    engine: { lookbackDelta: opts.lookbackDelta, defaultSubqueryStep: opts.defaultSubqueryStep },
    blocks: [],
    storageWarnings: [],
  };
}

/**
 * warmUp evaluates the standard query shapes (instant and range, rendered to JSON and
 * discarded) over a small synthetic head, once and then until budgetMs has passed, so a fresh or replaced
 * worker's JIT has compiled the engine before its first real query (cold, the first query
 * of a shape ran 3-7x slower).
 */
export async function warmUp(budgetMs: number): Promise<WarmUpResult> {
  const t0 = performance.now();
  const head = await syntheticHead();
  const queryable: Queryable = head;
  const signal = new AbortController().signal;
  const discard = (): void => {};
  let queries = 0;
  do {
    for (const q of WARM_UP_QUERIES) {
      for (const kind of ['instant', 'range'] as const) {
        executeJob(job(kind, q), queryable, signal, discard);
        queries++;
      }
    }
  } while (performance.now() - t0 < budgetMs);
  return { queries, ms: performance.now() - t0 };
}
