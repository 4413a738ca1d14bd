// Interop: a stock Prometheus scrapes itself and remote-writes (1.0) into a workspace served by
// buildServer + remoteWriteRoutes; the series, samples and metadata it sends must arrive.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrometheus, stopProcess } from '../../bench/tools.js';
import { buildServer } from '../http/server.js';
import { labelsToString } from '../model/labels.js';
import { nopLogger } from '../model/logger.js';
import { newMatcher } from '../model/matcher.js';
import { remoteWriteRoutes } from './routes.js';
import { newTestEnv, type TestEnv } from './test-env.js';

const HAVE_PROMETHEUS = spawnSync('sh', ['-c', 'command -v prometheus']).status === 0;
if (!HAVE_PROMETHEUS) console.warn('skipping remote-write interop test: prometheus is not on PATH');

const WS = 'ws-interop';

describe.skipIf(!HAVE_PROMETHEUS)('Prometheus 2.42 remote_write into Amphora', () => {
  let env: TestEnv;
  let app: FastifyInstance;
  let prom: { proc: ChildProcess; url: string; log: () => string } | null = null;
  let dir: string;

  beforeAll(async () => {
    env = newTestEnv([WS], { sync: true });
    const plugin = remoteWriteRoutes({ storage: env.storage, workspaces: env.workspaces, metadata: env.metadata, exemplars: env.exemplars, registry: env.registry, logger: nopLogger, auth: () => 'public' });
    app = await buildServer({ storage: env.storage, logger: nopLogger, anyPublic: true, plugins: [plugin] });
    const addr = await app.listen({ host: '127.0.0.1', port: 0 });
    dir = mkdtempSync(join(tmpdir(), 'amphora-rw-prom-'));
    const cfg = join(dir, 'prometheus.yml');
    writeFileSync(
      cfg,
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        'scrape_configs:',
        "  - job_name: prom",
        '    static_configs: [{ targets: ["__SELF__"] }]',
        'remote_write:',
        `  - url: ${addr}/workspaces/${WS}/api/v1/remote_write`,
        '    queue_config: { batch_send_deadline: 1s, max_samples_per_send: 500 }',
        '    metadata_config: { send: true, send_interval: 1s }',
      ].join('\n'),
    );
    // Prometheus picks its port itself (startPrometheus); scrape it through its own listen address.
    prom = await startPrometheus(join(dir, 'data'), cfg, ['--web.enable-lifecycle']);
    const port = new URL(prom.url).port;
    writeFileSync(cfg, (await import('node:fs')).readFileSync(cfg, 'utf8').replace('__SELF__', `127.0.0.1:${port}`));
    const reload = await fetch(`${prom.url}/-/reload`, { method: 'POST' });
    if (!reload.ok) throw new Error(`prometheus reload failed: ${reload.status}`);
  }, 60_000);

  afterAll(async () => {
    if (prom) await stopProcess(prom.proc);
    await app?.close();
    await env?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('receives the scraped series, samples and metadata', async () => {
    let names: string[] = [];
    const deadline = Date.now() + 45_000;
    for (;;) {
      const db = await env.storage.get(WS);
      const q = db.querier(-Infinity, Infinity);
      const ss = q.select(false, undefined, [newMatcher('=', 'job', 'prom')]);
      names = [];
      while (ss.next()) names.push(labelsToString(ss.at().labels));
      q.close();
      if (names.some((n) => n.startsWith('up{')) && names.length > 100 && Object.keys(env.metadata.query(WS)).length > 20) break;
      if (Date.now() > deadline) throw new Error(`timed out: ${names.length} series; prometheus log: ${prom!.log().slice(-1500)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(names).toContain('up{instance="' + new URL(prom!.url).host + '", job="prom"}');
    const md = env.metadata.query(WS, 'prometheus_http_requests_total');
    expect(md.prometheus_http_requests_total?.[0]?.type).toBe('counter');
    // Compare with what Prometheus itself holds for the same job (every series it wrote must be here).
    const r = await fetch(`${prom!.url}/api/v1/series?match[]=${encodeURIComponent('{job="prom"}')}&start=${(Date.now() - 600_000) / 1000}`);
    const theirs = ((await r.json()) as { data: Record<string, string>[] }).data.length;
    expect(names.length).toBeGreaterThan(theirs * 0.9);
    const metrics = await env.registry.metrics();
    expect(metrics).toMatch(new RegExp(`remote_write_requests_total\\{workspace="${WS}",version="1.0",code="204"\\} [1-9]`));
  }, 60_000);
});
