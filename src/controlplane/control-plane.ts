import { migrate, type MetaDB } from '../metadb/metadb.js';
import { nopLogger, type Logger } from '../model/logger.js';
import { parseApsArn, workspaceIdOfArn, type AccountScope, type ApsArn } from '../auth/arn.js';
import { defaultWorkspaceLimits, type WorkspaceLimits } from './limits.js';
import { LoggingStore } from './logging-store.js';
import { WorkspaceLogSink } from './log-sink.js';
import { PolicyStore } from './policy-store.js';
import { ScraperStore, type SourceProbe } from './scraper-store.js';
import { CONTROLPLANE_MODULE, controlPlaneMigrations } from './schema.js';
import { TagStore, type Tags } from './tag-store.js';
import { WorkspaceStore, type WorkspaceRecord } from './workspace-store.js';

/** WorkspaceDataRemover deletes a workspace's data (WorkspaceStorage satisfies it). */
export interface WorkspaceDataRemover {
  delete(workspaceId: string): Promise<void>;
}

/** DeletionHook removes what another module keeps for a workspace (rules, alertmanager state, scraper destinations). */
export type DeletionHook = (workspaceId: string) => Promise<void> | void;

/** ControlPlaneOptions configure the control plane. */
export interface ControlPlaneOptions {
  readonly db: MetaDB;
  readonly region: string;
  readonly accountId: string;
  /** storage removes a workspace's TSDB when its deletion completes. */
  readonly storage?: WorkspaceDataRemover;
  /** dataDir enables the WorkspaceLogSink under `<dataDir>/logs/`. */
  readonly dataDir?: string;
  readonly now?: () => number;
  /** transitionDelayMs is how long CREATING/UPDATING last (default 1000 ms; 0 = immediately ACTIVE). */
  readonly transitionDelayMs?: number;
  /** deletionDelayMs is how long a workspace stays DELETING before its data is removed (default 1000 ms). */
  readonly deletionDelayMs?: number;
  /** maxWorkspaces is the per-account quota (default 25, as AMP). */
  readonly maxWorkspaces?: number;
  /** defaults are the limits of unconfigured workspaces (default: AMP's). */
  readonly defaults?: WorkspaceLimits;
  readonly logger?: Logger;
  /** maxScrapers is the per-account scraper quota (default 10, as AMP). */
  readonly maxScrapers?: number;
  /** scraperProbe checks a scraper's source cluster before it turns ACTIVE (absent: every source is accepted). */
  readonly scraperProbe?: SourceProbe;
}

/** TaggableExists reports whether an aps resource of a registered type exists. */
export type TaggableExists = (arn: ApsArn) => boolean;

/**
 * ControlPlane is the AMP control plane's state: workspaces with configuration, resource policies,
 * tags and logging in the shared SQLite DB, the workspace lifecycle, and the WorkspaceLookup (`workspaces`).
 */
export class ControlPlane {
  /** workspaces is also the data plane's WorkspaceLookup. */
  readonly workspaces: WorkspaceStore;
  readonly policies: PolicyStore;
  readonly tags: TagStore;
  readonly logging: LoggingStore;
  /** scrapers are the managed collectors' definitions and lifecycle. */
  readonly scrapers: ScraperStore;
  /** logSink writes workspace logs (null without a dataDir). */
  readonly logSink: WorkspaceLogSink | null;
  readonly scope: AccountScope;
  private readonly hooks: DeletionHook[] = [];
  private readonly taggable = new Map<string, TaggableExists>();
  private readonly pending = new Map<string, Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly logger: Logger;
  private readonly deletionDelayMs: number;
  private closed = false;

