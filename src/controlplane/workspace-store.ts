import { createHash, randomUUID } from 'node:crypto';
import type { MetaDB } from '../metadb/metadb.js';
import { ARNS, type AccountScope } from '../auth/arn.js';
import type { AmphoraLimitOverrides, ConfigurationPatch } from './config-schema.js';
import { toLabelSetLimits } from './config-schema.js';
import { AmpError, conflict, notFound } from './errors.js';
import { pageByCreation } from './pagination.js';
import type { WorkspaceInfo, WorkspaceLimits, WorkspaceLookup } from './limits.js';
import { initialStatus, settledStatus } from './status.js';
import type { Tags, TagStore } from './tag-store.js';

/** WorkspaceRecord is a workspace as the control plane describes it (createdAt in ms). */
export interface WorkspaceRecord {
  readonly workspaceId: string;
  readonly alias?: string;
  readonly arn: string;
  readonly status: string;
  readonly createdAt: number;
  readonly kmsKeyArn?: string;
  readonly tags: Tags;
}

/** WorkspaceConfiguration is a workspace's stored configuration as DescribeWorkspaceConfiguration reports it. */
export interface WorkspaceConfiguration {
  readonly status: string;
  readonly retentionPeriodInDays: number;
  readonly limitsPerLabelSet: readonly { limits: { maxSeries?: number }; labelSet: Record<string, string> }[];
  readonly amphoraLimits: WorkspaceLimits;
}

/** WorkspaceStoreOptions configure the workspace store. */
export interface WorkspaceStoreOptions {
  readonly scope: AccountScope;
  readonly now: () => number;
  /** transitionDelayMs is how long CREATING/UPDATING last before ACTIVE (0 = immediately ACTIVE). */
  readonly transitionDelayMs: number;
  /** maxWorkspaces is the per-account quota (AMP default 25). */
  readonly maxWorkspaces: number;
  /** defaults are the limits of a workspace without configuration (AMP defaults). */
  readonly defaults: WorkspaceLimits;
}

/** CreateWorkspaceInput is a validated CreateWorkspace request. */
export interface CreateWorkspaceInput {
  readonly alias?: string;
  readonly tags?: Tags;
  readonly kmsKeyArn?: string;
  readonly clientToken?: string;
}

/** ListWorkspacesInput is a validated ListWorkspaces request. */
export interface ListWorkspacesInput {
  readonly alias?: string;
  readonly maxResults?: number;
  readonly nextToken?: string;
}

interface WorkspaceRow {
  id: string;
  alias: string | null;
  arn: string;
  status: string;
  status_until: number;
  created_at: number;
  kms_key_arn: string | null;
  client_token: string | null;
  request_hash: string | null;
}

interface ConfigRow {
  retention_days: number | null;
  limits_per_label_set: string;
  amphora_limits: string;
  status: string;
  status_until: number;
}

/** WORKSPACE_TYPE is the resourceType AMP errors name for workspaces. */
export const WORKSPACE_TYPE = 'AWS::APS::Workspace';

/**
 * WorkspaceStore owns workspaces and their configuration in SQLite, caches rows and merged limits in
 * memory (always written through), and implements the data plane's WorkspaceLookup.
 */
export class WorkspaceStore implements WorkspaceLookup {
  private readonly rows = new Map<string, WorkspaceRow>();
  private readonly limitsCache = new Map<string, WorkspaceLimits>();

  constructor(
    private readonly db: MetaDB,
    private readonly tags: TagStore,
    private readonly opts: WorkspaceStoreOptions,
  ) {
    for (const r of db.prepare('SELECT * FROM cp_workspaces').all() as WorkspaceRow[]) this.rows.set(r.id, r);
  }

  /** get implements WorkspaceLookup: the workspace, or null when absent or being deleted. */
  get(workspaceId: string): WorkspaceInfo | null {
    const r = this.rows.get(workspaceId);
    if (!r) return null;
    const status = this.statusOf(r);
    if (status === 'DELETING') return null;
    return { workspaceId: r.id, arn: r.arn, status, tags: this.tags.tagsOf(r.arn) };
  }

  /** limits implements WorkspaceLookup: defaults merged with the workspace's stored configuration. */
  limits(workspaceId: string): WorkspaceLimits {
    let l = this.limitsCache.get(workspaceId);
    if (l) return l;
    if (!this.rows.has(workspaceId)) return this.opts.defaults;
    const c = this.configRow(workspaceId);
    const overrides = c ? (JSON.parse(c.amphora_limits) as AmphoraLimitOverrides) : {};
    l = Object.freeze({
      ...this.opts.defaults,
      ...overrides,
      retentionPeriodInDays: c?.retention_days ?? this.opts.defaults.retentionPeriodInDays,
      limitsPerLabelSet: c ? toLabelSetLimits(JSON.parse(c.limits_per_label_set)) : this.opts.defaults.limitsPerLabelSet,
    });
    this.limitsCache.set(workspaceId, l);
    return l;
  }

