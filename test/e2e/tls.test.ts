import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { AmpClient, ListWorkspacesCommand } from '@aws-sdk/client-amp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, stopProcess } from '../../bench/tools.js';
import { createTestPki, HAVE_OPENSSL, SERVER_SAN, type TestPki } from '../../src/http/tls/test-support.js';
import { ROOT } from './helpers.js';

const MAIN = join(import.meta.dirname, '../../dist/src/cli/main.js');
const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const HAVE_AWS = has('aws');
const HAVE_CURL = has('curl');
const HAVE_PROMETHEUS = has('prometheus');
if (!HAVE_OPENSSL) console.warn('skipping TLS end-to-end tests: openssl is not on PATH');
if (!existsSync(MAIN)) console.warn('skipping TLS end-to-end tests: dist/src/cli/main.js is not built (npx tsc -p tsconfig.json)');
if (!HAVE_AWS) console.warn('skipping the AWS CLI over TLS: aws is not on PATH (apt-get install -y awscli)');
if (!HAVE_CURL) console.warn('skipping curl --aws-sigv4 over TLS: curl is not on PATH');
if (!HAVE_PROMETHEUS) console.warn('skipping Prometheus remote_write over mTLS: prometheus is not on PATH (apt-get install -y prometheus)');

interface Served {
  proc: ChildProcess;
  url: string;
  log: () => string;
}

/** serveTls starts the real binary with a certificate, key and client CA and resolves once it logs its https address. */
function serveTls(dataDir: string, pki: TestPki): Promise<Served> {
  const configFile = join(pki.dir, 'amphora.yml');
  writeFileSync(configFile, `tls:\n  clientCAFile: ${pki.caFile}\n  clientAuth: optional\n`);
  return new Promise((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      [MAIN, 'serve', '--config', configFile, '--data-dir', dataDir, '--listen', '127.0.0.1:0', '--tls-cert-file', join(pki.dir, 'live.crt'), '--tls-key-file', join(pki.dir, 'live.key')],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, AMPHORA_ROOT_ACCESS_KEY_ID: ROOT.accessKeyId, AMPHORA_ROOT_SECRET_ACCESS_KEY: ROOT.secretAccessKey, AMPHORA_QUERY_WORKERS: '1' } },
    );
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /"address":"(https:\/\/[^"]+)"/.exec(out);
      if (m) resolve({ proc, url: m[1]!, log: () => out });
    });
    proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    proc.on('exit', (code) => reject(new Error(`amphora exited with ${code}: ${out}`)));
  });
}

