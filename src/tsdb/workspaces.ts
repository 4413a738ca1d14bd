import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { nopLogger, type Logger } from '../model/logger.js';
import { TSDB, type CorruptBlock, type TSDBStats } from './db.js';
import { TSDBAdmin } from './admin.js';
import type { AdminStore, WorkspaceAdmin } from '../storage/admin.js';
import type { TSDBOptions } from './options.js';

import { isValidWorkspaceId, type StorageStatus, type WorkspaceId, type WorkspaceStore } from '../storage/workspaces.js';

// WorkspaceId and its validation belong to the storage seam (src/storage/workspaces.ts).
export { isValidWorkspaceId, type WorkspaceId } from '../storage/workspaces.js';

/** WorkspaceSettings are the per-workspace storage settings, read live. */
export interface WorkspaceSettings {
  /** retention in ms. */
  retention: number;
  /** outOfOrderWindow in ms. */
  outOfOrderWindow: number;
}

/** WorkspaceStorageOptions configure the per-workspace TSDB manager. */
export interface WorkspaceStorageOptions {
  /** dataDir holds `workspaces/<id>/` for every workspace. */
  dataDir: string;
  /** settings returns a workspace's live storage settings. */
  settings: (id: WorkspaceId) => WorkspaceSettings;
  /** tsdb overrides other TSDB options (block range, sync, clock). */
  tsdb?: Partial<Omit<TSDBOptions, 'retention' | 'outOfOrderWindow' | 'logger'>>;
  logger?: Logger;
}

/** WorkspaceStorage opens one TSDB per workspace lazily, closes them cleanly and deletes them with their workspace. */
export class WorkspaceStorage implements WorkspaceStore, StorageStatus, AdminStore {
  private readonly open = new Map<WorkspaceId, Promise<TSDB>>();
  private readonly logger: Logger;

  constructor(private readonly opts: WorkspaceStorageOptions) {
    this.logger = opts.logger ?? nopLogger;
  }

  /** dirOf is the directory of a workspace's TSDB. */
  dirOf(id: WorkspaceId): string {
    if (!isValidWorkspaceId(id)) throw new Error(`invalid workspace id ${JSON.stringify(id)}`);
    return join(this.opts.dataDir, 'workspaces', id);
  }

  /** get returns the workspace's TSDB, opening it on first use (concurrent callers share one open). */
  get(id: WorkspaceId): Promise<TSDB> {
    let db = this.open.get(id);
    if (!db) {
      const dir = this.dirOf(id);
      db = TSDB.open(dir, {
        ...this.opts.tsdb,
        retention: () => this.opts.settings(id).retention,
        outOfOrderWindow: () => this.opts.settings(id).outOfOrderWindow,
        logger: this.logger,
      });
      this.open.set(id, db);
      db.catch(() => this.open.delete(id));
    }
    return db;
  }

  /** admin returns the workspace's TSDB admin API (snapshots, deletions, block upload), opening its TSDB on first use. */
  async admin(id: WorkspaceId): Promise<WorkspaceAdmin> {
    return new TSDBAdmin(await this.get(id));
  }

  /** corruptBlocks lists, per open workspace, the blocks skipped as corrupt (for /-/ready). */
  async corruptBlocks(): Promise<Record<WorkspaceId, readonly CorruptBlock[]>> {
    const out: Record<WorkspaceId, readonly CorruptBlock[]> = {};
    for (const [id, db] of this.open) {
      const c = (await db.catch(() => null))?.corrupt() ?? [];
      if (c.length > 0) out[id] = c;
    }
    return out;
  }

  /** stats returns the figures of every open workspace's TSDB. */
  async stats(): Promise<Map<WorkspaceId, TSDBStats>> {
    const out = new Map<WorkspaceId, TSDBStats>();
    for (const [id, db] of this.open) {
      const opened = await db.catch(() => null);
      if (opened) out.set(id, opened.stats());
    }
    return out;
  }

  /** close closes one workspace's TSDB if it is open. */
  async close(id: WorkspaceId): Promise<void> {
    const db = this.open.get(id);
    if (!db) return;
    this.open.delete(id);
    await (await db.catch(() => null))?.close();
  }

  /** delete closes the workspace's TSDB and removes all of its data. */
  async delete(id: WorkspaceId): Promise<void> {
    await this.close(id);
    rmSync(this.dirOf(id), { recursive: true, force: true });
  }

  /** closeAll closes every open TSDB. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.open.keys()].map((id) => this.close(id)));
  }
}
