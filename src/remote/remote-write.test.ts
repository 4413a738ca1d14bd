import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultWorkspaceLimits } from '../controlplane/limits.js';
import { labelsToString } from '../model/labels.js';
import { newMatcher } from '../model/matcher.js';
import { encodeWriteRequestV1, encodeWriteRequestV2, type TestSeries } from './pb-writer.js';
import { snappyMaxDecodedLength } from './handler.js';
import { dumpSeries, newTestEnv, snappy, V2_CONTENT_TYPE, type TestEnv } from './test-env.js';

const WS = 'ws-test1';
const NOW = Date.now();
let env: TestEnv;

beforeEach(() => {
  env = newTestEnv([WS, 'ws-other']);
});
afterEach(async () => {
  await env.close();
});

function post(raw: Uint8Array, opts: { ws?: string; contentType?: string; encoding?: string; compress?: boolean } = {}) {
  return env.handler.handle({
    workspaceId: opts.ws ?? WS,
    contentType: opts.contentType ?? 'application/x-protobuf',
    contentEncoding: opts.encoding ?? 'snappy',
    body: opts.compress === false ? raw : snappy(raw),
  });
}

function dump(ws = WS): Promise<Record<string, [number, number][]>> {
  return dumpSeries(env.storage, ws);
}

const ok = (name: string, t = NOW, v = 1, extra: [string, string][] = []): TestSeries => ({
  labels: [['__name__', name], ...extra],
  samples: [{ value: v, timestamp: t }],
});

