import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CHECKPOINT_PREFIX } from './format.js';

/** listCheckpoints returns the checkpoint directories of walDir, oldest first (temporary ones excluded). */
export function listCheckpoints(walDir: string): { name: string; index: number }[] {
  let entries;
  try {
    entries = readdirSync(walDir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: { name: string; index: number }[] = [];
  for (const e of entries) {
    if (!e.name.startsWith(CHECKPOINT_PREFIX) || !e.isDirectory()) continue;
    const rest = e.name.slice(CHECKPOINT_PREFIX.length);
    if (!/^\d+$/.test(rest)) continue;
    out.push({ name: e.name, index: Number(rest) });
  }
  return out.sort((a, b) => a.index - b.index);
}

/** lastCheckpoint finds the newest checkpoint dir and its index, or null. */
export function lastCheckpoint(walDir: string): { dir: string; index: number } | null {
  const all = listCheckpoints(walDir);
  const last = all[all.length - 1];
  return last ? { dir: join(walDir, last.name), index: last.index } : null;
}
