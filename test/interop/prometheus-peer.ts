// Starting and stopping a real Prometheus server (loopback only) for interop tests.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** onPath reports whether cmd is an executable on PATH. */
export function onPath(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

/** freePort finds a free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** RunningPrometheus is a started server: its base URL, its output so far, and stop(). */
export interface RunningPrometheus {
  base: string;
  child: ChildProcess;
  logs(): string;
  stop(): Promise<void>;
}

/** startPrometheus runs `prometheus` on a free loopback port with extra flags and waits until it is ready. */
export async function startPrometheus(flags: readonly string[]): Promise<RunningPrometheus> {
  const port = await freePort();
  let out = '';
  const child = spawn('prometheus', [`--web.listen-address=127.0.0.1:${port}`, ...flags], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const p: RunningPrometheus = {
    base: `http://127.0.0.1:${port}`,
    child,
    logs: () => out,
    stop: () => stopChild(child),
  };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}: ${out}`);
    try {
      const res = await fetch(`${p.base}/-/ready`);
      if (res.ok) return p;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await p.stop();
  throw new Error(`prometheus not ready after 30s: ${out}`);
}

/** stopChild sends SIGTERM and waits for exit (SIGKILL after 10 s). */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
