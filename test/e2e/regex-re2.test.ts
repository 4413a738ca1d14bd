import protobuf from 'protobufjs';
import { compressSync } from 'snappy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedFetch, startTestAmphora } from './helpers.js';

// Remote-Write 1.0's WriteRequest, restated from the published prometheus.WriteRequest message.
const SCHEMA = `
syntax = "proto3";
package prometheus;
message WriteRequest { repeated TimeSeries timeseries = 1; }
message TimeSeries { repeated Label labels = 1; repeated Sample samples = 2; }
message Label { string name = 1; string value = 2; }
message Sample { double value = 1; int64 timestamp = 2; }
`;
const WriteRequest = protobuf.parse(SCHEMA).root.lookupType('prometheus.WriteRequest');
const LONG = 'a'.repeat(40); // JavaScript's backtracking RegExp needs hours on (a+)+c against this; RE2 microseconds.

describe('user regexes run on RE2 (the real server, SigV4)', () => {
  let amphora: Awaited<ReturnType<typeof startTestAmphora>>;
  let ws = '';
  const t = Date.now() - 60_000;
  beforeAll(async () => {
    amphora = await startTestAmphora();
    ws = amphora.controlPlane.workspaces.create({ alias: 're2' }).workspaceId;
    await new Promise((r) => setTimeout(r, 1100));
    const req = WriteRequest.create({
      timeseries: [
        { labels: [{ name: '__name__', value: 'evil' }, { name: 'v', value: LONG }], samples: [{ value: 1, timestamp: t }] },
        { labels: [{ name: '__name__', value: 'evil' }, { name: 'v', value: 'aac' }], samples: [{ value: 2, timestamp: t }] },
      ],
    });
    const r = await signed('POST', `/workspaces/${ws}/api/v1/remote_write`, compressSync(Buffer.from(WriteRequest.encode(req).finish())), { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' });
    expect(r.status, await r.text()).toBe(204);
  });
  afterAll(async () => amphora.stop());

  const signed = (method: string, path: string, body?: Uint8Array, headers: Record<string, string> = {}): Promise<Response> => signedFetch(amphora.address, method, path, body, headers);
  async function api(path: string, params: Record<string, string>): Promise<{ status: number; body: { status: string; data?: unknown; errorType?: string; error?: string }; ms: number }> {
    const t0 = performance.now();
    const r = await signed('GET', `/workspaces/${ws}/api/v1/${path}?${new URLSearchParams(params)}`);
    return { status: r.status, body: (await r.json()) as { status: string }, ms: performance.now() - t0 };
  }

  it.each([
    ['query', { query: 'evil{v=~"(a+)+c"}', time: String(t / 1000) }],
    ['query', { query: 'evil{v!~"(a|a)*b"}', time: String(t / 1000) }],
    ['series', { 'match[]': '{v=~"(a*)*b"}' }],
    ['label/v/values', { 'match[]': '{__name__="evil", v=~"(x+x+)+y|(a+)+c"}' }],
    ['query', { query: `label_replace(evil, "d", "$1", "v", "(a+)+c")`, time: String(t / 1000) }],
  ])('%s %j answers within a second', async (path, params) => {
    const r = await api(path, params);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.ms).toBeLessThan(1000);
  });

  it('matches as Go RE2 does, and refuses lookaround and backreferences with Go text', async () => {
    const r = await api('query', { query: 'evil{v=~"(a+)+c"}', time: String(t / 1000) });
    expect((r.body.data as { result: { metric: { v: string } }[] }).result.map((s) => s.metric.v)).toEqual(['aac']);
    const bad = await api('query', { query: 'evil{v=~"a(?=c)"}', time: String(t / 1000) });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ status: 'error', errorType: 'bad_data', error: 'invalid parameter "query": 1:6: parse error: error parsing regexp: invalid or unsupported Perl syntax: `(?=`' });
    const backref = await api('series', { 'match[]': '{v=~"(a)\\\\1"}' });
    expect(backref.status).toBe(400);
    expect(backref.body.error).toContain('error parsing regexp: invalid escape sequence: `\\1`');
  });
});
