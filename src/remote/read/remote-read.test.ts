import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWorkspaceLimits } from '../../controlplane/limits.js';
import { nopLogger } from '../../model/logger.js';
import { QueryPool } from '../../query/pool.js';
import { encodeWriteRequestV1, type TestSeries } from '../pb-writer.js';
import { dumpSeries, newTestEnv, snappy, type TestEnv } from '../test-env.js';
import { RemoteReadHandler, type RemoteReadOptions } from './handler.js';
import { decodeChunkedResponse, decodeReadResponse, encodeReadRequest, type ClientQuery, type ReadSeries } from './test-support.js';

const WS = 'ws-read';
const T0 = Date.now() - 7_200_000;
const STEP = 15_000;
let env: TestEnv;
let pool: QueryPool;

beforeAll(async () => {
  env = newTestEnv([WS]);
  const series: TestSeries[] = [];
  for (let i = 0; i < 20; i++) {
    series.push({ labels: [['__name__', 'm'], ['i', String(i)], ['job', 'a']], samples: Array.from({ length: 300 }, (_, k) => ({ timestamp: T0 + k * STEP, value: i * 1000 + k * 0.5 })) });
  }
  series.push({ labels: [['__name__', 'other'], ['job', 'b']], samples: [{ timestamp: T0, value: 1 }] });
  const r = await env.handler.handle({ workspaceId: WS, contentType: 'application/x-protobuf', contentEncoding: 'snappy', body: snappy(encodeWriteRequestV1(series)) });
  expect(r.body).toBe("");
  expect(r.status).toBe(204);
  pool = new QueryPool({ size: 1, maxOldGenerationMb: 256, maxYoungGenerationMb: 32, maxQueuedPerWorkspace: 4, maxHeadSelectBytes: 1e9 });
}, 60_000);
afterAll(async () => {
  await pool?.close();
  await env?.close();
});

function handler(options: Partial<RemoteReadOptions> = {}): RemoteReadHandler {
  return new RemoteReadHandler({ pool, storage: env.storage, workspaces: env.workspaces, logger: nopLogger, options });
}

function read(queries: ClientQuery[], accepted: number[] = [], o: { options?: Partial<RemoteReadOptions>; ws?: string; body?: Buffer } = {}) {
  return handler(o.options).handle({ workspaceId: o.ws ?? WS, body: o.body ?? encodeReadRequest(queries, accepted), signal: new AbortController().signal });
}

/** expected reads the same selection straight from storage. */
async function expected(filter: (name: string) => boolean, start: number, end: number): Promise<ReadSeries[]> {
  const all = await dumpSeries(env.storage, WS);
  return Object.entries(all)
    .filter(([k]) => filter(k))
    .map(([k, samples]) => ({ k, samples: samples.filter(([t]) => t >= start && t <= end) }))
    .filter((s) => s.samples.length > 0)
    .map(({ k, samples }) => ({ labels: parse(k), samples }));
}

function parse(k: string): Record<string, string> {
  const name = k.slice(0, k.indexOf('{'));
  const out: Record<string, string> = { __name__: name };
  for (const m of k.matchAll(/(\w+)="([^"]*)"/g)) out[m[1]!] = m[2]!;
  return out;
}

const sortByLabels = (xs: ReadSeries[]) => [...xs].sort((a, b) => JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels)));

describe('remote read (query workers)', () => {
  const q: ClientQuery = { start: T0 + 100 * STEP, end: T0 + 250 * STEP, matchers: [{ type: 0, name: '__name__', value: 'm' }, { type: 2, name: 'i', value: '1.*' }] };

  it('answers SAMPLES with a snappy ReadResponse holding the selected samples', async () => {
    const res = await read([q]);
    expect(res.status).toBe(200);
    expect(res.headers).toMatchObject({ 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' });
    const got = decodeReadResponse(res.body as Buffer);
    expect(got).toHaveLength(1);
    const want = await expected((k) => /^m\{i="1\d*"/.test(k), q.start, q.end);
    expect(want).toHaveLength(11);
    expect(sortByLabels(got[0]!)).toEqual(sortByLabels(want));
  });

  it('streams XOR chunks in CRC-checked frames of about maxBytesInFrame, negotiated from accepted_response_types', async () => {
    const res = await read([q, { start: T0, end: T0 + 1000, matchers: [{ type: 0, name: 'job', value: 'b' }] }], [1, 0], { options: { maxBytesInFrame: 400 } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse');
    const got = decodeChunkedResponse(res.body as Buffer);
    expect(got.frames).toBeGreaterThan(11);
    const want = await expected((k) => /^m\{i="1\d*"/.test(k), q.start, q.end);
    expect(got.queries.get(0)).toEqual(sortByLabels(want));
    expect(got.queries.get(1)).toEqual([{ labels: { __name__: 'other', job: 'b' }, samples: [[T0, 1]] }]);
  });

  it('refuses a query over the sample limit with 400', async () => {
    env.workspaces.limitsById.set(WS, { ...defaultWorkspaceLimits(), maxQuerySamples: 100 });
    try {
      const res = await read([q]);
      expect(res.status).toBe(400);
      expect(res.body).toBe('exceeded sample limit (100)\n');
    } finally {
      env.workspaces.limitsById.delete(WS);
    }
  });

  it('refuses a response over the size limit', async () => {
    const res = await read([q], [1], { options: { maxResultBytes: 2000 } });
    expect(res.status).toBe(422);
    expect(String(res.body)).toMatch(/exceeds the response size limit of 2000 bytes/);
  });

  it('answers bad requests with 400 and unknown workspaces with 404', async () => {
    expect((await read([q], [7])).status).toBe(400);
    expect(String((await read([q], [7])).body)).toMatch(/server does not support any of the requested response types/);
    expect((await read([], [], { body: Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2]) })).status).toBe(400);
    expect((await read([q], [], { body: snappy(Buffer.from([0x0a, 0x20, 0x08])) })).status).toBe(400);
    expect((await read([q], [], { ws: 'ws-none' })).status).toBe(404);
  });
});
