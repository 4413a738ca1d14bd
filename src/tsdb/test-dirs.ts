import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** tempDir makes a fresh temporary directory and a function that removes it. */
export function tempDir(prefix = 'amphora-tsdb-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Cleanups collects a test file's undo steps and runs them newest first: `afterEach(cleanups.run)`. */
export class Cleanups {
  private readonly steps: (() => void)[] = [];

  /** add registers an undo step. */
  add(step: () => void): void {
    this.steps.push(step);
  }

  /** tempDir makes a fresh temporary directory that run() removes. */
  tempDir(prefix?: string): string {
    const t = tempDir(prefix);
    this.add(t.cleanup);
    return t.dir;
  }

  /** run runs and forgets every step, newest first. */
  readonly run = (): void => {
    while (this.steps.length) this.steps.pop()!();
  };
}
