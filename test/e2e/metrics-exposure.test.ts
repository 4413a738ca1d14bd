import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AmpClient, CreateWorkspaceCommand, DeleteWorkspaceCommand } from '@aws-sdk/client-amp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAmphora, type RunningAmphora } from '../../src/app/amphora.js';
import { isLoopbackListen, loadConfig, type Config } from '../../src/app/config.js';
import { encodeWriteRequestV1 } from '../../src/remote/pb-writer.js';
import { snappy } from '../../src/remote/test-env.js';
import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { send } from '../../src/auth/authn/fixture.test-util.js';
import { ROOT, signedFetch } from './helpers.js';

async function start(flags: Partial<Config> = {}): Promise<RunningAmphora & { stop: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'amphora-metrics-'));
  const running = await startAmphora(loadConfig({ flags: { dataDir, listen: '127.0.0.1:0', logLevel: 'silent', rootAccessKeyId: ROOT.accessKeyId, rootSecretAccessKey: ROOT.secretAccessKey, ...flags } }));
  return { ...running, stop: async () => { await running.close(); rmSync(dataDir, { recursive: true, force: true }); } };
}

const RW = { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy', 'x-prometheus-remote-write-version': '0.1.0' };

describe('/metrics exposure (the real server)', () => {
  let amphora: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    amphora = await start();
  });
  afterAll(async () => amphora.stop());

  const scrape = async (): Promise<string> => (await fetch(`${amphora.address}/metrics`)).text();
  const seriesLines = (text: string): string[] => text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));

  it('keeps cardinality flat under 5,000 signed writes to made-up workspace ids', async () => {
    const body = snappy(encodeWriteRequestV1([{ labels: [['__name__', 'up']], samples: [{ value: 1, timestamp: Date.now() }] }]));
    // One round first, so every metric the path touches exists before the baseline.
    expect((await signedFetch(amphora.address, 'POST', '/workspaces/ws-made-up-warm/api/v1/remote_write', body, RW)).status).toBe(404);
    const before = seriesLines(await scrape());
    for (let i = 0; i < 5000; i += 50) {
      const res = await Promise.all(Array.from({ length: 50 }, (_, j) => signedFetch(amphora.address, 'POST', `/workspaces/ws-made-up-${i + j}/api/v1/remote_write`, body, RW)));
      expect(res.every((r) => r.status === 404)).toBe(true);
    }
    const after = seriesLines(await scrape());
    // Today's main adds a remote_write_requests_total series per made-up id (+5,015 series). Node's own
    // series may grow a little under load (a new GC kind's histogram), the per-workspace ones not at all.
    const labelled = (lines: string[]): number => lines.filter((l) => l.includes('workspace=')).length;
    expect(labelled(after)).toBe(labelled(before));
    expect(after.length - before.length).toBeLessThan(100);
    expect(after.join('\n')).not.toMatch(/ws-made-up-/);
    expect(after.join('\n')).toMatch(/remote_write_requests_total\{workspace="unknown",version="unknown",code="404"\} 5001/);
  }, 120_000);

  it('drops a workspace’s series when the workspace is deleted', async () => {
    const amp = new AmpClient({ endpoint: amphora.address, region: 'us-east-1', credentials: ROOT });
    const id = (await amp.send(new CreateWorkspaceCommand({ alias: 'metrics-gone' }))).workspaceId!;
    const body = snappy(encodeWriteRequestV1([{ labels: [['__name__', 'up']], samples: [{ value: 1, timestamp: Date.now() }] }]));
    expect((await signedFetch(amphora.address, 'POST', `/workspaces/${id}/api/v1/remote_write`, body, RW)).status).toBe(204);
    expect(await scrape()).toContain(`workspace="${id}"`);
    await amp.send(new DeleteWorkspaceCommand({ workspaceId: id }));
    await new Promise((r) => setTimeout(r, 1200)); // the deletion runs after deletionDelayMs (1 s)
    await amphora.controlPlane.whenIdle();
    expect(await scrape()).not.toContain(id);
  }, 30_000);
});

describe('/metrics behind SigV4 (metrics.requireAuth)', () => {
  it('is on by default only beyond loopback', () => {
    for (const [listen, loopback] of [['127.0.0.1:8080', true], ['127.1.2.3:1', true], ['localhost:80', true], ['0.0.0.0:8080', false], ['10.0.0.5:8080', false]] as const) {
      expect(isLoopbackListen(listen), listen).toBe(loopback);
    }
  });

  it('answers unsigned scrapes with the authentication error and signed ones allowed aps:AdminGetMetrics', async () => {
    const amphora = await start({ metrics: { requireAuth: true } } as Partial<Config>);
    try {
      const unsigned = await fetch(`${amphora.address}/metrics`);
      expect(unsigned.status).toBe(403);
      expect(await unsigned.text()).not.toContain('amphora_');
      const signed = await signedFetch(amphora.address, 'GET', '/metrics');
      expect(signed.status).toBe(200);
      expect(await signed.text()).toContain('amphora_http_request_duration_seconds');
      expect((await fetch(`${amphora.address}/-/healthy`)).status).toBe(200);
      const iam = new IAMClient({ endpoint: amphora.address, region: 'us-east-1', credentials: ROOT });
      await iam.send(new CreateUserCommand({ UserName: 'writer' }));
      await iam.send(new AttachUserPolicyCommand({ UserName: 'writer', PolicyArn: 'arn:aws:iam::aws:policy/AmazonPrometheusRemoteWriteAccess' }));
      const k = (await iam.send(new CreateAccessKeyCommand({ UserName: 'writer' }))).AccessKey!;
      const denied = await send(amphora.address, 'GET', '/metrics', { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! });
      expect(denied.status).toBe(403);
      expect(await denied.text()).toMatch(/not authorized to perform: aps:AdminGetMetrics/);
    } finally {
      await amphora.stop();
    }
  });
});