describe('remote write 1.0', () => {
  it('stores samples and answers 204; a second request resolves series from their bytes', async () => {
    const series = [ok('up', NOW, 1, [['job', 'a']]), ok('up', NOW, 0, [['job', 'b']]), { labels: [['__name__', 'x'], ['empty', '']] as [string, string][], samples: [{ value: 2, timestamp: NOW }, { value: 3, timestamp: NOW + 1 }] }];
    const r = await post(encodeWriteRequestV1(series));
    expect(r.status).toBe(204);
    const r2 = await post(encodeWriteRequestV1(series.map((s) => ({ ...s, samples: s.samples!.map((p) => ({ value: p.value + 10, timestamp: p.timestamp + 1000 })) }))));
    expect(r2.status).toBe(204);
    const db = await env.storage.get(WS);
    expect(db.head.stats().numAliases).toBe(3);
    expect(await dump()).toEqual({
      'up{job="a"}': [[NOW, 1], [NOW + 1000, 11]],
      'up{job="b"}': [[NOW, 0], [NOW + 1000, 10]],
      x: [[NOW, 2], [NOW + 1, 3], [NOW + 1000, 12], [NOW + 1001, 13]],
    });
  });

  it('keeps NaN, Inf and the stale marker bits', async () => {
    const stale = new Float64Array(new Uint32Array([2, 0x7ff00000]).buffer)[0]!;
    const r = await post(encodeWriteRequestV1([{ labels: [['__name__', 'v']], samples: [{ value: Infinity, timestamp: NOW }, { value: -Infinity, timestamp: NOW + 1 }, { value: stale, timestamp: NOW + 2 }] }]));
    expect(r.status).toBe(204);
    const pts = (await dump()).v!;
    expect(pts.slice(0, 2)).toEqual([[NOW, Infinity], [NOW + 1, -Infinity]]);
    expect(Number.isNaN(pts[2]![1])).toBe(true);
  });

  const bad: [string, TestSeries, string, string][] = [
    ['missing name', { labels: [['job', 'a']], samples: [{ value: 1, timestamp: NOW }] }, 'sample missing metric name', 'missing_metric_name'],
    ['invalid metric name', { labels: [['__name__', '1bad']], samples: [{ value: 1, timestamp: NOW }] }, 'sample invalid metric name: "1bad"', 'metric_name_invalid'],
    ['invalid label name', { labels: [['__name__', 'm'], ['a-b', 'x']], samples: [{ value: 1, timestamp: NOW }] }, 'sample invalid label: "a-b" metric "m{a-b=\\"x\\"}"', 'label_invalid'],
    ['duplicate label', { labels: [['__name__', 'm'], ['a', 'x'], ['a', 'y']], samples: [{ value: 1, timestamp: NOW }] }, 'duplicate label name: "a" metric "m{a=\\"x\\", a=\\"y\\"}"', 'duplicate_label_names'],
    ['value too long', { labels: [['__name__', 'm'], ['a', 'x'.repeat(2049)]], samples: [{ value: 1, timestamp: NOW }] }, `label value too long: "${'x'.repeat(200)}" metric "m{a=\\"${'x'.repeat(195)}"`, 'label_value_too_long'],
    ['name too long', { labels: [['__name__', 'm'], ['a'.repeat(1025), 'x']], samples: [{ value: 1, timestamp: NOW }] }, `label name too long: "${'a'.repeat(200)}" metric "m{${'a'.repeat(198)}"`, 'label_name_too_long'],
    ['too far in future', ok('m', NOW + 3_600_000), `sample for 'm' has timestamp too new: ${NOW + 3_600_000}`, 'too_far_in_future'],
    ['older than retention', ok('m', NOW - 200 * 86_400_000), `sample for 'm' has timestamp too old: ${NOW - 200 * 86_400_000}`, 'greater_than_max_sample_age'],
    [
      'invalid native histogram',
      { labels: [['__name__', 'h']], histograms: [{ value: 3, timestamp: NOW }] },
      `0 observations found in buckets, but the Count field is 3: histogram's observation count should equal the number of observations found in the buckets (in absence of NaN). timestamp=${new Date(NOW).toISOString()}, series=h`,
      'invalid_native_histogram',
    ],
  ];
  it.each(bad)('%s: 400 with the first error, the valid series stored', async (_name, series, message, reason) => {
    const r = await post(encodeWriteRequestV1([ok('good'), series, ok('good2')]));
    expect(r.status).toBe(400);
    expect(r.body).toBe(`${message} (1 error in request; 1 of 3 samples rejected)\n`);
    expect(Object.keys(await dump())).toEqual(['good', 'good2']);
    const text = await env.registry.metrics();
    expect(text).toContain(`discarded_samples_total{workspace="${WS}",reason="${reason}"} 1`);
  });

  it('too many labels', async () => {
    const labels: [string, string][] = [['__name__', 'm']];
    for (let i = 0; i < 10_000; i++) labels.push([`l${String(i).padStart(5, '0')}`, 'v']);
    const r = await post(encodeWriteRequestV1([{ labels, samples: [{ value: 1, timestamp: NOW }] }]));
    expect(r.status).toBe(400);
    expect(r.body).toMatch(/^series has too many labels \(actual: 10001, limit: 70\) series: 'm\{l00000="v", /);
  });

  it('invalid UTF-8 in a label value is refused', async () => {
    // Hand-patch a valid request: replace the value bytes "zz" with 0xff 0xfe.
    const raw = encodeWriteRequestV1([ok('m', NOW, 1, [['a', 'zz']])]);
    const i = Buffer.from(raw).indexOf('zz');
    raw[i] = 0xff;
    raw[i + 1] = 0xfe;
    const r = await post(raw);
    expect(r.status).toBe(400);
    expect(r.body).toMatch(/^sample invalid label value \(not valid UTF-8\) for label "a"/);
  });

  it('out of order and duplicate samples are counted per sample; others in the series are kept', async () => {
    expect((await post(encodeWriteRequestV1([ok('m', NOW, 1)]))).status).toBe(204);
    const r = await post(encodeWriteRequestV1([{ labels: [['__name__', 'm']], samples: [{ value: 5, timestamp: NOW - 1000 }, { value: 2, timestamp: NOW }, { value: 3, timestamp: NOW + 1000 }] }]));
    expect(r.status).toBe(400);
    expect(r.body).toBe(`out of order sample. timestamp=${new Date(NOW - 1000).toISOString()}, series=m (2 errors in request; 2 of 3 samples rejected)\n`);
    expect((await dump()).m).toEqual([[NOW, 1], [NOW + 1000, 3]]);
    const text = await env.registry.metrics();
    expect(text).toContain(`discarded_samples_total{workspace="${WS}",reason="sample-out-of-order"} 1`);
    expect(text).toContain(`discarded_samples_total{workspace="${WS}",reason="new-value-for-timestamp"} 1`);
  });

  it('metadata and exemplars are stored and queryable', async () => {
    const raw = encodeWriteRequestV1(
      [{ labels: [['__name__', 'req_total'], ['job', 'a']], samples: [{ value: 1, timestamp: NOW }], exemplars: [{ labels: [['trace_id', 'abc']], value: 1, timestamp: NOW }] }],
      [{ type: 1, family: 'req_total', help: 'Requests.', unit: '' }, { type: 2, family: 'temp', help: 'T.', unit: 'celsius' }],
    );
    expect((await post(raw)).status).toBe(204);
    expect(env.metadata.query(WS)).toEqual({ req_total: [{ type: 'counter', help: 'Requests.', unit: '' }], temp: [{ type: 'gauge', help: 'T.', unit: 'celsius' }] });
    expect(env.metadata.query(WS, undefined, 1)).toEqual({ req_total: [{ type: 'counter', help: 'Requests.', unit: '' }] });
    expect(env.metadata.query('ws-other')).toEqual({});
    const ex = await env.exemplars.query(WS, NOW - 1, NOW + 1, [[newMatcher('=', '__name__', 'req_total')]]);
    expect(ex).toEqual([{ seriesLabels: [{ name: '__name__', value: 'req_total' }, { name: 'job', value: 'a' }], exemplars: [{ labels: [{ name: 'trace_id', value: 'abc' }], value: 1, ts: NOW }] }]);
    // An exemplar without labels is refused with Cortex's text.
    const r = await post(encodeWriteRequestV1([{ labels: [['__name__', 'req_total'], ['job', 'a']], samples: [{ value: 2, timestamp: NOW + 1 }], exemplars: [{ labels: [], value: 1, timestamp: NOW + 1 }] }]));
    expect(r.status).toBe(400);
    expect(r.body).toMatch(/^exemplar missing labels, timestamp: \d+ series: req_total\{job="a"\} labels: \{\}/);
  });

  it('protocol errors: 404, 415, 400 and 413', async () => {
    const raw = encodeWriteRequestV1([ok('m')]);
    const r404 = await post(raw, { ws: 'ws-nope' });
    expect(r404.status).toBe(404);
    expect(r404.headers['x-amzn-errortype']).toBe('ResourceNotFoundException');
    expect((await post(raw, { contentType: 'application/json' })).status).toBe(415);
    expect((await post(raw, { contentType: 'application/x-protobuf;proto=foo.Bar' })).body).toContain('unknown remote write protobuf message foo.Bar');
    expect((await post(raw, { encoding: 'gzip' })).body).toBe('gzip encoding (compression) is not accepted by this server; only snappy is acceptable\n');
    const truncated = snappy(raw).subarray(0, 5);
    const rt = await post(truncated, { compress: false });
    expect(rt.status).toBe(400);
    expect(rt.body).toMatch(/^snappy decode error/);
    const garbage = await post(new Uint8Array([0x0a, 0x7f, 1, 2, 3]));
    expect(garbage.status).toBe(400);
    expect(garbage.body).toMatch(/^failed to decode prometheus.WriteRequest: length-delimited field of 127 bytes overruns/);
    // A malformed Label inside the second series: the whole batch is rolled back.
    const good = encodeWriteRequestV1([ok('first')]);
    const nested = await post(Uint8Array.from([...good, 0x0a, 0x04, 0x0a, 0x02, 0x0a, 0x05]));
    expect(nested.status).toBe(400);
    expect(nested.body).toMatch(/^failed to decode prometheus.WriteRequest: /);
    const huge = new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x01, 0]); // declares 256 MiB
    expect((await post(huge, { compress: false })).status).toBe(413);
    expect(await dump()).toEqual({});
  });

  it('refuses a declared length its body cannot hold before decompressing (fuzz regression: 7 bytes made snappy allocate 100 MB on the loop)', async () => {
    const tiny = new Uint8Array([0x88, 0xdf, 0x9b, 0x30, 0x97, 0x87, 0x96]); // declares 101,117,832 bytes
    const r = await post(tiny, { compress: false });
    expect(r.status).toBe(400);
    expect(r.body).toBe('snappy decode error: the block declares 101117832 decompressed bytes, more than 7 compressed bytes can hold\n');
    // The bound is never hit by real data: the most compressible body (a run of one byte) stays under it.
    const run = snappy(new Uint8Array(1 << 20));
    expect(snappyMaxDecodedLength(run.length)).toBeGreaterThanOrEqual(1 << 20);
  });
});

