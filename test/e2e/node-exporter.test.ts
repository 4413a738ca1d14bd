import { execFile, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AmpClient, CreateWorkspaceCommand } from '@aws-sdk/client-amp';
import { CreateAccessKeyCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startTestAmphora } from './helpers.js';
import { createWriterUser, startNodePrometheus } from './node-prometheus.js';
import { startSigV4Proxy } from './sigv4-proxy.js';

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const PEERS = has('prometheus') && has('prometheus-node-exporter') && has('promtool');
if (!PEERS) console.warn('skipping node_exporter interop: needs prometheus, promtool and prometheus-node-exporter (apt-get install -y prometheus prometheus-node-exporter)');

interface VectorSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** A stock Prometheus scrapes a real node_exporter and remote-writes (signed) into a workspace; both answer the same PromQL. */
describe.skipIf(!PEERS)('node_exporter → Prometheus → Amphora: the same answers', () => {
  let amphora: Awaited<ReturnType<typeof startTestAmphora>>;
  const procs: ChildProcess[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'amphora-ne-'));
  let promUrl = '';
  let proxyUrl = '';
  let workspaceId = '';
  let closeProxy = () => {};

  beforeAll(async () => {
    amphora = await startTestAmphora();
    const ws = await new AmpClient({ endpoint: amphora.address, region: 'us-east-1', credentials: ROOT }).send(new CreateWorkspaceCommand({ alias: 'node' }));
    workspaceId = ws.workspaceId!;
    const iam = await createWriterUser(amphora.address, 'collector');
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'collector' }))).AccessKey!;
    const proxy = await startSigV4Proxy(amphora.address, { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! });
    proxyUrl = proxy.url;
    closeProxy = () => proxy.server.close();
    promUrl = await startNodePrometheus({ dir, remoteWriteUrl: `${proxyUrl}/workspaces/${workspaceId}/api/v1/remote_write`, procs });
    await new Promise((r) => setTimeout(r, 1100));
  });
  afterAll(async () => {
    for (const p of procs) p.kill('SIGKILL');
    closeProxy();
    await amphora.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function instant(base: string, query: string, time: number): Promise<VectorSample[]> {
    const r = await fetch(`${base}/api/v1/query?${new URLSearchParams({ query, time: (time / 1000).toFixed(3) })}`);
    const body = (await r.json()) as { status: string; data: { resultType: string; result: VectorSample[] }; error?: string };
    expect(body.status, body.error).toBe('success');
    return body.data.result.sort((a, b) => (JSON.stringify(a.metric) < JSON.stringify(b.metric) ? -1 : 1));
  }

  it('answers up, rate(node_cpu_seconds_total[1m]) and sum by (mode) like Prometheus does', async () => {
    const amphoraApi = `${proxyUrl}/workspaces/${workspaceId}`;
    // Wait until several scrapes have been remote-written, then compare at a time both have complete data for.
    let t = 0;
    for (let i = 0; i < 60; i++) {
      await new Promise((r) => setTimeout(r, 500));
      const probe = Date.now() - 3000;
      const got = await instant(amphoraApi, 'count_over_time(up[1m])', probe).catch(() => []);
      if (got.length === 1 && Number(got[0]!.value[1]) >= 5) {
        t = probe;
        break;
      }
    }
    expect(t).toBeGreaterThan(0);
    for (const q of ['up', 'rate(node_cpu_seconds_total[1m])', 'sum by (mode) (rate(node_cpu_seconds_total[1m]))']) {
      const [mine, theirs] = await Promise.all([instant(amphoraApi, q, t), instant(`${promUrl}`, q, t)]);
      expect(mine.length, q).toBeGreaterThan(0);
      expect(mine.map((s) => s.metric), q).toEqual(theirs.map((s) => s.metric));
      mine.forEach((s, i) => {
        const a = Number(s.value[1]);
        const b = Number(theirs[i]!.value[1]);
        expect(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${q} ${JSON.stringify(s.metric)}: ${a} vs ${b}`).toBe(true);
        expect(s.value[0]).toBe(theirs[i]!.value[0]);
      });
    }
  });

  it('serves promtool query instant, range, series and labels', async () => {
    const base = `${proxyUrl}/workspaces/${workspaceId}`;
    // Asynchronous: the signing proxy runs in this process and must keep serving while promtool waits.
    const run = (args: string[]) =>
      new Promise<{ status: number; stdout: string; stderr: string }>((resolve) =>
        execFile('promtool', ['query', ...args], { timeout: 30_000 }, (err, stdout, stderr) => resolve({ status: err ? 1 : 0, stdout, stderr })),
      );
    const inst = await run(['instant', base, 'up']);
    expect(inst.status, inst.stderr).toBe(0);
    expect(inst.stdout).toMatch(/up\{instance="127\.0\.0\.1:\d+", job="node"\} => 1 @\[/);
    const end = Math.floor(Date.now() / 1000);
    const range = await run(['range', `--start=${end - 30}`, `--end=${end}`, '--step=5s', base, 'up']);
    expect(range.status, range.stderr).toBe(0);
    expect(range.stdout).toContain('1 @[');
    const series = await run(['series', '--match=up', base]);
    expect(series.status, series.stderr).toBe(0);
    expect(series.stdout).toMatch(/\{__name__="up", instance="127\.0\.0\.1:\d+", job="node"\}/);
    const labels = await run(['labels', base, 'job']);
    expect(labels.status, labels.stderr).toBe(0);
    expect(labels.stdout.trim()).toBe('node');
  });
});
