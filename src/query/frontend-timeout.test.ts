import { describe, expect, it } from 'vitest';
import { loadConfig } from '../app/config.js';
import { defaultWorkspaceLimits, type WorkspaceLimits } from '../controlplane/limits.js';
import { Form } from '../http/prometheus/params.js';
import { defaultEngineOptions } from '../promql/engine/engine.js';
import type { TSDB } from '../tsdb/db.js';
import { QueryFrontend } from './frontend.js';
import type { QueryPool } from './pool.js';
import type { QueryJob } from './protocol.js';

// A query's deadline is its `timeout`, capped by the workspace's maxQueryTimeoutMs or, when the
// workspace sets none, by the server's query.maxTimeout (Prometheus's --query.timeout, 2m).

function deadlineOf(opts: { timeoutParam?: string; workspaceMs: number; serverMs: number }): number {
  const jobs: Omit<QueryJob, 'queuedSeconds'>[] = [];
  const pool = { submit: (sub: { job: Omit<QueryJob, 'queuedSeconds'> }) => (jobs.push(sub.job), Promise.resolve({ status: 'ok' })) } as unknown as QueryPool;
  const limits: WorkspaceLimits = { ...defaultWorkspaceLimits(), maxQueryTimeoutMs: opts.workspaceMs };
  const db = { blockRefs: () => [], corruptWarnings: () => [], head: {} } as unknown as TSDB;
  const fe = new QueryFrontend({
    pool,
    workspaces: { get: () => null, limits: () => limits },
    storage: { get: async () => db },
    engine: { ...defaultEngineOptions(), timeout: opts.serverMs },
    maxResultBytes: 1 << 20,
  });
  const params = new Map<string, string[]>([['query', ['up']]]);
  if (opts.timeoutParam !== undefined) params.set('timeout', [opts.timeoutParam]);
  const t0 = Date.now();
  return fe.run({ kind: 'instant', workspaceId: 'ws-1', form: new Form(params), now: t0, signal: new AbortController().signal }).then(() => jobs[0]!.deadline - t0) as unknown as number;
}

describe('query timeout limits', () => {
  it.each([
    // [timeout parameter, workspace maxQueryTimeoutMs, server maxTimeout, expected cap (ms)]
    [undefined, 0, 120_000, 120_000],
    ['5m', 0, 120_000, 120_000],
    ['30s', 0, 120_000, 30_000],
    [undefined, 10_000, 120_000, 10_000],
    ['1m', 10_000, 120_000, 10_000],
    ['5m', 300_000, 120_000, 300_000],
    ['2s', 300_000, 120_000, 2_000],
  ] as const)('timeout=%s, workspace %d ms, server %d ms: %d ms', async (timeoutParam, workspaceMs, serverMs, want) => {
    const got = await deadlineOf({ ...(timeoutParam !== undefined ? { timeoutParam } : {}), workspaceMs, serverMs });
    expect(got).toBeGreaterThanOrEqual(want - 50);
    expect(got).toBeLessThanOrEqual(want + 50);
  });

  it('query.maxTimeout takes milliseconds or a Prometheus duration, from the file or AMPHORA_QUERY_MAX_TIMEOUT', () => {
    expect(loadConfig({}).query.maxTimeout).toBe(120_000);
    expect(loadConfig({ env: { AMPHORA_QUERY_MAX_TIMEOUT: '90s' } }).query.maxTimeout).toBe(90_000);
    expect(loadConfig({ env: { AMPHORA_QUERY_MAX_TIMEOUT: '45000' } }).query.maxTimeout).toBe(45_000);
    expect(() => loadConfig({ env: { AMPHORA_QUERY_MAX_TIMEOUT: 'soon' } })).toThrow(/query.maxTimeout: "soon" is not a positive duration/);
  });
});
