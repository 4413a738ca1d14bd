import { randomUUID } from 'node:crypto';
import type { MetaDB } from '../metadb/metadb.js';
import { conflict, notFound } from './errors.js';
import { initialStatus, settledStatus } from './status.js';

/** ResourcePolicy is a workspace's resource-based policy with its optimistic-concurrency revision. */
export interface ResourcePolicy {
  readonly policyDocument: string;
  readonly policyStatus: string;
  readonly revisionId: string;
}

/** POLICY_TYPE is the resourceType AMP errors name for resource policies. */
export const POLICY_TYPE = 'AWS::APS::ResourcePolicy';

interface PolicyRow {
  document: string;
  revision_id: string;
  status: string;
  status_until: number;
}

/** PolicyStore keeps one resource policy per workspace in SQLite (cached, written through). */
export class PolicyStore {
  private readonly cache = new Map<string, PolicyRow | null>();

  constructor(
    private readonly db: MetaDB,
    private readonly opts: { now: () => number; transitionDelayMs: number },
  ) {}

  /** describe returns the workspace's policy or throws ResourceNotFoundException. */
  describe(workspaceId: string): ResourcePolicy {
    const r = this.row(workspaceId);
    if (!r) throw notFound(POLICY_TYPE, workspaceId, `No resource policy found for workspace ${workspaceId}`);
    return { policyDocument: r.document, policyStatus: settledStatus(r.status, r.status_until, this.opts.now()), revisionId: r.revision_id };
  }

  /** documentOf returns the policy document text for evaluation, or null when the workspace has none. */
  documentOf(workspaceId: string): string | null {
    return this.row(workspaceId)?.document ?? null;
  }

  /** put creates or replaces the policy; a given revisionId must match the current one (ConflictException otherwise). */
  put(workspaceId: string, document: string, revisionId: string | undefined): ResourcePolicy {
    const cur = this.row(workspaceId);
    if (revisionId !== undefined && cur?.revision_id !== revisionId) {
      throw conflict(POLICY_TYPE, workspaceId, cur ? `The revisionId ${revisionId} does not match the current revision of the resource policy` : `Workspace ${workspaceId} has no resource policy with revisionId ${revisionId}`);
    }
    const now = this.opts.now();
    const row: PolicyRow = {
      document,
      revision_id: randomUUID(),
      status: initialStatus(cur ? 'UPDATING' : 'CREATING', this.opts.transitionDelayMs),
      status_until: now + this.opts.transitionDelayMs,
    };
    this.db
      .prepare(
        `INSERT INTO cp_resource_policies (workspace_id, document, revision_id, status, status_until, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (workspace_id) DO UPDATE SET document = excluded.document, revision_id = excluded.revision_id, status = excluded.status,
           status_until = excluded.status_until, updated_at = excluded.updated_at`,
      )
      .run(workspaceId, row.document, row.revision_id, row.status, row.status_until, now);
    this.cache.set(workspaceId, row);
    return { policyDocument: document, policyStatus: row.status, revisionId: row.revision_id };
  }

  /** delete removes the policy (ResourceNotFoundException when none; ConflictException on a revision mismatch). */
  delete(workspaceId: string, revisionId: string | undefined): void {
    const cur = this.row(workspaceId);
    if (!cur) throw notFound(POLICY_TYPE, workspaceId, `No resource policy found for workspace ${workspaceId}`);
    if (revisionId !== undefined && revisionId !== cur.revision_id) {
      throw conflict(POLICY_TYPE, workspaceId, `The revisionId ${revisionId} does not match the current revision of the resource policy`);
    }
    this.db.prepare('DELETE FROM cp_resource_policies WHERE workspace_id = ?').run(workspaceId);
    this.cache.set(workspaceId, null);
  }

  /** forget drops the cache entry of a deleted workspace (its row went with the workspace). */
  forget(workspaceId: string): void {
    this.cache.delete(workspaceId);
  }

  private row(workspaceId: string): PolicyRow | null {
    let r = this.cache.get(workspaceId);
    if (r === undefined) {
      r = (this.db.prepare('SELECT document, revision_id, status, status_until FROM cp_resource_policies WHERE workspace_id = ?').get(workspaceId) as PolicyRow | undefined) ?? null;
      this.cache.set(workspaceId, r);
    }
    return r;
  }
}
