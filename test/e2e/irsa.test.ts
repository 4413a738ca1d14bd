import { createSign, generateKeyPairSync } from 'node:crypto';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AmpClient, CreateWorkspaceCommand } from '@aws-sdk/client-amp';
import { AttachRolePolicyCommand, CreateOpenIDConnectProviderCommand, CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { compressSync } from 'snappy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWriteRequestV1 } from '../../src/remote/pb-writer.js';
import type { Config } from '../../src/app/config.js';
import { ROOT, startTestAmphora } from './helpers.js';

const HAVE_AWS = spawnSync('sh', ['-c', 'command -v aws']).status === 0;
if (!HAVE_AWS) console.warn('AWS CLI not on PATH: the IRSA test assumes the role through @aws-sdk/client-sts instead (apt-get install -y awscli)');

const ISSUER = 'oidc.eks.us-east-1.amazonaws.com/id/AMPHORATEST0000000000000000000';
const SA = 'system:serviceaccount:prometheus:iamproxy-service-account';

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

/** The IRSA flow of article 000: a Kubernetes service-account token (JWT) becomes credentials that may remote-write but not query. */
describe('IRSA: AssumeRoleWithWebIdentity with a local OIDC issuer (the real server)', () => {
  let amphora: Awaited<ReturnType<typeof startTestAmphora>>;
  const dir = mkdtempSync(join(tmpdir(), 'amphora-irsa-'));
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let roleArn = '';
  let workspaceId = '';

  function jwt(claims: Record<string, unknown>): string {
    const head = b64url(JSON.stringify({ alg: 'RS256', kid: 'k1', typ: 'JWT' }));
    const body = b64url(JSON.stringify(claims));
    return `${head}.${body}.${b64url(createSign('sha256').update(`${head}.${body}`).sign(privateKey))}`;
  }

  beforeAll(async () => {
    amphora = await startTestAmphora({ auth: { jwksDir: dir } } as Partial<Config>);
    const jwksFile = join(dir, 'jwks.json');
    writeFileSync(jwksFile, JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1', use: 'sig', alg: 'RS256' }] }));
    const iam = new IAMClient({ endpoint: amphora.address, region: 'us-east-1', credentials: ROOT });
    const provider = await iam.send(
      new CreateOpenIDConnectProviderCommand({
        Url: `https://${ISSUER}`,
        ClientIDList: ['sts.amazonaws.com'],
        ThumbprintList: ['9e99a48a9960b14926bb7f3b02e22da2b0ab7280'],
        Tags: [{ Key: 'amphora:jwks-file', Value: jwksFile }],
      }),
    );
    const trust = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: provider.OpenIDConnectProviderArn },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringEquals: { [`${ISSUER}:sub`]: SA } },
        },
      ],
    };
    const role = await iam.send(new CreateRoleCommand({ RoleName: 'amp-iamproxy-ingest-role', AssumeRolePolicyDocument: JSON.stringify(trust) }));
    roleArn = role.Role!.Arn!;
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'amp-iamproxy-ingest-role', PolicyArn: 'arn:aws:iam::aws:policy/AmazonPrometheusRemoteWriteAccess' }));
    workspaceId = (await new AmpClient({ endpoint: amphora.address, region: 'us-east-1', credentials: ROOT }).send(new CreateWorkspaceCommand({ alias: 'irsa' }))).workspaceId!;
    await new Promise((r) => setTimeout(r, 1100));
  });
  afterAll(async () => {
    await amphora.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function assume(token: string): Promise<Creds> {
    if (!HAVE_AWS) {
      const sts = new STSClient({ endpoint: amphora.address, region: 'us-east-1', credentials: ROOT });
      const r = await sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: roleArn, RoleSessionName: 'prom', WebIdentityToken: token }));
      return { accessKeyId: r.Credentials!.AccessKeyId!, secretAccessKey: r.Credentials!.SecretAccessKey!, sessionToken: r.Credentials!.SessionToken! };
    }
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        'aws',
        ['sts', 'assume-role-with-web-identity', '--role-arn', roleArn, '--role-session-name', 'prom', '--web-identity-token', token, '--endpoint-url', amphora.address, '--output', 'json'],
        { env: { ...process.env, AWS_DEFAULT_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true', AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' }, timeout: 60_000 },
        (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)),
      ),
    );
    const c = (JSON.parse(out) as { Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string } }).Credentials;
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
  }

  async function signedFetch(creds: Creds, method: string, path: string, body?: Uint8Array, headers: Record<string, string> = {}): Promise<Response> {
    const url = new URL(path, amphora.address);
    const signer = new SignatureV4({ service: 'aps', region: 'us-east-1', sha256: Hash.bind(null, 'sha256'), credentials: creds });
    const signed = await signer.sign({ method, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query: Object.fromEntries(url.searchParams), headers: { host: url.host, ...headers }, body });
    const { host: _h, ...send } = signed.headers as Record<string, string>;
    return fetch(url, { method, headers: send, body });
  }

  it('lets the service account remote-write but not query', async () => {
    const now = Math.floor(Date.now() / 1000);
    const creds = await assume(jwt({ iss: `https://${ISSUER}`, sub: SA, aud: 'sts.amazonaws.com', iat: now, exp: now + 600 }));
    expect(creds.accessKeyId).toMatch(/^ASIA/);
    const body = compressSync(Buffer.from(encodeWriteRequestV1([{ labels: [['__name__', 'irsa_test'], ['job', 'x']], samples: [{ value: 42, timestamp: Date.now() }] }])));
    const write = await signedFetch(creds, 'POST', `/workspaces/${workspaceId}/api/v1/remote_write`, body, {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'snappy',
      'x-prometheus-remote-write-version': '0.1.0',
    });
    expect(write.status, await write.text()).toBe(204);
    const query = await signedFetch(creds, 'GET', `/workspaces/${workspaceId}/api/v1/query?query=irsa_test`);
    expect(query.status).toBe(403);
    const rootQuery = await signedFetch(ROOT, 'GET', `/workspaces/${workspaceId}/api/v1/query?query=irsa_test`);
    const json = (await rootQuery.json()) as { data: { result: { value: [number, string] }[] } };
    expect(json.data.result[0]!.value[1]).toBe('42');
  });

  it('refuses a token for another service account', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = jwt({ iss: `https://${ISSUER}`, sub: 'system:serviceaccount:default:other', aud: 'sts.amazonaws.com', iat: now, exp: now + 600 });
    await expect(assume(token)).rejects.toThrow(/AccessDenied/);
  });
});
