import { createSign, generateKeyPairSync } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AttachRolePolicyCommand, CreateAccessKeyCommand, CreateOpenIDConnectProviderCommand, CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../bench/tools.js';
import { createActiveWorkspace, hasCommand, run } from './access-peers.js';
import { ROOT, startTestAmphora } from './helpers.js';
import { createWriterUser, startNodePrometheus } from './node-prometheus.js';
import type { Config } from '../../src/app/config.js';

const MAIN = join(import.meta.dirname, '../../dist/src/cli/main.js');
const PEERS = ['prometheus', 'prometheus-node-exporter', 'promtool'].every(hasCommand);
if (!PEERS) console.warn('skipping sigv4-proxy interop: needs prometheus, prometheus-node-exporter and promtool (apt-get install -y prometheus prometheus-node-exporter)');
if (!existsSync(MAIN)) console.warn('skipping sigv4-proxy interop: build first (npx tsc -p tsconfig.json) so dist/src/cli/main.js exists');

/** startProxy runs the real `amphora sigv4-proxy` and resolves once it prints its address. */
function startProxy(args: readonly string[], env: NodeJS.ProcessEnv, procs: ChildProcess[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [MAIN, 'sigv4-proxy', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    procs.push(proc);
    let out = '';
    let err = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+?),/.exec(out);
      if (m) resolve(m[1]!);
    });
    proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    proc.on('exit', (code) => reject(new Error(`sigv4-proxy exited with ${code}: ${out}${err}`)));
  });
}

