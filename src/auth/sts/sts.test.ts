import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { generateKeyPairSync, createSign, type KeyObject } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssumeRoleCommand, AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import type { FastifyInstance } from 'fastify';
import { captureLogger, dataPlaneRoutes, newClock, newStore, ROOT, send, startApp, type Creds } from '../authn/fixture.test-util.js';
import { commandWorks } from '../peer-command.test-util.js';
import { JwksSource } from '../oidc/jwks.js';
import { AmazonPrometheusRemoteWriteAccess } from '../policy/managed.js';
import type { SqliteIdentityStore } from '../store/identity-store.js';
import { iamStsRoutes } from './routes.js';

const HAVE_AWS = commandWorks('aws');
if (!HAVE_AWS) console.warn('SKIP auth/sts AWS CLI interop: the `aws` command is not installed');

/** signJwt signs claims as a compact JWS (RS256 or ES256). */
function signJwt(key: KeyObject, alg: 'RS256' | 'ES256', kid: string, claims: Record<string, unknown>): string {
  const enc = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${enc({ alg, kid, typ: 'JWT' })}.${enc(claims)}`;
  const sig = createSign('sha256').update(input).sign(alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key);
  return `${input}.${sig.toString('base64url')}`;
}

describe('STS over the IAM/STS route', () => {
  const jwksDir = mkdtempSync(join(tmpdir(), 'amphora-jwks-'));
  const clock = newClock();
  const { logger } = captureLogger();
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  let store: SqliteIdentityStore;
  let app: FastifyInstance;
  let url: string;
  let oidc: Server;
  let issuer: string; // https://127.0.0.1:<port>, served over http by the test issuer
  let oidcHost: string;
  let providerArn: string;
  let fetches = 0;
  let alice: Creds;
  const iamCalls: string[] = [];
  const sts = (c?: Creds): STSClient => new STSClient({ endpoint: url, region: 'us-east-1', maxAttempts: 1, ...(c ? { credentials: c } : { credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' } }) });

  beforeAll(async () => {
    oidc = createServer((req, res) => {
      fetches++;
      if (req.url === '/.well-known/openid-configuration') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/keys`, id_token_signing_alg_values_supported: ['RS256', 'ES256'] }));
      } else if (req.url === '/keys') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ keys: [{ ...rsa.publicKey.export({ format: 'jwk' }), kid: 'rsa-1', use: 'sig', alg: 'RS256' }, { ...ec.publicKey.export({ format: 'jwk' }), kid: 'ec-1', use: 'sig' }] }));
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((r) => oidc.listen(0, '127.0.0.1', r));
    oidcHost = `127.0.0.1:${(oidc.address() as AddressInfo).port}`;
    issuer = `https://${oidcHost}`;
    store = newStore(clock);
    providerArn = store.oidcProviders.create({ url: issuer, clientIds: ['sts.amazonaws.com'] }).arn;
    store.users.create({ userName: 'alice' });
    const k = store.accessKeys.create('alice');
    alice = { accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey };
    // The article's IRSA role: trust for two service accounts, the article's permission policy.
    const sa = (ns: string): object => ({
      Effect: 'Allow',
      Principal: { Federated: providerArn },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { [`${oidcHost}:sub`]: `system:serviceaccount:${ns}:iamproxy-service-account` } },
    });
    store.roles.create({ roleName: 'EKS-AMP-ServiceAccount-Role', assumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [sa('grafana'), sa('prometheus')] }) });
    store.entityPolicies.putInline(
      'role',
      'EKS-AMP-ServiceAccount-Role',
      'AWSManagedPrometheusWriteAccessPolicy',
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['aps:RemoteWrite', 'aps:QueryMetrics', 'aps:GetSeries', 'aps:GetLabels', 'aps:GetMetricMetadata'], Resource: '*' }] }),
    );
    store.roles.create({
      roleName: 'writer',
      maxSessionDuration: 7200,
      assumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: store.users.get('alice').arn }, Action: ['sts:AssumeRole', 'sts:TagSession'] }] }),
    });
    store.entityPolicies.attach('role', 'writer', AmazonPrometheusRemoteWriteAccess.arn);
    // The test issuer speaks http: route https://<issuer> to it.
    const jwks = new JwksSource({ now: clock.now, jwksDir, fetch: (u, init) => fetch(String(u).replace('https://', 'http://'), init) });
    ({ app, url } = await startApp({ store, region: 'us-east-1', logger, now: clock.now }, [
      dataPlaneRoutes,
      iamStsRoutes({
        store,
        jwks,
        logger,
        now: clock.now,
        iam: (params, authorize, caller) => {
          iamCalls.push(`${caller.arn} ${params.get('Action')}`);
          authorize(`iam:${params.get('Action')}`, '*');
          return { status: 200, xml: '<ListUsersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListUsersResult><Users/><IsTruncated>false</IsTruncated></ListUsersResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ListUsersResponse>' };
        },
      }),
    ]));
  });
  afterAll(async () => {
    await app.close();
    oidc.close();
  });

  const token = (over: Record<string, unknown> = {}, alg: 'RS256' | 'ES256' = 'RS256'): string => {
    const now = Math.floor(clock.now() / 1000);
    return signJwt(alg === 'RS256' ? rsa.privateKey : ec.privateKey, alg, alg === 'RS256' ? 'rsa-1' : 'ec-1', {
      iss: issuer,
      sub: 'system:serviceaccount:prometheus:iamproxy-service-account',
      aud: ['sts.amazonaws.com'],
      iat: now,
      exp: now + 3600,
      ...over,
    });
  };
  const roleArn = 'arn:aws:iam::000000000000:role/EKS-AMP-ServiceAccount-Role';

  it('GetCallerIdentity for root and a user (SDK)', async () => {
    expect(await sts(ROOT).send(new GetCallerIdentityCommand({}))).toMatchObject({ Arn: 'arn:aws:iam::000000000000:root', Account: '000000000000', UserId: '000000000000' });
    const me = await sts(alice).send(new GetCallerIdentityCommand({}));
    expect(me.Arn).toBe('arn:aws:iam::000000000000:user/alice');
    expect(me.UserId).toMatch(/^AIDA/);
  });

  it('AssumeRole: trust policy, duration, tags; the session writes but cannot query; expires', async () => {
    const out = await sts(alice).send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/writer', RoleSessionName: 's1', DurationSeconds: 900, Tags: [{ Key: 'team', Value: 'a' }] }));
    expect(out.AssumedRoleUser).toEqual({ Arn: 'arn:aws:sts::000000000000:assumed-role/writer/s1', AssumedRoleId: expect.stringMatching(/^AROA[A-Z0-9]+:s1$/) });
    const c = out.Credentials!;
    expect(c.AccessKeyId).toMatch(/^ASIA/);
    expect(Math.abs(c.Expiration!.getTime() - (clock.now() + 900_000))).toBeLessThan(5000);
    const creds = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
    expect((await sts(creds).send(new GetCallerIdentityCommand({}))).Arn).toBe('arn:aws:sts::000000000000:assumed-role/writer/s1');
    expect((await send(url, 'POST', '/workspaces/ws-1/api/v1/remote_write', creds, { body: new Uint8Array([1]) })).status).toBe(204);
    expect((await send(url, 'GET', '/workspaces/ws-1/api/v1/query', creds, { query: { query: 'up' } })).status).toBe(403);
    const table: [string, Creds, RegExp][] = [
      ['root cannot assume roles', ROOT, /AccessDenied|not authorized/],
      ['unknown role', alice, /not authorized to perform: sts:AssumeRole/],
    ];
    for (const [name, who, re] of table) {
      const err = await sts(who).send(new AssumeRoleCommand({ RoleArn: name === 'unknown role' ? 'arn:aws:iam::000000000000:role/nope' : 'arn:aws:iam::000000000000:role/writer', RoleSessionName: 's2' })).catch((e: Error) => e);
      expect(err, name).toBeInstanceOf(Error);
      expect((err as Error).name, name).toBe('AccessDenied');
      expect((err as Error).message, name).toMatch(re);
    }
    const tooLong = await sts(alice).send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/writer', RoleSessionName: 's3', DurationSeconds: 7201 })).catch((e: Error) => e);
    expect((tooLong as Error).message).toBe('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
    const chained = await sts(creds).send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/writer', RoleSessionName: 's4' })).catch((e: Error) => e);
    expect((chained as Error).name).toBe('AccessDenied');
    clock.offsetMs = 901_000;
    try {
      const err = await sts(creds).send(new GetCallerIdentityCommand({}), { requestTimeout: 5000 } as never).catch((e: Error) => e);
      expect((err as Error).name).toBe('ExpiredToken');
    } finally {
      clock.offsetMs = 0;
    }
  });

  it('GetSessionToken issues user credentials that cannot call it again', async () => {
    const out = await sts(alice).send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
    const creds = { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
    expect((await sts(creds).send(new GetCallerIdentityCommand({}))).Arn).toBe('arn:aws:iam::000000000000:user/alice');
    const again = await sts(creds).send(new GetSessionTokenCommand({})).catch((e: Error) => e);
    expect((again as Error).message).toBe('Cannot call GetSessionToken with session credentials');
    const bad = await sts(alice).send(new GetSessionTokenCommand({ DurationSeconds: 100 })).catch((e: Error) => e);
    expect((bad as Error).name).toBe('ValidationError');
  });

  it('AssumeRoleWithWebIdentity (IRSA): discovery, JWKS, the article trust policy; the session writes and queries', async () => {
    const before = fetches;
    const out = await sts().send(new AssumeRoleWithWebIdentityCommand({ RoleArn: roleArn, RoleSessionName: 'prom', WebIdentityToken: token() }));
    expect(out.SubjectFromWebIdentityToken).toBe('system:serviceaccount:prometheus:iamproxy-service-account');
    expect(out.Audience).toBe('sts.amazonaws.com');
    expect(out.Provider).toBe(providerArn);
    expect(out.AssumedRoleUser?.Arn).toBe('arn:aws:sts::000000000000:assumed-role/EKS-AMP-ServiceAccount-Role/prom');
    expect(fetches - before).toBe(2); // discovery + JWKS
    const c = out.Credentials!;
    const creds = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
    expect((await sts(creds).send(new GetCallerIdentityCommand({}))).Arn).toBe('arn:aws:sts::000000000000:assumed-role/EKS-AMP-ServiceAccount-Role/prom');
    expect((await send(url, 'POST', '/workspaces/ws-1/api/v1/remote_write', creds, { body: new Uint8Array([1]) })).status).toBe(204);
    expect((await send(url, 'GET', '/workspaces/ws-1/api/v1/query', creds, { query: { query: 'up' } })).status).toBe(200);
    expect((await send(url, 'GET', '/workspaces/ws-1', creds)).status).toBe(403);
    // ES256 and the grafana service account also pass; keys come from the cache.
    const es = await sts().send(new AssumeRoleWithWebIdentityCommand({ RoleArn: roleArn, RoleSessionName: 'graf', WebIdentityToken: token({ sub: 'system:serviceaccount:grafana:iamproxy-service-account' }, 'ES256') }));
    expect(es.AssumedRoleUser?.Arn).toMatch(/\/graf$/);
    expect(fetches - before).toBe(2);
  });

  it('AssumeRoleWithWebIdentity rejections (table)', async () => {
    const now = Math.floor(clock.now() / 1000);
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = signJwt(other.privateKey, 'RS256', 'rsa-1', { iss: issuer, sub: 'system:serviceaccount:prometheus:iamproxy-service-account', aud: 'sts.amazonaws.com', exp: now + 600 });
    const table: [string, string, string, RegExp][] = [
      ['other service account', token({ sub: 'system:serviceaccount:default:other' }), 'AccessDenied', /Not authorized to perform sts:AssumeRoleWithWebIdentity/],
      ['wrong audience', token({ aud: 'someone-else' }), 'InvalidIdentityTokenException', /Incorrect token audience/],
      ['expired', token({ exp: now - 3600, iat: now - 7200 }), 'ExpiredTokenException', /Token expired: current date\/time \d+ must be before the expiration date\/time \d+/],
      ['unknown issuer', token({ iss: 'https://elsewhere.example.com' }), 'InvalidIdentityTokenException', /No OpenIDConnect provider found in your account for https:\/\/elsewhere.example.com/],
      ['forged signature', forged, 'InvalidIdentityTokenException', /signature could not be verified/],
      ['not a JWT', 'abc.def', 'InvalidIdentityTokenException', /not a signed JWT/],
    ];
    // The SDK names the wire code InvalidIdentityToken InvalidIdentityTokenException (awsQueryError mapping).
    for (const [name, jwt, code, re] of table) {
      const err = await sts().send(new AssumeRoleWithWebIdentityCommand({ RoleArn: roleArn, RoleSessionName: 'x1', WebIdentityToken: jwt })).catch((e: Error) => e);
      expect((err as Error).name, name).toBe(code);
      expect((err as Error).message, name).toMatch(re);
    }
  });

  it('a provider with a local JWKS file (air-gapped) verifies without fetching', async () => {
    const file = join(jwksDir, 'jwks.json');
    const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(file, JSON.stringify({ keys: [{ ...key.publicKey.export({ format: 'jwk' }), kid: 'k1' }] }));
    const arn = store.oidcProviders.create({ url: 'https://airgap.example.internal/id/1', clientIds: ['sts.amazonaws.com'], jwksFile: file }).arn;
    store.roles.create({
      roleName: 'airgap',
      assumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Federated: arn }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringLike: { 'airgap.example.internal/id/1:sub': 'system:serviceaccount:*:amp', 'airgap.example.internal/id/1:aud': 'sts.amazonaws.com' } } }],
      }),
    });
    const now = Math.floor(clock.now() / 1000);
    const before = fetches;
    const jwt = signJwt(key.privateKey, 'RS256', 'k1', { iss: 'https://airgap.example.internal/id/1', sub: 'system:serviceaccount:monitoring:amp', aud: 'sts.amazonaws.com', exp: now + 600 });
    const out = await sts().send(new AssumeRoleWithWebIdentityCommand({ RoleArn: 'arn:aws:iam::000000000000:role/airgap', RoleSessionName: 'ag', WebIdentityToken: jwt }));
    expect(out.Provider).toBe(arn);
    expect(fetches).toBe(before);
  });

  it('dispatches IAM by the credential scope and answers unknown STS actions', async () => {
    const { SignatureV4 } = await import('@smithy/signature-v4');
    const { Hash } = await import('@smithy/hash-node');
    const u = new URL(url);
    const body = 'Action=ListUsers&Version=2010-05-08';
    const signer = new SignatureV4({ credentials: ROOT, region: 'us-east-1', service: 'iam', sha256: Hash.bind(null, 'sha256') });
    const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname: u.hostname, port: Number(u.port), path: '/', query: {}, headers: { host: u.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body });
    const res = await fetch(`${url}/`, { method: 'POST', headers: signed.headers as Record<string, string>, body });
    expect(res.status).toBe(200);
    expect(iamCalls).toEqual(['arn:aws:iam::000000000000:root ListUsers']);
    const unsignedIam = await fetch(`${url}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    expect(unsignedIam.status).toBe(403);
    expect(await unsignedIam.text()).toMatch(/<Code>MissingAuthenticationToken<\/Code>/);
  });

  describe.skipIf(!HAVE_AWS)('AWS CLI', () => {
    const cli = (args: string[], creds?: Creds): Promise<Record<string, unknown>> =>
      new Promise((resolve, reject) => {
        execFile(
          'aws',
          [...args, '--endpoint-url', url, '--region', 'us-east-1', '--output', 'json'],
          {
            timeout: 60_000,
            env: {
              PATH: process.env['PATH'] ?? '',
              HOME: process.env['HOME'] ?? '/tmp',
              AWS_CONFIG_FILE: '/dev/null',
              AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
              AWS_EC2_METADATA_DISABLED: 'true',
              AWS_MAX_ATTEMPTS: '1',
              ...(creds ? { AWS_ACCESS_KEY_ID: creds.accessKeyId, AWS_SECRET_ACCESS_KEY: creds.secretAccessKey } : {}),
            },
          },
          (err, stdout, stderr) => (err ? reject(new Error(`aws ${args[1]} failed: ${stderr}`)) : resolve(JSON.parse(stdout) as Record<string, unknown>)),
        );
      });
    it('aws sts get-caller-identity and assume-role-with-web-identity', async () => {
      expect(await cli(['sts', 'get-caller-identity'], alice)).toMatchObject({ Arn: 'arn:aws:iam::000000000000:user/alice', Account: '000000000000' });
      const out = await cli(['sts', 'assume-role-with-web-identity', '--role-arn', roleArn, '--role-session-name', 'cli', '--web-identity-token', token()]);
      expect(out['AssumedRoleUser']).toMatchObject({ Arn: 'arn:aws:sts::000000000000:assumed-role/EKS-AMP-ServiceAccount-Role/cli' });
      expect((out['Credentials'] as { AccessKeyId: string }).AccessKeyId).toMatch(/^ASIA/);
    }, 120_000);
  });
});
