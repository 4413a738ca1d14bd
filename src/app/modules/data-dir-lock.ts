import { closeSync, openSync, readFileSync, rmSync, writeSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** DataDirLockedError says another live process owns the data dir. */
export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

/** DataDirLock is a held lock on a data dir. */
export interface DataDirLock {
  /** release removes the lock file (idempotent). */
  release(): void;
}

interface LockInfo {
  readonly pid: number;
  readonly target: string;
}

/**
 * lockDataDir takes `<dataDir>/amphora.lock` for this process. A lock left by a process that is no
 * longer running (kill -9) is taken over; one held by a live other process refuses the start with a
 * DataDirLockedError: running `write` and `read` as separate processes over one data dir would need
 * the ingester-to-querier select call across processes, which does not exist yet. A lock held by
 * this same process (a test that starts twice without closing) is shared.
 */
export function lockDataDir(dataDir: string, target: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'amphora.lock');
  const held = readLock(file);
  if (held !== null && held.pid !== process.pid && isAmphoraAlive(held.pid)) {
    throw new DataDirLockedError(
      `data dir ${dataDir} is in use by Amphora process ${held.pid} (target ${held.target}); one data dir serves one process. ` +
        `Roles (write, read, backend) run as separate processes only once the select call between them crosses the network; until then run them in one process (--target all) or give each its own data dir`,
    );
  }
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, JSON.stringify({ pid: process.pid, target } satisfies LockInfo) + '\n');
  } finally {
    closeSync(fd);
  }
  let released = false;
  return {
    release: () => {
      if (released) return;
      released = true;
      if (readLock(file)?.pid === process.pid) rmSync(file, { force: true });
    },
  };
}

function readLock(file: string): LockInfo | null {
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockInfo>;
    return typeof info.pid === 'number' ? { pid: info.pid, target: String(info.target ?? 'unknown') } : null;
  } catch {
    return null;
  }
}

/**
 * isAmphoraAlive reports whether the lock holder still runs: the pid exists and, where /proc tells,
 * is a Node process (a pid reused by another program after a crash does not keep the lock).
 */
function isAmphoraAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return true;
  }
  return cmdline.includes('node') || cmdline.includes('amphora');
}
