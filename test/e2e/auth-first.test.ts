import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AmpClient, CreateWorkspaceCommand, DescribeWorkspaceCommand } from '@aws-sdk/client-amp';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWriteRequestV1 } from '../../src/remote/pb-writer.js';
import { snappy } from '../../src/remote/test-env.js';

const MAIN = join(import.meta.dirname, '../../dist/src/cli/main.js');
if (!existsSync(MAIN)) console.warn('skipping authenticate-before-reading tests: dist/ is not built (npx tsc -p tsconfig.json)');

const ROOT = { accessKeyId: 'AKIAAUTHFIRSTROOT000', secretAccessKey: 'auth-first-root-secret-key-0123456789abcd' };
const MiB = 1024 * 1024;

/** Reply is an HTTP answer as the raw client saw it (status 0: the connection failed before an answer). */
interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** send makes one HTTP request with exact headers; body is bytes, or a size to stream as zeros in 1 MiB chunks. */
function send(base: string, method: string, path: string, headers: Record<string, string>, body?: Uint8Array | number): Promise<Reply> {
  return new Promise((resolve) => {
    const u = new URL(path, base);
    const size = typeof body === 'number' ? body : body?.length;
    const req = httpRequest({ host: u.hostname, port: u.port, method, path: u.pathname + u.search, headers: { ...headers, ...(size !== undefined ? { 'content-length': String(size) } : {}) } });
    let settled = false;
    const done = (r: Reply): void => {
      if (!settled) resolve(r);
      settled = true;
    };
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, text }));
      res.on('error', () => done({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', () => done({ status: 0, headers: {}, text: '' }));
    if (typeof body === 'number') {
      const chunk = Buffer.alloc(MiB);
      let left = body;
      const pump = (): void => {
        while (left > 0 && !req.destroyed) {
          const n = Math.min(left, MiB);
          left -= n;
          if (!req.write(n === MiB ? chunk : chunk.subarray(0, n))) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    } else {
      req.end(body);
    }
  });
}

/** sign signs a request for the server at base with SigV4 (applyChecksum false signs as the Go SDKs do: no x-amz-content-sha256). */
async function sign(
  base: string,
  o: { method: string; path: string; body?: Uint8Array; headers?: Record<string, string>; service?: string; applyChecksum?: boolean; query?: Record<string, string>; creds?: typeof ROOT },
): Promise<Record<string, string>> {
  const u = new URL(base);
  const signer = new SignatureV4({ service: o.service ?? 'aps', region: 'us-east-1', sha256: Hash.bind(null, 'sha256'), credentials: o.creds ?? ROOT, applyChecksum: o.applyChecksum ?? true });
  const s = await signer.sign({ method: o.method, protocol: 'http:', hostname: u.hostname, port: Number(u.port), path: o.path, query: o.query ?? {}, headers: { host: u.host, ...(o.headers ?? {}) }, body: o.body });
  return s.headers as Record<string, string>;
}

function vmHwmKb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0);
}