  /** create adds a workspace (CREATING, or ACTIVE without a delay); a repeated clientToken returns the first result. */
  create(input: CreateWorkspaceInput): WorkspaceRecord {
    const hash = createHash('sha256').update(JSON.stringify([input.alias ?? null, input.kmsKeyArn ?? null, Object.entries(input.tags ?? {}).sort()])).digest('hex');
    return this.db.transaction(() => {
      if (input.clientToken !== undefined) {
        const prior = this.db.prepare('SELECT * FROM cp_workspaces WHERE client_token = ?').get(input.clientToken) as WorkspaceRow | undefined;
        if (prior) {
          if (prior.request_hash !== hash) throw conflict(WORKSPACE_TYPE, prior.id, 'The clientToken was already used with different parameters');
          return this.record(prior);
        }
      }
      const count = (this.db.prepare('SELECT COUNT(*) AS n FROM cp_workspaces').get() as { n: number }).n;
      if (count >= this.opts.maxWorkspaces) {
        throw new AmpError({
          kind: 'ServiceQuotaExceededException',
          message: `Workspaces per account limit of ${this.opts.maxWorkspaces} exceeded; delete a workspace or raise the limit (controlPlane.maxWorkspaces)`,
          resourceId: this.opts.scope.accountId,
          resourceType: WORKSPACE_TYPE,
          serviceCode: 'aps',
          quotaCode: 'workspaces-per-account',
        });
      }
      const now = this.opts.now();
      const id = `ws-${randomUUID()}`;
      const row: WorkspaceRow = {
        id,
        alias: input.alias ?? null,
        arn: ARNS.workspace(this.opts.scope, id),
        status: initialStatus('CREATING', this.opts.transitionDelayMs),
        status_until: now + this.opts.transitionDelayMs,
        created_at: now,
        kms_key_arn: input.kmsKeyArn ?? null,
        client_token: input.clientToken ?? null,
        request_hash: hash,
      };
      this.db
        .prepare('INSERT INTO cp_workspaces (id, alias, arn, status, status_until, created_at, kms_key_arn, client_token, request_hash) VALUES (@id, @alias, @arn, @status, @status_until, @created_at, @kms_key_arn, @client_token, @request_hash)')
        .run(row);
      if (input.tags && Object.keys(input.tags).length > 0) this.tags.tag(row.arn, input.tags);
      this.rows.set(id, row);
      return this.record(row);
    })();
  }

  /** describe returns a workspace or throws ResourceNotFoundException. */
  describe(workspaceId: string): WorkspaceRecord {
    return this.record(this.row(workspaceId));
  }

  /** exists reports whether a workspace exists (in any status). */
  exists(workspaceId: string): boolean {
    return this.rows.has(workspaceId);
  }

  /** list returns workspaces by creation time, filtered by alias prefix, paginated with an opaque nextToken. */
  list(input: ListWorkspacesInput): { workspaces: WorkspaceRecord[]; nextToken?: string } {
    const rows = [...this.rows.values()].filter((r) => input.alias === undefined || (r.alias ?? '').startsWith(input.alias));
    const { page, nextToken } = pageByCreation(rows, (r) => ({ c: r.created_at, i: r.id }), input.maxResults ?? 100, input.nextToken);
    return { workspaces: page.map((r) => this.record(r)), ...(nextToken ? { nextToken } : {}) };
  }

  /** updateAlias sets (or, with undefined, clears) a workspace's alias. */
  updateAlias(workspaceId: string, alias: string | undefined): void {
    const r = this.mutable(workspaceId);
    this.db.prepare('UPDATE cp_workspaces SET alias = ? WHERE id = ?').run(alias ?? null, r.id);
    this.rows.set(r.id, { ...r, alias: alias ?? null });
  }

  /** markDeleting moves a workspace to DELETING (ConflictException when it already is). */
  markDeleting(workspaceId: string): WorkspaceRecord {
    const r = this.mutable(workspaceId);
    this.db.prepare("UPDATE cp_workspaces SET status = 'DELETING' WHERE id = ?").run(r.id);
    const next = { ...r, status: 'DELETING' };
    this.rows.set(r.id, next);
    this.limitsCache.delete(r.id);
    return this.record(next);
  }

  /** deleting lists workspaces whose deletion has not finished (resumed after a restart). */
  deleting(): string[] {
    return [...this.rows.values()].filter((r) => r.status === 'DELETING').map((r) => r.id);
  }

