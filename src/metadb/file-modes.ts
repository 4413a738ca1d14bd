import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../model/logger.js';

/** PRIVATE_DIR_MODE is the data directory's mode: only the owner may list or enter it. */
export const PRIVATE_DIR_MODE = 0o700;

/**
 * AMPHORA_ENTRY matches the top-level entries of a data dir that Amphora creates: the metadata
 * database and its WAL, credentials, key files, the lock, workspace data and workspace logs.
 * Nothing else under the data dir is touched (a data dir pointed at a shared directory by mistake
 * keeps its other files' modes).
 */
export const AMPHORA_ENTRY = /^(meta\.db(-wal|-shm|-journal)?|credentials|kek(\..*)?|amphora\.lock|workspaces|logs)$/;

/**
 * securePrivateTree makes the data directory 0700 (creating it so) and removes group and other
 * permissions from what Amphora keeps in it (AMPHORA_ENTRY, recursively; files keep their owner
 * bits: 0600 for data); what it had to tighten is logged once as a WARN. Symbolic links are not
 * followed. Returns how many entries it changed.
 */
export function securePrivateTree(dir: string, logger: Logger): number {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const loose: string[] = [];
  const tighten = (path: string): void => {
    const st = lstatSync(path);
    if (st.isSymbolicLink()) return;
    if ((st.mode & 0o077) !== 0) {
      chmodSync(path, st.mode & 0o700);
      loose.push(path);
    }
  };
  const visit = (path: string): void => {
    tighten(path);
    if (lstatSync(path).isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  tighten(dir);
  for (const name of readdirSync(dir)) if (AMPHORA_ENTRY.test(name)) visit(join(dir, name));
  if (loose.length > 0) {
    logger.warn({ dataDir: dir, tightened: loose.length, examples: loose.slice(0, 5) }, 'data dir entries were readable by other users; removed group and other permissions (data dir 0700, files 0600)');
  }
  return loose.length;
}
