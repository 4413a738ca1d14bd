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