  constructor(private readonly opts: ControlPlaneOptions) {
    migrate(opts.db, CONTROLPLANE_MODULE, controlPlaneMigrations);
    const now = opts.now ?? Date.now;
    const transitionDelayMs = opts.transitionDelayMs ?? 1000;
    this.deletionDelayMs = opts.deletionDelayMs ?? 1000;
    this.logger = opts.logger ?? nopLogger;
    this.scope = { region: opts.region, accountId: opts.accountId };
    this.tags = new TagStore(opts.db);
    this.workspaces = new WorkspaceStore(opts.db, this.tags, {
      scope: this.scope,
      now,
      transitionDelayMs,
      maxWorkspaces: opts.maxWorkspaces ?? 25,
      defaults: opts.defaults ?? defaultWorkspaceLimits(),
    });
    this.policies = new PolicyStore(opts.db, { now, transitionDelayMs });
    this.logging = new LoggingStore(opts.db, { now, transitionDelayMs });
    this.scrapers = new ScraperStore(opts.db, this.tags, {
      scope: this.scope,
      now,
      transitionDelayMs,
      maxScrapers: opts.maxScrapers ?? 10,
      ...(opts.scraperProbe ? { probe: opts.scraperProbe } : {}),
    });
    this.taggable.set('scraper', (a) => this.scrapers.exists(a.resourcePath));
    this.logSink = opts.dataDir !== undefined ? new WorkspaceLogSink({ dataDir: opts.dataDir, configs: this.logging, now, logger: this.logger }) : null;
    this.taggable.set('workspace', (a) => !a.resourcePath.includes('/') && this.workspaces.exists(a.resourcePath));
    for (const id of this.workspaces.deleting()) this.scheduleDeletion(id, 0);
  }

  /** addDeletionHook registers cleanup another module runs when a workspace's deletion completes. */
  addDeletionHook(hook: DeletionHook): void {
    this.hooks.push(hook);
  }

  /** registerTaggable makes another aps resource type (scraper, rulegroupsnamespace, ...) taggable. */
  registerTaggable(resourceType: string, exists: TaggableExists): void {
    this.taggable.set(resourceType, exists);
  }

  /** taggableExists reports whether an ARN names an existing taggable resource of this account and region. */
  taggableExists(arn: string): boolean {
    const a = parseApsArn(arn);
    if (!a || a.region !== this.scope.region || a.accountId !== this.scope.accountId) return false;
    const exists = this.taggable.get(a.resourceType);
    return exists !== undefined && exists(a);
  }

  /** deleteWorkspace starts a deletion: DELETING now, data and metadata removed after deletionDelayMs. */
  deleteWorkspace(workspaceId: string): WorkspaceRecord {
    const r = this.workspaces.markDeleting(workspaceId);
    this.scheduleDeletion(workspaceId, this.deletionDelayMs);
    return r;
  }

  /** resourcePolicy returns the resource policy governing an ARN (its workspace's), for the identity module. */
  resourcePolicy(arn: string): string | null {
    const id = workspaceIdOfArn(arn);
    return id === null ? null : this.policies.documentOf(id);
  }

  /** resourceTags returns an ARN's tags, for aws:ResourceTag/* conditions. */
  resourceTags(arn: string): Tags {
    return this.tags.tagsOf(arn);
  }

  /** whenIdle resolves once every pending deletion has finished (tests, shutdown). */
  async whenIdle(): Promise<void> {
    await this.scrapers.whenIdle();
    while (this.pending.size > 0) await Promise.allSettled([...this.pending.values()]);
  }

  /** close cancels scheduled work that has not started (a restart resumes it). */
  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const [id, p] of this.pending) void p.catch(() => this.logger.warn({ workspaceId: id }, 'workspace deletion interrupted'));
  }

  private scheduleDeletion(workspaceId: string, delayMs: number): void {
    if (this.pending.has(workspaceId) || this.closed) return;
    const p = new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        this.finishDeletion(workspaceId).then(resolve, (err: unknown) => {
          this.logger.error({ err, workspaceId }, 'workspace deletion failed; retrying in 10s');
          resolve();
          this.pending.delete(workspaceId);
          this.scheduleDeletion(workspaceId, 10_000);
        });
      }, delayMs);
      t.unref();
      this.timers.add(t);
    }).finally(() => {
      if (this.pending.get(workspaceId) === p) this.pending.delete(workspaceId);
    });
    this.pending.set(workspaceId, p);
  }

  private async finishDeletion(workspaceId: string): Promise<void> {
    if (this.closed) return;
    await this.opts.storage?.delete(workspaceId);
    for (const h of this.hooks) await h(workspaceId);
    this.logSink?.removeWorkspace(workspaceId);
    this.workspaces.remove(workspaceId);
    this.policies.forget(workspaceId);
    this.logging.forget(workspaceId);
    this.logger.info({ workspaceId }, 'workspace deleted');
  }
}
