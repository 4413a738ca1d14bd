import { afterEach, describe, expect, it } from 'vitest';
import { labelsToString } from '../model/labels.js';
import { newMatcher } from '../model/matcher.js';
import { faultyFs } from '../tsdb/wal/test-helpers.js';
import { encodeWriteRequestV1, type TestSeries } from './pb-writer.js';
import { newTestEnv, snappy, type TestEnv } from './test-env.js';

// A remote write whose WAL write fails (ENOSPC) answers a retryable 5xx, leaves nothing visible,
// and Prometheus's retry of the identical request is accepted: every sample is stored once.

const WS = 'ws-durable';
const NOW = Date.now();
const envs: TestEnv[] = [];
afterEach(async () => {
  for (const e of envs.splice(0)) await e.close();
});

function post(env: TestEnv, body: Uint8Array) {
  return env.handler.handle({ workspaceId: WS, contentType: 'application/x-protobuf', contentEncoding: 'snappy', body });
}

async function dump(env: TestEnv): Promise<Record<string, [number, number][]>> {
  const q = (await env.storage.get(WS)).querier(-Infinity, Infinity);
  const ss = q.select(true, undefined, [newMatcher('=~', '__name__', '.+')]);
  const out: Record<string, [number, number][]> = {};
  while (ss.next()) {
    const it = ss.at().iterator();
    const pts: [number, number][] = [];
    while (it.next()) pts.push([it.atT(), it.atV()]);
    out[labelsToString(ss.at().labels)] = pts;
  }
  q.close();
  return out;
}

describe('remote write when the disk is full', () => {
  it('answers 500 (retryable, not 400), shows nothing of the batch, and accepts the identical retry once', async () => {
    const { fs, state } = faultyFs();
    const env = newTestEnv([WS], { sync: true, walFileSystem: fs });
    const series = (t: number): TestSeries[] => [
      { labels: [['__name__', 'up'], ['job', 'a']], samples: [{ value: 1, timestamp: t }, { value: 2, timestamp: t + 1000 }] },
      { labels: [['__name__', 'up'], ['job', 'b']], samples: [{ value: 3, timestamp: t }] },
    ];
    expect((await post(env, snappy(encodeWriteRequestV1(series(NOW - 10_000))))).status).toBe(204);
    const body = snappy(encodeWriteRequestV1([...series(NOW), { labels: [['__name__', 'fresh']], samples: [{ value: 7, timestamp: NOW }] }]));
    state.full = true;
    const failed = await post(env, body);
    expect(failed.status).toBe(500);
    expect(failed.body).toContain('no space left on device');
    expect(await dump(env)).toEqual({
      'up{job="a"}': [[NOW - 10_000, 1], [NOW - 9_000, 2]],
      'up{job="b"}': [[NOW - 10_000, 3]],
    });
    state.full = false;
    const retried = await post(env, body);
    expect(retried.status).toBe(204);
    const want = {
      fresh: [[NOW, 7]],
      'up{job="a"}': [[NOW - 10_000, 1], [NOW - 9_000, 2], [NOW, 1], [NOW + 1000, 2]],
      'up{job="b"}': [[NOW - 10_000, 3], [NOW, 3]],
    };
    expect(await dump(env)).toEqual(want);
    await env.storage.closeAll();
    const reopened = newTestEnv([WS], { dir: env.dir });
    envs.push(reopened);
    expect(await dump(reopened)).toEqual(want);
  });
});

describe('remote write request size', () => {
  it('refuses a body that decompresses past the limit with 413 naming the limit, before decoding it', async () => {
    const env = newTestEnv([WS], { options: { maxDecompressedBytes: 1000 } });
    envs.push(env);
    const big: TestSeries[] = [];
    for (let i = 0; i < 100; i++) big.push({ labels: [['__name__', 'm'], ['i', String(i)]], samples: [{ value: 1, timestamp: NOW }] });
    const raw = encodeWriteRequestV1(big);
    const r = await post(env, snappy(raw));
    expect(r.status).toBe(413);
    expect(r.body).toContain(`decompressed message size ${raw.length} bytes exceeds the limit of 1000 bytes (maxDecompressedBytes`);
    expect(await dump(env)).toEqual({});
  });
});
