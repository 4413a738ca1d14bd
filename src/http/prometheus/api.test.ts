import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWorkspaceLimits, type WorkspaceLimits, type WorkspaceLookup } from '../../controlplane/limits.js';
import { labelsFromRecord } from '../../model/labels.js';
import { nopLogger } from '../../model/logger.js';
import { loadConfig } from '../../app/config.js';
import { startQueryService, type RunningQueryService } from '../../query/service.js';
import { WorkspaceStorage } from '../../tsdb/workspaces.js';
import { buildServer } from '../server.js';
import type { ExemplarSource } from '../../storage/exemplars.js';
import type { MetadataSource } from '../../storage/metadata.js';
import { prometheusApiRoutes } from './routes.js';

const WS = 'ws-test';
const T0 = 1_700_000_000_000;
let limits: WorkspaceLimits = defaultWorkspaceLimits();
const lookup: WorkspaceLookup = {
  get: (id) => (id === WS || id === 'ws-other' ? { workspaceId: id, arn: `arn:aws:aps:us-east-1:000000000000:workspace/${id}`, status: 'ACTIVE', tags: {} } : id === 'ws-new' ? { workspaceId: id, arn: '', status: 'CREATING', tags: {} } : null),
  limits: () => limits,
};
const metadataSrc: MetadataSource = {
  *list() {
    yield { metric: 'http_requests_total', type: 'counter', help: 'Requests <total>.', unit: '' };
    yield { metric: 'http_requests_total', type: 'counter', help: 'Requests <total>.', unit: '' };
    yield { metric: 'up', type: 'gauge', help: 'Up.', unit: '' };
  },
};
const exemplarSrc: ExemplarSource = {
  select: (_id, start, end, sets) =>
    sets.some((ms) => ms.some((m) => m.matches('http_requests_total')))
      ? [{ seriesLabels: labelsFromRecord({ __name__: 'http_requests_total', job: 'api' }), exemplars: [{ labels: labelsFromRecord({ trace_id: 'abc' }), value: 2, ts: T0 + 1500 }].filter((e) => e.ts >= start && e.ts <= end) }]
      : [],
};

let dir: string;
let storage: WorkspaceStorage;
let app: FastifyInstance;
const services: RunningQueryService[] = [];
function queryService(): RunningQueryService {
  const s = startQueryService({ config: { ...loadConfig({}).query, workers: 2 }, workspaces: lookup, storage });
  services.push(s);
  return s;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'amphora-qapi-'));
  storage = new WorkspaceStorage({ dataDir: dir, settings: () => ({ retention: 1e15, outOfOrderWindow: 0 }), tsdb: { compactionInterval: 0, sync: false } });
  const db = await storage.get(WS);
  const app_ = db.appender();
  const series: [Record<string, string>, (i: number) => number][] = [
    [{ __name__: 'http_requests_total', job: 'api', code: '200' }, (i) => i * 10],
    [{ __name__: 'http_requests_total', job: 'api', code: '500' }, (i) => i],
    [{ __name__: 'up', job: 'api', instance: 'a:1' }, () => 1],
    [{ __name__: 'up', job: 'node', instance: 'b:2' }, () => 0],
    [{ __name__: 'weird', v: '<&>"\n' }, (i) => [1e21, 1.5e-7, NaN, Infinity, -Infinity, -0.5][i % 6]!],
  ];
  for (const [rec, f] of series) {
    const l = labelsFromRecord(rec);
    let ref = 0;
    for (let i = 0; i <= 40; i++) ref = app_.append(ref, l, T0 + i * 15_000, f(i));
  }
  await app_.commit();
  const other = (await storage.get('ws-other')).appender();
  other.append(0, labelsFromRecord({ __name__: 'secret', job: 'api' }), T0, 42);
  await other.commit();
  app = await buildServer({
    storage,
    logger: nopLogger,
    anyPublic: true,
    plugins: [prometheusApiRoutes({ storage, workspaces: lookup, queries: queryService().frontend, auth: () => 'public', logger: nopLogger, now: () => T0 + 600_000, metadata: metadataSrc, exemplars: exemplarSrc })],
  });
});

afterAll(async () => {
  await app?.close();
  for (const s of services) await s.close();
  await storage?.closeAll();
  rmSync(dir, { recursive: true, force: true });
});

const base = `/workspaces/${WS}/api/v1`;

async function get(path: string): Promise<{ status: number; body: string }> {
  const r = await app.inject({ method: 'GET', url: `${base}/${path}` });
  return { status: r.statusCode, body: r.body };
}