describe('limits', () => {
  it('ingestion rate: 429 with Cortex wording, nothing written', async () => {
    env.workspaces.limitsById.set(WS, { ...defaultWorkspaceLimits(), ingestionRate: 10, ingestionBurstSize: 3 });
    expect((await post(encodeWriteRequestV1([ok('a'), ok('b')]))).status).toBe(204);
    const r = await post(encodeWriteRequestV1([ok('c'), ok('d')], [{ type: 1, family: 'c' }]));
    expect(r.status).toBe(429);
    expect(r.body).toBe('ingestion rate limit (10) exceeded while adding 2 samples and 1 metadata\n');
    expect(Object.keys(await dump())).toEqual(['a', 'b']);
    expect((await post(encodeWriteRequestV1([ok('x')]), { ws: 'ws-other' })).status).toBe(204);
  });

  it('active series per workspace', async () => {
    env.workspaces.limitsById.set(WS, { ...defaultWorkspaceLimits(), maxActiveSeries: 2 });
    const r = await post(encodeWriteRequestV1([ok('a'), ok('b'), ok('c')]));
    expect(r.status).toBe(429);
    expect(r.body).toMatch(/^user=000000000000_ws-test1: per-user series limit \(local limit: 0 global limit: 2 actual local limit: 2\) exceeded \(maxActiveSeries/);
    // Known series keep working at the limit, also when their bytes are not known (different label order).
    const r2 = await post(encodeWriteRequestV1([ok('a', NOW + 1), ok('b', NOW + 1)]));
    expect(r2.status).toBe(204);
    expect(await dump()).toEqual({ a: [[NOW, 1], [NOW + 1, 1]], b: [[NOW, 1], [NOW + 1, 1]] });
  });

  it('active series per label set', async () => {
    env.workspaces.limitsById.set(WS, { ...defaultWorkspaceLimits(), limitsPerLabelSet: [{ labelSet: { team: 'x' }, maxSeries: 1 }, { labelSet: {}, maxSeries: 2 }] });
    const r = await post(encodeWriteRequestV1([ok('a', NOW, 1, [['team', 'x']]), ok('b', NOW, 1, [['team', 'x']]), ok('c'), ok('d'), ok('e')]));
    expect(r.status).toBe(429);
    expect(r.body).toMatch(/^per-labelset series limit of 1 exceeded, please contact administrator to raise it \(labelSet: \{team="x"\}, limit: 1\) \(2 errors/);
    expect(Object.keys(await dump())).toEqual(['a{team="x"}', 'c', 'd']);
  });
});

describe('per-request limits', () => {
  const many = (n: number, points = 1): TestSeries[] =>
    Array.from({ length: n }, (_, i) => ({ labels: [['__name__', 'm'], ['i', String(i)]], samples: Array.from({ length: points }, (_, k) => ({ value: k, timestamp: NOW + k })) }));

  it('a request with more series than maxSeriesPerRequest is refused whole (400, naming the limit) before any series is created', async () => {
    env.workspaces.limitsById.set(WS, { ...defaultWorkspaceLimits(), maxSeriesPerRequest: 3 });
    const r1 = await post(encodeWriteRequestV1(many(4)));
    expect(r1.status).toBe(400);
    expect(r1.body).toBe(
      'the request carries more than 3 series: remote write series per request limit of 3 exceeded (maxSeriesPerRequest); send smaller requests, for instance with a lower queue_config.max_samples_per_send, or ask the administrator to raise the limit\n',
    );
    const r2 = await post(encodeWriteRequestV2(many(4)), { contentType: V2_CONTENT_TYPE });
    expect(r2.status).toBe(400);
    expect(r2.body).toMatch(/^the request carries more than 3 series: .*\(maxSeriesPerRequest\)/);
    expect((await env.storage.get(WS)).head.numSeries()).toBe(0);
    expect(await env.registry.getSingleMetricAsString('remote_write_requests_over_limit_total')).toMatch(/limit="maxSeriesPerRequest"} 2/);
    expect((await post(encodeWriteRequestV1(many(3)))).status).toBe(204);
  });

  it('a request with more samples than maxSamplesPerRequest is refused whole (400)', async () => {
    env.workspaces.limitsById.set(WS, { ...defaultWorkspaceLimits(), maxSamplesPerRequest: 5 });
    const r = await post(encodeWriteRequestV1(many(2, 3)));
    expect(r.status).toBe(400);
    expect(r.body).toMatch(/^the request carries more than 5 samples: remote write samples per request limit of 5 exceeded \(maxSamplesPerRequest\)/);
    expect(await dump()).toEqual({});
    expect((await post(encodeWriteRequestV1(many(1, 5)))).status).toBe(204);
  });
});

describe('remote write 2.0', () => {
  const v2 = (raw: Uint8Array, ws = WS) => post(raw, { contentType: V2_CONTENT_TYPE, ws });

  it('decodes symbols, samples, exemplars, metadata and answers the written headers', async () => {
    const raw = encodeWriteRequestV2([
      { labels: [['__name__', 'req_total'], ['job', 'a']], samples: [{ value: 5, timestamp: NOW }], exemplars: [{ labels: [['trace_id', 't1']], value: 5, timestamp: NOW }], metadata: { type: 1, help: 'Requests.' }, createdTimestamp: NOW - 5000 },
      { labels: [['__name__', 'temp'], ['job', 'a']], samples: [{ value: 21.5, timestamp: NOW }], metadata: { type: 2, unit: 'celsius' } },
    ]);
    const r = await v2(raw);
    expect(r.status).toBe(204);
    expect(r.headers).toMatchObject({ 'X-Prometheus-Remote-Write-Samples-Written': '2', 'X-Prometheus-Remote-Write-Histograms-Written': '0', 'X-Prometheus-Remote-Write-Exemplars-Written': '1' });
    expect(await dump()).toEqual({ 'req_total{job="a"}': [[NOW - 5000, 0], [NOW, 5]], 'temp{job="a"}': [[NOW, 21.5]] });
    expect(env.metadata.query(WS)).toEqual({ req_total: [{ type: 'counter', help: 'Requests.', unit: '' }], temp: [{ type: 'gauge', help: '', unit: 'celsius' }] });
    expect(await env.exemplars.query(WS, 0, Infinity, [[newMatcher('=', 'job', 'a')]])).toHaveLength(1);
  });

  it('different symbol tables for the same series resolve to the same series; 1.0 and 2.0 share it', async () => {
    const s = (t: number, v: number): TestSeries[] => [ok('m', t, v, [['job', 'a']]), ok('n', t, v + 100, [['job', 'b']])];
    expect((await v2(encodeWriteRequestV2(s(NOW, 1)))).status).toBe(204);
    // Same labels, shuffled symbol table (extra symbols first) and symbols after the series.
    expect((await v2(encodeWriteRequestV2(s(NOW + 1, 2), { extraSymbols: ['zzz', 'job', 'b', 'n'], symbolsFirst: false }))).status).toBe(204);
    expect((await post(encodeWriteRequestV1(s(NOW + 2, 3)))).status).toBe(204);
    expect(await dump()).toEqual({ 'm{job="a"}': [[NOW, 1], [NOW + 1, 2], [NOW + 2, 3]], 'n{job="b"}': [[NOW, 101], [NOW + 1, 102], [NOW + 2, 103]] });
    expect((await env.storage.get(WS)).head.stats().numAliases).toBe(2);
  });

  it('partial acceptance keeps the headers; bad symbol references are 400', async () => {
    const r = await v2(encodeWriteRequestV2([ok('good'), { labels: [['job', 'x']], samples: [{ value: 1, timestamp: NOW }] }]));
    expect(r.status).toBe(400);
    expect(r.body).toMatch(/^sample missing metric name/);
    expect(r.headers['X-Prometheus-Remote-Write-Samples-Written']).toBe('1');
    // labels_refs pointing past the symbol table.
    const raw = encodeWriteRequestV2([ok('m')]);
    const bad = await v2(Uint8Array.from([...raw, 0x2a, 0x03, 0x0a, 0x01, 0x63]));
    expect(bad.status).toBe(400);
    expect(bad.body).toMatch(/labels_refs must hold name\/value pairs|symbol reference 99 out of range/);
    expect(Object.keys(await dump())).toEqual(['good']);
  });
});
