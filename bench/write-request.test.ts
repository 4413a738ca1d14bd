import { uncompressSync } from 'snappy';
import { afterEach, describe, expect, it } from 'vitest';
import { scanV1 } from '../src/remote/decode-v1.js';
import { Slicer } from '../src/remote/slicer.js';
import { newTestEnv, type TestEnv } from '../src/remote/test-env.js';
import { encodeWriteRequest, encodeWriteRequests, nodeSeriesLabels } from './write-request.js';

async function counts(body: Buffer): Promise<{ series: number; samples: number }> {
  const c = await scanV1(uncompressSync(body) as Buffer, new Slicer());
  return { series: c.series, samples: c.samples };
}

describe('write-request', () => {
  let env: TestEnv | undefined;
  afterEach(async () => env?.close());

  it('encodes one sample per series in one request that the remote-write handler accepts', async () => {
    env = newTestEnv(['ws-bench']);
    const body = encodeWriteRequest(nodeSeriesLabels(500, { hostOffset: 3 }), Date.now());
    expect(await counts(body)).toEqual({ series: 500, samples: 500 });
    const r = await env.handler.handle({ workspaceId: 'ws-bench', contentType: 'application/x-protobuf', contentEncoding: 'snappy', body });
    expect(r.status).toBe(204);
  });

  it('splits points x series into requests of batch samples', async () => {
    const bodies = encodeWriteRequests(nodeSeriesLabels(500), { points: 3, start: 1_000_000, stepMs: 15_000, batch: 400 });
    expect((await Promise.all(bodies.map(counts))).map((c) => c.samples)).toEqual([400, 400, 400, 300]);
  });
});
