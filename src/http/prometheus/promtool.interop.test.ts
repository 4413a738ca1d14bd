// Interop: the same data served by a stock Prometheus (blocks made by promtool from OpenMetrics)
// and by Amphora's query API must give byte-identical JSON, and promtool's query commands must
// work against a workspace URL.
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCommand, startPrometheus, stopProcess } from '../../../bench/tools.js';
import { defaultWorkspaceLimits, type WorkspaceLookup } from '../../controlplane/limits.js';
import { labelsFromRecord } from '../../model/labels.js';
import { nopLogger } from '../../model/logger.js';
import { loadConfig } from '../../app/config.js';
import { startQueryService, type RunningQueryService } from '../../query/service.js';
import { WorkspaceStorage } from '../../tsdb/workspaces.js';
import { buildServer } from '../server.js';
import { prometheusApiRoutes } from './routes.js';

const HAVE = hasCommand('prometheus') && hasCommand('promtool');
if (!HAVE) console.warn('skipping query API interop test: prometheus and promtool must be on PATH');

const WS = 'ws-interop';
const HOUR = 3_600_000;
// Recent, 2h-aligned data that Prometheus's retention keeps and promtool puts in one block.
const T0 = Math.floor((Date.now() - 6 * HOUR) / (2 * HOUR)) * (2 * HOUR);
const N = 80;
const STEP = 15_100; // fractional-second timestamps on purpose

interface Row {
  labels: Record<string, string>;
  value: (i: number) => number;
}

const ROWS: Row[] = [
  { labels: { __name__: 'http_requests_total', job: 'api', code: '200' }, value: (i) => i * 10 },
  { labels: { __name__: 'http_requests_total', job: 'api', code: '500' }, value: (i) => i * 0.1 },
  { labels: { __name__: 'up', job: 'api', instance: 'a:1' }, value: () => 1 },
  { labels: { __name__: 'up', job: 'node', instance: 'b:2' }, value: (i) => (i % 7 === 0 ? 0 : 1) },
  { labels: { __name__: 'weird', v: '<&>' }, value: (i) => [1e21, 1.5e-7, NaN, Infinity, -Infinity, -0.5, 123456789.125, 1e-6][i % 8]! },
];

const execFileAsync = promisify(execFile);

async function run(cmd: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  const r = await execFileAsync(cmd, args, { encoding: 'utf8', timeout: 30_000 });
  return { stdout: r.stdout, stderr: r.stderr };
}

function omValue(v: number): string {
  return Number.isNaN(v) ? 'NaN' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : String(v);
}

function openMetrics(): string {
  let out = '';
  for (const r of ROWS) {
    const { __name__: name, ...rest } = r.labels;
    const ls = Object.entries(rest).map(([k, v]) => `${k}="${v}"`).join(',');
    for (let i = 0; i < N; i++) out += `${name}{${ls}} ${omValue(r.value(i))} ${(T0 + i * STEP) / 1000}\n`;
  }
  return `${out}# EOF\n`;
}

