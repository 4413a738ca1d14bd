import { execFile, spawnSync } from 'node:child_process';
import { signedFetch } from './helpers.js';

/** hasCommand tells whether a command is on PATH (interop tests skip without their peer). */
export function hasCommand(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

/** RunResult is a finished child process. */
export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** RunOptions configure run: environment (default the test's), timeout (default 60 s) and working directory. */
export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  timeout?: number;
  cwd?: string;
}

/** run executes a command asynchronously (the server under test runs in this process and must keep serving). */
export function run(cmd: string, args: readonly string[], o: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve) =>
    execFile(cmd, [...args], { env: o.env ?? process.env, timeout: o.timeout ?? 60_000, maxBuffer: 16 << 20, ...(o.cwd ? { cwd: o.cwd } : {}) }, (err, stdout, stderr) =>
      resolve({ status: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    ),
  );
}

/** awsEnv is an environment for the AWS CLI with only the given key pair (no config files, no instance metadata). */
export function awsEnv(creds: { accessKeyId: string; secretAccessKey: string }): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? '/tmp',
    AWS_ACCESS_KEY_ID: creds.accessKeyId,
    AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
    AWS_PAGER: '',
  };
}

/** createActiveWorkspace creates a workspace as root and waits (up to 30 s) until it is ACTIVE; returns its base path /workspaces/<id>. */
export async function createActiveWorkspace(address: string, alias: string): Promise<string> {
  const created = await signedFetch(address, 'POST', '/workspaces', Buffer.from(JSON.stringify({ alias })), { 'content-type': 'application/json' });
  const id = ((await created.json()) as { workspaceId: string }).workspaceId;
  for (let i = 0; i < 300; i++) {
    const d = await signedFetch(address, 'GET', `/workspaces/${id}`);
    if (((await d.json()) as { workspace: { status: { statusCode: string } } }).workspace.status.statusCode === 'ACTIVE') return `/workspaces/${id}`;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`workspace ${id} did not become ACTIVE within 30 s`);
}
