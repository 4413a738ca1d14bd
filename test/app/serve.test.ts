import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newMatcher } from '../../src/model/matcher.js';
import { startAmphora } from '../../src/app/amphora.js';
import { loadConfig } from '../../src/app/config.js';

const MAIN = join(import.meta.dirname, '../../dist/src/cli/main.js');
const HAVE_PROMTOOL = spawnSync('sh', ['-c', 'command -v promtool']).status === 0;
if (!HAVE_PROMTOOL) console.warn('skipping tsdb import test: promtool is not on PATH (apt-get install -y prometheus)');
const dirs: string[] = [];
const procs: ChildProcess[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'amphora-serve-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const p of procs) p.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** serve starts the real binary and resolves with its base URL once it logs that it listens. */
function serve(dataDir: string, args: readonly string[] = []): Promise<{ url: string; proc: ChildProcess; stdout: () => string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [MAIN, 'serve', '--data-dir', dataDir, '--listen', '127.0.0.1:0', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, AMPHORA_ROOT_ACCESS_KEY_ID: '', AMPHORA_ROOT_SECRET_ACCESS_KEY: '' } });
    procs.push(proc);
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /"address":"(http:\/\/[^"]+)"/.exec(out);
      if (m) resolve({ url: m[1]!, proc, stdout: () => out });
    });
    proc.on('exit', (code) => reject(new Error(`amphora exited with ${code}: ${out}`)));
  });
}