  /** remove deletes a workspace's rows (configuration, policy and logging cascade; tags by ARN). */
  remove(workspaceId: string): void {
    const r = this.rows.get(workspaceId);
    if (!r) return;
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM cp_workspaces WHERE id = ?').run(workspaceId);
      this.db.prepare("DELETE FROM cp_tags WHERE arn = ? OR arn LIKE ? ESCAPE '\\'").run(r.arn, `${r.arn.replace(/[\\%_]/g, '\\$&').replace('workspace/', '%/')}/%`);
    })();
    this.tags.removeAll(r.arn);
    this.rows.delete(workspaceId);
    this.limitsCache.delete(workspaceId);
  }

  /** configuration returns DescribeWorkspaceConfiguration's view. */
  configuration(workspaceId: string): WorkspaceConfiguration {
    const r = this.row(workspaceId);
    const c = this.configRow(r.id);
    return {
      status: c ? settledStatus(c.status, c.status_until, this.opts.now()) : 'ACTIVE',
      retentionPeriodInDays: c?.retention_days ?? this.opts.defaults.retentionPeriodInDays,
      limitsPerLabelSet: c ? JSON.parse(c.limits_per_label_set) : [],
      amphoraLimits: this.limits(r.id),
    };
  }

  /** updateConfiguration applies a patch (absent fields keep their values); ConflictException while an update is in progress. */
  updateConfiguration(workspaceId: string, patch: ConfigurationPatch): string {
    const r = this.mutable(workspaceId);
    const now = this.opts.now();
    const c = this.configRow(r.id);
    if (c && settledStatus(c.status, c.status_until, now) === 'UPDATING') {
      throw conflict(WORKSPACE_TYPE, r.id, `The configuration of workspace ${r.id} is being updated; retry when its status is ACTIVE`);
    }
    const retention = patch.retentionPeriodInDays ?? c?.retention_days ?? null;
    const lpls = JSON.stringify(patch.limitsPerLabelSet ?? (c ? JSON.parse(c.limits_per_label_set) : []));
    const amph = JSON.stringify({ ...(c ? (JSON.parse(c.amphora_limits) as AmphoraLimitOverrides) : {}), ...(patch.amphoraLimits ?? {}) });
    const status = initialStatus('UPDATING', this.opts.transitionDelayMs);
    this.db
      .prepare(
        `INSERT INTO cp_workspace_config (workspace_id, retention_days, limits_per_label_set, amphora_limits, status, status_until, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (workspace_id) DO UPDATE SET retention_days = excluded.retention_days, limits_per_label_set = excluded.limits_per_label_set,
           amphora_limits = excluded.amphora_limits, status = excluded.status, status_until = excluded.status_until, updated_at = excluded.updated_at`,
      )
      .run(r.id, retention, lpls, amph, status, now + this.opts.transitionDelayMs, now);
    this.limitsCache.delete(r.id);
    return status;
  }

  /** row returns a workspace's row or throws ResourceNotFoundException. */
  private row(workspaceId: string): WorkspaceRow {
    const r = this.rows.get(workspaceId);
    if (!r) throw notFound(WORKSPACE_TYPE, workspaceId, `Workspace ${workspaceId} not found`);
    return r;
  }

  /** mutable returns a workspace that may change, or throws (not found, or ConflictException while deleting). */
  private mutable(workspaceId: string): WorkspaceRow {
    const r = this.row(workspaceId);
    if (r.status === 'DELETING') throw conflict(WORKSPACE_TYPE, r.id, `Workspace ${r.id} is being deleted`);
    return r;
  }

  private configRow(workspaceId: string): ConfigRow | undefined {
    return this.db.prepare('SELECT retention_days, limits_per_label_set, amphora_limits, status, status_until FROM cp_workspace_config WHERE workspace_id = ?').get(workspaceId) as
      | ConfigRow
      | undefined;
  }

  /** statusOf settles CREATING into ACTIVE once its delay has passed, persisting the change. */
  private statusOf(r: WorkspaceRow): string {
    const s = settledStatus(r.status, r.status_until, this.opts.now());
    if (s !== r.status) {
      this.db.prepare('UPDATE cp_workspaces SET status = ? WHERE id = ? AND status = ?').run(s, r.id, r.status);
      this.rows.set(r.id, { ...r, status: s });
    }
    return s;
  }

  private record(r: WorkspaceRow): WorkspaceRecord {
    return {
      workspaceId: r.id,
      ...(r.alias !== null ? { alias: r.alias } : {}),
      arn: r.arn,
      status: this.statusOf(r),
      createdAt: r.created_at,
      ...(r.kms_key_arn !== null ? { kmsKeyArn: r.kms_key_arn } : {}),
      tags: this.tags.tagsOf(r.arn),
    };
  }
}
