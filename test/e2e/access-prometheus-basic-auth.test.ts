import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateServiceSpecificCredentialCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActiveWorkspace, hasCommand, run } from './access-peers.js';
import { startTestAmphora } from './helpers.js';
import { createWriterUser, startNodePrometheus } from './node-prometheus.js';

const PEERS = ['prometheus', 'prometheus-node-exporter', 'promtool', 'curl'].every(hasCommand);
if (!PEERS) console.warn('skipping Prometheus basic_auth interop: needs prometheus, prometheus-node-exporter, promtool and curl (apt-get install -y prometheus prometheus-node-exporter curl)');

interface VectorSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** Debian's Prometheus (no SigV4) remote-writes node_exporter metrics with basic_auth service credentials; promtool and curl -u read the same answers back. */
describe.skipIf(!PEERS)('Prometheus remote_write basic_auth → Amphora; promtool and curl read back', () => {
  let amphora: Awaited<ReturnType<typeof startTestAmphora>>;
  const procs: ChildProcess[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'amphora-basic-'));
  let promUrl = '';
  let base = '';
  let user = '';
  let password = '';

  beforeAll(async () => {
    amphora = await startTestAmphora();
    base = `${amphora.address}${await createActiveWorkspace(amphora.address, 'basic')}`;
    const iam = await createWriterUser(amphora.address, 'node-writer');
    const c = (await iam.send(new CreateServiceSpecificCredentialCommand({ UserName: 'node-writer', ServiceName: 'aps.amazonaws.com' }))).ServiceSpecificCredential!;
    user = c.ServiceUserName!;
    password = c.ServicePassword!;
    promUrl = await startNodePrometheus({ dir, remoteWriteUrl: `${base}/api/v1/remote_write`, remoteWriteAuth: `    basic_auth:\n      username: ${user}\n      password: ${password}\n`, procs });
  }, 60_000);
  afterAll(async () => {
    for (const p of procs) p.kill('SIGKILL');
    await amphora?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function curlInstant(url: string, query: string, time: number, auth: string[]): Promise<VectorSample[]> {
    const r = await run('curl', ['-sS', ...auth, '-G', '--data-urlencode', `query=${query}`, '--data-urlencode', `time=${(time / 1000).toFixed(3)}`, `${url}/api/v1/query`]);
    const body = JSON.parse(r.stdout) as { status: string; data: { result: VectorSample[] }; error?: string };
    expect(body.status, body.error ?? r.stderr).toBe('success');
    return body.data.result.sort((a, b) => (JSON.stringify(a.metric) < JSON.stringify(b.metric) ? -1 : 1));
  }

  it('curl -u answers up and rate(node_cpu_seconds_total[1m]) as Prometheus does', async () => {
    const auth = ['-u', `${user}:${password}`];
    let t = 0;
    for (let i = 0; i < 90 && t === 0; i++) {
      await new Promise((r) => setTimeout(r, 500));
      const probe = Date.now() - 3000;
      const got = await curlInstant(base, 'count_over_time(up[1m])', probe, auth).catch(() => []);
      if (got.length === 1 && Number(got[0]!.value[1]) >= 5) t = probe;
    }
    expect(t, 'node_exporter samples arrived through basic_auth remote write').toBeGreaterThan(0);
    for (const q of ['up', 'rate(node_cpu_seconds_total[1m])', 'sum by (mode) (rate(node_cpu_seconds_total[1m]))']) {
      const [mine, theirs] = await Promise.all([curlInstant(base, q, t, auth), curlInstant(promUrl, q, t, [])]);
      expect(mine.length, q).toBeGreaterThan(0);
      expect(mine.map((s) => s.metric), q).toEqual(theirs.map((s) => s.metric));
      mine.forEach((s, i) => {
        const a = Number(s.value[1]);
        const b = Number(theirs[i]!.value[1]);
        expect(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${q} ${JSON.stringify(s.metric)}: ${a} vs ${b}`).toBe(true);
      });
    }
  }, 120_000);

  it('promtool query instant, range and series answer with the same credentials', async () => {
    // promtool 2.42 has no --http.config.file: it takes the credentials in the URL's user info; newer ones take an http config file.
    const help = await run('promtool', ['query', 'instant', '--help']);
    const url = new URL(base);
    let server: string;
    const flags: string[] = [];
    if (help.stdout.includes('http.config.file') || help.stderr.includes('http.config.file')) {
      writeFileSync(join(dir, 'http.yml'), `basic_auth:\n  username: ${user}\n  password: ${password}\n`);
      flags.push(`--http.config.file=${join(dir, 'http.yml')}`);
      server = base;
    } else {
      url.username = user;
      url.password = password;
      server = url.toString().replace(/\/$/, '');
    }
    const promtool = (sub: string, ...args: string[]) => run('promtool', ['query', sub, ...flags, ...args], { timeout: 30_000 });
    const inst = await promtool('instant', server, 'up');
    expect(inst.status, inst.stderr).toBe(0);
    expect(inst.stdout).toMatch(/up\{instance="127\.0\.0\.1:\d+", job="node"\} => 1 @\[/);
    const end = Math.floor(Date.now() / 1000);
    const range = await promtool('range', `--start=${end - 20}`, `--end=${end}`, '--step=5s', server, 'up');
    expect(range.status, range.stderr).toBe(0);
    expect(range.stdout).toContain('1 @[');
    const series = await promtool('series', '--match=up', server);
    expect(series.status, series.stderr).toBe(0);
    expect(series.stdout).toMatch(/\{__name__="up", instance="127\.0\.0\.1:\d+", job="node"\}/);
    const wrong = new URL(base);
    wrong.username = user;
    wrong.password = 'not-the-password';
    const refused = await run('promtool', ['query', 'instant', wrong.toString().replace(/\/$/, ''), 'up'], { timeout: 30_000 });
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/401|nauthorized|InvalidServiceCredential/);
  }, 120_000);
});