describe.skipIf(!existsSync(MAIN))('amphora serve (the real binary)', () => {
  it('answers health and readiness, and generates root credentials once', async () => {
    const dataDir = tmp();
    const { url, proc, stdout } = await serve(dataDir);
    expect(await (await fetch(`${url}/-/healthy`)).text()).toContain('Healthy');
    const ready = await fetch(`${url}/-/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', corruptBlocks: {} });
    const cred = join(dataDir, 'credentials');
    expect(statSync(cred).mode & 0o777).toBe(0o600);
    expect(readFileSync(cred, 'utf8')).toMatch(/^\[amphora\]\naws_access_key_id = AKIA[A-Z2-7]{16}\naws_secret_access_key = \S{40}\n$/);
    expect(stdout()).toContain('Generated root credentials');
    const unsigned = await fetch(`${url}/workspaces/ws-x/api/v1/query?query=up`);
    expect(unsigned.status).toBe(403);
    expect((await unsigned.json()).status).toBe('error');
    // Routes not built yet answer only authenticated callers (unsigned: the authentication error).
    const missing = await fetch(`${url}/workspaces/ws-x/alertmanager/api/v2/alerts`);
    expect(missing.status).toBe(403);
    expect((await missing.json()).errorType).toBe('MissingAuthenticationTokenException');
    proc.kill('SIGTERM');
    await new Promise((r) => proc.on('exit', r));
    const again = await serve(dataDir);
    expect(again.stdout()).not.toContain('Generated root credentials');
    again.proc.kill('SIGTERM');
  });

  it('runs a --target, and refuses a second process on the same data dir naming the holder', async () => {
    const dataDir = tmp();
    const { url, proc } = await serve(dataDir, ['--target', 'write']);
    // Unsigned callers get the authentication error; signed ones the 404 naming the target (test/app/targets.test.ts).
    const query = await fetch(`${url}/workspaces/ws-x/api/v1/query?query=up`);
    expect(query.status).toBe(403);
    expect(((await query.json()) as { errorType: string }).errorType).toBe('MissingAuthenticationTokenException');
    const env = { ...process.env, AMPHORA_ROOT_ACCESS_KEY_ID: '', AMPHORA_ROOT_SECRET_ACCESS_KEY: '' };
    const read = spawnSync(process.execPath, [MAIN, 'serve', '--data-dir', dataDir, '--listen', '127.0.0.1:0', '--target', 'read'], { encoding: 'utf8', env });
    expect(read.status).toBe(1);
    expect(read.stderr).toContain(`is in use by Amphora process ${proc.pid} (target write)`);
    const bad = spawnSync(process.execPath, [MAIN, 'serve', '--data-dir', dataDir, '--target', 'ingester'], { encoding: 'utf8', env });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("target: Invalid enum value. Expected 'all' | 'write' | 'read' | 'backend'");
    proc.kill('SIGTERM');
    await new Promise((r) => proc.on('exit', r));
  });

  it('refuses invalid configuration with a clear message', () => {
    const r = spawnSync(process.execPath, [MAIN, 'serve', '--listen', 'nowhere'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('listen must be HOST:PORT');
  });

  it.skipIf(!HAVE_PROMTOOL)('imports a Prometheus-written block into a workspace (amphora tsdb import)', async () => {
    const dir = tmp();
    const om = join(dir, 'data.om');
    const base = Math.floor(Date.now() / 7_200_000) * 7_200_000 - 4 * 7_200_000;
    const lines = ['# TYPE imported gauge'];
    for (let k = 0; k < 100; k++) lines.push(`imported{i="1"} ${k * 1.5} ${(base + k * 15_000) / 1000}`);
    writeFileSync(om, `${lines.join('\n')}\n# EOF\n`);
    const blocks = join(dir, 'blocks');
    mkdirSync(blocks);
    expect(spawnSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', om, blocks]).status).toBe(0);
    const ulid = readdirSync(blocks)[0]!;
    const dataDir = join(dir, 'data');
    const r = spawnSync(process.execPath, [MAIN, 'tsdb', 'import', join(blocks, ulid), '--workspace', 'ws-imported', '--data-dir', dataDir], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`imported block ${ulid}`);
    const dup = spawnSync(process.execPath, [MAIN, 'tsdb', 'import', join(blocks, ulid), '--workspace', 'ws-imported', '--data-dir', dataDir], { encoding: 'utf8' });
    expect(dup.status).toBe(1);
    expect(dup.stderr).toContain('already exists');

    const amphora = await startAmphora(loadConfig({ flags: { dataDir, listen: '127.0.0.1:0', logLevel: 'silent', rootAccessKeyId: 'AKIAAAAAAAAAAAAAAAAA', rootSecretAccessKey: 'secretsecretsecretsecret' } }));
    try {
      const db = await amphora.storage.get('ws-imported');
      const q = db.querier(-Infinity, Infinity);
      const set = q.select(true, undefined, [newMatcher('=', '__name__', 'imported')]);
      expect(set.next()).toBe(true);
      const it = set.at().iterator();
      const got: [number, number][] = [];
      while (it.next()) got.push([it.atT(), it.atV()]);
      expect(got).toEqual(Array.from({ length: 100 }, (_, k) => [base + k * 15_000, k * 1.5]));
    } finally {
      await amphora.close();
    }
  });

  it('names a corrupt block in /-/ready details', async () => {
    const dataDir = tmp();
    const cfg = loadConfig({ flags: { dataDir, listen: '127.0.0.1:0', logLevel: 'silent', rootAccessKeyId: 'AKIAAAAAAAAAAAAAAAAA', rootSecretAccessKey: 'secretsecretsecretsecret' } });
    let amphora = await startAmphora(cfg);
    const db = await amphora.storage.get('ws-c');
    const app = db.appender();
    for (let t = 0; t < 4 * 3_600_000; t += 60_000) app.append(0, [{ name: '__name__', value: 'x' }], t, t);
    await app.commit();
    await db.compact();
    const ulid = db.blockMetas()[0]!.ulid;
    await amphora.close();
    const index = join(dataDir, 'workspaces', 'ws-c', ulid, 'index');
    const bytes = readFileSync(index);
    bytes[40] ^= 0xff;
    writeFileSync(index, bytes);
    amphora = await startAmphora(cfg);
    try {
      await amphora.storage.get('ws-c');
      const ready = (await (await fetch(`${amphora.address}/-/ready`)).json()) as { corruptBlocks: Record<string, { dir: string; error: string }[]> };
      expect(ready.corruptBlocks['ws-c']![0]!.dir).toContain(ulid);
      expect(ready.corruptBlocks['ws-c']![0]!.error).toMatch(/index/);
    } finally {
      await amphora.close();
    }
  });
});
