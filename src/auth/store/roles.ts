import { parseRoleArn } from '../arn.js';
import { iamArn, inTransaction, pathMatches, tagsFromJson, type StoreContext } from './context.js';
import { IamError, noSuchEntity, validationError } from './errors.js';
import { newUniqueId } from './ids.js';
import type { RoleDetails, Tag } from './types.js';
import { checkDescription, checkName, checkPath, checkPolicyDocument, checkTags, mergeTags, removeTags } from './validate.js';

interface RoleRow {
  role_id: string;
  name: string;
  path: string;
  trust_policy: string;
  description: string | null;
  max_session_duration: number;
  created_at: number;
  tags: string;
}

/** CreateRoleInput is what CreateRole takes; maxSessionDuration is in seconds (default 3600). */
export interface CreateRoleInput {
  roleName: string;
  assumeRolePolicyDocument: string;
  path?: string;
  description?: string;
  maxSessionDuration?: number;
  tags?: Tag[];
}

function checkMaxSessionDuration(s: number): void {
  if (!Number.isInteger(s) || s < 3600 || s > 43200) throw validationError(String(s), 'maxSessionDuration', 'Member must have value between 3600 and 43200');
}

/** RolesRepo manages IAM roles and their trust policies. */
export class RolesRepo {
  constructor(private readonly ctx: StoreContext) {}

  private toRecord(r: RoleRow): RoleDetails {
    const d: RoleDetails = {
      roleId: r.role_id, roleName: r.name, path: r.path, arn: iamArn(this.ctx, 'role', r.path, r.name), trustPolicy: r.trust_policy,
      maxSessionDuration: r.max_session_duration, createdAt: r.created_at, tags: tagsFromJson(r.tags),
    };
    if (r.description !== null) d.description = r.description;
    return d;
  }

  /** create adds a role with a validated trust policy; EntityAlreadyExists when the name (ignoring case) is taken. */
  create(input: CreateRoleInput): RoleDetails {
    const path = input.path ?? '/';
    const tags = input.tags ?? [];
    const maxSessionDuration = input.maxSessionDuration ?? 3600;
    checkName(input.roleName, 'roleName', 64);
    checkPath(path);
    if (input.description !== undefined) checkDescription(input.description);
    checkMaxSessionDuration(maxSessionDuration);
    checkTags(tags);
    checkPolicyDocument(input.assumeRolePolicyDocument, 'trust');
    return inTransaction(this.ctx, () => {
      if (this.find(input.roleName)) throw new IamError('EntityAlreadyExists', `Role with name ${input.roleName} already exists.`);
      const row: RoleRow = {
        role_id: newUniqueId('AROA', this.ctx.random), name: input.roleName, path, trust_policy: input.assumeRolePolicyDocument,
        description: input.description ?? null, max_session_duration: maxSessionDuration, created_at: this.ctx.now(), tags: JSON.stringify(tags),
      };
      this.ctx.db
        .prepare('INSERT INTO auth_roles (role_id, name, path, trust_policy, description, max_session_duration, created_at, tags) VALUES (@role_id, @name, @path, @trust_policy, @description, @max_session_duration, @created_at, @tags)')
        .run(row);
      return this.toRecord(row);
    });
  }

  /** find returns the role or null. */
  find(roleName: string): RoleDetails | null {
    const r = this.ctx.db.prepare('SELECT * FROM auth_roles WHERE name = ?').get(roleName) as RoleRow | undefined;
    return r ? this.toRecord(r) : null;
  }

  /** get returns the role or throws NoSuchEntity. */
  get(roleName: string): RoleDetails {
    const r = this.find(roleName);
    if (!r) throw noSuchEntity(`The role with name ${roleName} cannot be found.`);
    return r;
  }

  /** byId returns the role with that unique id (AROA...) or null. */
  byId(roleId: string): RoleDetails | null {
    const r = this.ctx.db.prepare('SELECT * FROM auth_roles WHERE role_id = ?').get(roleId) as RoleRow | undefined;
    return r ? this.toRecord(r) : null;
  }

  /** byArn returns the role whose ARN (path included, name ignoring case) is arn, or null. */
  byArn(arn: string): RoleDetails | null {
    const a = parseRoleArn(arn);
    if (!a || a.accountId !== this.ctx.accountId) return null;
    const r = this.find(a.roleName);
    return r && r.path === a.path ? r : null;
  }

  /** list returns the roles under a path prefix, sorted by name. */
  list(pathPrefix?: string): RoleDetails[] {
    const rows = this.ctx.db.prepare('SELECT * FROM auth_roles ORDER BY name').all() as RoleRow[];
    return rows.filter((r) => pathMatches(r.path, pathPrefix)).map((r) => this.toRecord(r));
  }

  /** delete removes a role; DeleteConflict while it has inline or attached policies (as IAM). */
  delete(roleName: string): void {
    inTransaction(this.ctx, () => {
      const r = this.get(roleName);
      const count = (sql: string): number => (this.ctx.db.prepare(sql).get(r.roleId) as { n: number }).n;
      if (count("SELECT count(*) AS n FROM auth_inline_policies WHERE entity_kind = 'role' AND entity_id = ?") > 0) throw new IamError('DeleteConflict', 'Cannot delete entity, must delete policies first.');
      if (count("SELECT count(*) AS n FROM auth_attachments WHERE entity_kind = 'role' AND entity_id = ?") > 0) throw new IamError('DeleteConflict', 'Cannot delete entity, must detach all policies first.');
      this.ctx.db.prepare('DELETE FROM auth_roles WHERE role_id = ?').run(r.roleId);
    });
  }

  /** updateTrust replaces a role's trust policy after validating it. */
  updateTrust(roleName: string, document: string): void {
    checkPolicyDocument(document, 'trust');
    inTransaction(this.ctx, () => {
      const r = this.get(roleName);
      this.ctx.db.prepare('UPDATE auth_roles SET trust_policy = ? WHERE role_id = ?').run(document, r.roleId);
    });
  }

  /** update changes a role's description and/or maximum session duration. */
  update(roleName: string, changes: { description?: string; maxSessionDuration?: number }): void {
    if (changes.description !== undefined) checkDescription(changes.description);
    if (changes.maxSessionDuration !== undefined) checkMaxSessionDuration(changes.maxSessionDuration);
    inTransaction(this.ctx, () => {
      const r = this.get(roleName);
      const description = changes.description ?? r.description ?? null;
      const max = changes.maxSessionDuration ?? r.maxSessionDuration;
      this.ctx.db.prepare('UPDATE auth_roles SET description = ?, max_session_duration = ? WHERE role_id = ?').run(description, max, r.roleId);
    });
  }

  /** tag adds or overwrites tags on a role. */
  tag(roleName: string, tags: readonly Tag[]): void {
    inTransaction(this.ctx, () => {
      const r = this.get(roleName);
      this.ctx.db.prepare('UPDATE auth_roles SET tags = ? WHERE role_id = ?').run(JSON.stringify(mergeTags(r.tags, tags)), r.roleId);
    });
  }

  /** untag removes tags by key from a role. */
  untag(roleName: string, keys: readonly string[]): void {
    inTransaction(this.ctx, () => {
      const r = this.get(roleName);
      this.ctx.db.prepare('UPDATE auth_roles SET tags = ? WHERE role_id = ?').run(JSON.stringify(removeTags(r.tags, keys)), r.roleId);
    });
  }
}
