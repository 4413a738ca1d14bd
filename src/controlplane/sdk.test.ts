import { existsSync } from 'node:fs';
import {
  AmpClient,
  CreateWorkspaceCommand,
  DeleteWorkspaceCommand,
  DescribeWorkspaceCommand,
  ListWorkspacesCommand,
  UpdateWorkspaceAliasCommand,
  DescribeWorkspaceConfigurationCommand,
  UpdateWorkspaceConfigurationCommand,
  PutResourcePolicyCommand,
  DescribeResourcePolicyCommand,
  DeleteResourcePolicyCommand,
  TagResourceCommand,
  UntagResourceCommand,
  ListTagsForResourceCommand,
  CreateLoggingConfigurationCommand,
  DescribeLoggingConfigurationCommand,
  UpdateLoggingConfigurationCommand,
  DeleteLoggingConfigurationCommand,
  CreateQueryLoggingConfigurationCommand,
  DescribeQueryLoggingConfigurationCommand,
  UpdateQueryLoggingConfigurationCommand,
  DeleteQueryLoggingConfigurationCommand,
  ListRuleGroupsNamespacesCommand,
  paginateListWorkspaces,
  waitUntilWorkspaceActive,
} from '@aws-sdk/client-amp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestControlPlane, type TestControlPlane } from './testing.js';

let t: TestControlPlane;
let amp: AmpClient;

beforeEach(async () => {
  t = await startTestControlPlane();
  amp = new AmpClient({ endpoint: t.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' }, maxAttempts: 1 });
});
afterEach(async () => {
  amp.destroy();
  await t.close();
});

/** errorOf runs a command and returns the thrown error. */
async function errorOf(p: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number }; [k: string]: unknown }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { [k: string]: unknown };
  }
  throw new Error('expected the call to fail');
}

async function activeWorkspace(alias = 'prod'): Promise<string> {
  const w = await amp.send(new CreateWorkspaceCommand({ alias }));
  t.clock += 1000;
  return w.workspaceId;
}

