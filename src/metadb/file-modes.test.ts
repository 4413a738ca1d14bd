import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureLogger } from '../auth/authn/fixture.test-util.js';
import { nopLogger } from '../model/logger.js';
import { securePrivateTree } from './file-modes.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const mode = (p: string): number => statSync(p).mode & 0o777;

describe('securePrivateTree', () => {
  it('creates the data dir 0700', () => {
    const base = mkdtempSync(join(tmpdir(), 'amphora-modes-'));
    dirs.push(base);
    securePrivateTree(join(base, 'data'), nopLogger);
    expect(mode(join(base, 'data'))).toBe(0o700);
  });

  it("tightens Amphora's entries with one WARN, and leaves other files and symlink targets alone", () => {
    const dir = mkdtempSync(join(tmpdir(), 'amphora-modes-'));
    dirs.push(dir);
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'meta.db'), '', { mode: 0o644 });
    writeFileSync(join(dir, 'kek.2026-01-01T00-00-00-000Z.old'), '', { mode: 0o640 });
    mkdirSync(join(dir, 'workspaces', 'ws-1', 'wal'), { recursive: true, mode: 0o755 });
    writeFileSync(join(dir, 'workspaces', 'ws-1', 'wal', '00000000'), '', { mode: 0o644 });
    writeFileSync(join(dir, 'notes.txt'), '', { mode: 0o644 });
    const outside = `${dir}-outside`;
    dirs.push(outside);
    writeFileSync(outside, '', { mode: 0o644 });
    symlinkSync(outside, join(dir, 'workspaces', 'link'));
    const { logger, entries } = captureLogger();
    expect(securePrivateTree(dir, logger)).toBe(7);
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, 'meta.db'))).toBe(0o600);
    expect(mode(join(dir, 'kek.2026-01-01T00-00-00-000Z.old'))).toBe(0o600);
    expect(mode(join(dir, 'workspaces', 'ws-1'))).toBe(0o700);
    expect(mode(join(dir, 'workspaces', 'ws-1', 'wal', '00000000'))).toBe(0o600);
    expect(mode(join(dir, 'notes.txt'))).toBe(0o644);
    expect(mode(outside)).toBe(0o644);
    expect(entries.filter((e) => e.level === 'warn')).toHaveLength(1);
    expect(securePrivateTree(dir, logger)).toBe(0);
  });
});