async function post(path: string, form: string): Promise<{ status: number; body: string }> {
  const r = await app.inject({ method: 'POST', url: `${base}/${path}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form });
  return { status: r.statusCode, body: r.body };
}

const t = (s: number): number => T0 / 1000 + s;

describe('query', () => {
  it.each([
    [
      `query?query=up&time=${t(600)}`,
      200,
      '{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","instance":"a:1","job":"api"},"value":[1700000600,"1"]},{"metric":{"__name__":"up","instance":"b:2","job":"node"},"value":[1700000600,"0"]}]}}',
    ],
    [
      `query?query=sum%20by%20(code)(http_requests_total)&time=${t(30.1)}`,
      200,
      '{"status":"success","data":{"resultType":"vector","result":[{"metric":{"code":"200"},"value":[1700000030.100,"20"]},{"metric":{"code":"500"},"value":[1700000030.100,"2"]}]}}',
    ],
    [
      `query?query=weird&time=${t(0)}`,
      200,
      '{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"weird","v":"\\u003c\\u0026\\u003e\\"\\n"},"value":[1700000000,"1e+21"]}]}}',
    ],
    [`query?query=1e21&time=${t(0.5)}`, 200, '{"status":"success","data":{"resultType":"scalar","result":[1700000000.5,"1000000000000000000000"]}}'],
    [`query?query=%22hi%22&time=${t(1)}`, 200, '{"status":"success","data":{"resultType":"string","result":[1700000001,"hi"]}}'],
    [`query?query=weird[31s]&time=${t(45)}`, 200, '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"weird","v":"\\u003c\\u0026\\u003e\\"\\n"},"values":[[1700000015,"1.5e-07"],[1700000030,"NaN"],[1700000045,"+Inf"]]}]}}'],
    ['query?query=up&time=abc', 400, '{"status":"error","errorType":"bad_data","error":"invalid parameter \\"time\\": Invalid time value for \'time\': cannot parse \\"abc\\" to a valid timestamp"}'],
    ['query?query=up%7B', 400, '{"status":"error","errorType":"bad_data","error":"invalid parameter \\"query\\": 1:4: parse error: unexpected end of input inside braces"}'],
    [`query?query=${encodeURIComponent('up{job=~"(?=x)"}')}`, 400, '{"status":"error","errorType":"bad_data","error":"invalid parameter \\"query\\": 1:4: parse error: error parsing regexp: invalid or unsupported Perl syntax: `(?=`"}'],
    ['query?query=up&timeout=x', 400, '{"status":"error","errorType":"bad_data","error":"invalid parameter \\"timeout\\": cannot parse \\"x\\" to a valid duration"}'],
  ])('GET %s', async (path, status, body) => {
    const r = await get(path);
    expect(r.body).toBe(body);
    expect(r.status).toBe(status);
  });

  it('POST form equals GET', async () => {
    const g = await get(`query?query=up&time=${t(600)}`);
    const p = await post('query', `query=up&time=${t(600)}`);
    expect(p).toEqual(g);
  });

  it('body parameters take precedence over the URL', async () => {
    const r = await app.inject({ method: 'POST', url: `${base}/query?query=nope&time=${t(600)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'query=count(up)' });
    expect(r.body).toBe('{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1700000600,"2"]}]}}');
  });

  it('maps limits: max samples is execution 422', async () => {
    limits = { ...defaultWorkspaceLimits(), maxQuerySamples: 3 };
    try {
      const r = await get(`query?query=http_requests_total[5m]&time=${t(600)}`);
      expect(r.status).toBe(422);
      expect(r.body).toBe('{"status":"error","errorType":"execution","error":"query processing would load too many samples into memory in query execution"}');
    } finally {
      limits = defaultWorkspaceLimits();
    }
  });

  it('honours AMP sample thresholds', async () => {
    const w = await get(`query?query=count_over_time(http_requests_total[1m])&time=${t(600)}&max_samples_processed_warning_threshold=5`);
    expect(w.status).toBe(200);
    expect(JSON.parse(w.body).warnings).toEqual(['query processed 8 samples, exceeding max_samples_processed_warning_threshold (5)']);
    const e = await get(`query?query=count_over_time(http_requests_total[1m])&time=${t(600)}&max_samples_processed_error_threshold=5`);
    expect(e.status).toBe(422);
    expect(JSON.parse(e.body).error).toBe('query processed 8 samples, exceeding max_samples_processed_error_threshold (5)');
  });

  it('returns stats', async () => {
    const r = JSON.parse((await get(`query?query=count_over_time(http_requests_total[1m])&time=${t(600)}&stats=all`)).body);
    expect(Object.keys(r.data.stats.timings)).toEqual(['evalTotalTime', 'resultSortTime', 'queryPreparationTime', 'innerEvalTime', 'execQueueTime', 'execTotalTime']);
    expect(r.data.stats.samples.totalQueryableSamples).toBe(8);
    expect(r.data.stats.samples.peakSamples).toBeGreaterThanOrEqual(8);
    expect(r.data.stats.samples.totalQueryableSamplesPerStep).toEqual([[Number(t(600)), 8]]);
    const plain = JSON.parse((await get(`query?query=count_over_time(http_requests_total[1m])&time=${t(600)}&stats=1`)).body);
    expect(plain.data.stats.samples.totalQueryableSamplesPerStep).toBeUndefined();
  });

  it('returns per-step stats for range queries with stats=all', async () => {
    const r = JSON.parse((await get(`query_range?query=http_requests_total&start=${t(540)}&end=${t(600)}&step=30&stats=all`)).body);
    const steps = r.data.stats.samples.totalQueryableSamplesPerStep as [number, number][];
    expect(steps.map(([ts]) => ts)).toEqual([Number(t(540)), Number(t(570)), Number(t(600))]);
    expect(steps.reduce((a, [, n]) => a + n, 0)).toBe(r.data.stats.samples.totalQueryableSamples);
  });

  it('times out with 422, as AMP answers', async () => {
    const r = await get(`query?query=up&time=${t(600)}&timeout=0`);
    expect(r.status).toBe(422);
    expect(r.body).toBe('{"status":"error","errorType":"timeout","error":"query timed out in query execution"}');
  });

  it('gzips when accepted', async () => {
    const r = await app.inject({ method: 'GET', url: `${base}/query?query=up&time=${t(600)}`, headers: { 'accept-encoding': 'br, gzip' } });
    expect(r.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(r.rawPayload).toString()).toContain('"resultType":"vector"');
  });
});

