import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { defaultWorkspaceLimits } from '../../src/controlplane/limits.js';
import { encodeWriteRequestV1, encodeWriteRequestV2, type TestSeries } from '../../src/remote/pb-writer.js';
import { newTestEnv, snappy, V2_CONTENT_TYPE, type TestEnv } from '../../src/remote/test-env.js';
import type { FuzzTarget } from '../target.js';
import { scratchRoot } from './scratch.js';

const WS = 'ws-fuzz';
/** RECYCLE_EVERY reopens the storage so series created by fuzzed requests do not pile up in the head. */
const RECYCLE_EVERY = 20_000;
/** ALLOWED are the statuses a bad request may get; anything else (500, a throw) is a crash. */
const ALLOWED = new Set([204, 400, 413, 415, 429]);

/** RemoteWriteRejected marks a request answered 4xx (the handler's own refusal, counted as rejected). */
class RemoteWriteRejected extends Error {}

interface Harness {
  env: TestEnv | null;
  root: string;
  n: number;
}

async function handler(h: Harness): Promise<TestEnv> {
  if (h.env !== null && h.n++ < RECYCLE_EVERY) return h.env;
  if (h.env !== null) await h.env.close();
  h.n = 0;
  const env = newTestEnv([WS], { dir: mkdtempSync(join(h.root, 'ws-')) });
  // No rate limit: every input must reach the decoder.
  env.workspaces.limitsById.set(WS, { ...defaultWorkspaceLimits(), ingestionRate: 1e12, ingestionBurstSize: 1e12 });
  h.env = env;
  return env;
}

function seedSeries(now: number): TestSeries[] {
  return [
    { labels: [['__name__', 'up'], ['job', 'api'], ['instance', 'a:9090']], samples: [{ value: 1, timestamp: now }, { value: 0, timestamp: now + 15_000 }] },
    {
      labels: [['__name__', 'http_requests_total'], ['code', '200'], ['le', '+Inf']],
      samples: [{ value: 1e300, timestamp: now - 1000 }],
      exemplars: [{ labels: [['trace_id', 'abc123']], value: 0.5, timestamp: now - 1000 }],
      histograms: [{ value: 3, timestamp: now - 500 }],
      metadata: { type: 1, help: 'Requests.', unit: 'requests' },
      createdTimestamp: now - 60_000,
    },
    { labels: [['__name__', 'x'], ['empty', ''], ['\u00e9', 'v\u2603']], samples: [{ value: Number.NaN, timestamp: now }] },
  ];
}

function remoteWriteTarget(name: string, version: '1.0' | '2.0', compressed: boolean): FuzzTarget {
  const h: Harness = { env: null, root: '', n: 0 };
  return {
    name,
    maxLen: 16_384,
    async setup() {
      h.root = mkdtempSync(join(scratchRoot(), `amphora-fuzz-${name}-`));
      const now = Date.now();
      const series = seedSeries(now);
      const raws =
        version === '1.0'
          ? [encodeWriteRequestV1(series, [{ type: 1, family: 'http_requests_total', help: 'Requests.', unit: 'requests' }]), encodeWriteRequestV1(series.slice(0, 1))]
          : [encodeWriteRequestV2(series), encodeWriteRequestV2(series, { symbolsFirst: true, extraSymbols: ['unused'] }), encodeWriteRequestV2(series.slice(2))];
      return compressed ? raws.map((r) => new Uint8Array(snappy(r))) : raws;
    },
    async run(input) {
      const env = await handler(h);
      const res = await env.handler.handle({
        workspaceId: WS,
        contentType: version === '1.0' ? 'application/x-protobuf' : V2_CONTENT_TYPE,
        contentEncoding: 'snappy',
        body: compressed ? input : snappy(input),
      });
      if (!ALLOWED.has(res.status)) throw new Error(`remote write answered ${res.status}: ${res.body}`);
      if (res.status !== 204) throw new RemoteWriteRejected(res.body);
    },
    expected: (err) => err instanceof RemoteWriteRejected,
    async teardown() {
      await h.env?.close();
      h.env = null;
      rmSync(h.root, { recursive: true, force: true });
    },
  };
}

/** remoteV1Target fuzzes remote write 1.0 (prometheus.WriteRequest) through the real handler: scan, decode, validate, append. */
export const remoteV1Target = remoteWriteTarget('remote-v1', '1.0', false);
/** remoteV2Target fuzzes remote write 2.0 (io.prometheus.write.v2.Request, symbols table) through the real handler. */
export const remoteV2Target = remoteWriteTarget('remote-v2', '2.0', false);
/** snappyTarget fuzzes the compressed body: snappy block framing, declared lengths, then decoding of whatever decompresses. */
export const snappyTarget = remoteWriteTarget('snappy', '1.0', true);
