import { nodeFileSystem, type WALFileSystem } from './fs.js';
import type { Logger } from './logger.js';
import { readRecords } from './reader.js';

export { Cleanups, tempDir } from '../test-dirs.js';

/** recordingLogger keeps every warning and info message. */
export function recordingLogger(): Logger & { warns: string[]; infos: string[] } {
  const warns: string[] = [];
  const infos: string[] = [];
  return {
    warns,
    infos,
    warn: (o: unknown, msg?: string) => {
      warns.push(msg ?? String(o));
    },
    info: (o: unknown, msg?: string) => {
      infos.push(msg ?? String(o));
    },
  };
}

/** rec makes a distinct record of n bytes, tagged with i. */
export function rec(i: number, n: number): Uint8Array {
  const b = Buffer.alloc(n);
  for (let k = 0; k < n; k++) b[k] = (i * 31 + k * 7) & 0xff;
  if (n >= 4) b.writeUInt32BE(i, 0);
  return b;
}

/** readAll replays a WAL dir into hex strings with their segment numbers. */
export async function readAll(dir: string, opts: { from?: number; to?: number; logger?: Logger } = {}) {
  const recs: string[] = [];
  const segs: number[] = [];
  const res = await readRecords(dir, opts, (r, s) => {
    recs.push(r.toString('hex'));
    segs.push(s);
  });
  return { recs, segs, ...res };
}

/** hexOf turns records into hex strings for comparison. */
export function hexOf(recs: readonly Uint8Array[]): string[] {
  return recs.map((r) => Buffer.from(r).toString('hex'));
}

/** FaultState switches a faultyFs's failures: full makes writes put half the bytes down and fail with ENOSPC, failSync fails fdatasync with EIO. */
export interface FaultState {
  full: boolean;
  failSync: boolean;
  /** writes counts write calls. */
  writes: number;
  /** gate, while set, holds every write until it resolves (a batch stays in flight). */
  gate: Promise<void> | null;
}

/** faultyFs wraps the real file system with switchable ENOSPC/EIO failures and a gate that holds writes in flight. */
export function faultyFs(): { fs: WALFileSystem; state: FaultState; hold: () => () => void } {
  const state: FaultState = { full: false, failSync: false, writes: 0, gate: null };
  const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  const fs: WALFileSystem = {
    ...nodeFileSystem,
    write: async (fd, buf, offset, length, position) => {
      state.writes++;
      while (state.gate !== null) await state.gate;
      if (state.full) {
        const half = Math.floor(length / 2);
        if (half > 0) await nodeFileSystem.write(fd, buf, offset, half, position);
        throw enospc();
      }
      return nodeFileSystem.write(fd, buf, offset, length, position);
    },
    fdatasync: async (fd) => {
      if (state.failSync) throw Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
      return nodeFileSystem.fdatasync(fd);
    },
  };
  /** hold closes the gate and returns the function that opens it. */
  const hold = (): (() => void) => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    state.gate = gate;
    return () => {
      if (state.gate === gate) state.gate = null;
      open();
    };
  };
  return { fs, state, hold };
}