describe('query_range', () => {
  it.each([
    [
      `query_range?query=http_requests_total{code="500"}&start=${t(0)}&end=${t(30)}&step=15`,
      200,
      '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"http_requests_total","code":"500","job":"api"},"values":[[1700000000,"0"],[1700000015,"1"],[1700000030,"2"]]}]}}',
    ],
    [
      `query_range?query=1&start=${t(0)}&end=${t(1)}&step=0.5`,
      200,
      '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1700000000,"1"],[1700000000.500,"1"],[1700000001,"1"]]}]}}',
    ],
    [`query_range?query=up&start=${t(10)}&end=${t(0)}&step=15`, 400, '{"status":"error","errorType":"bad_data","error":"invalid parameter \\"end\\": end timestamp must not be before start time"}'],
    [`query_range?query=up&start=${t(0)}&end=${t(10)}&step=0`, 400, '{"status":"error","errorType":"bad_data","error":"invalid parameter \\"step\\": zero or negative query resolution step widths are not accepted. Try a positive integer"}'],
    [`query_range?query=up&start=0&end=11001&step=1`, 400, '{"status":"error","errorType":"bad_data","error":"exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)"}'],
    [`query_range?query=up&start=0&end=11000&step=1`, 200, null],
    [`query_range?query=up&end=1&step=1`, 400, '{"status":"error","errorType":"bad_data","error":"invalid parameter \\"start\\": cannot parse \\"\\" to a valid timestamp"}'],
    [`query_range?query=up%7B&start=0&end=1&step=1`, 400, '{"status":"error","errorType":"bad_data","error":"1:4: parse error: unexpected end of input inside braces"}'],
    [`query_range?query=%22x%22&start=0&end=1&step=1`, 400, '{"status":"error","errorType":"bad_data","error":"invalid expression type \\"string\\" for range query, must be Scalar or instant Vector"}'],
  ])('GET %s', async (path, status, body) => {
    const r = await get(path);
    if (body !== null) expect(r.body).toBe(body);
    expect(r.status).toBe(status);
  });

  it('enforces the workspace query time range', async () => {
    limits = { ...defaultWorkspaceLimits(), maxQueryTimeRangeMs: 3_600_000 };
    try {
      const r = await get(`query_range?query=up&start=0&end=7200&step=60`);
      expect(r.status).toBe(400);
      expect(JSON.parse(r.body).error).toBe('the query time range exceeds the limit (query length: 2h0m0s, limit: 1h0m0s) (maxQueryTimeRangeMs)');
    } finally {
      limits = defaultWorkspaceLimits();
    }
  });
});

