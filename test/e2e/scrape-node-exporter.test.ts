// Scraping matches Prometheus: Amphora's scrape loop and a stock Prometheus 2.42 scrape the same real
// node_exporter (loopback) with the same scrape_config; both answer the same PromQL about which series exist,
// `up`, the report series, and staleness once the exporter goes away.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AmpClient, CreateWorkspaceCommand } from '@aws-sdk/client-amp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../bench/tools.js';
import { parsePrometheusConfig } from '../../src/scrape/config.js';
import { compileRelabel } from '../../src/scrape/relabel.js';
import { ScrapeLoop } from '../../src/scrape/scrape-loop.js';
import { jobDefaults } from '../../src/scrape/scrape-job.js';
import { populateLabels } from '../../src/scrape/target-labels.js';
import { ROOT, signedFetch, startTestAmphora } from './helpers.js';

const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const PEERS = has('prometheus') && has('prometheus-node-exporter');
if (!PEERS) console.warn('skipping the scrape differential: needs prometheus and prometheus-node-exporter (apt-get install -y prometheus prometheus-node-exporter)');

interface VectorSample {
  metric: Record<string, string>;
  value: [number, string];
}

async function waitReady(url: string): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not become ready`);
}

describe.skipIf(!PEERS)('scraping node_exporter: Amphora\'s scrape loop answers like Prometheus', () => {
  let amphora: Awaited<ReturnType<typeof startTestAmphora>>;
  const procs: ChildProcess[] = [];
  let exporter: ChildProcess | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'amphora-scrape-'));
  let promUrl = '';
  let workspaceId = '';
  let loop: ScrapeLoop | undefined;

  beforeAll(async () => {
    const nePort = await freePort();
    exporter = spawn('prometheus-node-exporter', [`--web.listen-address=127.0.0.1:${nePort}`], { stdio: 'ignore' });
    procs.push(exporter);
    await waitReady(`http://127.0.0.1:${nePort}/metrics`);
    const yaml = `global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: node\n    static_configs:\n      - targets: ['127.0.0.1:${nePort}']\n    metric_relabel_configs:\n      - { source_labels: [__name__], regex: 'go_.*', action: drop }\n`;
    writeFileSync(join(dir, 'prometheus.yml'), yaml);
    const promPort = await freePort();
    promUrl = `http://127.0.0.1:${promPort}`;
    procs.push(spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`], { stdio: 'ignore' }));
    amphora = await startTestAmphora();
    workspaceId = (await new AmpClient({ endpoint: amphora.address, region: 'us-east-1', credentials: ROOT }).send(new CreateWorkspaceCommand({ alias: 'scrape' }))).workspaceId!;
    const cfg = parsePrometheusConfig(yaml);
    const sc = cfg.scrape_configs![0]!;
    const populated = populateLabels({ __address__: `127.0.0.1:${nePort}` }, jobDefaults(cfg, sc));
    if (populated.kind !== 'active') throw new Error('target not active');
    const tsdb = await amphora.storage.get(workspaceId);
    loop = new ScrapeLoop(
      { labels: populated.labels, intervalMs: 1000, timeoutMs: 1000, honorLabels: false, honorTimestamps: true, metricRelabel: (sc.metric_relabel_configs ?? []).map(compileRelabel), sampleLimit: 0, labelLimit: 0, bodySizeLimit: 0 },
      { appendable: tsdb },
    );
    loop.start();
    await waitReady(`${promUrl}/-/ready`);
  }, 60_000);
  afterAll(async () => {
    await loop?.stop().catch(() => undefined);
    for (const p of procs) p.kill('SIGKILL');
    await amphora?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function instant(which: 'prometheus' | 'amphora', query: string, time: number): Promise<VectorSample[]> {
    const qs = new URLSearchParams({ query, time: (time / 1000).toFixed(3) });
    const r = which === 'prometheus' ? await fetch(`${promUrl}/api/v1/query?${qs}`) : await signedFetch(amphora.address, 'GET', `/workspaces/${workspaceId}/api/v1/query?${qs}`);
    const body = (await r.json()) as { status: string; data: { result: VectorSample[] }; error?: string };
    expect(body.status, body.error).toBe('success');
    return body.data.result.sort((a, b) => (JSON.stringify(a.metric) < JSON.stringify(b.metric) ? -1 : 1));
  }
  const metrics = (v: VectorSample[]): Record<string, string>[] => v.map((s) => s.metric);
  const values = (v: VectorSample[]): Record<string, string> => Object.fromEntries(v.map((s) => [JSON.stringify(s.metric), s.value[1]]));

  it('has the same series, up and report series, and both go stale when the exporter stops', async () => {
    // Prometheus applies discovered targets after its 5 s update delay: wait for its first scrapes.
    for (let i = 0; i < 100 && (await instant('prometheus', 'up', Date.now())).length === 0; i++) await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, 3500));
    const t = Date.now() - 1500;
    // Which series exist: every metric name with its series count, labels included.
    const q1 = 'count by (__name__) ({job="node", __name__!~"scrape_.*|up"})';
    const [p1, a1] = await Promise.all([instant('prometheus', q1, t), instant('amphora', q1, t)]);
    expect(p1.length).toBeGreaterThan(50);
    expect(values(a1)).toEqual(values(p1));
    const q2 = 'node_cpu_seconds_total';
    expect(metrics(await instant('amphora', q2, t))).toEqual(metrics(await instant('prometheus', q2, t)));
    for (const q of ['up', 'scrape_samples_scraped', 'scrape_samples_post_metric_relabeling']) {
      const [p, a] = await Promise.all([instant('prometheus', q, t), instant('amphora', q, t)]);
      expect(metrics(a), q).toEqual(metrics(p));
      if (q === 'up') expect(values(a)).toEqual(values(p));
      else expect(Math.abs(Number(a[0]!.value[1]) - Number(p[0]!.value[1])), q).toBeLessThanOrEqual(5);
    }
    expect(loop!.health()).toMatchObject({ health: 'up', lastError: '' });

    exporter!.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 3500));
    const t2 = Date.now() - 500;
    const [pu, au] = await Promise.all([instant('prometheus', 'up', t2), instant('amphora', 'up', t2)]);
    expect(values(au)).toEqual(values(pu));
    expect(Object.values(values(au))).toEqual(['0']);
    const qStale = 'count({job="node", __name__=~"node_.*"})';
    const [ps, as] = await Promise.all([instant('prometheus', qStale, t2), instant('amphora', qStale, t2)]);
    expect(ps).toEqual([]);
    expect(as).toEqual([]);
    expect(loop!.health().health).toBe('down');
  }, 60_000);
});
