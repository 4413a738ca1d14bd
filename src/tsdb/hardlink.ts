import { linkSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** linkTree recreates the directory tree of src at dst with every file hard-linked (immutable block files only). */
export function linkTree(src: string, dst: string): void {
  mkdirSync(dst, { recursive: true });
  for (const entry of readdirSync(src, { withFileTypes: true })) {
    const from = join(src, entry.name);
    const to = join(dst, entry.name);
    if (entry.isDirectory()) linkTree(from, to);
    else linkSync(from, to);
  }
}
