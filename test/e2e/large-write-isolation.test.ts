import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { request } from 'node:http';
import { compressSync } from 'snappy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWorkspaceLimits } from '../../src/controlplane/limits.js';
import { encodeWriteRequestV1 } from '../../src/remote/pb-writer.js';
import { ROOT, signedFetch, startTestAmphora } from './helpers.js';

// Very large remote writes must not stall other workspaces. One at the per-request series limit
// (maxSeriesPerRequest, 200k new series by default) is decoded and its series created in slices, so
// small writes to another workspace and /-/healthy keep answering while it runs, and it still lands
// as one batch. One of 1M series is refused whole (400, naming the limit) while it is scanned, before
// any series is created, within seconds (well inside a sender's 30 s remote_timeout), and the others carry on meanwhile.

const LIMIT = defaultWorkspaceLimits().maxSeriesPerRequest;
const BIG_SERIES = Number(process.env.AMPHORA_BIG_WRITE_SERIES ?? LIMIT);
const HUGE_SERIES = 1_000_000;

/** bigWriteRequest encodes n one-sample series (name, instance, series labels) straight into protobuf bytes (the generic test encoder is too slow for 1M series). */
function bigWriteRequest(n: number, t: number): Buffer {
  const out = Buffer.allocUnsafe(n * 110);
  let p = 0;
  const varint = (v: number): void => {
    while (v >= 0x80) {
      out[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    out[p++] = v;
  };
  const str = (field: number, s: string): void => {
    out[p++] = (field << 3) | 2;
    varint(s.length); // ASCII only
    p += out.write(s, p, 'latin1');
  };
  const label = (name: string, value: string): void => {
    out[p++] = 0x0a;
    varint(2 + name.length + 2 + value.length);
    str(1, name);
    str(2, value);
  };
  const tsLen = (ts: number): number => {
    let k = 1;
    while (ts >= 0x80) {
      ts = Math.floor(ts / 128);
      k++;
    }
    return k;
  };
  const sampleLen = 1 + 8 + 1 + tsLen(t);
  for (let i = 0; i < n; i++) {
    const name = `big_metric_${i % 50}`;
    const inst = `host-${Math.floor(i / 400)}:9100`;
    const ser = String(i);
    const labelsLen = [['__name__', name], ['instance', inst], ['series', ser]].reduce((a, [k, v]) => a + 2 + (2 + k!.length + 2 + v!.length), 0);
    out[p++] = 0x0a;
    varint(labelsLen + 2 + sampleLen);
    label('__name__', name);
    label('instance', inst);
    label('series', ser);
    out[p++] = 0x12;
    varint(sampleLen);
    out[p++] = 0x09;
    out.writeDoubleLE(i, p);
    p += 8;
    out[p++] = 0x10;
    let ts = t;
    while (ts >= 0x80) {
      out[p++] = (ts % 128) | 0x80;
      ts = Math.floor(ts / 128);
    }
    out[p++] = ts;
  }
  return compressSync(out.subarray(0, p)) as Buffer;
}

describe('large remote writes do not stall other workspaces (the real server)', () => {
  let amphora: Awaited<ReturnType<typeof startTestAmphora>>;
  let big = '';
  let huge = '';
  let small = '';
  beforeAll(async () => {
    amphora = await startTestAmphora();
    big = amphora.controlPlane.workspaces.create({ alias: 'big' }).workspaceId;
    huge = amphora.controlPlane.workspaces.create({ alias: 'huge' }).workspaceId;
    small = amphora.controlPlane.workspaces.create({ alias: 'small' }).workspaceId;
    await new Promise((r) => setTimeout(r, 1100));
  });
  afterAll(async () => amphora.stop());

  const RW_HEADERS = { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy', 'x-prometheus-remote-write-version': '0.1.0' };
  const write = (ws: string, body: Buffer) => signedFetch(amphora.address, 'POST', `/workspaces/${ws}/api/v1/remote_write`, body, RW_HEADERS);

  /**
   * presignedWrite signs a large write up front and returns a function that sends it with node:http, so the
   * client's own work in this shared process (hashing the body, fetch's copy of it) does not count as the server's stall.
   */
  async function presignedWrite(ws: string, body: Buffer): Promise<() => Promise<{ status: number; text: string; ms: number }>> {
    const url = new URL(`/workspaces/${ws}/api/v1/remote_write`, amphora.address);
    const signer = new SignatureV4({ service: 'aps', region: 'us-east-1', sha256: Hash.bind(null, 'sha256'), credentials: ROOT });
    const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query: {}, headers: { host: url.host, ...RW_HEADERS }, body });
    const headers = { ...(signed.headers as Record<string, string>), 'content-length': String(body.length) };
    return () =>
      new Promise((resolve, reject) => {
        const t0 = performance.now();
        const req = request(url, { method: 'POST', headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString(), ms: performance.now() - t0 }));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(body);
      });
  }

  /** whileOthersWrite runs work while a loop writes one sample at a time to the small workspace and checks /-/healthy; it returns the latencies seen. */
  async function whileOthersWrite<T>(t: number, work: () => Promise<T>): Promise<{ result: T; writes: number[]; health: number[] }> {
    const writes: number[] = [];
    const health: number[] = [];
    let done = false;
    let n = 0;
    const loop = (async () => {
      while (!done) {
        const body = compressSync(Buffer.from(encodeWriteRequestV1([{ labels: [['__name__', 'small_up']], samples: [{ value: n, timestamp: t + n }] }]))) as Buffer;
        n++;
        const t0 = performance.now();
        const r = await write(small, body);
        writes.push(performance.now() - t0);
        expect(r.status, await r.text()).toBe(204);
        const h0 = performance.now();
        expect((await fetch(new URL('/-/healthy', amphora.address))).status).toBe(200);
        health.push(performance.now() - h0);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    try {
      return { result: await work(), writes, health };
    } finally {
      done = true;
      await loop;
    }
  }

  const summary = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return { n: s.length, p50: Math.round(s[Math.floor(s.length / 2)] ?? 0), p99: Math.round(s[Math.min(s.length - 1, Math.floor(s.length * 0.99))] ?? 0), max: Math.round(s[s.length - 1] ?? 0) };
  };

  it(`keeps small writes to another workspace and /-/healthy answering while ${BIG_SERIES} new series are written in one request`, { timeout: 180_000 }, async () => {
    const t = Date.now() - 60_000;
    const send = await presignedWrite(big, bigWriteRequest(BIG_SERIES, t));
    const { result, writes, health } = await whileOthersWrite(t, send);
    console.log(JSON.stringify({ bigSeries: BIG_SERIES, bigMs: Math.round(result.ms), small: summary(writes), healthMaxMs: Math.round(Math.max(...health)) }));
    expect(result.status, result.text).toBe(204);
    // Several small writes went through while the large one ran, none waited for it.
    expect(writes.length).toBeGreaterThanOrEqual(5);
    expect(Math.max(...writes)).toBeLessThan(1000);
    expect(Math.max(...health)).toBeLessThan(1000);

    // The large write landed whole.
    const q = new URLSearchParams({ query: 'count({__name__=~"big_metric_.*"})', time: String((t + 1000) / 1000) });
    const body = (await (await signedFetch(amphora.address, 'GET', `/workspaces/${big}/api/v1/query?${q}`)).json()) as { data: { result: { value: [number, string] }[] } };
    expect(body.data.result[0]?.value[1]).toBe(String(BIG_SERIES));
  });

  it(`refuses a ${HUGE_SERIES}-series write with a 400 naming maxSeriesPerRequest within seconds (its upload, decompression and scan), creating no series, while others carry on`, { timeout: 180_000 }, async () => {
    const t = Date.now() - 60_000;
    const hugeBody = bigWriteRequest(HUGE_SERIES, t);
    const send = await presignedWrite(huge, hugeBody);
    const { result, writes, health } = await whileOthersWrite(t, send);
    console.log(JSON.stringify({ hugeSeries: HUGE_SERIES, compressedMB: +(hugeBody.length / 1e6).toFixed(1), refusedMs: Math.round(result.ms), small: summary(writes), healthMaxMs: Math.round(Math.max(...health)) }));
    expect(result.status).toBe(400);
    expect(result.text).toMatch(new RegExp(`^the request carries more than ${LIMIT} series: remote write series per request limit of ${LIMIT} exceeded \\(maxSeriesPerRequest\\)`));
    // The answer comes while the request is scanned: upload, decompression and a scan up to the limit.
    expect(result.ms).toBeLessThan(5000);
    expect(Math.max(...writes, 0)).toBeLessThan(1000);
    expect(Math.max(...health, 0)).toBeLessThan(1000);
    const q = new URLSearchParams({ 'match[]': '{__name__=~"big_metric_.*"}' });
    const series = (await (await signedFetch(amphora.address, 'GET', `/workspaces/${huge}/api/v1/series?${q}`)).json()) as { status: string; data: unknown[] };
    expect(series).toEqual({ status: 'success', data: [] });
  });
});
