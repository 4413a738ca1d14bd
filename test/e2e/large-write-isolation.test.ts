import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { compressSync } from 'snappy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWriteRequestV1, type TestSeries } from '../../src/remote/pb-writer.js';
import { ROOT, startTestAmphora } from './helpers.js';

// One very large remote write (400k new series) must not stall other workspaces: it is decoded in
// slices, so small writes to another workspace and /-/healthy keep answering while it runs, and
// the large write itself still lands as one batch.

const BIG_SERIES = Number(process.env.AMPHORA_BIG_WRITE_SERIES ?? 400_000);

describe('a large remote write does not stall other workspaces (the real server)', () => {
  let amphora: Awaited<ReturnType<typeof startTestAmphora>>;
  let big = '';
  let small = '';
  beforeAll(async () => {
    amphora = await startTestAmphora();
    big = amphora.controlPlane.workspaces.create({ alias: 'big' }).workspaceId;
    small = amphora.controlPlane.workspaces.create({ alias: 'small' }).workspaceId;
    await new Promise((r) => setTimeout(r, 1100));
  });
  afterAll(async () => amphora.stop());

  async function write(ws: string, body: Buffer): Promise<Response> {
    const url = new URL(`/workspaces/${ws}/api/v1/remote_write`, amphora.address);
    const headers = { host: url.host, 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy', 'x-prometheus-remote-write-version': '0.1.0' };
    const signer = new SignatureV4({ service: 'aps', region: 'us-east-1', sha256: Hash.bind(null, 'sha256'), credentials: ROOT });
    const s = await signer.sign({ method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query: {}, headers, body });
    const { host: _h, ...send } = s.headers as Record<string, string>;
    return fetch(url, { method: 'POST', headers: send, body });
  }

  it(`keeps small writes to another workspace and /-/healthy answering while ${BIG_SERIES} series are written`, { timeout: 180_000 }, async () => {
    const t = Date.now() - 60_000;
    const series: TestSeries[] = [];
    for (let i = 0; i < BIG_SERIES; i++) {
      series.push({ labels: [['__name__', `big_metric_${i % 50}`], ['instance', `host-${Math.floor(i / 400)}:9100`], ['series', String(i)]], samples: [{ value: i, timestamp: t }] });
    }
    const bigBody = compressSync(Buffer.from(encodeWriteRequestV1(series)));
    series.length = 0;

    const latencies: number[] = [];
    const health: number[] = [];
    let done = false;
    let n = 0;
    const smallLoop = (async () => {
      while (!done) {
        const body = compressSync(Buffer.from(encodeWriteRequestV1([{ labels: [['__name__', 'small_up']], samples: [{ value: n, timestamp: t + n }] }])));
        n++;
        const t0 = performance.now();
        const r = await write(small, body);
        latencies.push(performance.now() - t0);
        expect(r.status, await r.text()).toBe(204);
        const h0 = performance.now();
        expect((await fetch(new URL('/-/healthy', amphora.address))).status).toBe(200);
        health.push(performance.now() - h0);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const b0 = performance.now();
    const res = await write(big, bigBody);
    const bigMs = performance.now() - b0;
    done = true;
    await smallLoop;
    expect(res.status, await res.text()).toBe(204);

    const sorted = [...latencies].sort((a, b) => a - b);
    const p99 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]!;
    console.log(
      JSON.stringify({ bigSeries: BIG_SERIES, bigMs: Math.round(bigMs), smallWrites: latencies.length, smallP50Ms: Math.round(sorted[Math.floor(sorted.length / 2)]!), smallP99Ms: Math.round(p99), smallMaxMs: Math.round(sorted[sorted.length - 1]!), healthMaxMs: Math.round(Math.max(...health)) }),
    );
    // Several small writes went through while the large one ran, none waited for it.
    expect(latencies.length).toBeGreaterThanOrEqual(5);
    expect(Math.max(...latencies)).toBeLessThan(1000);
    expect(Math.max(...health)).toBeLessThan(1000);

    // The large write landed whole.
    const q = new URL(`/workspaces/${big}/api/v1/query`, amphora.address);
    q.searchParams.set('query', 'count({__name__=~"big_metric_.*"})');
    q.searchParams.set('time', String((t + 1000) / 1000));
    const signer = new SignatureV4({ service: 'aps', region: 'us-east-1', sha256: Hash.bind(null, 'sha256'), credentials: ROOT });
    const s = await signer.sign({ method: 'GET', protocol: 'http:', hostname: q.hostname, port: Number(q.port), path: q.pathname, query: Object.fromEntries(q.searchParams), headers: { host: q.host } });
    const { host: _h, ...send } = s.headers as Record<string, string>;
    const body = (await (await fetch(q, { headers: send })).json()) as { data: { result: { value: [number, string] }[] } };
    expect(body.data.result[0]?.value[1]).toBe(String(BIG_SERIES));
  });
});
