import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { labelsToString } from '../model/labels.js';
import { newMatcher } from '../model/matcher.js';
import { CounterResetHint, type FloatHistogram, type Histogram } from '../model/histogram/types.js';
import { encodeWriteRequestV1, encodeWriteRequestV2, type TestSeries } from './pb-writer.js';
import { newTestEnv, snappy, V2_CONTENT_TYPE, type TestEnv } from './test-env.js';

const WS = 'ws-hist';
const NOW = Date.now();
let env: TestEnv;

beforeEach(() => {
  env = newTestEnv([WS]);
});
afterEach(async () => {
  await env.close();
});

function post(raw: Uint8Array, v2 = false) {
  return env.handler.handle({
    workspaceId: WS,
    contentType: v2 ? V2_CONTENT_TYPE : 'application/x-protobuf',
    contentEncoding: 'snappy',
    body: snappy(raw),
  });
}

const H: Histogram = {
  counterResetHint: CounterResetHint.NotCounterReset,
  schema: 3,
  zeroThreshold: 1e-128,
  zeroCount: 2,
  count: 14,
  sum: 42.5,
  positiveSpans: [{ offset: -3, length: 2 }, { offset: 4, length: 1 }],
  negativeSpans: [{ offset: 1, length: 1 }],
  positiveBuckets: [3, -1, 2],
  negativeBuckets: [3],
};

const FH: FloatHistogram = {
  counterResetHint: CounterResetHint.Gauge,
  schema: -53,
  zeroThreshold: 0,
  zeroCount: 0,
  count: 7.5,
  sum: 3,
  positiveSpans: [{ offset: 0, length: 3 }],
  negativeSpans: [],
  positiveBuckets: [1, 0.5, 6],
  negativeBuckets: [],
  customValues: [0.1, 1],
};

/** dump reads every series: floats as numbers, histograms as plain objects. */
async function dump(): Promise<Record<string, [number, unknown][]>> {
  const db = await env.storage.get(WS);
  const q = db.querier(-Infinity, Infinity);
  const ss = q.select(true, undefined, [newMatcher('=~', '__name__', '.+')]);
  const out: Record<string, [number, unknown][]> = {};
  while (ss.next()) {
    const s = ss.at();
    const it = s.iterator();
    const pts: [number, unknown][] = [];
    while (it.next()) {
      const fh = it.atFloatHistogram?.();
      pts.push([it.atT(), fh !== undefined ? JSON.parse(JSON.stringify(fh)) : it.atV()]);
    }
    out[labelsToString(s.labels)] = pts;
  }
  q.close();
  return out;
}

const series = (name: string, over: Partial<TestSeries>): TestSeries => ({ labels: [['__name__', name]], ...over });

describe.each([
  ['1.0', false],
  ['2.0', true],
])('remote write %s native histograms', (_v, v2) => {
  const enc = (ts: TestSeries[]) => (v2 ? encodeWriteRequestV2(ts) : encodeWriteRequestV1(ts));

  it('stores integer and float (custom-bucket) histograms with their exemplars, floats of other series beside them', async () => {
    const r = await post(
      enc([
        series('h', { nativeHistograms: [{ timestamp: NOW, h: H }, { timestamp: NOW + 1000, h: { ...H, count: 15, positiveBuckets: [4, -2, 2] } }], exemplars: [{ labels: [['trace_id', 't1']], value: 0.3, timestamp: NOW }] }),
        series('f', { samples: [{ value: 1, timestamp: NOW }] }),
        series('c', { nativeHistograms: [{ timestamp: NOW, fh: FH }] }),
      ]),
      v2,
    );
    expect(r.status).toBe(204);
    const got = await dump();
    expect(got.f).toEqual([[NOW, 1]]);
    expect(got.h!.map(([t]) => t)).toEqual([NOW, NOW + 1000]);
    expect(got.h![0]![1]).toEqual({ ...H, positiveBuckets: [3, 2, 4], negativeBuckets: [3] });
    expect(got.h![1]![1]).toMatchObject({ count: 15, positiveBuckets: [4, 2, 4] });
    expect(got.c).toEqual([[NOW, FH]]);
    const ex = await env.exemplars.query(WS, NOW - 1, NOW + 1, [[newMatcher('=', '__name__', 'h')]]);
    expect(ex[0]!.exemplars).toEqual([{ labels: [{ name: 'trace_id', value: 't1' }], value: 0.3, ts: NOW }]);
  });

  it('refuses an invalid histogram alone, with its validation text, and keeps the rest of the request', async () => {
    const r = await post(
      enc([
        series('good', { samples: [{ value: 1, timestamp: NOW }] }),
        series('h', { nativeHistograms: [{ timestamp: NOW, h: { ...H, positiveSpans: [{ offset: 0, length: 2 }] } }, { timestamp: NOW + 1, h: H }] }),
      ]),
      v2,
    );
    expect(r.status).toBe(400);
    expect(r.body).toBe(
      `positive side: spans need 2 buckets, have 3 buckets: histogram spans specify different number of buckets than provided. timestamp=${new Date(NOW).toISOString()}, series=h (1 error in request; 1 of 3 samples rejected)\n`,
    );
    const got = await dump();
    expect(got.good).toEqual([[NOW, 1]]);
    expect(got.h!.map(([t]) => t)).toEqual([NOW + 1]);
    expect(await env.registry.metrics()).toContain(`discarded_samples_total{workspace="${WS}",reason="invalid_native_histogram"} 1`);
  });

  it('refuses an out-of-order histogram and a float at a histogram timestamp as the head does', async () => {
    expect((await post(enc([series('h', { nativeHistograms: [{ timestamp: NOW, h: H }] })]), v2)).status).toBe(204);
    const r = await post(enc([series('h', { samples: [{ value: 2, timestamp: NOW }], nativeHistograms: [{ timestamp: NOW - 1000, h: H }] })]), v2);
    expect(r.status).toBe(400);
    expect(r.body).toBe(`duplicate sample for timestamp. timestamp=${new Date(NOW).toISOString()}, series=h (2 errors in request; 2 of 2 samples rejected)\n`);
  });

  it('refuses a series whose histogram is too far in the future, naming it', async () => {
    const r = await post(enc([series('h', { nativeHistograms: [{ timestamp: NOW + 3_600_000, h: H }] })]), v2);
    expect(r.status).toBe(400);
    expect(r.body).toContain(`sample for 'h' has timestamp too new: ${NOW + 3_600_000}`);
  });
});

describe('remote write 2.0 created timestamps on histogram series', () => {
  it('writes a zero histogram (not a float zero) of the same kind at the created timestamp', async () => {
    const r = await post(
      encodeWriteRequestV2([
        { labels: [['__name__', 'h']], createdTimestamp: NOW - 5000, nativeHistograms: [{ timestamp: NOW, h: H }] },
        { labels: [['__name__', 'c']], createdTimestamp: NOW - 5000, nativeHistograms: [{ timestamp: NOW, fh: FH }] },
      ]),
      true,
    );
    expect(r.status).toBe(204);
    const got = await dump();
    expect(got.h![0]).toEqual([NOW - 5000, { counterResetHint: CounterResetHint.CounterReset, schema: 3, zeroThreshold: 1e-128, zeroCount: 0, count: 0, sum: 0, positiveSpans: [], negativeSpans: [], positiveBuckets: [], negativeBuckets: [] }]);
    expect(got.c![0]).toEqual([NOW - 5000, expect.objectContaining({ count: 0, schema: -53, customValues: [0.1, 1] })]);
    expect(got.h![1]![0]).toBe(NOW);
  });
});
