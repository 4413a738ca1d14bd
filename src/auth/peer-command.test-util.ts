import { execFileSync } from 'node:child_process';

/** commandWorks reports whether `cmd --version` runs and exits 0 within 20 s (interop tests skip without the peer). */
export function commandWorks(cmd: string): boolean {
  try {
    execFileSync(cmd, ['--version'], { stdio: 'ignore', timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}
