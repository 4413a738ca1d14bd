import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AmpClient, CreateWorkspaceCommand } from '@aws-sdk/client-amp';
import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newMatcher } from '../../src/model/matcher.js';
import { freePort, metricValue } from '../../bench/tools.js';
import { ROOT, startTestAmphora } from './helpers.js';
import { startSigV4Proxy } from './sigv4-proxy.js';

const HAVE_PROMETHEUS = spawnSync('sh', ['-c', 'command -v prometheus']).status === 0;
if (!HAVE_PROMETHEUS) console.warn('skipping Prometheus sigv4 remote-write test: prometheus is not on PATH (apt-get install -y prometheus)');

type Amphora = Awaited<ReturnType<typeof startTestAmphora>>;

/*
 * Debian's Prometheus 2.42 is built without SigV4 support: its `sigv4:` block is accepted but no
 * signature is sent (seen with 2.42.0+ds: no Authorization header). So the stock Prometheus here remote-writes through a SigV4
 * signing proxy, the sidecar setup of article 000 (aws-sigv4-proxy).
 */
describe.skipIf(!HAVE_PROMETHEUS)('a stock Prometheus remote-writes through a SigV4 proxy (the real server)', () => {
  let amphora: Amphora;
  const procs: ChildProcess[] = [];
  const dirs: string[] = [];
  beforeAll(async () => {
    amphora = await startTestAmphora();
  });
  afterAll(async () => {
    for (const p of procs) p.kill('SIGKILL');
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    await amphora.stop();
  });

  async function keyWith(user: string, policy: string): Promise<{ id: string; secret: string }> {
    const iam = new IAMClient({ endpoint: amphora.address, region: 'us-east-1', credentials: ROOT });
    await iam.send(new CreateUserCommand({ UserName: user }));
    await iam.send(new AttachUserPolicyCommand({ UserName: user, PolicyArn: `arn:aws:iam::aws:policy/${policy}` }));
    const k = await iam.send(new CreateAccessKeyCommand({ UserName: user }));
    return { id: k.AccessKey!.AccessKeyId!, secret: k.AccessKey!.SecretAccessKey! };
  }

  /** runPrometheus scrapes itself every second and remote-writes with sigv4 until the predicate holds or time runs out. */
  async function runPrometheus(workspaceId: string, key: { id: string; secret: string }, until: (metrics: string) => boolean): Promise<string> {
    const proxy = await startSigV4Proxy(amphora.address, { accessKeyId: key.id, secretAccessKey: key.secret });
    const dir = mkdtempSync(join(tmpdir(), 'amphora-prom-'));
    dirs.push(dir);
    const port = await freePort();
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: prometheus\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n` +
        `remote_write:\n  - url: ${proxy.url}/workspaces/${workspaceId}/api/v1/remote_write\n    queue_config:\n      batch_send_deadline: 1s\n`,
    );
    const proc = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
    procs.push(proc);
    let metrics = '';
    for (let i = 0; i < 100; i++) {
      await new Promise((r) => setTimeout(r, 300));
      try {
        metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        if (until(metrics)) break;
      } catch {
        // not up yet
      }
    }
    proc.kill('SIGTERM');
    proxy.server.close();
    return metrics;
  }

  async function workspace(alias: string): Promise<string> {
    const ws = await new AmpClient({ endpoint: amphora.address, region: 'us-east-1', credentials: ROOT }).send(new CreateWorkspaceCommand({ alias }));
    await amphora.controlPlane.whenIdle();
    return ws.workspaceId!;
  }

  function storedSeries(db: Awaited<ReturnType<Amphora['storage']['get']>>): number {
    const q = db.querier(-Infinity, Infinity);
    const set = q.select(false, undefined, [newMatcher('=', 'job', 'prometheus')]);
    let n = 0;
    while (set.next()) n++;
    q.close();
    return n;
  }

  it('accepts a key holding AmazonPrometheusRemoteWriteAccess', async () => {
    const id = await workspace('writer');
    await new Promise((r) => setTimeout(r, 1100));
    const key = await keyWith('prom-writer', 'AmazonPrometheusRemoteWriteAccess');
    const metrics = await runPrometheus(id, key, (m) => /prometheus_remote_storage_samples_total\{[^}]*\} [1-9]/.test(m) || /prometheus_remote_storage_succeeded_samples_total\{[^}]*\} [1-9]/.test(m));
    expect(metrics).toMatch(/prometheus_remote_storage_(succeeded_)?samples_total\{[^}]*\} [1-9]/);
    expect(storedSeries(await amphora.storage.get(id))).toBeGreaterThan(50);
    const self = await (await fetch(`${amphora.address}/metrics`)).text();
    expect(self).toMatch(new RegExp(`amphora_tsdb_head_series\\{workspace="${id}"\\} [1-9]`));
    expect(self).toMatch(/amphora_http_request_duration_seconds_count\{method="POST",route="\/workspaces\/:workspaceId\/api\/v1\/remote_write",code="204"\} [1-9]/);
    expect(self).toMatch(/received_samples_total\{[^}]*\} [1-9]/);
  });

  it('refuses (403) a key holding only AmazonPrometheusQueryAccess', async () => {
    const id = await workspace('reader');
    await new Promise((r) => setTimeout(r, 1100));
    const key = await keyWith('prom-reader', 'AmazonPrometheusQueryAccess');
    const failed = (m: string) => {
      try {
        return metricValue(m, 'prometheus_remote_storage_samples_failed_total') > 0;
      } catch {
        return false;
      }
    };
    const metrics = await runPrometheus(id, key, failed);
    expect(failed(metrics)).toBe(true);
    expect(storedSeries(await amphora.storage.get(id))).toBe(0);
  });
});