describe('series and labels', () => {
  it.each([
    [
      'series?match[]=up',
      200,
      '{"status":"success","data":[{"__name__":"up","instance":"a:1","job":"api"},{"__name__":"up","instance":"b:2","job":"node"}]}',
    ],
    [
      'series?match[]=up{job="node"}&match[]=http_requests_total{code="500"}',
      200,
      '{"status":"success","data":[{"__name__":"http_requests_total","code":"500","job":"api"},{"__name__":"up","instance":"b:2","job":"node"}]}',
    ],
    ['series?match[]=up&limit=1', 200, '{"status":"success","data":[{"__name__":"up","instance":"a:1","job":"api"}],"warnings":["results truncated due to limit"]}'],
    [`series?match[]=up&start=${t(1000)}`, 200, '{"status":"success","data":[]}'],
    ['series', 400, '{"status":"error","errorType":"bad_data","error":"no match[] parameter provided"}'],
    ['series?match[]={job=~".*"}', 400, '{"status":"error","errorType":"bad_data","error":"invalid parameter \\"match[]\\": match[] must contain at least one non-empty matcher"}'],
    ['labels', 200, '{"status":"success","data":["__name__","code","instance","job","v"]}'],
    ['labels?match[]=up', 200, '{"status":"success","data":["__name__","instance","job"]}'],
    ['labels?limit=2', 200, '{"status":"success","data":["__name__","code"],"warnings":["results truncated due to limit"]}'],
    ['label/job/values', 200, '{"status":"success","data":["api","node"]}'],
    ['label/__name__/values?match[]={job="api"}', 200, '{"status":"success","data":["http_requests_total","up"]}'],
    ['label/nope/values', 200, '{"status":"success","data":[]}'],
    ['label/U__j_6f_b/values', 200, '{"status":"success","data":["api","node"]}'],
    ['label/job/values?limit=x', 400, '{"status":"error","errorType":"bad_data","error":"limit must be a number"}'],
    ['label/job/values?start=x', 400, '{"status":"error","errorType":"bad_data","error":"invalid parameter \\"start\\": Invalid time value for \'start\': cannot parse \\"x\\" to a valid timestamp"}'],
  ])('GET %s', async (path, status, body) => {
    const r = await get(path);
    expect(r.body).toBe(body);
    expect(r.status).toBe(status);
  });

  it('POST series and labels', async () => {
    expect((await post('series', 'match[]=up&match[]=up')).body).toBe((await get('series?match[]=up')).body);
    expect((await post('labels', 'match%5B%5D=up')).body).toBe('{"status":"success","data":["__name__","instance","job"]}');
  });
});

