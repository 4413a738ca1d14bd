import { afterEach, describe, expect, it } from 'vitest';
import { defaultWorkspaceLimits } from '../controlplane/limits.js';
import { Form } from '../http/prometheus/params.js';
import { labelsFromRecord } from '../model/labels.js';
import { Engine } from '../promql/engine/engine.js';
import { TSDB } from '../tsdb/db.js';
import { Cleanups } from '../tsdb/test-dirs.js';
import { QueryFrontend } from './frontend.js';
import { QueryPool, type Answer, type PoolOptions, type RestartReason } from './pool.js';
import type { QueryJob } from './protocol.js';

const cleanups = new Cleanups();
afterEach(cleanups.run);

/** FAKE_WORKER answers by its `query` parameter: crash, hang, exit, or a body "ok". */
const FAKE_WORKER = new URL(
  `data:text/javascript,${encodeURIComponent(`
import { parentPort } from 'node:worker_threads';
parentPort.on('message', (m) => {
  const q = new Map(m.job.params).get('query')?.[0];
  if (q === 'crash') throw new Error('boom');
  if (q === 'exit') process.exit(3);
  if (q === 'hang') for (;;) {}
  parentPort.postMessage({ type: 'body', id: m.id, chunk: new TextEncoder().encode(q) });
  parentPort.postMessage({ type: 'done', id: m.id, outcome: { status: 'ok' } });
});`)}`,
);

function pool(opts: Partial<PoolOptions> = {}): { pool: QueryPool; restarts: RestartReason[] } {
  const restarts: RestartReason[] = [];
  const p = new QueryPool({ size: 1, maxOldGenerationMb: 256, maxYoungGenerationMb: 32, maxQueuedPerWorkspace: 2, maxHeadSelectBytes: 1e9, workerUrl: FAKE_WORKER, onRestart: (r) => restarts.push(r), graceMs: 50, cancelGraceMs: 100, ...opts });
  cleanups.add(() => void p.close());
  return { pool: p, restarts };
}

function job(query: string, ws = 'ws-a', timeoutMs = 5000): Omit<QueryJob, 'queuedSeconds'> {
  return {
    kind: 'instant',
    workspaceId: ws,
    params: [['query', [query]]],
    now: 0,
    deadline: Date.now() + timeoutMs,
    limits: { maxSamples: 1e6, maxQueryTimeRangeMs: 0, maxResultBytes: 1e6 },
    engine: { lookbackDelta: 300_000, defaultSubqueryStep: 60_000 },
    blocks: [],
    storageWarnings: [],
  };
}

const view = { head: null as never, blocks: () => [] };

function text(a: Answer): string {
  if (a.status === 'error') return `${a.error.type}: ${a.error.message}`;
  return Buffer.concat(a.chunks).toString();
}

