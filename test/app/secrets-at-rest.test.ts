import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AmpClient, CreateWorkspaceCommand, DescribeWorkspaceCommand } from '@aws-sdk/client-amp';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, describe, expect, it } from 'vitest';
import { stopProcess } from '../../bench/tools.js';
import { send } from '../../src/auth/authn/fixture.test-util.js';
import { parseSharedCredentials, type Credentials } from '../../src/auth/root-credentials.js';
import { encodeWriteRequestV1 } from '../../src/remote/pb-writer.js';
import { snappy } from '../../src/remote/test-env.js';

const MAIN = join(import.meta.dirname, '../../dist/src/cli/main.js');
if (!existsSync(MAIN)) console.warn('skipping secrets-at-rest tests: dist/src/cli/main.js is not built (npx tsc -p tsconfig.json)');
const BASE_ENV = { ...process.env, AMPHORA_ROOT_ACCESS_KEY_ID: '', AMPHORA_ROOT_SECRET_ACCESS_KEY: '', AMPHORA_KEK: '', AMPHORA_QUERY_WORKERS: '1' };
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** serve starts the real binary and resolves with its base URL once it logs that it listens. */
function serve(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<{ url: string; proc: ChildProcess; log: () => string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [MAIN, 'serve', '--data-dir', dataDir, '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...BASE_ENV, ...env } });
    let out = '';
    const take = (d: Buffer): void => {
      out += d.toString();
      const m = /"address":"(http:\/\/[^"]+)"/.exec(out);
      if (m) resolve({ url: m[1]!, proc, log: () => out });
    };
    proc.stdout!.on('data', take);
    proc.stderr!.on('data', take);
    proc.on('exit', (code) => reject(new Error(`amphora exited with ${code}: ${out}`)));
  });
}

/** files lists every file and directory under dir with its permission bits. */
function modes(dir: string): Map<string, number> {
  const out = new Map<string, number>();
  const visit = (p: string): void => {
    const st = statSync(p);
    out.set(p, st.mode & 0o777);
    if (st.isDirectory()) for (const n of readdirSync(p)) visit(join(p, n));
  };
  visit(dir);
  return out;
}

function metaBytes(dataDir: string): Buffer {
  return Buffer.concat(['meta.db', 'meta.db-wal', 'meta.db-shm'].map((f) => join(dataDir, f)).filter((f) => existsSync(f)).map((f) => readFileSync(f)));
}