describe.skipIf(!existsSync(MAIN))('authenticate before reading (the real binary)', () => {
  let proc: ChildProcess;
  let base = '';
  let logs = '';
  let dataDir = '';
  let workspaceId = '';

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'amphora-authfirst-'));
    proc = spawn(process.execPath, [MAIN, 'serve', '--data-dir', dataDir, '--listen', '127.0.0.1:0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, AMPHORA_ROOT_ACCESS_KEY_ID: ROOT.accessKeyId, AMPHORA_ROOT_SECRET_ACCESS_KEY: ROOT.secretAccessKey, AMPHORA_LOG_LEVEL: 'debug', AMPHORA_QUERY_WORKERS: '1' },
    });
    base = await new Promise<string>((resolve, reject) => {
      proc.stdout!.on('data', (d: Buffer) => {
        logs += d.toString();
        const m = /"address":"(http:\/\/[^"]+)"/.exec(logs);
        if (m) resolve(m[1]!);
      });
      proc.stderr!.on('data', (d: Buffer) => (logs += d.toString()));
      proc.on('exit', (code) => reject(new Error(`amphora exited with ${code}: ${logs}`)));
    });
    const amp = new AmpClient({ endpoint: base, region: 'us-east-1', credentials: ROOT });
    workspaceId = (await amp.send(new CreateWorkspaceCommand({ alias: 'auth-first' }))).workspaceId!;
    // Queries need an ACTIVE workspace (a CREATING one answers 503).
    for (let i = 0; i < 300; i++) {
      if ((await amp.send(new DescribeWorkspaceCommand({ workspaceId }))).workspace?.status?.statusCode === 'ACTIVE') break;
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 60_000);

  afterAll(async () => {
    proc?.kill('SIGKILL');
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps RSS bounded under eight concurrent unsigned 60 MiB POSTs to remote write and to POST /', async () => {
    // Warm up the paths first so their code is loaded before the baseline.
    await send(base, 'POST', `/workspaces/${workspaceId}/api/v1/remote_write`, { 'content-type': 'application/x-protobuf' }, 1024);
    await send(base, 'POST', '/', { 'content-type': 'application/x-www-form-urlencoded' }, 1024);
    const before = vmHwmKb(proc.pid!);
    const flood = (path: string, type: string): Promise<Reply[]> => Promise.all(Array.from({ length: 8 }, () => send(base, 'POST', path, { 'content-type': type }, 60 * MiB)));
    const writes = await flood(`/workspaces/${workspaceId}/api/v1/remote_write`, 'application/x-protobuf');
    const sts = await flood('/', 'application/x-www-form-urlencoded');
    const growthMb = (vmHwmKb(proc.pid!) - before) / 1024;
    console.log(`peak RSS growth under the unsigned flood: ${growthMb.toFixed(1)} MB`);
    // Today's main reads every body first: +377 MB for the first eight, +330 MB more for the second.
    expect(growthMb).toBeLessThan(128);
    expect(writes.map((r) => r.status)).toEqual(Array(8).fill(403));
    expect(writes[0]!.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
    expect(sts.map((r) => r.status)).toEqual(Array(8).fill(413));
    expect(sts[0]!.text).toMatch(/<Code>RequestEntityTooLarge<\/Code>/);
  }, 120_000);

  it('refuses a captured remote write replayed with a swapped body, and UNSIGNED-PAYLOAD; nothing of them is written', async () => {
    const path = `/workspaces/${workspaceId}/api/v1/remote_write`;
    const now = Date.now();
    const body = (name: string): Uint8Array => snappy(encodeWriteRequestV1([{ labels: [['__name__', name]], samples: [{ value: 1, timestamp: now }] }]));
    const rw = { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy', 'x-prometheus-remote-write-version': '0.1.0' };
    for (const applyChecksum of [false, true]) {
      const original = body(`kept_${applyChecksum}`);
      const { host: _h, ...headers } = await sign(base, { method: 'POST', path, body: original, headers: rw, applyChecksum });
      expect((await send(base, 'POST', path, headers, original)).status).toBe(204);
      const swapped = await send(base, 'POST', path, headers, body(`swapped_${applyChecksum}`));
      // Go-style signers: the signature covers the body's hash; SDK v3: the declared x-amz-content-sha256 differs.
      expect(swapped.status, `applyChecksum ${applyChecksum}`).toBe(applyChecksum ? 400 : 403);
      expect(swapped.text).toMatch(applyChecksum ? /x-amz-content-sha256' header does not match what was computed/ : /signature we calculated does not match/);
    }
    const unsignedPayload = body('unsigned_payload');
    const { host: _h, ...u } = await sign(base, { method: 'POST', path, body: unsignedPayload, headers: { ...rw, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
    const refused = await send(base, 'POST', path, u, unsignedPayload);
    expect(refused.status).toBe(403);
    expect(refused.text).toMatch(/UNSIGNED-PAYLOAD is accepted by S3 only/);
    const q = `/workspaces/${workspaceId}/api/v1/query`;
    const query = { query: 'count by (__name__) ({__name__=~"kept_.*|swapped_.*|unsigned_payload"})', time: String(now / 1000) };
    const { host: _q, ...qh } = await sign(base, { method: 'GET', path: q, query });
    const res = await send(base, 'GET', `${q}?${new URLSearchParams(query).toString().replace(/\+/g, '%20')}`, qh);
    expect(res.status).toBe(200);
    const names = (JSON.parse(res.text) as { data: { result: { metric: { __name__: string } }[] } }).data.result.map((r) => r.metric.__name__).sort();
    expect(names).toEqual(['kept_false', 'kept_true']);
  }, 60_000);

  it('caps bodies per route while they stream, answering 413 in each client\'s shape', async () => {
    const cases: [string, string, string, number, RegExp][] = [
      ['/workspaces', 'aps', 'application/json', 3 * MiB, /PayloadTooLargeException/],
      ['/', 'iam', 'application/x-www-form-urlencoded', 2 * MiB, /<Code>RequestEntityTooLarge<\/Code>/],
      [`/workspaces/${workspaceId}/api/v1/query`, 'aps', 'application/x-www-form-urlencoded', 5 * MiB, /"errorType":"bad_data"/],
    ];
    for (const [path, service, type, size, shape] of cases) {
      for (const applyChecksum of [true, false]) {
        const body = new Uint8Array(size).fill(0x61);
        const { host: _h, ...h } = await sign(base, { method: 'POST', path, body, service, headers: { 'content-type': type }, applyChecksum });
        const res = await send(base, 'POST', path, h, body);
        expect(res.status, `${path} ${applyChecksum}`).toBe(413);
        expect(res.text + JSON.stringify(res.headers), `${path} ${applyChecksum}`).toMatch(shape);
        expect(res.text).toMatch(/-byte limit of this API/);
      }
    }
  }, 60_000);

  it('answers unknown and unbuilt routes only to authenticated callers', async () => {
    const paths: [string, string, number, string][] = [
      ['GET', `/workspaces/${workspaceId}/alertmanager/api/v2/nothing-here`, 501, 'unavailable'],
      ['GET', '/no-such-api', 501, 'NotImplementedException'],
      ['DELETE', '/', 501, 'NotImplementedException'],
    ];
    for (const [method, path, status, type] of paths) {
      const unsigned = await send(base, method, path, {});
      expect(unsigned.status, `${method} ${path} unsigned`).toBe(403);
      expect(unsigned.text).not.toContain('no-such-api');
      const { host: _h, ...h } = await sign(base, { method, path, service: path === '/' ? 'sts' : 'aps' });
      const signed = await send(base, method, path, h);
      expect(signed.status, `${method} ${path} signed`).toBe(status);
      expect(signed.text + JSON.stringify(signed.headers)).toContain(type);
    }
    const unsignedLogs = logs.split('\n').filter((l) => l.includes('not built yet') && !l.includes('"principal"'));
    expect(unsignedLogs).toEqual([]);
  });

  it('never logs or echoes a signature, a secret, a session token or a whole oversized header', async () => {
    const iam = new IAMClient({ endpoint: base, region: 'us-east-1', credentials: ROOT });
    await iam.send(new CreateUserCommand({ UserName: 'scanned' }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'scanned' }))).AccessKey!;
    const user = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
    const sigs: string[] = [];
    const replies: Reply[] = [];
    const path = '/workspaces';
    const sig = 'a1b2c3d4'.repeat(8);
    sigs.push(sig);
    const cred = `${ROOT.accessKeyId}/20260101/us-east-1/aps/aws4_request`;
    const big = 'Z'.repeat(12 * 1024);
    const date = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
    const bad: Record<string, string>[] = [
      { authorization: `AWS4-HMAC-SHA256 Credential=${cred}, Signature=${sig}`, 'x-amz-date': date }, // incomplete: no SignedHeaders
      { authorization: `AWS4-HMAC-SHA256 Credential=${cred}, SignedHeaders=host, Signature=${sig}, ${big}`, 'x-amz-date': date },
      { authorization: `AWS4-HMAC-SHA256 Credential=${big}/20260101/us-east-1/aps/aws4_request, SignedHeaders=host, Signature=${sig}`, 'x-amz-date': date },
      { authorization: `AWS4-HMAC-SHA256 Credential=${cred}, SignedHeaders=host;x-amz-date, Signature=${sig}`, 'x-amz-date': big },
      { authorization: `${big} Credential=${cred}, Signature=${sig}`, 'x-amz-date': date },
    ];
    for (const h of bad) replies.push(await send(base, 'GET', path, h));
    const token = 'FQoGZXIvYXdzEJr-session-token-that-must-not-be-logged';
    for (const [creds, extra] of [
      [{ ...user, secretAccessKey: 'wrong-secret-for-the-scan-0123456789abcd' }, {}],
      [user, { 'x-amz-security-token': token }],
      [ROOT, { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }],
    ] as const) {
      const { host: _h, ...h } = await sign(base, { method: 'POST', path, body: new TextEncoder().encode('{"alias":"x"}'), headers: { 'content-type': 'application/json', ...extra }, creds });
      sigs.push(/Signature=([0-9a-f]{64})/.exec(h['authorization']!)![1]!);
      replies.push(await send(base, 'POST', path, h, new TextEncoder().encode('{"alias":"y"}')));
    }
    for (const r of replies) {
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.text.length).toBeLessThan(2048);
      for (const s of sigs) expect(r.text).not.toContain(s);
    }
    await new Promise((r) => setTimeout(r, 200));
    for (const secret of [ROOT.secretAccessKey, user.secretAccessKey, token, ...sigs]) expect(logs).not.toContain(secret);
    expect(logs).not.toMatch(/Signature=(?!<redacted>)/);
    expect(logs).not.toContain('Z'.repeat(300));
    expect(logs).toContain('authentication_failed');
  });
});
