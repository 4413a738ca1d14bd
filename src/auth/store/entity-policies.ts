import { POLICY_SIZE_LIMITS } from '../policy/parse.js';
import { inTransaction, pathMatches, type StoreContext } from './context.js';
import { IamError, noSuchEntity } from './errors.js';
import type { GroupsRepo } from './groups.js';
import type { ManagedPoliciesRepo } from './managed-policies.js';
import type { RolesRepo } from './roles.js';
import type { AttachedPolicyRef, EntityKind } from './types.js';
import type { UsersRepo } from './users.js';
import { checkName, checkPolicyDocument, policySize } from './validate.js';

/** MAX_ATTACHED_POLICIES is IAM's default quota of managed policies attached to one user, group or role. */
export const MAX_ATTACHED_POLICIES = 10;

const INLINE_LIMIT: Record<EntityKind, number> = { user: POLICY_SIZE_LIMITS.userInline, group: POLICY_SIZE_LIMITS.groupInline, role: POLICY_SIZE_LIMITS.roleInline };
const QUOTA_NAME: Record<EntityKind, string> = { user: 'PoliciesPerUser', group: 'PoliciesPerGroup', role: 'PoliciesPerRole' };

/** EntityPoliciesRepo manages managed-policy attachments and inline policies of users, groups and roles. */
export class EntityPoliciesRepo {
  constructor(
    private readonly ctx: StoreContext,
    private readonly repos: { users: UsersRepo; groups: GroupsRepo; roles: RolesRepo; policies: ManagedPoliciesRepo },
  ) {}

  /** entityId resolves an identity by kind and name to its unique id (NoSuchEntity when absent). */
  entityId(kind: EntityKind, name: string): string {
    switch (kind) {
      case 'user':
        return this.repos.users.get(name).userId;
      case 'group':
        return this.repos.groups.get(name).groupId;
      case 'role':
        return this.repos.roles.get(name).roleId;
      default:
        return assertNever(kind);
    }
  }

  /** attach attaches a customer or AWS managed policy (idempotent); LimitExceeded past ten per identity. */
  attach(kind: EntityKind, name: string, policyArn: string): void {
    inTransaction(this.ctx, () => {
      const id = this.entityId(kind, name);
      this.repos.policies.get(policyArn);
      const attached = this.ctx.db.prepare('SELECT 1 FROM auth_attachments WHERE entity_kind = ? AND entity_id = ? AND policy_arn = ?').get(kind, id, policyArn);
      if (attached) return;
      const n = (this.ctx.db.prepare('SELECT count(*) AS n FROM auth_attachments WHERE entity_kind = ? AND entity_id = ?').get(kind, id) as { n: number }).n;
      if (n >= MAX_ATTACHED_POLICIES) throw new IamError('LimitExceeded', `Cannot exceed quota for ${QUOTA_NAME[kind]}: ${MAX_ATTACHED_POLICIES}`);
      this.ctx.db.prepare('INSERT INTO auth_attachments (entity_kind, entity_id, policy_arn, attached_at) VALUES (?, ?, ?, ?)').run(kind, id, policyArn, this.ctx.now());
    });
  }

  /** detach removes an attachment; NoSuchEntity when the policy is not attached. */
  detach(kind: EntityKind, name: string, policyArn: string): void {
    inTransaction(this.ctx, () => {
      const id = this.entityId(kind, name);
      const r = this.ctx.db.prepare('DELETE FROM auth_attachments WHERE entity_kind = ? AND entity_id = ? AND policy_arn = ?').run(kind, id, policyArn);
      if (r.changes === 0) throw noSuchEntity(`Policy ${policyArn} was not found.`);
    });
  }

  /** listAttached returns an identity's attached managed policies, sorted by name. */
  listAttached(kind: EntityKind, name: string, pathPrefix?: string): AttachedPolicyRef[] {
    return this.attachedById(kind, this.entityId(kind, name), pathPrefix);
  }

  /** attachedById returns the managed policies attached to an identity given its unique id. */
  attachedById(kind: EntityKind, id: string, pathPrefix?: string): AttachedPolicyRef[] {
    const arns = this.ctx.db.prepare('SELECT policy_arn FROM auth_attachments WHERE entity_kind = ? AND entity_id = ?').all(kind, id) as { policy_arn: string }[];
    const out: AttachedPolicyRef[] = [];
    for (const { policy_arn } of arns) {
      const p = this.repos.policies.find(policy_arn);
      if (p && pathMatches(p.path, pathPrefix)) out.push({ policyName: p.policyName, policyArn: p.arn });
    }
    return out.sort((a, b) => (a.policyName < b.policyName ? -1 : a.policyName > b.policyName ? 1 : 0));
  }

  /** putInline creates or replaces an inline policy after validating it (size quota by identity kind). */
  putInline(kind: EntityKind, name: string, policyName: string, document: string): void {
    checkName(policyName, 'policyName', 128);
    checkPolicyDocument(document, 'identity', INLINE_LIMIT[kind]);
    inTransaction(this.ctx, () => {
      const id = this.entityId(kind, name);
      // IAM's inline quota is the aggregate size of all of an identity's inline policies.
      let total = policySize(document);
      for (const p of this.inlineById(kind, id)) if (p.name !== policyName) total += policySize(p.document);
      if (total > INLINE_LIMIT[kind]) throw new IamError('LimitExceeded', `Maximum policy size of ${INLINE_LIMIT[kind]} bytes exceeded for ${kind} ${name}`);
      this.ctx.db
        .prepare('INSERT INTO auth_inline_policies (entity_kind, entity_id, name, document) VALUES (?, ?, ?, ?) ON CONFLICT (entity_kind, entity_id, name) DO UPDATE SET document = excluded.document')
        .run(kind, id, policyName, document);
    });
  }

  /** getInline returns an inline policy's document; NoSuchEntity when absent. */
  getInline(kind: EntityKind, name: string, policyName: string): string {
    const id = this.entityId(kind, name);
    const r = this.ctx.db.prepare('SELECT document FROM auth_inline_policies WHERE entity_kind = ? AND entity_id = ? AND name = ?').get(kind, id, policyName) as { document: string } | undefined;
    if (!r) throw noSuchEntity(`The ${kind} policy with name ${policyName} cannot be found.`);
    return r.document;
  }

  /** deleteInline removes an inline policy; NoSuchEntity when absent. */
  deleteInline(kind: EntityKind, name: string, policyName: string): void {
    inTransaction(this.ctx, () => {
      const id = this.entityId(kind, name);
      const r = this.ctx.db.prepare('DELETE FROM auth_inline_policies WHERE entity_kind = ? AND entity_id = ? AND name = ?').run(kind, id, policyName);
      if (r.changes === 0) throw noSuchEntity(`The ${kind} policy with name ${policyName} cannot be found.`);
    });
  }

  /** listInline returns an identity's inline policy names, sorted. */
  listInline(kind: EntityKind, name: string): string[] {
    return this.inlineById(kind, this.entityId(kind, name)).map((p) => p.name);
  }

  /** inlineById returns an identity's inline policies given its unique id, sorted by name. */
  inlineById(kind: EntityKind, id: string): { name: string; document: string }[] {
    return this.ctx.db.prepare('SELECT name, document FROM auth_inline_policies WHERE entity_kind = ? AND entity_id = ? ORDER BY name').all(kind, id) as { name: string; document: string }[];
  }
}

function assertNever(x: never): never {
  throw new Error(`unhandled entity kind ${String(x)}`);
}
