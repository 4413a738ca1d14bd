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

/** DEFAULT_MAX_WORKSPACES is how many workspaces' blocks a worker keeps open. */
const DEFAULT_MAX_WORKSPACES = 16;

/**
 * BlockCache keeps a query worker's opened blocks between queries, per workspace (the least
 * recently queried workspaces' blocks are closed past maxWorkspaces), keyed by directory.
 * A block's index is read whole and its chunk files are held open, so a block opened
 * once stays readable after compaction deletes its directory; a listed block that is
 * gone before it could be opened makes acquire ask for a fresh list once.
 */
export class BlockCache {
  /** byWorkspace in least-recently-used order. */
  private readonly byWorkspace = new Map<string, WorkspaceBlocks>();

  constructor(private readonly maxWorkspaces = DEFAULT_MAX_WORKSPACES) {}

  /** acquire returns a workspace's listed blocks opened (reusing cached ones), closing its cached blocks no longer listed. */
  acquire(workspaceId: string, refs: readonly BlockRef[], refresh: () => readonly BlockRef[]): Block[] {
    let ws = this.byWorkspace.get(workspaceId);
    this.byWorkspace.delete(workspaceId);
    ws ??= new WorkspaceBlocks();
    this.byWorkspace.set(workspaceId, ws);
    for (const [id, old] of this.byWorkspace) {
      if (this.byWorkspace.size <= this.maxWorkspaces) break;
      old.closeAll();
      this.byWorkspace.delete(id);
    }
    const got = ws.tryAcquire(refs);
    if (got !== null) return got;
    const again = ws.tryAcquire(refresh());
    if (again !== null) return again;
    throw new Error('blocks changed twice while the query opened them; retry the query');
  }

  /** size is the number of cached blocks. */
  get size(): number {
    let n = 0;
    for (const ws of this.byWorkspace.values()) n += ws.size;
    return n;
  }

  /** closeAll closes every cached block. */
  closeAll(): void {
    for (const ws of this.byWorkspace.values()) ws.closeAll();
    this.byWorkspace.clear();
  }
}

/** WorkspaceBlocks are one workspace's opened blocks. */
class WorkspaceBlocks {
  private readonly open = new Map<string, Cached>();

  get size(): number {
    return this.open.size;
  }

  closeAll(): void {
    for (const c of this.open.values()) c.block.close();
    this.open.clear();
  }

  /** tryAcquire opens the listed blocks, or returns null when one vanished before it could be opened. */
  tryAcquire(refs: readonly BlockRef[]): Block[] | null {
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
