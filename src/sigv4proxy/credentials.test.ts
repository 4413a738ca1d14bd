import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { credentialChain, CredentialsUnavailableError, resolveCredentials } from './credentials.js';
import { parseIni } from './shared-ini.js';

const FILE = `# comment
[default]
aws_access_key_id = AKIADEFAULT
aws_secret_access_key = default/secret

[profile writer]
aws_access_key_id=AKIAWRITER
aws_secret_access_key=writer+secret
aws_session_token = tok
`;
const files: Record<string, string> = { '/home/u/.aws/credentials': FILE, '/alt/creds': '[ci]\naws_access_key_id = AKIACI\naws_secret_access_key = ci\n', '/var/run/token': 'jwt-token\n' };
const readFile = async (p: string): Promise<string> => {
  if (p in files) return files[p]!;
  throw new Error(`ENOENT: ${p}`);
};
const base = { region: 'us-east-1', readFile };

describe('parseIni', () => {
  it('reads sections with and without "profile", comments and spacing', () => {
    expect(parseIni(FILE)).toEqual({ default: { aws_access_key_id: 'AKIADEFAULT', aws_secret_access_key: 'default/secret' }, writer: { aws_access_key_id: 'AKIAWRITER', aws_secret_access_key: 'writer+secret', aws_session_token: 'tok' } });
  });
});

describe('resolveCredentials', () => {
  it('prefers the environment, then the shared file (AWS_PROFILE, AWS_SHARED_CREDENTIALS_FILE); --profile reads only the file', async () => {
    const env = { HOME: '/home/u', AWS_ACCESS_KEY_ID: 'AKIAENV', AWS_SECRET_ACCESS_KEY: 's', AWS_SESSION_TOKEN: 't' };
    expect(await resolveCredentials({ ...base, env })).toMatchObject({ accessKeyId: 'AKIAENV', sessionToken: 't', source: 'environment' });
    expect(await resolveCredentials({ ...base, env: { HOME: '/home/u' } })).toMatchObject({ accessKeyId: 'AKIADEFAULT', secretAccessKey: 'default/secret' });
    expect(await resolveCredentials({ ...base, env: { HOME: '/home/u', AWS_PROFILE: 'writer' } })).toMatchObject({ accessKeyId: 'AKIAWRITER', sessionToken: 'tok' });
    expect(await resolveCredentials({ ...base, env, profile: 'writer' })).toMatchObject({ accessKeyId: 'AKIAWRITER' });
    expect(await resolveCredentials({ ...base, env: { AWS_SHARED_CREDENTIALS_FILE: '/alt/creds', AWS_PROFILE: 'ci' } })).toMatchObject({ accessKeyId: 'AKIACI' });
    await expect(resolveCredentials({ ...base, env: { HOME: '/home/u' }, profile: 'missing' })).rejects.toThrow(/profile missing in \/home\/u\/.aws\/credentials/);
    await expect(resolveCredentials({ ...base, env: { HOME: '/nowhere' } })).rejects.toBeInstanceOf(CredentialsUnavailableError);
  });

  it('assumes the role with the web identity token at the configured STS endpoint and renews before expiry', async () => {
    let now = Date.parse('2026-03-01T12:00:00Z');
    const calls: URLSearchParams[] = [];
    const sts = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const p = new URLSearchParams(body);
        calls.push(p);
        const n = calls.length;
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(
          `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleWithWebIdentityResult><Credentials>` +
            `<AccessKeyId>ASIA${n}</AccessKeyId><SecretAccessKey>secret${n}</SecretAccessKey><SessionToken>token&amp;${n}</SessionToken>` +
            `<Expiration>${new Date(now + 3600_000).toISOString()}</Expiration></Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>`,
        );
      });
    });
    await new Promise<void>((r) => sts.listen(0, '127.0.0.1', r));
    const stsEndpoint = `http://127.0.0.1:${(sts.address() as AddressInfo).port}`;
    try {
      const env = { HOME: '/home/u', AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/token', AWS_ROLE_ARN: 'arn:aws:iam::000000000000:role/writer', AWS_ENDPOINT_URL_STS: stsEndpoint };
      const chain = credentialChain({ ...base, env, now: () => now });
      const first = await chain.get();
      expect(first).toMatchObject({ accessKeyId: 'ASIA1', secretAccessKey: 'secret1', sessionToken: 'token&1' });
      expect(calls[0]!.get('Action')).toBe('AssumeRoleWithWebIdentity');
      expect(calls[0]!.get('RoleArn')).toBe('arn:aws:iam::000000000000:role/writer');
      expect(calls[0]!.get('WebIdentityToken')).toBe('jwt-token');
      now += 50 * 60_000;
      expect((await chain.get()).accessKeyId).toBe('ASIA1');
      now += 6 * 60_000; // inside the 5-minute refresh margin
      expect((await chain.get()).accessKeyId).toBe('ASIA2');
      expect(calls).toHaveLength(2);
    } finally {
      sts.close();
    }
  });

  it('reports an STS refusal with its code and message', async () => {
    const sts = createServer((_req, res) => {
      res.writeHead(403, { 'content-type': 'text/xml' });
      res.end('<ErrorResponse><Error><Code>AccessDenied</Code><Message>Not authorized to perform sts:AssumeRoleWithWebIdentity</Message></Error></ErrorResponse>');
    });
    await new Promise<void>((r) => sts.listen(0, '127.0.0.1', r));
    try {
      const env = { AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/token', AWS_ROLE_ARN: 'arn:aws:iam::000000000000:role/writer' };
      await expect(resolveCredentials({ ...base, env, stsEndpoint: `http://127.0.0.1:${(sts.address() as AddressInfo).port}` })).rejects.toThrow(/403 AccessDenied.*Not authorized/);
    } finally {
      sts.close();
    }
  });
});