function run(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(cmd, args, { timeout: 60_000, env: { ...process.env, ...env } }, (err, stdout, stderr) => (err ? reject(new Error(`${cmd} ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout))),
  );
}

/** get sends GET path over the agent; resolves with status, body, whether the socket was reused and the server certificate's fingerprint. */
function get(url: string, agent: Agent, path: string): Promise<{ status: number; body: string; reused: boolean; fingerprint: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(new URL(path, url), { agent }, (res) => {
      const fingerprint = (res.socket as TLSSocket).getPeerCertificate().fingerprint256;
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body, reused: req.reusedSocket, fingerprint }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe.skipIf(!HAVE_OPENSSL || !existsSync(MAIN))('amphora serve over TLS (the real binary, real clients)', () => {
  let dir: string;
  let pki: TestPki;
  let amphora: Served;
  let ca: Buffer;
  const awsEnv = { AWS_ACCESS_KEY_ID: ROOT.accessKeyId, AWS_SECRET_ACCESS_KEY: ROOT.secretAccessKey, AWS_DEFAULT_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' };
  const aws = async (...args: string[]): Promise<unknown> => {
    const out = await run('aws', [...args, '--endpoint-url', amphora.url, '--ca-bundle', pki.caFile, '--output', 'json'], awsEnv);
    return out.trim() ? JSON.parse(out) : null;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'amphora-tls-e2e-'));
    pki = createTestPki(dir);
    const first = pki.issue('server-1', { cn: 'amphora one', san: SERVER_SAN, usage: 'serverAuth' });
    pki.issue('server-2', { cn: 'amphora two', san: SERVER_SAN, usage: 'serverAuth' });
    pki.issue('prometheus', { cn: 'prometheus', usage: 'clientAuth' });
    copyFileSync(first.certFile, join(dir, 'live.crt'));
    copyFileSync(first.keyFile, join(dir, 'live.key'));
    ca = readFileSync(pki.caFile);
    amphora = await serveTls(join(dir, 'data'), pki);
  });
  afterAll(async () => {
    if (amphora) await stopProcess(amphora.proc);
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to start, naming the file, with a certificate it cannot read', () => {
    const r = spawnSync(process.execPath, [MAIN, 'serve', '--data-dir', join(dir, 'data-bad'), '--listen', '127.0.0.1:0', '--tls-cert-file', join(dir, 'absent.crt'), '--tls-key-file', join(dir, 'live.key')], {
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, AMPHORA_QUERY_WORKERS: '1' },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`cannot read the TLS certificate ${join(dir, 'absent.crt')}`);
  });

  it('listens with https only: a plain HTTP request gets no answer', async () => {
    expect(amphora.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    await expect(fetch(amphora.url.replace('https:', 'http:') + '/-/healthy')).rejects.toThrow();
  });

  it.skipIf(!HAVE_AWS)('the AWS CLI with --ca-bundle manages workspaces and IAM', async () => {
    const ws = (await aws('amp', 'create-workspace', '--alias', 'over-tls')) as { workspaceId: string };
    expect(ws.workspaceId).toMatch(/^ws-/);
    await aws('amp', 'wait', 'workspace-active', '--workspace-id', ws.workspaceId);
    const list = (await aws('amp', 'list-workspaces')) as { workspaces: { workspaceId: string }[] };
    expect(list.workspaces.map((w) => w.workspaceId)).toContain(ws.workspaceId);
    await aws('iam', 'create-user', '--user-name', 'prometheus');
    await aws('iam', 'attach-user-policy', '--user-name', 'prometheus', '--policy-arn', 'arn:aws:iam::aws:policy/AmazonPrometheusRemoteWriteAccess');
    // Without the CA the CLI refuses the self-signed certificate.
    await expect(run('aws', ['amp', 'list-workspaces', '--endpoint-url', amphora.url], awsEnv)).rejects.toThrow(/SSL|certificate/i);
  });

  it('@aws-sdk/client-amp with an https agent trusting the CA', async () => {
    const amp = new AmpClient({ endpoint: amphora.url, region: 'us-east-1', credentials: ROOT, requestHandler: { httpsAgent: new Agent({ ca }) } });
    const out = await amp.send(new ListWorkspacesCommand({}));
    expect(out.workspaces).toBeDefined();
    amp.destroy();
  });

  it.skipIf(!HAVE_CURL)('curl --aws-sigv4 --cacert queries the API', async () => {
    const out = await run('curl', ['-sS', '--fail-with-body', '--cacert', pki.caFile, '--aws-sigv4', 'aws:amz:us-east-1:aps', '--user', `${ROOT.accessKeyId}:${ROOT.secretAccessKey}`, `${amphora.url}/workspaces`]);
    expect(JSON.parse(out)).toHaveProperty('workspaces');
  });

  it.skipIf(!HAVE_PROMETHEUS || !HAVE_AWS || !HAVE_CURL)('a stock Prometheus remote-writes with tls_config (CA, client certificate naming an IAM user)', async () => {
    const list = (await aws('amp', 'list-workspaces', '--alias', 'over-tls')) as { workspaces: { workspaceId: string }[] };
    const id = list.workspaces[0]!.workspaceId;
    const promDir = join(dir, 'prom');
    const port = await freePort();
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: prom-over-tls\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n` +
        `remote_write:\n  - url: ${amphora.url}/workspaces/${id}/api/v1/remote_write\n    queue_config:\n      batch_send_deadline: 1s\n` +
        `    tls_config:\n      ca_file: ${pki.caFile}\n      cert_file: ${join(dir, 'prometheus.crt')}\n      key_file: ${join(dir, 'prometheus.key')}\n`,
    );
    const prom = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${promDir}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
    try {
      let series: unknown[] = [];
      for (let i = 0; i < 100 && series.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 300));
        const out = await run('curl', ['-sS', '--cacert', pki.caFile, '--aws-sigv4', 'aws:amz:us-east-1:aps', '--user', `${ROOT.accessKeyId}:${ROOT.secretAccessKey}`, `${amphora.url}/workspaces/${id}/api/v1/query?query=up%7Bjob%3D%22prom-over-tls%22%7D`]);
        series = (JSON.parse(out) as { data?: { result?: unknown[] } }).data?.result ?? [];
      }
      expect(series.length).toBe(1);
    } finally {
      await stopProcess(prom);
    }
  });

  it('reloads the certificate on SIGHUP: new connections get the new one, an open keep-alive connection keeps working', async () => {
    const kept = new Agent({ ca, keepAlive: true, maxSockets: 1 });
    const before = await get(amphora.url, kept, '/-/healthy');
    expect(before.status).toBe(200);
    copyFileSync(join(dir, 'server-2.crt'), join(dir, 'live.crt'));
    copyFileSync(join(dir, 'server-2.key'), join(dir, 'live.key'));
    const reloads = (amphora.log().match(/TLS certificate reloaded/g) ?? []).length;
    amphora.proc.kill('SIGHUP');
    for (let i = 0; i < 50 && (amphora.log().match(/TLS certificate reloaded/g) ?? []).length === reloads; i++) await new Promise((r) => setTimeout(r, 100));
    expect(amphora.log()).toContain('amphora two');
    const fresh = await get(amphora.url, new Agent({ ca }), '/-/healthy');
    expect(fresh.fingerprint).not.toBe(before.fingerprint);
    const again = await get(amphora.url, kept, '/-/healthy');
    expect(again.status).toBe(200);
    expect(again.reused).toBe(true);
    expect(again.fingerprint).toBe(before.fingerprint);
    expect(amphora.proc.exitCode).toBeNull();
    kept.destroy();
  });
});
