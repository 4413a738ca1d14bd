import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AmpClient, CreateWorkspaceCommand } from '@aws-sdk/client-amp';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startPrometheus, stopProcess } from '../../bench/tools.js';
import { startAmphora, type RunningAmphora } from '../../src/app/amphora.js';
import { loadConfig, type Config } from '../../src/app/config.js';
import { ROOT } from './helpers.js';
import { startSigV4Proxy } from './sigv4-proxy.js';

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const PEERS = has('prometheus') && has('prometheus-node-exporter');
if (!PEERS) console.warn('skipping HA pair test: needs prometheus and prometheus-node-exporter (apt-get install -y prometheus prometheus-node-exporter)');

const FAILOVER_MS = 3000;
const SCRAPE_MS = 1000;

/**
 * Two Debian Prometheus replicas of one HA pair (external labels cluster/__replica__) scrape one
 * node_exporter and remote-write into one workspace (through the signing stand-in, Debian's
 * Prometheus cannot sign): one copy is stored; killing the elected replica fails over after the
 * failover timeout; the election survives an Amphora restart.
 */
describe.skipIf(!PEERS)('HA pair: two Prometheus replicas → one copy, failover, restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'amphora-ha-'));
  const dataDir = join(dir, 'amphora');
  let amphora: RunningAmphora;
  let listen = '';
  let workspaceId = '';
  let proxyUrl = '';
  let closeProxy = () => {};
  let exporter: ChildProcess | null = null;
  let nePort = 0;
  const replicas = new Map<string, { proc: ChildProcess; log: () => string }>();

  const start = () =>
    startAmphora(
      loadConfig({
        flags: {
          dataDir,
          listen,
          logLevel: 'silent',
          rootAccessKeyId: ROOT.accessKeyId,
          rootSecretAccessKey: ROOT.secretAccessKey,
          // Parsed by loadConfig: the omitted keys get their defaults.
          ha: { failoverTimeout: FAILOVER_MS, updateTimeout: 1000 } as Config['ha'],
        },
      }),
    );

  async function startReplica(name: string, nePort: number): Promise<void> {
    const cfg = join(dir, `${name}.yml`);
    writeFileSync(
      cfg,
      [
        `global: { scrape_interval: ${SCRAPE_MS / 1000}s, external_labels: { cluster: pair, __replica__: ${name} } }`,
        'scrape_configs:',
        '  - job_name: node',
        `    static_configs: [{ targets: ['127.0.0.1:${nePort}'] }]`,
        'remote_write:',
        `  - url: ${proxyUrl}/workspaces/${workspaceId}/api/v1/remote_write`,
        '    queue_config: { batch_send_deadline: 200ms, min_backoff: 100ms, max_backoff: 500ms }',
      ].join('\n'),
    );
    const p = await startPrometheus(join(dir, `${name}-data`), cfg);
    replicas.set(name, p);
  }

  const elected = (): string | null => {
    const db = new Database(join(dataDir, 'meta.db'), { readonly: true });
    try {
      const row = db.prepare('SELECT replica FROM ha_elections WHERE workspace_id = ? AND cluster = ?').get(workspaceId, 'pair') as { replica: string } | undefined;
      return row?.replica ?? null;
    } finally {
      db.close();
    }
  };

  async function query(q: string): Promise<{ metric: Record<string, string>; values?: [number, string][]; value?: [number, string] }[]> {
    const r = await fetch(`${proxyUrl}/workspaces/${workspaceId}/api/v1/query?${new URLSearchParams({ query: q })}`);
    const body = (await r.json()) as { status: string; data: { result: { metric: Record<string, string>; values?: [number, string][] }[] }; error?: string };
    expect(body.status, body.error).toBe('success');
    return body.data.result;
  }

  const selfMetrics = async () => (await fetch(`${amphora.address}/metrics`)).text();

  beforeAll(async () => {
    listen = `127.0.0.1:${await freePort()}`;
    amphora = await start();
    const ws = await new AmpClient({ endpoint: amphora.address, region: 'us-east-1', credentials: ROOT }).send(new CreateWorkspaceCommand({ alias: 'ha' }));
    workspaceId = ws.workspaceId!;
    const proxy = await startSigV4Proxy(amphora.address, ROOT);
    proxyUrl = proxy.url;
    closeProxy = () => proxy.server.close();
    nePort = await freePort();
    exporter = spawn('prometheus-node-exporter', [`--web.listen-address=127.0.0.1:${nePort}`], { stdio: 'ignore' });
    await Promise.all([startReplica('r1', nePort), startReplica('r2', nePort)]);
  }, 60_000);

  afterAll(async () => {
    for (const p of replicas.values()) await stopProcess(p.proc);
    exporter?.kill('SIGKILL');
    closeProxy();
    await amphora?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores one copy without __replica__, fails over within the timeout plus one scrape, and keeps the election across a restart', async () => {
    // 1. Both replicas write; one is elected, the other's samples are accepted and dropped.
    let first: string | null = null;
    for (let i = 0; i < 80 && (first === null || !/deduped_samples_total\{[^}]*\} [1-9]/.test(await selfMetrics())); i++) {
      await new Promise((r) => setTimeout(r, 250));
      first = elected();
    }
    expect(first).toMatch(/^r[12]$/);
    await new Promise((r) => setTimeout(r, 3 * SCRAPE_MS));
    const ups = await query('up{job="node"}');
    expect(ups.map((s) => s.metric)).toEqual([expect.objectContaining({ __name__: 'up', cluster: 'pair', job: 'node' })]);
    expect(ups[0]!.metric.__replica__).toBeUndefined();
    expect(await query('count by (__name__) ({__replica__!=""})')).toEqual([]);
    // One copy: one sample per scrape interval, not two.
    const window = await query('count_over_time(up{job="node"}[5s])');
    expect(Number(window[0]!.value![1])).toBeLessThanOrEqual(6);
    const m = await selfMetrics();
    expect(m).toMatch(new RegExp(`ha_tracker_elected_replica_changes_total\\{workspace="${workspaceId}",cluster="pair"\\} 1`));

    // 2. Kill the elected replica: the other is elected after the failover timeout.
    const killedAt = Date.now();
    replicas.get(first!)!.proc.kill('SIGKILL');
    const other = first === 'r1' ? 'r2' : 'r1';
    let failedOverAt = 0;
    for (let i = 0; i < 100; i++) {
      await new Promise((r) => setTimeout(r, 100));
      if (elected() === other) {
        failedOverAt = Date.now();
        break;
      }
    }
    expect(failedOverAt, 'no failover').toBeGreaterThan(0);
    expect(failedOverAt - killedAt).toBeLessThanOrEqual(FAILOVER_MS + SCRAPE_MS + 500);
    await new Promise((r) => setTimeout(r, 3 * SCRAPE_MS));
    const raw = await query('up{job="node"}[30s]');
    expect(raw).toHaveLength(1);
    const ts = raw[0]!.values!.map(([t]) => t * 1000);
    let gap = 0;
    for (let i = 1; i < ts.length; i++) gap = Math.max(gap, ts[i]! - ts[i - 1]!);
    console.log(`HA failover: elected ${first} killed; ${other} elected ${failedOverAt - killedAt} ms later; widest gap in up{job="node"}: ${gap} ms (failover timeout ${FAILOVER_MS} ms, scrape interval ${SCRAPE_MS} ms)`);
    // Failover waits for FAILOVER_MS of silence, then for the standby's next send: at most one scrape interval more.
    expect(gap).toBeGreaterThan(SCRAPE_MS);
    expect(gap).toBeLessThanOrEqual(FAILOVER_MS + SCRAPE_MS);
    expect(await selfMetrics()).toMatch(new RegExp(`ha_tracker_elected_replica_changes_total\\{workspace="${workspaceId}",cluster="pair"\\} 2`));

    // 3. Restart Amphora and bring the killed replica back: the stored election holds, the returning replica is deduplicated.
    await amphora.close();
    amphora = await start();
    await startReplica(first!, nePort);
    for (let i = 0; i < 60 && !/deduped_samples_total\{[^}]*\} [1-9]/.test(await selfMetrics()); i++) await new Promise((r) => setTimeout(r, 250));
    expect(elected()).toBe(other);
    const after = await selfMetrics();
    expect(after).toMatch(new RegExp(`deduped_samples_total\\{workspace="${workspaceId}",cluster="pair"\\} [1-9]`));
    // No new election happened after the restart: the change counter never appeared for the cluster.
    expect(after).not.toMatch(new RegExp(`ha_tracker_elected_replica_changes_total\\{workspace="${workspaceId}",cluster="pair"\\}`));
    expect((await query('up{job="node"}')).map((s) => s.metric.__replica__)).toEqual([undefined]);
  }, 120_000);
});