describe.skipIf(!HAVE)('query API against a real Prometheus', () => {
  let dir: string;
  let prom: { proc: ChildProcess; url: string };
  let storage: WorkspaceStorage;
  let app: FastifyInstance;
  let service: RunningQueryService | undefined;
  let ours: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'amphora-qapi-interop-'));
    const promData = join(dir, 'prom');
    mkdirSync(promData);
    writeFileSync(join(dir, 'data.om'), openMetrics());
    const r = spawnSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'data.om'), promData], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`promtool create-blocks-from failed: ${r.stderr}`);
    writeFileSync(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 1h\nscrape_configs: []\n');
    prom = await startPrometheus(promData, join(dir, 'prometheus.yml'));

    storage = new WorkspaceStorage({ dataDir: join(dir, 'amphora'), settings: () => ({ retention: 1e15, outOfOrderWindow: 0 }), tsdb: { compactionInterval: 0, sync: false } });
    const db = await storage.get(WS);
    const a = db.appender();
    for (const row of ROWS) {
      const l = labelsFromRecord(row.labels);
      let ref = 0;
      for (let i = 0; i < N; i++) ref = a.append(ref, l, T0 + i * STEP, row.value(i));
    }
    await a.commit();
    const lookup: WorkspaceLookup = {
      get: (id) => (id === WS ? { workspaceId: id, arn: `arn:aws:aps:us-east-1:000000000000:workspace/${id}`, status: 'ACTIVE', tags: {} } : null),
      limits: () => defaultWorkspaceLimits(),
    };
    app = await buildServer({ storage, logger: nopLogger, anyPublic: true, plugins: [prometheusApiRoutes({ storage, workspaces: lookup, queries: (service = startQueryService({ config: { ...loadConfig({}).query, workers: 2 }, workspaces: lookup, storage })).frontend, auth: () => 'public', logger: nopLogger })] });
    await app.listen({ host: '127.0.0.1', port: 0 });
    ours = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/workspaces/${WS}`;
  }, 120_000);

  afterAll(async () => {
    if (prom) await stopProcess(prom.proc);
    await app?.close();
    await service?.close();
    await storage?.closeAll();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const s = (ms: number): string => String(ms / 1000);
  const mid = T0 + 40 * STEP;
  const cases: [string, () => string][] = [
    ['instant vector', () => `query?query=up&time=${s(mid)}`],
    ['instant vector with fractional time', () => `query?query=sum by (code) (http_requests_total)&time=${s(mid + 100)}`],
    ['odd float values', () => `query?query=weird&time=${s(T0 + 3 * STEP)}`],
    ['rate', () => `query?query=rate(http_requests_total[2m])&time=${s(mid)}`],
    ['range vector', () => `query?query=weird[2m]&time=${s(mid)}`],
    ['scalar', () => `query?query=1e21&time=${s(mid + 1)}`],
    ['scalar time()', () => `query?query=time()&time=${s(mid + 123)}`],
    ['range query', () => `query_range?query=http_requests_total&start=${s(T0)}&end=${s(T0 + 10 * STEP)}&step=15`],
    ['range query of odd values', () => `query_range?query=weird&start=${s(T0)}&end=${s(T0 + 10 * STEP)}&step=7.5`],
    ['range query of rate', () => `query_range?query=sum(rate(http_requests_total[1m]))&start=${s(T0)}&end=${s(T0 + 30 * STEP)}&step=60`],
    ['series', () => `series?match[]=up&match[]=weird`],
    ['labels', () => `labels`],
    ['label values', () => `label/job/values`],
    ['label values with match', () => `label/__name__/values?match[]={job="api"}`],
    ['range query error', () => `query_range?query=up&start=10&end=1&step=1`],
    ['too many points', () => `query_range?query=up&start=0&end=100000&step=1`],
    ['series without match', () => `series`],
  ];

  it.each(cases)('%s: identical JSON', async (_name, path) => {
    const p = path().replaceAll(' ', '%20');
    const [a, b] = await Promise.all([fetch(`${prom.url}/api/v1/${p}`), fetch(`${ours}/api/v1/${p}`)]);
    const [ta, tb] = await Promise.all([a.text(), b.text()]);
    expect(tb).toBe(ta);
    expect(b.status).toBe(a.status);
  });

  it.each([
    ['instant', (base: string) => ['query', 'instant', `--time=${s(mid)}`, base, 'up']],
    ['range', (base: string) => ['query', 'range', `--start=${s(T0)}`, `--end=${s(T0 + 10 * STEP)}`, '--step=15s', base, 'http_requests_total']],
    ['series', (base: string) => ['query', 'series', '--match=up', base]],
    ['labels', (base: string) => ['query', 'labels', base, 'job']],
  ] as [string, (base: string) => string[]][])('promtool query %s prints the same as against Prometheus', async (_name, args) => {
    // Asynchronous: the Amphora server runs in this process and must keep answering.
    const theirs = await run('promtool', args(prom.url));
    const mine = await run('promtool', args(ours));
    expect(mine.stderr).toBe('');
    expect(mine.stdout).toBe(theirs.stdout);
    expect(mine.stdout.length).toBeGreaterThan(0);
  });
});