describe('workspaces through @aws-sdk/client-amp', () => {
  it('creates, describes (CREATING then ACTIVE), lists, renames and deletes', async () => {
    const created = await amp.send(new CreateWorkspaceCommand({ alias: 'test-managed-collector-workspace', tags: { team: 'obs' } }));
    expect(created.$metadata.httpStatusCode).toBe(202);
    expect(created.workspaceId).toMatch(/^ws-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(created.arn).toBe(`arn:aws:aps:us-east-1:123456789012:workspace/${created.workspaceId}`);
    expect(created.status?.statusCode).toBe('CREATING');
    expect(created.tags).toEqual({ team: 'obs' });
    const id = created.workspaceId!;

    let d = await amp.send(new DescribeWorkspaceCommand({ workspaceId: id }));
    expect(d.workspace?.status?.statusCode).toBe('CREATING');
    t.clock += 999;
    expect((await amp.send(new DescribeWorkspaceCommand({ workspaceId: id }))).workspace?.status?.statusCode).toBe('CREATING');
    t.clock += 1;
    d = await amp.send(new DescribeWorkspaceCommand({ workspaceId: id }));
    expect(d.workspace).toEqual({
      workspaceId: id,
      alias: 'test-managed-collector-workspace',
      arn: created.arn,
      status: { statusCode: 'ACTIVE' },
      prometheusEndpoint: `http://amphora.test:8080/workspaces/${id}/`,
      createdAt: new Date(1_700_000_000_123),
      tags: { team: 'obs' },
    });
    expect(t.cp.workspaces.get(id)?.status).toBe('ACTIVE');

    const list = await amp.send(new ListWorkspacesCommand({}));
    expect(list.workspaces?.map((w) => [w.workspaceId, w.alias, w.status?.statusCode])).toEqual([[id, 'test-managed-collector-workspace', 'ACTIVE']]);

    const upd = await amp.send(new UpdateWorkspaceAliasCommand({ workspaceId: id, alias: '  renamed  ' }));
    expect(upd.$metadata.httpStatusCode).toBe(204);
    expect((await amp.send(new DescribeWorkspaceCommand({ workspaceId: id }))).workspace?.alias).toBe('renamed');

    (await t.storage.get(id)).appender();
    expect(existsSync(t.storage.dirOf(id))).toBe(true);
    const del = await amp.send(new DeleteWorkspaceCommand({ workspaceId: id }));
    expect(del.$metadata.httpStatusCode).toBe(202);
    expect(t.cp.workspaces.get(id)).toBeNull();
    await t.cp.whenIdle();
    expect(existsSync(t.storage.dirOf(id))).toBe(false);
    const e = await errorOf(amp.send(new DescribeWorkspaceCommand({ workspaceId: id })));
    expect(e.name).toBe('ResourceNotFoundException');
    expect(e['resourceId']).toBe(id);
    expect(e['resourceType']).toBe('AWS::APS::Workspace');
    expect(e.$metadata?.httpStatusCode).toBe(404);
    expect((await errorOf(amp.send(new ListTagsForResourceCommand({ resourceArn: created.arn! })))).name).toBe('ResourceNotFoundException');
    expect(t.cp.resourceTags(created.arn!)).toEqual({});
    expect((await amp.send(new ListWorkspacesCommand({}))).workspaces).toEqual([]);
  });

  it('is idempotent per clientToken and rejects a reused token with other parameters', async () => {
    const a = await amp.send(new CreateWorkspaceCommand({ alias: 'x', clientToken: 'token-1' }));
    const b = await amp.send(new CreateWorkspaceCommand({ alias: 'x', clientToken: 'token-1' }));
    expect(b.workspaceId).toBe(a.workspaceId);
    const e = await errorOf(amp.send(new CreateWorkspaceCommand({ alias: 'y', clientToken: 'token-1' })));
    expect(e.name).toBe('ConflictException');
    expect((await amp.send(new ListWorkspacesCommand({}))).workspaces).toHaveLength(1);
  });

  it('filters by alias prefix and paginates', async () => {
    for (let i = 0; i < 7; i++) {
      await amp.send(new CreateWorkspaceCommand({ alias: i % 2 === 0 ? `team-a-${i}` : `team-b-${i}` }));
      t.clock += 10;
    }
    const a = await amp.send(new ListWorkspacesCommand({ alias: 'team-a' }));
    expect(a.workspaces?.map((w) => w.alias)).toEqual(['team-a-0', 'team-a-2', 'team-a-4', 'team-a-6']);
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateListWorkspaces({ client: amp, pageSize: 3 }, {})) {
      pages++;
      for (const w of page.workspaces ?? []) seen.push(w.alias!);
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(['team-a-0', 'team-b-1', 'team-a-2', 'team-b-3', 'team-a-4', 'team-b-5', 'team-a-6']);
    const bad = await errorOf(amp.send(new ListWorkspacesCommand({ nextToken: 'garbage' })));
    expect(bad.name).toBe('ValidationException');
  });

  it('enforces the workspace quota with ServiceQuotaExceededException', async () => {
    await t.close();
    t = await startTestControlPlane({ maxWorkspaces: 2 });
    amp = new AmpClient({ endpoint: t.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' }, maxAttempts: 1 });
    await amp.send(new CreateWorkspaceCommand({}));
    await amp.send(new CreateWorkspaceCommand({}));
    const e = await errorOf(amp.send(new CreateWorkspaceCommand({})));
    expect(e.name).toBe('ServiceQuotaExceededException');
    expect(e.$metadata?.httpStatusCode).toBe(402);
    expect(e['quotaCode']).toBeDefined();
    expect(e.message).toContain('2');
  });

  it('waitUntilWorkspaceActive polls until ACTIVE', async () => {
    const w = await amp.send(new CreateWorkspaceCommand({}));
    setTimeout(() => (t.clock += 1000), 50);
    const r = await waitUntilWorkspaceActive({ client: amp, maxWaitTime: 10, minDelay: 1, maxDelay: 1 }, { workspaceId: w.workspaceId! });
    expect(r.state).toBe('SUCCESS');
  });
});

describe('bad input through the SDK', () => {
  const cases: [string, () => Promise<unknown>, string][] = [
    ['alias over 100 characters', () => amp.send(new CreateWorkspaceCommand({ alias: 'a'.repeat(101) })), 'alias'],
    ['tag key with aws: prefix', () => amp.send(new CreateWorkspaceCommand({ tags: { 'aws:x': 'y' } })), 'tags'],
    ['bad KMS ARN', () => amp.send(new CreateWorkspaceCommand({ kmsKeyArn: 'arn:aws:kms:us-east-1:1:key/zz' })), 'kmsKeyArn'],
    ['maxResults out of range', () => amp.send(new ListWorkspacesCommand({ maxResults: 0 })), 'maxResults'],
    ['bad resource ARN', () => amp.send(new ListTagsForResourceCommand({ resourceArn: 'not-an-arn' })), 'resourceArn'],
  ];
  it.each(cases)('%s → ValidationException naming %s', async (_n, run, field) => {
    const e = await errorOf(run());
    expect(e.name).toBe('ValidationException');
    expect(e.$metadata?.httpStatusCode).toBe(400);
    expect((e['fieldList'] as { name: string }[]).map((f) => f.name.split(/[.[]/)[0])).toContain(field);
    expect((await amp.send(new ListWorkspacesCommand({}))).workspaces).toEqual([]);
  });

  it('retention out of range changes nothing', async () => {
    const id = await activeWorkspace();
    for (const retentionPeriodInDays of [0, 1096]) {
      const e = await errorOf(amp.send(new UpdateWorkspaceConfigurationCommand({ workspaceId: id, retentionPeriodInDays })));
      expect(e.name).toBe('ValidationException');
      expect((e['fieldList'] as { name: string }[])[0]?.name).toBe('retentionPeriodInDays');
    }
    const c = await amp.send(new DescribeWorkspaceConfigurationCommand({ workspaceId: id }));
    expect(c.workspaceConfiguration?.retentionPeriodInDays).toBe(150);
  });

  it('unknown fields and wrong types name the field (raw HTTP)', async () => {
    const post = (body: string): Promise<Response> => fetch(`${t.endpoint}/workspaces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    let r = await post(JSON.stringify({ alias: 'a', bogus: 1 }));
    expect(r.status).toBe(400);
    expect(r.headers.get('x-amzn-errortype')).toBe('ValidationException');
    expect(await r.json()).toMatchObject({ reason: 'FIELD_VALIDATION_FAILED', fieldList: [{ name: 'bogus', message: 'unknown field' }] });
    r = await post(JSON.stringify({ alias: 5 }));
    expect((await r.json()).fieldList[0].name).toBe('alias');
    r = await post('{not json');
    expect(await r.json()).toMatchObject({ reason: 'CANNOT_PARSE' });
    expect((await amp.send(new ListWorkspacesCommand({}))).workspaces).toEqual([]);
  });
});

describe('workspace configuration', () => {
  it('updates retention and limitsPerLabelSet; limits() reads them live', async () => {
    const id = await activeWorkspace();
    const u = await amp.send(
      new UpdateWorkspaceConfigurationCommand({
        workspaceId: id,
        retentionPeriodInDays: 30,
        limitsPerLabelSet: [{ labelSet: { env: 'prod' }, limits: { maxSeries: 1000 } }],
      }),
    );
    expect(u.status?.statusCode).toBe('UPDATING');
    expect(t.cp.workspaces.limits(id)).toMatchObject({ retentionPeriodInDays: 30, limitsPerLabelSet: [{ labelSet: { env: 'prod' }, maxSeries: 1000 }], ingestionRate: 170_000 });
    const busy = await errorOf(amp.send(new UpdateWorkspaceConfigurationCommand({ workspaceId: id, retentionPeriodInDays: 31 })));
    expect(busy.name).toBe('ConflictException');
    t.clock += 1000;
    const d = await amp.send(new DescribeWorkspaceConfigurationCommand({ workspaceId: id }));
    expect(d.workspaceConfiguration).toEqual({ status: { statusCode: 'ACTIVE' }, retentionPeriodInDays: 30, limitsPerLabelSet: [{ labelSet: { env: 'prod' }, limits: { maxSeries: 1000 } }] });
    await amp.send(new UpdateWorkspaceConfigurationCommand({ workspaceId: id, retentionPeriodInDays: 60 }));
    expect(t.cp.workspaces.limits(id).retentionPeriodInDays).toBe(60);
    expect(t.cp.workspaces.limits(id).limitsPerLabelSet).toHaveLength(1);
  });

  it('accepts the amphoraLimits extension and rejects unknown limits', async () => {
    const id = await activeWorkspace();
    const patch = (body: unknown): Promise<Response> =>
      fetch(`${t.endpoint}/workspaces/${id}/configuration`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    let r = await patch({ amphoraLimits: { ingestionRate: 5000, outOfOrderWindowMs: 600_000 } });
    expect(r.status).toBe(202);
    expect(t.cp.workspaces.limits(id)).toMatchObject({ ingestionRate: 5000, outOfOrderWindowMs: 600_000, ingestionBurstSize: 1_000_000 });
    t.clock += 1000;
    r = await patch({ amphoraLimits: { ingestionRate: 1, bogus: 2 } });
    expect(r.status).toBe(400);
    expect((await r.json()).fieldList).toEqual([{ name: 'amphoraLimits.bogus', message: 'unknown field' }]);
    expect(t.cp.workspaces.limits(id).ingestionRate).toBe(5000);
  });

  it("takes AMP's outOfOrderTimeWindowInSeconds into the workspace's out-of-order window (raw HTTP: the SDK here predates the field)", async () => {
    const id = await activeWorkspace();
    const url = `${t.endpoint}/workspaces/${id}/configuration`;
    const patch = (body: unknown): Promise<Response> => fetch(url, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    let r = await patch({ outOfOrderTimeWindowInSeconds: 172_800 });
    expect(r.status).toBe(202);
    expect(t.cp.workspaces.limits(id).outOfOrderWindowMs).toBe(172_800_000);
    t.clock += 1000;
    const d = (await (await fetch(url)).json()) as { workspaceConfiguration: Record<string, unknown> };
    expect(d.workspaceConfiguration['outOfOrderTimeWindowInSeconds']).toBe(172_800);
    for (const bad of [{ outOfOrderTimeWindowInSeconds: -1 }, { outOfOrderTimeWindowInSeconds: 1.5 }, { outOfOrderTimeWindowInSeconds: 60, amphoraLimits: { outOfOrderWindowMs: 1000 } }]) {
      r = await patch(bad);
      expect(r.status).toBe(400);
      expect((await r.json()).fieldList[0].name).toBe('outOfOrderTimeWindowInSeconds');
    }
    expect(t.cp.workspaces.limits(id).outOfOrderWindowMs).toBe(172_800_000);
    r = await patch({ outOfOrderTimeWindowInSeconds: 0 });
    expect(r.status).toBe(202);
    expect(t.cp.workspaces.limits(id).outOfOrderWindowMs).toBe(0);
  });

  it('answers ResourceNotFoundException for an unknown workspace', async () => {
    const e = await errorOf(amp.send(new DescribeWorkspaceConfigurationCommand({ workspaceId: 'ws-00000000-0000-0000-0000-000000000000' })));
    expect(e.name).toBe('ResourceNotFoundException');
  });
});

describe('resource policies', () => {
  const doc = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'aps:QueryMetrics', Resource: '*' }],
  });

  it('puts, describes and deletes with revisionId concurrency', async () => {
    const id = await activeWorkspace();
    const e0 = await errorOf(amp.send(new DescribeResourcePolicyCommand({ workspaceId: id })));
    expect(e0.name).toBe('ResourceNotFoundException');
    const p1 = await amp.send(new PutResourcePolicyCommand({ workspaceId: id, policyDocument: doc }));
    expect(p1.policyStatus).toBe('CREATING');
    t.clock += 1000;
    const d = await amp.send(new DescribeResourcePolicyCommand({ workspaceId: id }));
    expect(d).toMatchObject({ policyDocument: doc, policyStatus: 'ACTIVE', revisionId: p1.revisionId });
    expect(t.cp.resourcePolicy(`arn:aws:aps:us-east-1:123456789012:workspace/${id}`)).toBe(doc);
    const stale = await errorOf(amp.send(new PutResourcePolicyCommand({ workspaceId: id, policyDocument: doc, revisionId: 'old' })));
    expect(stale.name).toBe('ConflictException');
    const p2 = await amp.send(new PutResourcePolicyCommand({ workspaceId: id, policyDocument: doc, revisionId: p1.revisionId }));
    expect(p2.revisionId).not.toBe(p1.revisionId);
    const e1 = await errorOf(amp.send(new DeleteResourcePolicyCommand({ workspaceId: id, revisionId: p1.revisionId })));
    expect(e1.name).toBe('ConflictException');
    await amp.send(new DeleteResourcePolicyCommand({ workspaceId: id, revisionId: p2.revisionId }));
    expect(t.cp.resourcePolicy(`arn:aws:aps:us-east-1:123456789012:workspace/${id}`)).toBeNull();
  });

  it('rejects a malformed policy document', async () => {
    const id = await activeWorkspace();
    const e = await errorOf(amp.send(new PutResourcePolicyCommand({ workspaceId: id, policyDocument: '{"Statement": 5}' })));
    expect(e.name).toBe('ValidationException');
    expect((e['fieldList'] as { name: string }[])[0]?.name).toBe('policyDocument');
  });
});

describe('tags', () => {
  it('tags, lists and untags a workspace by ARN', async () => {
    const w = await amp.send(new CreateWorkspaceCommand({ tags: { a: '1' } }));
    const arn = w.arn!;
    await amp.send(new TagResourceCommand({ resourceArn: arn, tags: { b: '2', a: 'one' } }));
    expect((await amp.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({ a: 'one', b: '2' });
    expect(t.cp.resourceTags(arn)).toEqual({ a: 'one', b: '2' });
    await amp.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['a', 'zzz'] }));
    expect((await amp.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({ b: '2' });
    expect(t.cp.workspaces.get(w.workspaceId!)?.tags).toEqual({ b: '2' });
  });

  it('answers ResourceNotFoundException for an unknown ARN and rejects too many tags', async () => {
    const e = await errorOf(amp.send(new ListTagsForResourceCommand({ resourceArn: 'arn:aws:aps:us-east-1:123456789012:workspace/ws-nope' })));
    expect(e.name).toBe('ResourceNotFoundException');
    const w = await amp.send(new CreateWorkspaceCommand({}));
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    const e2 = await errorOf(amp.send(new TagResourceCommand({ resourceArn: w.arn!, tags: many })));
    expect(e2.name).toBe('ValidationException');
    expect((await amp.send(new ListTagsForResourceCommand({ resourceArn: w.arn! }))).tags).toEqual({});
  });
});

describe('logging', () => {
  const lg = 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/prometheus/prod:*';

  it('creates, describes, updates and deletes workspace logging; the sink writes only while configured', async () => {
    const id = await activeWorkspace();
    expect(t.cp.logSink?.log(id, 'rules', { msg: 'before' })).toBe(false);
    const c = await amp.send(new CreateLoggingConfigurationCommand({ workspaceId: id, logGroupArn: lg }));
    expect(c.status?.statusCode).toBe('CREATING');
    const dup = await errorOf(amp.send(new CreateLoggingConfigurationCommand({ workspaceId: id, logGroupArn: lg })));
    expect(dup.name).toBe('ConflictException');
    t.clock += 1000;
    const d = await amp.send(new DescribeLoggingConfigurationCommand({ workspaceId: id }));
    expect(d.loggingConfiguration).toMatchObject({ status: { statusCode: 'ACTIVE' }, workspace: id, logGroupArn: lg });
    expect(d.loggingConfiguration?.createdAt).toBeInstanceOf(Date);
    expect(t.cp.logSink?.log(id, 'rules', { msg: 'rule failed' })).toBe(true);
    expect(t.cp.logSink?.log(id, 'query', { samplesProcessed: 1e9 })).toBe(false);
    expect(t.cp.logSink?.read(id, 'rules')).toEqual([
      { timestamp: new Date(t.clock).toISOString(), workspaceId: id, component: 'rules', logGroupArn: lg, message: { msg: 'rule failed' } },
    ]);
    const lg2 = lg.replace('prod', 'other');
    await amp.send(new UpdateLoggingConfigurationCommand({ workspaceId: id, logGroupArn: lg2 }));
    expect((await amp.send(new DescribeLoggingConfigurationCommand({ workspaceId: id }))).loggingConfiguration?.logGroupArn).toBe(lg2);
    await amp.send(new DeleteLoggingConfigurationCommand({ workspaceId: id }));
    expect(t.cp.logSink?.log(id, 'rules', { msg: 'after' })).toBe(false);
    expect((await errorOf(amp.send(new DescribeLoggingConfigurationCommand({ workspaceId: id })))).name).toBe('ResourceNotFoundException');
    const bad = await errorOf(amp.send(new CreateLoggingConfigurationCommand({ workspaceId: id, logGroupArn: 'arn:aws:logs:x' })));
    expect(bad.name).toBe('ValidationException');
  });

  it('query logging writes queries at or over the qspThreshold', async () => {
    const id = await activeWorkspace();
    await amp.send(new CreateQueryLoggingConfigurationCommand({ workspaceId: id, destinations: [{ cloudWatchLogs: { logGroupArn: lg }, filters: { qspThreshold: 1000 } }] }));
    expect(t.cp.logSink?.log(id, 'query', { query: 'up', samplesProcessed: 999 })).toBe(false);
    expect(t.cp.logSink?.log(id, 'query', { query: 'rate(x[5m])', samplesProcessed: 1000 })).toBe(true);
    const d = await amp.send(new DescribeQueryLoggingConfigurationCommand({ workspaceId: id }));
    expect(d.queryLoggingConfiguration?.destinations).toEqual([{ cloudWatchLogs: { logGroupArn: lg }, filters: { qspThreshold: 1000 } }]);
    await amp.send(new UpdateQueryLoggingConfigurationCommand({ workspaceId: id, destinations: [{ cloudWatchLogs: { logGroupArn: lg }, filters: { qspThreshold: 10 } }] }));
    expect(t.cp.logSink?.log(id, 'query', { query: 'up', samplesProcessed: 10 })).toBe(true);
    expect(t.cp.logSink?.read(id, 'query').map((e) => (e['message'] as { query: string }).query)).toEqual(['rate(x[5m])', 'up']);
    await amp.send(new DeleteQueryLoggingConfigurationCommand({ workspaceId: id }));
    expect(t.cp.logSink?.log(id, 'query', { samplesProcessed: 1e9 })).toBe(false);
    await amp.send(new DeleteWorkspaceCommand({ workspaceId: id }));
    await t.cp.whenIdle();
    expect(existsSync(t.cp.logSink!.fileOf(id, 'query'))).toBe(false);
  });
});

describe('not-yet-available operations and throttling', () => {
  it('answers 501 with the AWS error shape', async () => {
    const id = await activeWorkspace();
    const e = await errorOf(amp.send(new ListRuleGroupsNamespacesCommand({ workspaceId: id })));
    expect(e.$metadata?.httpStatusCode).toBe(501);
    expect(e.message).toBe('ListRuleGroupsNamespaces is not available yet in Amphora');
    const r = await fetch(`${t.endpoint}/workspaces/${id}/anomalydetectors`, { method: 'POST', body: '{}' });
    expect(r.status).toBe(501);
    expect(r.headers.get('x-amzn-errortype')).toBe('NotImplementedException');
  });

  it('throttles beyond the configured rate with ThrottlingException', async () => {
    await t.close();
    t = await startTestControlPlane({ rateLimit: { ratePerSecond: 1, burst: 2 } });
    amp = new AmpClient({ endpoint: t.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' }, maxAttempts: 1 });
    await amp.send(new ListWorkspacesCommand({}));
    await amp.send(new ListWorkspacesCommand({}));
    const e = await errorOf(amp.send(new ListWorkspacesCommand({})));
    expect(e.name).toBe('ThrottlingException');
    expect(e.$metadata?.httpStatusCode).toBe(429);
    t.clock += 1000;
    await amp.send(new ListWorkspacesCommand({}));
  });
});