describe('metadata, exemplars, parse and format, status', () => {
  it.each([
    ['metadata', 200, '{"status":"success","data":{"http_requests_total":[{"type":"counter","help":"Requests \\u003ctotal\\u003e.","unit":""}],"up":[{"type":"gauge","help":"Up.","unit":""}]}}'],
    ['metadata?metric=up', 200, '{"status":"success","data":{"up":[{"type":"gauge","help":"Up.","unit":""}]}}'],
    ['metadata?limit=1', 200, '{"status":"success","data":{"http_requests_total":[{"type":"counter","help":"Requests \\u003ctotal\\u003e.","unit":""}]}}'],
    ['metadata?limit=x', 400, '{"status":"error","errorType":"bad_data","error":"limit must be a number"}'],
    [
      'query_exemplars?query=rate(http_requests_total[5m])',
      200,
      '{"status":"success","data":[{"seriesLabels":{"__name__":"http_requests_total","job":"api"},"exemplars":[{"labels":{"trace_id":"abc"},"value":"2","timestamp":1700000001.500}]}]}',
    ],
    ['query_exemplars?query=up', 200, '{"status":"success","data":[]}'],
    ['query_exemplars?query=1', 204, ''],
    ['format_query?query=sum(rate(x[5m]))by(job)', 200, '{"status":"success","data":"sum by (job) (rate(x[5m]))"}'],
    [
      'parse_query?query=-up{a="b"}%20offset%205m',
      200,
      '{"status":"success","data":{"type":"unaryExpr","op":"-","expr":{"type":"vectorSelector","name":"up","offset":300000,"matchers":[{"name":"a","value":"b","type":"="},{"name":"__name__","value":"up","type":"="}],"timestamp":null,"startOrEnd":null,"anchored":false,"smoothed":false}}}',
    ],
    ['parse_query?query=(', 400, '{"status":"error","errorType":"bad_data","error":"invalid parameter \\"query\\": 1:2: parse error: unclosed left parenthesis"}'],
  ])('GET %s', async (path, status, body) => {
    const r = await get(path);
    expect(r.body).toBe(body);
    expect(r.status).toBe(status);
  });

  it('endpoints served on the ingest thread refuse queries and regexes too long to parse or compile there (400 naming the limit)', async () => {
    const long = `up{job=~"${'a|'.repeat(9000)}b"}`;
    for (const path of ['query_exemplars', 'parse_query', 'format_query']) {
      const r = await get(`${path}?query=${encodeURIComponent(long)}`);
      expect(r.status).toBe(400);
      expect(JSON.parse(r.body)).toEqual({ status: 'error', errorType: 'bad_data', error: `the query is ${long.length} bytes long, more than the limit of 16384 bytes for this endpoint` });
    }
    // A query evaluates in a worker, but its head select compiles the regex on the ingest thread.
    const q = await get(`query?query=${encodeURIComponent(long)}&time=1700000600`);
    expect(q.status).toBe(400);
    expect(JSON.parse(q.body).error).toMatch(/^the regular expression of the matcher on label "job" is 18001 bytes long, more than the limit of 16384 bytes for regex matchers/);
  });

  it('buildinfo', async () => {
    const r = JSON.parse((await get('status/buildinfo')).body);
    expect(Object.keys(r.data)).toEqual(['version', 'revision', 'branch', 'buildUser', 'buildDate', 'goVersion']);
  });

  it('tsdb status from the head', async () => {
    const r = await get('status/tsdb?limit=3');
    expect(r.status).toBe(200);
    const d = JSON.parse(r.body).data;
    expect(d.headStats).toMatchObject({ numSeries: 5, numLabelPairs: 10, minTime: T0, maxTime: T0 + 600_000 });
    expect(d.headStats.chunkCount).toBeGreaterThanOrEqual(5);
    expect(d.seriesCountByMetricName).toEqual([
      { name: 'http_requests_total', value: 2 },
      { name: 'up', value: 2 },
      { name: 'weird', value: 1 },
    ]);
    expect(d.labelValueCountByLabelName).toEqual([
      { name: '__name__', value: 3 },
      { name: 'code', value: 2 },
      { name: 'instance', value: 2 },
    ]);
    expect(d.memoryInBytesByLabelName[0]).toEqual({ name: '__name__', value: 19 * 2 + 2 * 2 + 5 });
    expect(d.seriesCountByLabelValuePair[0]).toEqual({ name: 'job=api', value: 3 });
  });
});

describe('workspaces', () => {
  it('unknown workspace is 404 in the AWS error shape, as AMP answers', async () => {
    const r = await app.inject({ method: 'GET', url: '/workspaces/ws-nope/api/v1/query?query=up' });
    expect(r.statusCode).toBe(404);
    expect(r.headers['x-amzn-errortype']).toBe('ResourceNotFoundException');
    expect(r.body).toBe('{"message":"Workspace not found: ws-nope","resourceId":"ws-nope","resourceType":"Workspace"}');
  });
  it('a workspace being created is 503 unavailable', async () => {
    const r = await app.inject({ method: 'GET', url: '/workspaces/ws-new/api/v1/labels' });
    expect(r.statusCode).toBe(503);
    expect(JSON.parse(r.body).errorType).toBe('unavailable');
  });
  it('reads only its own workspace', async () => {
    const mine = await app.inject({ method: 'GET', url: `/workspaces/${WS}/api/v1/query?query=secret&time=${t(0)}` });
    expect(mine.body).toBe('{"status":"success","data":{"resultType":"vector","result":[]}}');
    const theirs = await app.inject({ method: 'GET', url: `/workspaces/ws-other/api/v1/series?match[]=secret` });
    expect(theirs.body).toBe('{"status":"success","data":[{"__name__":"secret","job":"api"}]}');
    const labels = await app.inject({ method: 'GET', url: `/workspaces/ws-other/api/v1/label/__name__/values` });
    expect(labels.body).toBe('{"status":"success","data":["secret"]}');
  });
});
