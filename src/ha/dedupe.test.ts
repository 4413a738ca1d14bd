import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { labelsToString } from '../model/labels.js';
import { nopLogger } from '../model/logger.js';
import { newMatcher } from '../model/matcher.js';
import { RemoteWriteHandler } from '../remote/handler.js';
import { encodeWriteRequestV1, encodeWriteRequestV2, type TestSeries } from '../remote/pb-writer.js';
import { newTestEnv, snappy, V2_CONTENT_TYPE, type TestEnv } from '../remote/test-env.js';
import { HAConfigSchema } from './config.js';
import { HADeduper } from './dedupe.js';
import { memoryElectionStore } from './tracker.js';

const WS = 'ws-ha1';
const T0 = Date.now();
let env: TestEnv;
let clock = T0;
let handler: RemoteWriteHandler;
let registry: Registry;

beforeEach(() => {
  env = newTestEnv([WS, 'ws-ha2']);
  clock = T0;
  registry = new Registry();
  const config = HAConfigSchema.parse({ failoverTimeout: '3s', updateTimeout: '1s', maxClusters: 2, workspaces: { 'ws-ha2': { clusterLabel: 'dc', replicaLabel: 'prom' } } });
  const ha = new HADeduper({ config, store: memoryElectionStore(), registry, logger: nopLogger, now: () => clock });
  handler = new RemoteWriteHandler({ storage: env.storage, workspaces: env.workspaces, metadata: env.metadata, exemplars: env.exemplars, registry, logger: nopLogger, ha, options: { now: () => clock } });
});
afterEach(async () => env.close());

const req = (replica: string | null, t: number, v: number, cluster: string | null = 'c1', names: [string, string] = ['cluster', '__replica__']): TestSeries[] => [
  {
    labels: [['__name__', 'up'], ...(replica !== null ? ([[names[1], replica]] as [string, string][]) : []), ...(cluster !== null ? ([[names[0], cluster]] as [string, string][]) : []), ['job', 'node']],
    samples: [{ value: v, timestamp: t }],
  },
];

function post(series: TestSeries[], opts: { v2?: boolean; ws?: string } = {}) {
  return handler.handle({
    workspaceId: opts.ws ?? WS,
    contentType: opts.v2 ? V2_CONTENT_TYPE : 'application/x-protobuf',
    contentEncoding: 'snappy',
    body: snappy(opts.v2 ? encodeWriteRequestV2(series) : encodeWriteRequestV1(series)),
  });
}

async function dump(ws = WS): Promise<Record<string, number[]>> {
  const db = await env.storage.get(ws);
  const q = db.querier(-Infinity, Infinity);
  const ss = q.select(true, undefined, [newMatcher('=~', '__name__', '.+')]);
  const out: Record<string, number[]> = {};
  while (ss.next()) {
    const it = ss.at().iterator();
    const vs: number[] = [];
    while (it.next()) vs.push(it.atV());
    out[labelsToString(ss.at().labels)] = vs;
  }
  q.close();
  return out;
}

describe('HA deduplication on the remote-write path', () => {
  for (const v2 of [false, true]) {
    it(`stores one copy without the replica label, answers the other replica 202, fails over after the timeout (${v2 ? '2.0' : '1.0'})`, async () => {
      expect((await post(req('a', T0, 1), { v2 })).status).toBe(204);
      const dup = await post(req('b', T0, 100), { v2 });
      expect(dup.status).toBe(202);
      expect(dup.body).toContain('replicas did not match, rejecting sample: replica=b, elected=a');
      clock = T0 + 1000;
      expect((await post(req('a', T0 + 1000, 2), { v2 })).status).toBe(204);
      clock = T0 + 3999; // a last seen at +1 s
      expect((await post(req('b', T0 + 3999, 200), { v2 })).status).toBe(202);
      clock = T0 + 4000;
      expect((await post(req('b', T0 + 4000, 3), { v2 })).status).toBe(204);
      expect((await post(req('a', T0 + 4001, 300), { v2 })).status).toBe(202);
      expect(await dump()).toEqual({ 'up{cluster="c1", job="node"}': [1, 2, 3] });
      const m = await registry.metrics();
      expect(m).toMatch(/ha_tracker_elected_replica_changes_total\{workspace="ws-ha1",cluster="c1"\} 2/);
      expect(m).toMatch(/deduped_samples_total\{workspace="ws-ha1",cluster="c1"\} 3/);
    });
  }

  it('stores requests with only one of the two labels as ordinary samples (label kept)', async () => {
    expect((await post(req('a', T0, 1, null))).status).toBe(204);
    expect((await post(req(null, T0, 2, 'c1'))).status).toBe(204);
    expect((await post(req('b', T0 + 1, 3, null))).status).toBe(204);
    expect(await dump()).toEqual({ 'up{__replica__="a", job="node"}': [1], 'up{cluster="c1", job="node"}': [2], 'up{__replica__="b", job="node"}': [3] });
  });

  it('refuses a cluster over the HA clusters limit with 400 naming the limit', async () => {
    expect((await post(req('a', T0, 1, 'c1'))).status).toBe(204);
    expect((await post(req('a', T0, 1, 'c2'))).status).toBe(204);
    const r = await post(req('a', T0, 1, 'c3'));
    expect(r.status).toBe(400);
    expect(r.body).toContain('too many HA clusters (limit: 2)');
    expect(await registry.metrics()).toMatch(/discarded_samples_total\{workspace="ws-ha1",reason="too_many_ha_clusters"\} 1/);
  });

  it('uses a workspace override of the label names', async () => {
    const names: [string, string] = ['dc', 'prom'];
    expect((await post(req('p1', T0, 1, 'eu', names), { ws: 'ws-ha2' })).status).toBe(204);
    expect((await post(req('p2', T0, 9, 'eu', names), { ws: 'ws-ha2' })).status).toBe(202);
    // The server-wide names mean nothing there: stored as ordinary samples.
    expect((await post(req('a', T0, 5), { ws: 'ws-ha2' })).status).toBe(204);
    expect(await dump('ws-ha2')).toEqual({ 'up{dc="eu", job="node"}': [1], 'up{__replica__="a", cluster="c1", job="node"}': [5] });
  });
});
