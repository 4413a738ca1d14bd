import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Block } from '../tsdb/block/block.js';
import type { BlockRef } from './protocol.js';

interface Cached {
  readonly block: Block;
  /** version is the tombstones file's identity when opened: deletions rewrite it, and the block is reopened. */
  readonly version: string;
}

function tombstonesVersion(dir: string): string | null {
  try {
    const st = statSync(join(dir, 'tombstones'));
    return `${st.ino}:${st.mtimeMs}:${st.size}`;
  } catch {
    return existsSync(dir) ? 'none' : null;
  }
}

/**
 * BlockCache keeps a query worker's opened blocks between queries, keyed by directory.
 * A block's index is read whole and its chunk files are held open, so a block opened
 * once stays readable after compaction deletes its directory; a listed block that is
 * gone before it could be opened makes acquire ask for a fresh list once.
 */
export class BlockCache {
  private readonly open = new Map<string, Cached>();

  /** acquire returns the listed blocks opened (reusing cached ones), closing cached blocks no longer listed. */
  acquire(refs: readonly BlockRef[], refresh: () => readonly BlockRef[]): Block[] {
    const got = this.tryAcquire(refs);
    if (got !== null) return got;
    const again = this.tryAcquire(refresh());
    if (again !== null) return again;
    throw new Error('blocks changed twice while the query opened them; retry the query');
  }

  /** size is the number of cached blocks. */
  get size(): number {
    return this.open.size;
  }

  /** closeAll closes every cached block. */
  closeAll(): void {
    for (const c of this.open.values()) c.block.close();
    this.open.clear();
  }

  private tryAcquire(refs: readonly BlockRef[]): Block[] | null {
    const out: Block[] = [];
    const listed = new Set<string>();
    for (const ref of refs) {
      listed.add(ref.dir);
      const version = tombstonesVersion(ref.dir);
      const cached = this.open.get(ref.dir);
      if (cached !== undefined && (cached.version === version || version === null)) {
        // Unchanged, or deleted after we opened it (our handles still read it).
        out.push(cached.block);
        continue;
      }
      if (version === null) return null;
      cached?.block.close();
      this.open.delete(ref.dir);
      let block: Block;
      try {
        block = Block.open(ref.dir);
      } catch (err) {
        if (!existsSync(ref.dir)) return null;
        throw err;
      }
      this.open.set(ref.dir, { block, version });
      out.push(block);
    }
    for (const [dir, c] of this.open) {
      if (listed.has(dir)) continue;
      c.block.close();
      this.open.delete(dir);
    }
    return out;
  }
}
