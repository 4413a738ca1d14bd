import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AmpClient, DescribeWorkspaceCommand, ListWorkspacesCommand } from '@aws-sdk/client-amp';
import type { FastifyInstance } from 'fastify';
import { AmazonPrometheusQueryAccess, AmazonPrometheusRemoteWriteAccess } from '../policy/managed.js';
import type { SqliteIdentityStore } from '../store/identity-store.js';
import { captureLogger, dataPlaneRoutes, newClock, newStore, ROOT, send, startApp, type Creds } from './fixture.test-util.js';

describe('authentication hook', () => {
  const clock = newClock();
  const { logger, entries } = captureLogger();
  let store: SqliteIdentityStore;
  let app: FastifyInstance;
  let url: string;
  let writer: Creds;
  let reader: Creds;
  let tagged: Creds;
  const tags: Record<string, Record<string, string>> = {
    'arn:aws:aps:us-east-1:000000000000:workspace/ws-a': { team: 'a' },
    'arn:aws:aps:us-east-1:000000000000:workspace/ws-b': { team: 'b' },
  };
  const resourcePolicies: Record<string, string> = {};

  beforeAll(async () => {
    store = newStore(clock);
    store.users.create({ userName: 'writer' });
    store.entityPolicies.attach('user', 'writer', AmazonPrometheusRemoteWriteAccess.arn);
    store.users.create({ userName: 'reader' });
    store.entityPolicies.attach('user', 'reader', AmazonPrometheusQueryAccess.arn);
    store.users.create({ userName: 'tagged' });
    store.entityPolicies.putInline(
      'user',
      'tagged',
      'team-a',
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'aps:QueryMetrics', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/team': 'a' } } }] }),
    );
    const key = (u: string): Creds => {
      const k = store.accessKeys.create(u);
      return { accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey };
    };
    writer = key('writer');
    reader = key('reader');
    tagged = key('tagged');
    ({ app, url } = await startApp(
      { store, region: 'us-east-1', logger, now: clock.now, resourceTags: (arn) => tags[arn] ?? null, resourcePolicy: (arn) => resourcePolicies[arn] ?? null },
      [dataPlaneRoutes],
    ));
  });
  afterAll(async () => app.close());

  it('enforces managed policies per action (table)', async () => {
    const body = new Uint8Array([1, 2, 3]);
    const table: [string, () => Creds, string, string, number][] = [
      ['writer can remote write', () => writer, 'POST', '/workspaces/ws-1/api/v1/remote_write', 204],
      ['writer cannot query', () => writer, 'GET', '/workspaces/ws-1/api/v1/query', 403],
      ['reader can query', () => reader, 'GET', '/workspaces/ws-1/api/v1/query', 200],
      ['reader cannot remote write', () => reader, 'POST', '/workspaces/ws-1/api/v1/remote_write', 403],
      ['root can do anything', () => ROOT, 'GET', '/workspaces/ws-1/api/v1/query', 200],
      ['resource tag condition matches', () => tagged, 'GET', '/workspaces/ws-a/api/v1/query', 200],
      ['resource tag condition differs', () => tagged, 'GET', '/workspaces/ws-b/api/v1/query', 403],
    ];
    for (const [name, creds, method, path, status] of table) {
      const res = await send(url, method, path, creds(), method === 'POST' ? { body } : { query: { query: 'up' } });
      expect(res.status, name).toBe(status);
    }
  });

  it('renders a denied query in the Prometheus shape and logs principal, action and resource', async () => {
    entries.length = 0;
    const res = await send(url, 'GET', '/workspaces/ws-1/api/v1/query', writer, { query: { query: 'up' } });
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-errortype')).toBe('AccessDeniedException');
    const body = (await res.json()) as { status: string; errorType: string; error: string };
    expect(body.status).toBe('error');
    expect(body.errorType).toBe('AccessDeniedException');
    expect(body.error).toBe(
      'User: arn:aws:iam::000000000000:user/writer is not authorized to perform: aps:QueryMetrics on resource: arn:aws:aps:us-east-1:000000000000:workspace/ws-1 because no identity-based policy allows the aps:QueryMetrics action',
    );
    const denied = entries.find((e) => e.obj['event'] === 'access_denied');
    expect(denied?.obj).toMatchObject({ principal: 'arn:aws:iam::000000000000:user/writer', action: 'aps:QueryMetrics', resource: 'arn:aws:aps:us-east-1:000000000000:workspace/ws-1' });
    expect(JSON.stringify(entries)).not.toContain(writer.secretAccessKey);
  });

  it('answers AMP SDK calls and renders restJson1 errors the SDK parses', async () => {
    const amp = (c: Creds): AmpClient => new AmpClient({ endpoint: url, region: 'us-east-1', credentials: c, maxAttempts: 1 });
    const ws = await amp(ROOT).send(new DescribeWorkspaceCommand({ workspaceId: 'ws-1' }));
    expect(ws.workspace?.workspaceId).toBe('ws-1');
    expect((await amp(ROOT).send(new ListWorkspacesCommand({}))).workspaces).toEqual([]);
    const table: [string, Creds, string, RegExp][] = [
      ['denied', reader, 'AccessDeniedException', /not authorized to perform: aps:DescribeWorkspace on resource: arn:aws:aps:us-east-1:000000000000:workspace\/ws-1/],
      ['unknown key', { accessKeyId: 'AKIANOSUCHKEY0000000', secretAccessKey: 'x' }, 'UnrecognizedClientException', /security token included in the request is invalid/],
      ['wrong secret', { ...reader, secretAccessKey: 'wrong' }, 'InvalidSignatureException', /signature we calculated does not match/],
      ['token with a long-term key', { ...reader, sessionToken: 'abc' }, 'UnrecognizedClientException', /invalid/],
    ];
    for (const [name, creds, type, message] of table) {
      const err = await amp(creds).send(new DescribeWorkspaceCommand({ workspaceId: 'ws-1' })).then(
        () => null,
        (e: Error) => e,
      );
      expect(err?.name, name).toBe(type);
      expect(err?.message, name).toMatch(message);
    }
    const logged = entries.filter((e) => e.obj['event'] === 'authentication_failed');
    expect(logged.some((e) => e.obj['accessKeyId'] === 'AKIANOSUCHKEY0000000' && e.obj['action'] === 'aps:DescribeWorkspace')).toBe(true);
    expect(JSON.stringify(entries)).not.toMatch(/Signature=|wrong"/);
  });

  it('rejects inactive keys, unsigned requests and routes without config.auth; passes public routes', async () => {
    const k = store.accessKeys.create('reader');
    store.accessKeys.setStatus('reader', k.accessKeyId, 'Inactive');
    const res = await send(url, 'GET', '/workspaces', { accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey });
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-errortype')).toBe('UnrecognizedClientException');
    const unsigned = await fetch(`${url}/workspaces`);
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    const undeclared = await send(url, 'GET', '/undeclared', ROOT);
    expect(undeclared.status).toBe(500);
    expect(await undeclared.text()).toMatch(/declares no authentication/);
    expect((await fetch(`${url}/-/healthy`)).status).toBe(200);
  });

  it('temporary credentials work until they expire, then answer ExpiredToken', async () => {
    const user = store.users.get('reader');
    const creds = store.createSessionCredentials({
      principal: { type: 'user', arn: user.arn, userId: user.userId, accountId: '000000000000', accessKeyId: '', username: 'reader' },
      expiresAt: clock.now() + 900_000,
    });
    const at = new Date(clock.now());
    const ok = await send(url, 'GET', '/workspaces/ws-1/api/v1/query', creds, { at, query: { query: 'up' } });
    expect(ok.status).toBe(200);
    const noToken = await send(url, 'GET', '/workspaces/ws-1/api/v1/query', { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey }, { at, query: { query: 'up' } });
    expect(noToken.status).toBe(403);
    expect(noToken.headers.get('x-amzn-errortype')).toBe('UnrecognizedClientException');
    clock.offsetMs = 901_000;
    try {
      const late = await send(url, 'GET', '/workspaces/ws-1/api/v1/query', creds, { at: new Date(clock.now()), query: { query: 'up' } });
      expect(late.status).toBe(403);
      expect(((await late.json()) as { errorType: string }).errorType).toBe('ExpiredTokenException');
    } finally {
      clock.offsetMs = 0;
    }
  });

  it('request.authorize inside a handler, resource policies and aws:SourceIp', async () => {
    const denied = await send(url, 'GET', '/self-check/ws-1', reader);
    expect(denied.status).toBe(403);
    expect(denied.headers.get('x-amzn-errortype')).toBe('AccessDeniedException');
    expect(((await denied.json()) as { message: string }).message).toMatch(/aps:DeleteWorkspace/);
    const arn = 'arn:aws:aps:us-east-1:000000000000:workspace/ws-rp';
    resourcePolicies[arn] = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: store.users.get('writer').arn }, Action: 'aps:QueryMetrics', Resource: arn, Condition: { IpAddress: { 'aws:SourceIp': '127.0.0.0/8' } } }],
    });
    expect((await send(url, 'GET', '/workspaces/ws-rp/api/v1/query', writer, { query: { query: 'up' } })).status).toBe(200);
    resourcePolicies[arn] = resourcePolicies[arn]!.replace('127.0.0.0/8', '10.0.0.0/8');
    expect((await send(url, 'GET', '/workspaces/ws-rp/api/v1/query', writer, { query: { query: 'up' } })).status).toBe(403);
    resourcePolicies[arn] = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 'aps:*', Resource: arn }] });
    const explicit = await send(url, 'GET', '/workspaces/ws-rp/api/v1/query', reader, { query: { query: 'up' } });
    expect(explicit.status).toBe(403);
    expect(((await explicit.json()) as { error: string }).error).toMatch(/explicit deny in a resource-based policy/);
  });
});
