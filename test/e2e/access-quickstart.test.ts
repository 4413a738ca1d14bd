import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../bench/tools.js';
import { hasCommand, run } from './access-peers.js';

const ROOT_DIR = join(import.meta.dirname, '../..');
const MAIN = join(ROOT_DIR, 'dist/src/cli/main.js');
const PEERS = ['prometheus', 'prometheus-node-exporter', 'promtool', 'aws', 'curl'].every(hasCommand);
if (!PEERS) console.warn('skipping the README quick start: needs prometheus, prometheus-node-exporter, promtool, awscli and curl (apt-get install -y prometheus prometheus-node-exporter awscli curl)');
if (!existsSync(MAIN)) console.warn('skipping the README quick start: build first (npx tsc -p tsconfig.json)');

/** quickStartScript extracts the README's quick start block (between the quickstart markers), without its code fence. */
export function quickStartScript(readme: string): string {
  const m = /<!-- quickstart:begin -->\n```bash\n([\s\S]*?)```\n<!-- quickstart:end -->/.exec(readme);
  if (!m) throw new Error('README.md has no ```bash block between <!-- quickstart:begin --> and <!-- quickstart:end -->');
  return m[1]!;
}

const dirs: string[] = [];
const procs: ChildProcess[] = [];
afterAll(() => {
  for (const p of procs) p.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'amphora-quickstart-'));
  dirs.push(d);
  return d;
}

/** serve runs the real `amphora serve` in cwd (data in ./data, as `npm start` does) and resolves once it listens. */
function serve(cwd: string, listen: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [MAIN, 'serve', '--listen', listen], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, AMPHORA_ROOT_ACCESS_KEY_ID: '', AMPHORA_ROOT_SECRET_ACCESS_KEY: '', AMPHORA_DATA_DIR: '' } });
    procs.push(proc);
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (/"address":"http:/.test(out)) resolve();
    });
    proc.on('exit', (code) => reject(new Error(`amphora exited with ${code}: ${out}`)));
  });
}

describe.skipIf(!PEERS || !existsSync(MAIN))('README quick start, run as written', () => {
  it('gets node_exporter metrics in with basic_auth and queries them with curl, promtool and SigV4', async () => {
    const script = quickStartScript(readFileSync(join(ROOT_DIR, 'README.md'), 'utf8'));
    const [amp, ne, prom] = [await freePort(), await freePort(), await freePort()];
    // The only change: free ports instead of the README's fixed ones (other tests run beside this one).
    const adapted = script.replaceAll('127.0.0.1:8080', `127.0.0.1:${amp}`).replaceAll('127.0.0.1:9100', `127.0.0.1:${ne}`).replaceAll('127.0.0.1:9095', `127.0.0.1:${prom}`);
    expect(adapted).not.toBe(script);
    const cwd = tmp();
    await serve(cwd, `127.0.0.1:${amp}`);
    const r = await run('bash', ['-e', '-c', adapted], { cwd, env: { PATH: process.env['PATH'] ?? '', HOME: cwd, AWS_EC2_METADATA_DISABLED: 'true', AWS_PAGER: '' }, timeout: 240_000 });
    const out = r.stdout;
    expect(r.status, `${out}\n${r.stderr}`).toBe(0);
    expect(out).toMatch(/"status":"success","data":\{"resultType":"vector","result":\[\{"metric":\{"__name__":"up","instance":"127\.0\.0\.1:\d+","job":"node"\},"value":\[[\d.]+,"1"\]/);
    expect(out).toMatch(/\{cpu="\d+", instance="127\.0\.0\.1:\d+", job="node", mode="idle"\} => [\d.e+-]+ @\[/);
    expect(out).toMatch(/"data":\[\{"__name__":"up","instance":"127\.0\.0\.1:\d+","job":"node"\}\]/);
    expect(out).toContain('Healthy');
  }, 300_000);

  it('reports a port already in use before generating credentials', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    const cwd = tmp();
    try {
      const r = await run(process.execPath, [MAIN, 'serve', '--data-dir', join(cwd, 'data'), '--listen', `127.0.0.1:${port}`], { env: { ...process.env, AMPHORA_ROOT_ACCESS_KEY_ID: '', AMPHORA_ROOT_SECRET_ACCESS_KEY: '' } });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`listen address 127.0.0.1:${port} is already in use`);
      expect(r.stdout).not.toContain('Generated root credentials');
      expect(existsSync(join(cwd, 'data', 'credentials'))).toBe(false);
    } finally {
      busy.close();
    }
  });
});
