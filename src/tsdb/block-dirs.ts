import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ULID_RE = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** isULID reports whether a directory name is a block ULID. */
export function isULID(name: string): boolean {
  return ULID_RE.test(name);
}

/** listBlockDirs returns the block directories (ULID-named, with a meta.json) under a TSDB dir, sorted by name. */
export function listBlockDirs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => isULID(name) && existsSync(join(dir, name, 'meta.json')) && statSync(join(dir, name)).isDirectory())
    .sort()
    .map((name) => join(dir, name));
}

/** removeTemporaryDirs deletes leftovers of interrupted block writes and deletions. */
export function removeTemporaryDirs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const removed: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name.endsWith('.tmp-for-creation') || name.endsWith('.tmp-for-deletion') || name.endsWith('.tmp')) {
      rmSync(join(dir, name), { recursive: true, force: true });
      removed.push(name);
    }
  }
  return removed;
}
