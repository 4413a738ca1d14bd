// A managed scraper end to end on the real server: a registered cluster (a Kubernetes API stand-in whose pod
// points at a loopback metrics endpoint), CreateScraper with kubernetes_sd pod discovery, the scraper turns
// ACTIVE, its targets are scraped into the workspace, failures reach the scraper's COLLECTOR log.
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { AmpClient, CreateScraperCommand, CreateWorkspaceCommand, DeleteScraperCommand, UpdateScraperLoggingConfigurationCommand, waitUntilScraperActive } from '@aws-sdk/client-amp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/app/config.js';
import { ScraperLogSink } from '../../src/scrape/log-sink.js';
import { startFakeApiServer, type FakeApiServer } from '../../src/scrape/discovery/kubernetes/test-support.js';
import { ROOT, signedFetch, startTestAmphora } from './helpers.js';

describe('managed scraper runtime (real server, Kubernetes API stand-in)', () => {
  let amphora: Awaited<ReturnType<typeof startTestAmphora>>;
  let api: FakeApiServer;
  let metrics: Server;
  let port = 0;

  beforeAll(async () => {
    metrics = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end('# TYPE demo_metric gauge\ndemo_metric{kind="x"} 42\n'));
    await new Promise<void>((r) => metrics.listen(0, '127.0.0.1', r));
    port = (metrics.address() as { port: number }).port;
    api = await startFakeApiServer('sa-token', [
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'web-1', namespace: 'default', uid: 'u1', labels: { app: 'web' } },
        spec: { nodeName: 'n1', containers: [{ name: 'web', image: 'web:1', ports: [{ name: 'metrics', containerPort: port, protocol: 'TCP' }] }] },
        status: { podIP: '127.0.0.1', phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
      },
    ]);
    amphora = await startTestAmphora({
      clusters: { static: [{ name: 'lab', apiServer: api.url, token: 'sa-token' }], connections: {} },
      scrapers: { maxScrapers: 10, minScrapeInterval: '1s', relaxedValidation: false },
    } as Partial<Config>);
  }, 60_000);
  afterAll(async () => {
    await amphora?.stop();
    await api?.close();
    metrics?.close();
  });

  async function query(ws: string, q: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
    const r = await signedFetch(amphora.address, 'GET', `/workspaces/${ws}/api/v1/query?${new URLSearchParams({ query: q })}`);
    return ((await r.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } }).data.result;
  }
  async function until<T>(f: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const v = await f();
      if (ok(v) || Date.now() > end) return v;
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  it('discovers the pod, scrapes it into the workspace, and logs failed scrapes', async () => {
    const amp = new AmpClient({ endpoint: amphora.address, region: 'us-east-1', credentials: ROOT });
    const ws = await amp.send(new CreateWorkspaceCommand({ alias: 'runtime' }));
    const yaml = `global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: pods\n    kubernetes_sd_configs:\n      - role: pod\n        namespaces: { names: [default] }\n    relabel_configs:\n      - { action: labelmap, regex: '__meta_kubernetes_pod_label_(.+)' }\n      - { source_labels: [__meta_kubernetes_pod_name], target_label: pod }\n`;
    const s = await amp.send(
      new CreateScraperCommand({
        source: { eksConfiguration: { clusterArn: 'arn:aws:eks:us-east-1:000000000000:cluster/lab', subnetIds: ['subnet-1'] } },
        destination: { ampConfiguration: { workspaceArn: ws.arn } },
        scrapeConfiguration: { configurationBlob: new TextEncoder().encode(yaml) },
      }),
    );
    await waitUntilScraperActive({ client: amp, maxWaitTime: 30, minDelay: 1, maxDelay: 1 }, { scraperId: s.scraperId });
    await amp.send(new UpdateScraperLoggingConfigurationCommand({ scraperId: s.scraperId, loggingDestination: { cloudWatchLogs: { logGroupArn: 'arn:aws:logs:us-east-1:000000000000:log-group:/scrapers:*' } }, scraperComponents: [{ type: 'COLLECTOR' }] }));

    const got = await until(() => query(ws.workspaceId!, 'demo_metric'), (r) => r.length === 1);
    expect(got[0]?.metric).toEqual({ __name__: 'demo_metric', kind: 'x', app: 'web', pod: 'web-1', job: 'pods', instance: `127.0.0.1:${port}` });
    expect(got[0]?.value[1]).toBe('42');
    const up = await query(ws.workspaceId!, 'up');
    expect(up.map((u) => u.value[1])).toEqual(['1']);
    const targets = (await (await signedFetch(amphora.address, 'GET', `/workspaces/${ws.workspaceId}/api/v1/targets`)).json()) as { data: { activeTargets: Record<string, unknown>[] } };
    expect(targets.data.activeTargets).toHaveLength(1);
    expect(targets.data.activeTargets[0]).toMatchObject({ scrapePool: 'pods', scrapeUrl: `http://127.0.0.1:${port}/metrics`, health: 'up', lastError: '', scrapeInterval: '1s', labels: { app: 'web', pod: 'web-1', job: 'pods', instance: `127.0.0.1:${port}` } });
    expect((targets.data.activeTargets[0]!['discoveredLabels'] as Record<string, string>)['__meta_kubernetes_pod_name']).toBe('web-1');

    metrics.close();
    metrics.closeAllConnections();
    const down = await until(() => query(ws.workspaceId!, 'up'), (r) => r[0]?.value[1] === '0');
    expect(down[0]?.value[1]).toBe('0');
    const logFile = new ScraperLogSink({ dataDir: amphora.dataDir, loggingOf: () => null }).fileOf(s.scraperId!, 'COLLECTOR');
    await until(async () => existsSync(logFile), (v) => v);
    const entry = JSON.parse(readFileSync(logFile, 'utf8').split('\n')[0]!) as { component: string; message: string };
    expect(entry.component).toBe('COLLECTOR');
    expect(entry.message).toMatch(new RegExp(`scrape of 127\\.0\\.0\\.1:${port} failed`));

    await amp.send(new DeleteScraperCommand({ scraperId: s.scraperId }));
    const gone = await until(() => query(ws.workspaceId!, 'up'), (r) => r.length === 0);
    expect(gone).toEqual([]);
  }, 90_000);
});
