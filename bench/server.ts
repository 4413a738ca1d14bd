// The real service for end-to-end benchmarks: `amphora serve` from dist in its own process (so its
// CPU and memory are its own) with a temp data dir and root credentials from the environment, and
// AMP API calls signed with SigV4 to create workspaces and raise their limits.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AmphoraLimitOverrides } from '../src/controlplane/config-schema.js';
import { signedFetch, type Credentials } from './sigv4-client.js';
import { freePort, stopProcess } from './tools.js';

/** BENCH_ROOT are the root credentials the benchmarks start the server with. */
export const BENCH_ROOT: Credentials = { accessKeyId: 'AKIABENCHROOT0000000', secretAccessKey: 'bench-root-secret-bench-root-secret-0000' };

/** UNLIMITED_INGEST lifts the ingestion rate limit so a benchmark measures the receiver, not the token bucket. */
export const UNLIMITED_INGEST: AmphoraLimitOverrides = { ingestionRate: 1e12, ingestionBurstSize: 1e12 };

/** AmphoraServer is a running `amphora serve` process. */
export interface AmphoraServer {
  readonly proc: ChildProcess;
  readonly url: string;
  readonly credentials: Credentials;
  /** fetch sends a request signed with the root credentials to a path of the server. */
  fetch(method: string, path: string, body?: string | Uint8Array, headers?: Record<string, string>): Promise<Response>;
  /** stop terminates the process and removes its data dir. */
  stop(): Promise<void>;
}

/** startAmphoraServer runs `amphora serve` with a fresh data dir (node flags from nodeArgs or BENCH_SERVER_NODE_ARGS) and resolves once /-/healthy answers. */
export async function startAmphoraServer(o: { logLevel?: string; nodeArgs?: readonly string[] } = {}): Promise<AmphoraServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'amphora-bench-'));
  const port = await freePort();
  const credentials = BENCH_ROOT;
  const nodeArgs = o.nodeArgs ?? (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
  const proc = spawn(process.execPath, [...nodeArgs, join(import.meta.dirname, '../src/cli/main.js'), 'serve', '--data-dir', dataDir, '--listen', `127.0.0.1:${port}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, AMPHORA_ROOT_ACCESS_KEY_ID: credentials.accessKeyId, AMPHORA_ROOT_SECRET_ACCESS_KEY: credentials.secretAccessKey, AMPHORA_LOG_LEVEL: o.logLevel ?? 'warn' },
  });
  let log = '';
  proc.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const server: AmphoraServer = {
    proc,
    url,
    credentials,
    fetch: (method, path, body, headers) => signedFetch({ credentials }, { method, url: new URL(path, url), body, headers }),
    stop: async () => {
      await stopProcess(proc);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  for (let i = 0; i < 300; i++) {
    if (proc.exitCode !== null) break;
    try {
      if ((await fetch(`${url}/-/healthy`)).ok) return server;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await server.stop();
  throw new Error(`amphora serve did not start: ${log}`);
}

async function untilActive(server: AmphoraServer, path: string, status: (j: Record<string, unknown>) => unknown): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const r = await server.fetch('GET', path);
    const j = (await r.json()) as Record<string, unknown>;
    if (status(j) === 'ACTIVE') return;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`${path} did not become ACTIVE`);
}

/** createWorkspace creates a workspace through the AMP API, applies limit overrides and waits until it is ACTIVE; returns its id. */
export async function createWorkspace(server: AmphoraServer, alias: string, limits: AmphoraLimitOverrides = UNLIMITED_INGEST): Promise<string> {
  const r = await server.fetch('POST', '/workspaces', JSON.stringify({ alias }), { 'content-type': 'application/json' });
  if (r.status >= 300) throw new Error(`CreateWorkspace failed: ${r.status} ${await r.text()}`);
  const id = ((await r.json()) as { workspaceId: string }).workspaceId;
  const status = (j: Record<string, unknown>): unknown => (j.status as { statusCode?: string } | undefined)?.statusCode;
  await untilActive(server, `/workspaces/${id}`, (j) => status((j.workspace ?? j) as Record<string, unknown>));
  const p = await server.fetch('PATCH', `/workspaces/${id}/configuration`, JSON.stringify({ amphoraLimits: limits }), { 'content-type': 'application/json' });
  if (p.status >= 300) throw new Error(`UpdateWorkspaceConfiguration failed: ${p.status} ${await p.text()}`);
  await untilActive(server, `/workspaces/${id}/configuration`, (j) => status((j.workspaceConfiguration ?? {}) as Record<string, unknown>));
  return id;
}

/** remoteWriteURL is a workspace's remote-write endpoint. */
export function remoteWriteURL(server: AmphoraServer, workspaceId: string): string {
  return `${server.url}/workspaces/${workspaceId}/api/v1/remote_write`;
}
