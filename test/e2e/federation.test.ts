import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWriteRequestV1 } from '../../src/remote/pb-writer.js';
import { snappy } from '../../src/remote/test-env.js';
import { createActiveWorkspace } from './access-peers.js';
import { ROOT, signedFetch, startTestAmphora } from './helpers.js';

type Creds = { accessKeyId: string; secretAccessKey: string };

/** get sends a GET signed for 'aps' with the given credentials. */
async function get(address: string, path: string, creds: Creds, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const url = new URL(path, address);
  const signer = new SignatureV4({ service: 'aps', region: 'us-east-1', sha256: Hash.bind(null, 'sha256'), credentials: creds });
  const s = await signer.sign({ method: 'GET', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query: Object.fromEntries(url.searchParams), headers: { host: url.host, ...headers } });
  const { host: _h, ...send } = s.headers as Record<string, string>;
  const r = await fetch(url, { headers: send });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}

/** Cross-workspace queries against the real server: instant, range, series, labels over two workspaces, and a denied third. */
describe('cross-workspace queries (X-Amphora-Workspaces)', () => {
  let amphora: Awaited<ReturnType<typeof startTestAmphora>>;
  const ids: Record<'a' | 'b' | 'c', string> = { a: '', b: '', c: '' };
  let reader: Creds;
  const T = Math.floor(Date.now() / 1000) * 1000 - 60_000;

  beforeAll(async () => {
    amphora = await startTestAmphora();
    // Queries need ACTIVE workspaces (a CREATING one answers 503).
    for (const k of ['a', 'b', 'c'] as const) ids[k] = (await createActiveWorkspace(amphora.address, `fed-${k}`)).slice('/workspaces/'.length);
    // Same series name and labels in a and b (different values), plus one only in b; c holds a secret.
    const write = async (ws: string, series: { labels: [string, string][]; v: number }[]) => {
      const body = snappy(encodeWriteRequestV1(series.map((s) => ({ labels: s.labels, samples: [0, 1, 2, 3].map((i) => ({ value: s.v + i, timestamp: T + i * 15_000 })) }))));
      const r = await signedFetch(amphora.address, 'POST', `/workspaces/${ws}/api/v1/remote_write`, body, { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' });
      expect(r.status, await r.text()).toBe(204);
    };
    await write(ids.a, [{ labels: [['__name__', 'reqs'], ['job', 'api']], v: 10 }]);
    await write(ids.b, [{ labels: [['__name__', 'reqs'], ['job', 'api']], v: 100 }, { labels: [['__name__', 'only_b'], ['team', 'x']], v: 5 }]);
    await write(ids.c, [{ labels: [['__name__', 'reqs'], ['job', 'secret']], v: 1000 }]);
    // A reader allowed to query a and b only.
    const iam = new IAMClient({ endpoint: amphora.address, region: 'us-east-1', credentials: ROOT });
    await iam.send(new CreateUserCommand({ UserName: 'fed-reader' }));
    const arn = (ws: string) => `arn:aws:aps:us-east-1:000000000000:workspace/${ws}`;
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'fed-reader',
        PolicyName: 'read-a-b',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['aps:QueryMetrics', 'aps:GetSeries', 'aps:GetLabels'], Resource: [arn(ids.a), arn(ids.b)] }] }),
      }),
    );
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'fed-reader' }))).AccessKey!;
    reader = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
  }, 60_000);
  afterAll(async () => amphora?.stop());

  const both = () => ({ 'x-amphora-workspaces': `${ids.a}|${ids.b}` });
  const at = (ms: number) => (ms / 1000).toFixed(3);

  it('answers an instant query over both workspaces, each series with __workspace_id__, aggregating across them', async () => {
    const t = at(T + 45_000);
    const r = await get(amphora.address, `/workspaces/${ids.a}/api/v1/query?query=reqs&time=${t}`, reader, both());
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const got = (r.body.data.result as { metric: Record<string, string>; value: [number, string] }[]).map((s) => [s.metric.__workspace_id__, s.metric.job, s.value[1]]).sort();
    expect(got).toEqual([[ids.a, 'api', '13'], [ids.b, 'api', '103']].sort());
    const sum = await get(amphora.address, `/workspaces/${ids.a}/api/v1/query?query=${encodeURIComponent('sum by (job) (reqs)')}&time=${t}`, reader, both());
    expect(sum.body.data.result).toEqual([{ metric: { job: 'api' }, value: [Number(t), '116'] }]);
    // The same list as a parameter, and a matcher on __workspace_id__ picking one workspace.
    const one = await get(amphora.address, `/workspaces/${ids.a}/api/v1/query?query=${encodeURIComponent(`reqs{__workspace_id__="${ids.b}"}`)}&time=${t}&workspaces=${ids.b}`, reader);
    expect(one.body.data.result).toEqual([{ metric: { __name__: 'reqs', __workspace_id__: ids.b, job: 'api' }, value: [Number(t), '103'] }]);
    // Without the header, the path's workspace alone, as before (no __workspace_id__).
    const plain = await get(amphora.address, `/workspaces/${ids.a}/api/v1/query?query=reqs&time=${t}`, reader);
    expect(plain.body.data.result).toEqual([{ metric: { __name__: 'reqs', job: 'api' }, value: [Number(t), '13'] }]);
  });

  it('answers a range query over both workspaces', async () => {
    const r = await get(amphora.address, `/workspaces/${ids.b}/api/v1/query_range?query=reqs&start=${at(T)}&end=${at(T + 45_000)}&step=15`, reader, both());
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const series = r.body.data.result as { metric: Record<string, string>; values: [number, string][] }[];
    expect(series.map((s) => [s.metric.__workspace_id__, s.values.map((v) => v[1])]).sort()).toEqual(
      [
        [ids.a, ['10', '11', '12', '13']],
        [ids.b, ['100', '101', '102', '103']],
      ].sort(),
    );
  });

  it('lists series, label names and label values across both workspaces', async () => {
    const range = `start=${at(T - 60_000)}&end=${at(T + 120_000)}`;
    const s = await get(amphora.address, `/workspaces/${ids.a}/api/v1/series?${encodeURIComponent('match[]')}=${encodeURIComponent('{__name__=~"reqs|only_b"}')}&${range}`, reader, both());
    expect(s.status, JSON.stringify(s.body)).toBe(200);
    expect(s.body.data).toEqual(
      expect.arrayContaining([
        { __name__: 'reqs', __workspace_id__: ids.a, job: 'api' },
        { __name__: 'reqs', __workspace_id__: ids.b, job: 'api' },
        { __name__: 'only_b', __workspace_id__: ids.b, team: 'x' },
      ]),
    );
    expect(s.body.data).toHaveLength(3);
    const labels = await get(amphora.address, `/workspaces/${ids.a}/api/v1/labels?${range}`, reader, both());
    expect(labels.body.data).toEqual(['__name__', '__workspace_id__', 'job', 'team']);
    const wsValues = await get(amphora.address, `/workspaces/${ids.a}/api/v1/label/__workspace_id__/values?${range}`, reader, both());
    expect(wsValues.body.data).toEqual([ids.a, ids.b].sort());
    const names = await get(amphora.address, `/workspaces/${ids.a}/api/v1/label/__name__/values?${range}`, reader, both());
    expect(names.body.data).toEqual(['only_b', 'reqs']);
  });

  it('refuses the whole query with 403 naming the workspace the caller may not read', async () => {
    const r = await get(amphora.address, `/workspaces/${ids.a}/api/v1/query?query=reqs`, reader, { 'x-amphora-workspaces': `${ids.b}|${ids.c}` });
    expect(r.status).toBe(403);
    expect(JSON.stringify(r.body)).toContain(`workspace/${ids.c}`);
    expect(JSON.stringify(r.body)).not.toContain('secret');
    const series = await get(amphora.address, `/workspaces/${ids.a}/api/v1/series?${encodeURIComponent('match[]')}=reqs`, reader, { 'x-amphora-workspaces': ids.c });
    expect(series.status).toBe(403);
    // Root may read all three.
    const root = await get(amphora.address, `/workspaces/${ids.a}/api/v1/query?query=${encodeURIComponent('count(reqs)')}&time=${at(T + 45_000)}`, ROOT, { 'x-amphora-workspaces': `${ids.a}|${ids.b}|${ids.c}` });
    expect(root.body.data.result[0].value[1]).toBe('3');
  });

  it('answers an unknown workspace with 404 naming it, and too many workspaces with 400 naming the limit', async () => {
    const missing = 'ws-00000000-0000-0000-0000-000000000000';
    const r = await get(amphora.address, `/workspaces/${ids.a}/api/v1/query?query=reqs`, ROOT, { 'x-amphora-workspaces': missing });
    expect(r.status).toBe(404);
    expect(JSON.stringify(r.body)).toContain(missing);
    const many = Array.from({ length: 11 }, (_, i) => `ws-${String(i).padStart(8, '0')}-0000-0000-0000-000000000000`).join('|');
    const over = await get(amphora.address, `/workspaces/${ids.a}/api/v1/query?query=reqs`, ROOT, { 'x-amphora-workspaces': many });
    expect(over.status).toBe(400);
    expect(over.body.error).toContain('at most 10 workspaces (query.maxFederatedWorkspaces)');
  });
});