describe.skipIf(!existsSync(MAIN))('secrets at rest (the real binary)', () => {
  it('keeps a private data dir, seals secrets in meta.db, rotates the KEK without breaking keys, and refuses a wrong KEK', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'amphora-secrets-')), 'data');
    dirs.push(join(dataDir, '..'));
    let amphora = await serve(dataDir);
    const root = parseSharedCredentials(readFileSync(join(dataDir, 'credentials'), 'utf8'), 'amphora')!;
    const cfg = { endpoint: amphora.url, region: 'us-east-1', credentials: root };
    const iam = new IAMClient(cfg);
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    const k = (await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }))).AccessKey!;
    const alice: Credentials = { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
    const s = (await new STSClient({ ...cfg, credentials: alice }).send(new GetSessionTokenCommand({}))).Credentials!;
    const session = { accessKeyId: s.AccessKeyId!, secretAccessKey: s.SecretAccessKey!, sessionToken: s.SessionToken! };
    const who = async (url: string, c: Credentials & { sessionToken?: string }): Promise<string | undefined> =>
      (await new STSClient({ endpoint: url, region: 'us-east-1', credentials: c }).send(new GetCallerIdentityCommand({}))).Arn;
    expect(await who(amphora.url, session)).toBe('arn:aws:iam::000000000000:user/alice');
    // A workspace with a write, so WAL segments exist too.
    const amp = new AmpClient(cfg);
    const ws = (await amp.send(new CreateWorkspaceCommand({ alias: 'modes' }))).workspaceId!;
    for (let i = 0; i < 50 && (await amp.send(new DescribeWorkspaceCommand({ workspaceId: ws }))).workspace?.status?.statusCode !== 'ACTIVE'; i++) await new Promise((r) => setTimeout(r, 100));
    const body = snappy(encodeWriteRequestV1([{ labels: [['__name__', 'up'], ['job', 'modes']], samples: [{ value: 1, timestamp: Date.now() }] }]));
    expect((await send(amphora.url, 'POST', `/workspaces/${ws}/api/v1/remote_write`, root, { body })).status).toBe(204);

    // File modes: the data dir 0700, everything Amphora created 0600 (directories 0700).
    const m = modes(dataDir);
    expect(m.get(dataDir)).toBe(0o700);
    for (const f of ['meta.db', 'meta.db-wal', 'meta.db-shm', 'credentials', 'kek']) expect(m.get(join(dataDir, f)), f).toBe(0o600);
    const wal = [...m.keys()].filter((p) => p.includes(join('workspaces', ws, 'wal', '0')));
    expect(wal.length).toBeGreaterThan(0);
    for (const [p, mode] of m) expect(mode & 0o077, p).toBe(0);
    // No secret in the metadata database's bytes (its WAL included).
    const bytes = metaBytes(dataDir);
    expect(bytes.includes(Buffer.from(alice.accessKeyId))).toBe(true);
    for (const secret of [alice.secretAccessKey, session.secretAccessKey, session.sessionToken]) expect(bytes.includes(Buffer.from(secret))).toBe(false);
    // The root secret is printed once, when generated, and logged nowhere else.
    expect(amphora.log().split(root.secretAccessKey).length - 1).toBe(1);
    await stopProcess(amphora.proc);

    // rotate-kek re-encrypts every secret; keys and sessions keep working.
    const oldKek = readFileSync(join(dataDir, 'kek'), 'utf8');
    const rotated = spawnSync(process.execPath, [MAIN, 'admin', 'rotate-kek', '--data-dir', dataDir], { encoding: 'utf8', env: BASE_ENV });
    expect(rotated.stderr).toBe('');
    expect(rotated.status).toBe(0);
    expect(rotated.stdout).toMatch(/re-encrypted 3 secrets in meta\.db under a new key-encryption key/);
    expect(readFileSync(join(dataDir, 'kek'), 'utf8')).not.toBe(oldKek);
    const backup = readdirSync(dataDir).find((f) => f.startsWith('kek.') && f.endsWith('.old'))!;
    expect(readFileSync(join(dataDir, backup), 'utf8')).toBe(oldKek);
    expect(statSync(join(dataDir, 'kek')).mode & 0o777).toBe(0o600);

    // Loosened modes are tightened at the next start, with a WARN.
    chmodSync(dataDir, 0o755);
    chmodSync(join(dataDir, 'meta.db'), 0o644);
    amphora = await serve(dataDir);
    expect(await who(amphora.url, alice)).toBe('arn:aws:iam::000000000000:user/alice');
    expect(await who(amphora.url, session)).toBe('arn:aws:iam::000000000000:user/alice');
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dataDir, 'meta.db')).mode & 0o777).toBe(0o600);
    expect(amphora.log()).toContain('readable by other users');
    expect(amphora.log()).not.toContain('Generated root credentials');
    await stopProcess(amphora.proc);

    // A wrong key stops the start with a clear error; the old key (kept as backup) is wrong now too.
    for (const kek of ['q'.repeat(43) + '=', oldKek.trim()]) {
      const wrong = spawnSync(process.execPath, [MAIN, 'serve', '--data-dir', dataDir, '--listen', '127.0.0.1:0'], { encoding: 'utf8', env: { ...BASE_ENV, AMPHORA_KEK: kek }, timeout: 30_000 });
      expect(wrong.status).toBe(1);
      expect(wrong.stderr).toMatch(/the key-encryption key from AMPHORA_KEK \(key id [0-9a-f]{16}\) is not the key meta\.db's secrets are sealed with/);
    }
  });
});
