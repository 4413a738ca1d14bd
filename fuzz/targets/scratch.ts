import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';

/** scratchRoot is where file targets write their inputs: /dev/shm when present (memory, no disk wear), else the temp dir. */
export function scratchRoot(): string {
  return process.env['FUZZ_SCRATCH'] ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());
}
