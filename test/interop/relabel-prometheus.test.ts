// Target relabelling against a stock Prometheus 2.42: the same static targets and relabel_configs (every
// action) go to Prometheus and to Amphora's populateLabels; the active targets' discovered and final
// labels, and the dropped targets' discovered labels, must be identical.
// One known 2.42 defect is not reproduced: its relabel.Process ends with `lb.Labels(lset)`, which reuses the
// caller's slice as the output buffer, so an active target's discoveredLabels show relabelled labels when the
// rules add labels (fixed by the labels rework of 2.43). For the job whose rules add labels (`transform`),
// the test compares the final labels only; everywhere else discovered labels are compared too.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../bench/tools.js';
import { parsePrometheusConfig } from '../../src/scrape/config.js';
import { jobDefaults } from '../../src/scrape/scrape-job.js';
import { populateLabels, publicLabels } from '../../src/scrape/target-labels.js';

const HAVE_PROM = spawnSync('sh', ['-c', 'command -v prometheus']).status === 0;
if (!HAVE_PROM) console.warn('prometheus not on PATH: the relabelling differential test is skipped (apt-get install -y prometheus)');

const CONFIG = `global:
  scrape_interval: 1m
  scrape_timeout: 5s
scrape_configs:
  - job_name: transform
    static_configs:
      - targets: ['127.0.0.1:9', '127.0.0.2:10', 'host-without-port.invalid']
        labels: { env: Prod, team: a-team, __meta_x_zone: eu, __meta_x_rack: r1 }
    relabel_configs:
      - { source_labels: [env], target_label: env_lower, action: lowercase }
      - { source_labels: [team], target_label: TEAM, action: uppercase }
      - { source_labels: [__address__], regex: '(.*):(\\d+)', target_label: port, replacement: '\${2}' }
      - { source_labels: [__address__], modulus: 4, target_label: shard, action: hashmod }
      - { action: labelmap, regex: '__meta_x_(.+)', replacement: 'meta_$1' }
      - { source_labels: [env, team], separator: /, target_label: combo }
      - { source_labels: [env], regex: '(P)(.*)', target_label: 'from_$1', replacement: '$2' }
      - { source_labels: [env], target_label: gone, replacement: '$1x' }
      - { action: labeldrop, regex: 'team' }
  - job_name: filter
    metrics_path: /custom
    params: { module: [icmp, ignored] }
    static_configs:
      - targets: ['127.0.0.1:11', '127.0.0.1:12', '127.0.0.1:13']
        labels: { a: x, b: x }
      - targets: ['127.0.0.1:14']
        labels: { a: x, b: y }
    relabel_configs:
      - { source_labels: [__address__], regex: '127\\.0\\.0\\.1:1[124]', action: keep }
      - { source_labels: [a], target_label: b, action: keepequal }
      - { source_labels: [__address__], regex: '.*:12', action: drop }
  - job_name: keeponly
    scheme: https
    scrape_interval: 30s
    static_configs:
      - targets: ['127.0.0.3', '[::1]:9100']
        labels: { keepme: yes, other: no, instance: custom }
    relabel_configs:
      - { action: labelkeep, regex: '__.*|job|keepme|instance' }
      - { source_labels: [keepme], target_label: job, action: dropequal }
`;

describe.skipIf(!HAVE_PROM)('target relabelling matches Prometheus 2.42', () => {
  const dir = mkdtempSync(join(tmpdir(), 'amphora-relabel-'));
  let proc: ChildProcess | undefined;
  let url = '';

  beforeAll(async () => {
    writeFileSync(join(dir, 'prometheus.yml'), CONFIG);
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    proc = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      const ok = await fetch(`${url}/-/ready`).then((r) => r.ok, () => false);
      if (ok) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('prometheus did not become ready');
  }, 30_000);
  afterAll(() => {
    proc?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives the same active and dropped targets', async () => {
    const cfg = parsePrometheusConfig(CONFIG);
    const want = { active: [] as string[], dropped: [] as string[] };
    for (const sc of cfg.scrape_configs ?? []) {
      const job = jobDefaults(cfg, sc);
      for (const g of sc.static_configs ?? []) {
        for (const t of g.targets) {
          const r = populateLabels({ ...(g.labels ?? {}), __address__: t }, job);
          if (r.kind === 'active') want.active.push(JSON.stringify([sc.job_name === 'transform' ? {} : sortKeys(r.discovered), sortKeys(publicLabels(r.labels))]));
          else if (r.kind === 'dropped') want.dropped.push(JSON.stringify(sortKeys(r.discovered)));
        }
      }
    }
    let got = { active: [] as string[], dropped: [] as string[] };
    for (let i = 0; i < 50; i++) {
      const body = (await (await fetch(`${url}/api/v1/targets?state=any`)).json()) as { data: { activeTargets: { discoveredLabels: Record<string, string>; labels: Record<string, string> }[]; droppedTargets: { discoveredLabels: Record<string, string> }[] } };
      got = {
        active: body.data.activeTargets.map((t) => JSON.stringify([t.labels['job'] === 'transform' ? {} : sortKeys(t.discoveredLabels), sortKeys(t.labels)])),
        dropped: body.data.droppedTargets.map((t) => JSON.stringify(sortKeys(t.discoveredLabels))),
      };
      if (got.active.length + got.dropped.length >= want.active.length + want.dropped.length) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(want.active.length).toBeGreaterThan(3);
    expect(want.dropped.length).toBeGreaterThan(2);
    expect(got.active.sort()).toEqual(want.active.sort());
    expect(got.dropped.sort()).toEqual(want.dropped.sort());
  }, 30_000);
});

function sortKeys(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
