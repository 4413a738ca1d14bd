import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../model/logger.js';

/** PRIVATE_DIR_MODE is the data directory's mode: only the owner may list or enter it. */
export const PRIVATE_DIR_MODE = 0o700;

/**
 * securePrivateTree makes the data directory 0700 (creating it so) and removes group and other
 * permissions from everything under it (files keep their owner bits: 0600 for data); what it had
 * to tighten is logged once as a WARN. Symbolic links are not followed. Returns how many entries
 * it changed.
 */
export function securePrivateTree(dir: string, logger: Logger): number {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const loose: string[] = [];
  const visit = (path: string): void => {
    const st = lstatSync(path);
    if (st.isSymbolicLink()) return;
    if ((st.mode & 0o077) !== 0) {
      chmodSync(path, st.mode & 0o700);
      loose.push(path);
    }
    if (st.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(dir);
  if (loose.length > 0) {
    logger.warn({ dataDir: dir, tightened: loose.length, examples: loose.slice(0, 5) }, 'data dir entries were readable by other users; removed group and other permissions (data dir 0700, files 0600)');
  }
  return loose.length;
}
