import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compressSync } from 'snappy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWriteRequestV1 } from '../../src/remote/pb-writer.js';
import { awsEnv, createActiveWorkspace, hasCommand, run } from './access-peers.js';
import { ROOT, signedFetch, startTestAmphora } from './helpers.js';

const PEERS = hasCommand('aws') && hasCommand('curl');
if (!PEERS) console.warn('skipping service-specific credential interop: needs the AWS CLI and curl (apt-get install -y awscli curl)');

interface CliCredential {
  ServiceSpecificCredentialId: string;
  ServiceUserName: string;
  ServicePassword?: string;
  ServiceName: string;
  UserName: string;
  Status: string;
  CreateDate: string;
}

/** The AWS CLI manages service-specific credentials; curl uses them with basic auth and as a bearer token on the data plane only. */
describe.skipIf(!PEERS)('service-specific credentials: AWS CLI and curl', () => {
  let amphora: Awaited<ReturnType<typeof startTestAmphora>>;
  let workspaceId = '';
  let cred: CliCredential;
  const dir = mkdtempSync(join(tmpdir(), 'amphora-creds-'));
  const aws = (...args: string[]) => run('aws', ['--endpoint-url', amphora.address, '--output', 'json', ...args], { env: awsEnv(ROOT) });
  const curl = (...args: string[]) => run('curl', ['-sS', '-o', '-', '-w', '\\n%{http_code}', ...args]);
  const writeBody = (name: string) => compressSync(Buffer.from(encodeWriteRequestV1([{ labels: [['__name__', name], ['job', 'curl']], samples: [{ value: 7, timestamp: Date.now() }] }])));
  const rwHeaders = ['-H', 'content-type: application/x-protobuf', '-H', 'content-encoding: snappy', '-H', 'x-prometheus-remote-write-version: 0.1.0'];

  beforeAll(async () => {
    amphora = await startTestAmphora();
    workspaceId = (await createActiveWorkspace(amphora.address, 'creds')).slice('/workspaces/'.length);
    for (const args of [
      ['iam', 'create-user', '--user-name', 'writer'],
      ['iam', 'attach-user-policy', '--user-name', 'writer', '--policy-arn', 'arn:aws:iam::aws:policy/AmazonPrometheusRemoteWriteAccess'],
      ['iam', 'attach-user-policy', '--user-name', 'writer', '--policy-arn', 'arn:aws:iam::aws:policy/AmazonPrometheusQueryAccess'],
    ]) {
      const r = await aws(...args);
      expect(r.status, r.stderr).toBe(0);
    }
  }, 120_000);
  afterAll(async () => {
    await amphora?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates, lists, resets, deactivates and deletes credentials with IAM shapes and errors', async () => {
    const created = await aws('iam', 'create-service-specific-credential', '--user-name', 'writer', '--service-name', 'aps.amazonaws.com');
    expect(created.status, created.stderr).toBe(0);
    cred = (JSON.parse(created.stdout) as { ServiceSpecificCredential: CliCredential }).ServiceSpecificCredential;
    expect(cred).toMatchObject({ ServiceName: 'aps.amazonaws.com', ServiceUserName: 'writer-at-000000000000', UserName: 'writer', Status: 'Active' });
    expect(cred.ServiceSpecificCredentialId).toMatch(/^ACCA[A-Z2-7]{16}$/);
    expect(cred.ServicePassword).toMatch(/^[A-Za-z0-9_-]{44}$/);
    expect(Math.abs(Date.parse(cred.CreateDate) - Date.now())).toBeLessThan(60_000);

    const second = await aws('iam', 'create-service-specific-credential', '--user-name', 'writer', '--service-name', 'aps.amazonaws.com');
    expect(second.status, second.stderr).toBe(0);
    const secondId = (JSON.parse(second.stdout) as { ServiceSpecificCredential: CliCredential }).ServiceSpecificCredential.ServiceSpecificCredentialId;
    const third = await aws('iam', 'create-service-specific-credential', '--user-name', 'writer', '--service-name', 'aps.amazonaws.com');
    expect(third.stderr).toMatch(/LimitExceeded/);
    const other = await aws('iam', 'create-service-specific-credential', '--user-name', 'writer', '--service-name', 'codecommit.amazonaws.com');
    expect(other.stderr).toMatch(/NotSupportedService/);
    const nobody = await aws('iam', 'create-service-specific-credential', '--user-name', 'nobody', '--service-name', 'aps.amazonaws.com');
    expect(nobody.stderr).toMatch(/NoSuchEntity/);

    const listed = await aws('iam', 'list-service-specific-credentials', '--user-name', 'writer', '--service-name', 'aps.amazonaws.com');
    expect(listed.status, listed.stderr).toBe(0);
    const list = (JSON.parse(listed.stdout) as { ServiceSpecificCredentials: CliCredential[] }).ServiceSpecificCredentials;
    expect(list.map((c) => c.ServiceSpecificCredentialId).sort()).toEqual([cred.ServiceSpecificCredentialId, secondId].sort());
    expect(list.every((c) => c.ServicePassword === undefined)).toBe(true);

    const reset = await aws('iam', 'reset-service-specific-credential', '--user-name', 'writer', '--service-specific-credential-id', secondId);
    expect(reset.status, reset.stderr).toBe(0);
    const resetPassword = (JSON.parse(reset.stdout) as { ServiceSpecificCredential: CliCredential }).ServiceSpecificCredential.ServicePassword!;
    expect(resetPassword).toHaveLength(44);
    const before = await curl('-u', `writer-at-000000000000:${resetPassword}`, `${amphora.address}/workspaces/${workspaceId}/api/v1/query?query=vector(1)`);
    expect(before.stdout.trim().split('\n').pop()).toBe('200');
    const inactive = await aws('iam', 'update-service-specific-credential', '--user-name', 'writer', '--service-specific-credential-id', secondId, '--status', 'Inactive');
    expect(inactive.status, inactive.stderr).toBe(0);
    const after = await curl('-i', '-u', `writer-at-000000000000:${resetPassword}`, `${amphora.address}/workspaces/${workspaceId}/api/v1/query?query=vector(1)`);
    expect(after.stdout.trim().split('\n').pop()).toBe('401');
    expect(after.stdout).toMatch(/www-authenticate: Basic realm="amphora"/i);
    const deleted = await aws('iam', 'delete-service-specific-credential', '--user-name', 'writer', '--service-specific-credential-id', secondId);
    expect(deleted.status, deleted.stderr).toBe(0);
    const gone = await aws('iam', 'delete-service-specific-credential', '--user-name', 'writer', '--service-specific-credential-id', secondId);
    expect(gone.stderr).toMatch(/NoSuchEntity/);
    const conflict = await aws('iam', 'delete-user', '--user-name', 'writer');
    expect(conflict.stderr).toMatch(/DeleteConflict/);
  }, 300_000);

  it('writes with curl -u and reads back with basic auth and the bearer form', async () => {
    const user = `${cred.ServiceUserName}:${cred.ServicePassword}`;
    const base = `${amphora.address}/workspaces/${workspaceId}`;
    const file = join(dir, 'write.bin');
    writeFileSync(file, writeBody('basic_auth_written'));
    const w = await curl('-u', user, ...rwHeaders, '--data-binary', `@${file}`, `${base}/api/v1/remote_write`);
    expect(w.stdout.trim().split('\n').pop(), w.stdout + w.stderr).toBe('204');
    const q = await curl('-u', user, '--data-urlencode', 'query=basic_auth_written', `${base}/api/v1/query`);
    expect(q.stdout).toContain('"__name__":"basic_auth_written"');
    expect(q.stdout).toContain('"7"]');
    const b = await curl('-H', `Authorization: Bearer ${user}`, '-G', '--data-urlencode', 'match[]=basic_auth_written', `${base}/api/v1/series`);
    expect(b.stdout).toContain('"job":"curl"');
    expect(b.stdout.trim().split('\n').pop()).toBe('200');
  });

  it('refuses a wrong password with 401 and writes nothing', async () => {
    const base = `${amphora.address}/workspaces/${workspaceId}`;
    const res = await fetch(`${base}/api/v1/remote_write`, {
      method: 'POST',
      headers: { authorization: 'Basic ' + Buffer.from(`${cred.ServiceUserName}:wrong-password`).toString('base64'), 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy', 'x-prometheus-remote-write-version': '0.1.0' },
      body: writeBody('must_not_exist'),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Basic realm="amphora"');
    expect(((await res.json()) as { errorType: string }).errorType).toBe('InvalidServiceCredentialException');
    const q = await signedFetch(amphora.address, 'GET', `/workspaces/${workspaceId}/api/v1/series?match%5B%5D=must_not_exist`);
    expect(((await q.json()) as { data: unknown[] }).data).toEqual([]);
  });

  it('refuses service credentials on the control plane, IAM and STS with a named error', async () => {
    const user = `${cred.ServiceUserName}:${cred.ServicePassword}`;
    const cp = await curl('-i', '-u', user, `${amphora.address}/workspaces`);
    expect(cp.stdout.trim().split('\n').pop()).toBe('403');
    expect(cp.stdout).toMatch(/x-amzn-errortype: ServiceCredentialNotAcceptedException/i);
    const iam = await curl('-u', user, '--data', 'Action=ListUsers&Version=2010-05-08', `${amphora.address}/`);
    expect(iam.stdout).toContain('<Code>ServiceCredentialNotAccepted</Code>');
    expect(iam.stdout.trim().split('\n').pop()).toBe('403');
  });

  it('denies what the user\'s policies do not allow, as with SigV4', async () => {
    const r = await aws('iam', 'create-user', '--user-name', 'reader-only');
    expect(r.status, r.stderr).toBe(0);
    await aws('iam', 'attach-user-policy', '--user-name', 'reader-only', '--policy-arn', 'arn:aws:iam::aws:policy/AmazonPrometheusQueryAccess');
    const c = (JSON.parse((await aws('iam', 'create-service-specific-credential', '--user-name', 'reader-only', '--service-name', 'aps.amazonaws.com')).stdout) as { ServiceSpecificCredential: CliCredential }).ServiceSpecificCredential;
    const res = await fetch(`${amphora.address}/workspaces/${workspaceId}/api/v1/remote_write`, {
      method: 'POST',
      headers: { authorization: 'Basic ' + Buffer.from(`${c.ServiceUserName}:${c.ServicePassword}`).toString('base64'), 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy', 'x-prometheus-remote-write-version': '0.1.0' },
      body: writeBody('denied_write'),
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(/reader-only is not authorized to perform: aps:RemoteWrite/);
  }, 120_000);
});