describe('QueryPool', () => {
  it('replaces a worker that crashes or exits; only its job fails', async () => {
    const { pool: p, restarts } = pool();
    expect(text(await p.submit({ job: job('crash'), view, signal: new AbortController().signal }))).toMatch(/^internal: query worker failed: boom/);
    expect(text(await p.submit({ job: job('exit'), view, signal: new AbortController().signal }))).toMatch(/^internal: query worker failed/);
    expect(text(await p.submit({ job: job('fine'), view, signal: new AbortController().signal }))).toBe('fine');
    expect(restarts).toEqual(['crash', 'crash']);
  });

  it('backs off respawning a worker that dies while idle (a broken build)', async () => {
    const { restarts } = pool({ workerUrl: new URL(`data:text/javascript,${encodeURIComponent('process.exit(1)')}`) });
    await new Promise((r) => setTimeout(r, 1500));
    // 100, 200, 400, 800 ms: at most a handful of attempts, not a tight loop.
    expect(restarts.length).toBeGreaterThanOrEqual(2);
    expect(restarts.length).toBeLessThanOrEqual(6);
  });

  it('stops a job past its deadline and answers timeout', async () => {
    const { pool: p, restarts } = pool();
    const t0 = Date.now();
    expect(text(await p.submit({ job: job('hang', 'ws-a', 300), view, signal: new AbortController().signal }))).toBe('timeout: query timed out in query execution');
    expect(Date.now() - t0).toBeLessThan(1300);
    expect(restarts).toEqual(['timeout']);
    expect(text(await p.submit({ job: job('after'), view, signal: new AbortController().signal }))).toBe('after');
  });

  it('cancels a running job whose client went away, and drops a queued one', async () => {
    const { pool: p, restarts } = pool();
    const running = new AbortController();
    const queued = new AbortController();
    const r1 = p.submit({ job: job('hang'), view, signal: running.signal });
    const r2 = p.submit({ job: job('never'), view, signal: queued.signal });
    expect(p.queueDepths()).toEqual(new Map([['ws-a', 1]]));
    queued.abort();
    expect(text(await r2)).toBe('canceled: query was canceled in query execution');
    running.abort();
    expect(text(await r1)).toBe('canceled: query was canceled in query execution');
    expect(restarts).toEqual(['cancel']);
    expect(p.inFlight()).toBe(0);
  });

  it('times out a job that waited in the queue past its deadline, and refuses one over the queue bound', async () => {
    const { pool: p } = pool();
    const signal = new AbortController().signal;
    const blocker = p.submit({ job: job('hang', 'ws-a', 800), view, signal });
    const waiting = p.submit({ job: job('late', 'ws-a', 200), view, signal });
    const second = p.submit({ job: job('x', 'ws-a', 800), view, signal });
    const refused = await p.submit({ job: job('y', 'ws-a', 800), view, signal });
    expect(refused.status === 'error' && refused.error.type).toBe('too_many_requests');
    expect(text(refused)).toContain('maxQueuedPerWorkspace');
    expect(text(await waiting)).toBe('timeout: query timed out in query execution');
    await Promise.all([blocker, second]);
  });
});

describe('QueryFrontend over the real worker', () => {
  it('answers like the engine on the main thread over blocks and head', async () => {
    const dir = cleanups.tempDir();
    const db = await TSDB.open(dir, { blockRange: 3_600_000, compactionInterval: 0, sync: false });
    cleanups.add(() => void db.close());
    const app = db.appender();
    for (let i = 0; i < 20; i++) {
      const l = labelsFromRecord({ __name__: 'm', i: String(i) });
      let ref = 0;
      for (let t = 0; t <= 4 * 3_600_000; t += 60_000) ref = app.append(ref, l, t, t / 1000 + i);
    }
    await app.commit();
    await db.compact();
    expect(db.blockRefs().length).toBeGreaterThan(0);
    const p = new QueryPool({ size: 1, maxOldGenerationMb: 256, maxYoungGenerationMb: 32, maxQueuedPerWorkspace: 4, maxHeadSelectBytes: 1e9 });
    cleanups.add(() => void p.close());
    const lookup = { get: () => null, limits: () => defaultWorkspaceLimits() };
    const fe = new QueryFrontend({ pool: p, workspaces: lookup, storage: { get: async () => db }, engine: new Engine().opts, maxResultBytes: 1e8 });
    const form = new Form(new Map([['query', ['sum(rate(m[5m]))']], ['start', ['0']], ['end', ['14400']], ['step', ['600']]]));
    const a = await fe.run({ kind: 'range', workspaceId: 'ws-a', form, now: 0, signal: new AbortController().signal });
    const got = JSON.parse(text(a)) as { data: { result: { values: [number, string][] }[] } };
    const want = new Engine().rangeQuery(db, 'sum(rate(m[5m]))', 0, 14_400_000, 600_000).value;
    expect(want.kind).toBe('matrix');
    const wantValues = want.kind === 'matrix' ? want.series[0]!.ts.map((t, i) => [t / 1000, String(want.series[0]!.vs[i])]) : [];
    expect(got.data.result[0]!.values).toEqual(wantValues);
    expect(a.status === 'ok' && a.log?.samplesProcessed).toBeGreaterThan(0);
  });
});
