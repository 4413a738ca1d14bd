import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from './data-dir-lock.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'amphora-lock-'));
  dirs.push(d);
  return d;
}

describe('lockDataDir', () => {
  it('refuses a data dir held by another live process, naming it and its target', () => {
    const dir = tmp();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30_000)']);
    try {
      writeFileSync(join(dir, 'amphora.lock'), JSON.stringify({ pid: other.pid, target: 'write' }));
      expect(() => lockDataDir(dir, 'read')).toThrow(DataDirLockedError);
      expect(() => lockDataDir(dir, 'read')).toThrow(new RegExp(`in use by Amphora process ${other.pid} \\(target write\\)`));
    } finally {
      other.kill();
    }
  });

  it.skipIf(!existsSync('/proc/self/cmdline'))('takes over a lock whose pid now belongs to another program', () => {
    const dir = tmp();
    const sleeper = spawn('sleep', ['30']);
    try {
      writeFileSync(join(dir, 'amphora.lock'), JSON.stringify({ pid: sleeper.pid, target: 'write' }));
      lockDataDir(dir, 'read').release();
    } finally {
      sleeper.kill();
    }
  });

  it('takes over a lock left by a process that died, and removes it on release', () => {
    const dir = tmp();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(join(dir, 'amphora.lock'), JSON.stringify({ pid: Number(dead.stdout), target: 'all' }));
    const lock = lockDataDir(dir, 'read');
    expect(JSON.parse(readFileSync(join(dir, 'amphora.lock'), 'utf8'))).toEqual({ pid: process.pid, target: 'read' });
    lock.release();
    expect(existsSync(join(dir, 'amphora.lock'))).toBe(false);
  });
});