/** Debian's Prometheus (no SigV4) remote-writes through `amphora sigv4-proxy`; promtool queries through it and gets Prometheus's answers. */
describe.skipIf(!PEERS || !existsSync(MAIN))('Prometheus → amphora sigv4-proxy → Amphora; promtool through the proxy', () => {
  let amphora: Awaited<ReturnType<typeof startTestAmphora>>;
  const procs: ChildProcess[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'amphora-proxy-'));
  let promUrl = '';
  let proxyUrl = '';
  let wsPath = '';
  let key = { accessKeyId: '', secretAccessKey: '' };
  const baseEnv = { PATH: process.env['PATH'] ?? '', HOME: dir, AWS_EC2_METADATA_DISABLED: 'true' };

  beforeAll(async () => {
    amphora = await startTestAmphora({ auth: { jwksDir: dir } } as Partial<Config>);
    wsPath = await createActiveWorkspace(amphora.address, 'proxy');
    const iam = await createWriterUser(amphora.address, 'proxy-writer');
    const k = (await iam.send(new CreateAccessKeyCommand({ UserName: 'proxy-writer' }))).AccessKey!;
    key = { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
    proxyUrl = await startProxy(['--listen', `127.0.0.1:${await freePort()}`, '--upstream', amphora.address, '--region', 'us-east-1'], { ...baseEnv, AWS_ACCESS_KEY_ID: key.accessKeyId, AWS_SECRET_ACCESS_KEY: key.secretAccessKey }, procs);
    promUrl = await startNodePrometheus({ dir, remoteWriteUrl: `${proxyUrl}${wsPath}/api/v1/remote_write`, procs });
  }, 60_000);
  afterAll(async () => {
    for (const p of procs) p.kill('SIGKILL');
    await amphora?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('promtool query instant, range and series through the proxy answer as Prometheus does', async () => {
    const base = `${proxyUrl}${wsPath}`;
    let ready = false;
    for (let i = 0; i < 90 && !ready; i++) {
      await new Promise((r) => setTimeout(r, 500));
      const r = await run('promtool', ['query', 'instant', base, 'count_over_time(up[1m]) >= 5'], { timeout: 30_000 });
      ready = r.status === 0 && r.stdout.includes('=>');
    }
    expect(ready, 'node_exporter samples arrived through the proxy').toBe(true);
    const t = Math.floor(Date.now() / 1000) - 3;
    for (const q of ['up', 'sum by (mode) (rate(node_cpu_seconds_total[1m]))']) {
      const [mine, theirs] = await Promise.all([run('promtool', ['query', 'instant', `--time=${t}`, base, q]), run('promtool', ['query', 'instant', `--time=${t}`, promUrl, q])]);
      expect(mine.status, mine.stderr).toBe(0);
      expect(mine.stdout.split('\n').sort(), q).toEqual(theirs.stdout.split('\n').sort());
    }
    const range = await run('promtool', ['query', 'range', `--start=${t - 20}`, `--end=${t}`, '--step=5s', base, 'up']);
    expect(range.status, range.stderr).toBe(0);
    expect(range.stdout).toContain('1 @[');
    const series = await run('promtool', ['query', 'series', '--match=up', base]);
    expect(series.status, series.stderr).toBe(0);
    expect(series.stdout).toMatch(/\{__name__="up", instance="127\.0\.0\.1:\d+", job="node"\}/);
  }, 120_000);

  it('signs with a profile of the shared credentials file (--profile) and refuses to start without credentials', async () => {
    const file = join(dir, 'credentials');
    writeFileSync(file, `[default]\naws_access_key_id = AKIANOTVALID00000000\naws_secret_access_key = x\n\n[writer]\naws_access_key_id = ${key.accessKeyId}\naws_secret_access_key = ${key.secretAccessKey}\n`);
    const url = await startProxy(['--listen', `127.0.0.1:${await freePort()}`, '--upstream', amphora.address, '--profile', 'writer'], { ...baseEnv, AWS_SHARED_CREDENTIALS_FILE: file }, procs);
    const r = await fetch(`${url}${wsPath}/api/v1/series?match[]=up`);
    expect(r.status, await r.clone().text()).toBe(200);
    expect(((await r.json()) as { data: unknown[] }).data.length).toBeGreaterThan(0);
    const viaDefault = await startProxy(['--listen', `127.0.0.1:${await freePort()}`, '--upstream', amphora.address], { ...baseEnv, AWS_SHARED_CREDENTIALS_FILE: file }, procs);
    expect((await fetch(`${viaDefault}${wsPath}/api/v1/query?query=up`)).status).toBe(403);
    await expect(startProxy(['--listen', `127.0.0.1:${await freePort()}`, '--upstream', amphora.address], { ...baseEnv, AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none') }, procs)).rejects.toThrow(/no AWS credentials/);
  }, 60_000);

  it('assumes a role with a web identity token file (IRSA) at Amphora\'s STS and signs with the session', async () => {
    const issuer = 'oidc.eks.us-east-1.amazonaws.com/id/PROXYTEST000000000000000000000';
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwksFile = join(dir, 'jwks.json');
    writeFileSync(jwksFile, JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'p1', use: 'sig', alg: 'RS256' }] }));
    const iam = new IAMClient({ endpoint: amphora.address, region: 'us-east-1', credentials: ROOT });
    const provider = await iam.send(new CreateOpenIDConnectProviderCommand({ Url: `https://${issuer}`, ClientIDList: ['sts.amazonaws.com'], ThumbprintList: ['9e99a48a9960b14926bb7f3b02e22da2b0ab7280'], Tags: [{ Key: 'amphora:jwks-file', Value: jwksFile }] }));
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: provider.OpenIDConnectProviderArn }, Action: 'sts:AssumeRoleWithWebIdentity' }] };
    const role = await iam.send(new CreateRoleCommand({ RoleName: 'proxy-query-role', AssumeRolePolicyDocument: JSON.stringify(trust) }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'proxy-query-role', PolicyArn: 'arn:aws:iam::aws:policy/AmazonPrometheusQueryAccess' }));
    const now = Math.floor(Date.now() / 1000);
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const unsigned = `${enc({ alg: 'RS256', kid: 'p1', typ: 'JWT' })}.${enc({ iss: `https://${issuer}`, sub: 'system:serviceaccount:monitoring:grafana', aud: 'sts.amazonaws.com', iat: now, exp: now + 600 })}`;
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, `${unsigned}.${createSign('sha256').update(unsigned).sign(privateKey).toString('base64url')}\n`);
    const env = { ...baseEnv, AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile, AWS_ROLE_ARN: role.Role!.Arn! };
    const url = await startProxy(['--listen', `127.0.0.1:${await freePort()}`, '--upstream', amphora.address, '--sts-endpoint', amphora.address], env, procs);
    const r = await fetch(`${url}${wsPath}/api/v1/query?query=up`);
    expect(r.status, await r.clone().text()).toBe(200);
    expect(((await r.json()) as { status: string }).status).toBe('success');
    // The role may query but not write: the session's own policies apply.
    const w = await fetch(`${url}${wsPath}/api/v1/remote_write`, { method: 'POST', body: new Uint8Array([1]) });
    expect(w.status).toBe(403);
  }, 60_000);
});
