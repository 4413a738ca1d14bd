import { iamArn, inTransaction, pathMatches, tagsFromJson, type StoreContext } from './context.js';
import { IamError, noSuchEntity } from './errors.js';
import { newUniqueId } from './ids.js';
import type { Tag, UserRecord } from './types.js';
import { checkName, checkPath, checkTags, mergeTags, removeTags } from './validate.js';

interface UserRow {
  user_id: string;
  name: string;
  path: string;
  created_at: number;
  tags: string;
}

/** CreateUserInput is what CreateUser takes. */
export interface CreateUserInput {
  userName: string;
  path?: string;
  tags?: Tag[];
}

/** UsersRepo manages IAM users. */
export class UsersRepo {
  constructor(private readonly ctx: StoreContext) {}

  private toRecord(r: UserRow): UserRecord {
    return { userId: r.user_id, userName: r.name, path: r.path, arn: iamArn(this.ctx, 'user', r.path, r.name), createdAt: r.created_at, tags: tagsFromJson(r.tags) };
  }

  /** create adds a user; EntityAlreadyExists when the name (ignoring case) is taken. */
  create(input: CreateUserInput): UserRecord {
    const path = input.path ?? '/';
    const tags = input.tags ?? [];
    checkName(input.userName, 'userName', 64);
    checkPath(path);
    checkTags(tags);
    return inTransaction(this.ctx, () => {
      if (this.find(input.userName)) throw new IamError('EntityAlreadyExists', `User with name ${input.userName} already exists.`);
      const row: UserRow = { user_id: newUniqueId('AIDA', this.ctx.random), name: input.userName, path, created_at: this.ctx.now(), tags: JSON.stringify(tags) };
      this.ctx.db.prepare('INSERT INTO auth_users (user_id, name, path, created_at, tags) VALUES (@user_id, @name, @path, @created_at, @tags)').run(row);
      return this.toRecord(row);
    });
  }

  /** find returns the user (name compared ignoring case) or null. */
  find(userName: string): UserRecord | null {
    const r = this.ctx.db.prepare('SELECT * FROM auth_users WHERE name = ?').get(userName) as UserRow | undefined;
    return r ? this.toRecord(r) : null;
  }

  /** get returns the user or throws NoSuchEntity. */
  get(userName: string): UserRecord {
    const u = this.find(userName);
    if (!u) throw noSuchEntity(`The user with name ${userName} cannot be found.`);
    return u;
  }

  /** byId returns the user with that unique id (AIDA...) or null. */
  byId(userId: string): UserRecord | null {
    const r = this.ctx.db.prepare('SELECT * FROM auth_users WHERE user_id = ?').get(userId) as UserRow | undefined;
    return r ? this.toRecord(r) : null;
  }

  /** list returns the users under a path prefix, sorted by name. */
  list(pathPrefix?: string): UserRecord[] {
    const rows = this.ctx.db.prepare('SELECT * FROM auth_users ORDER BY name').all() as UserRow[];
    return rows.filter((r) => pathMatches(r.path, pathPrefix)).map((r) => this.toRecord(r));
  }

  /** delete removes a user; DeleteConflict while it still has access keys, service-specific credentials, policies or group memberships (as IAM). */
  delete(userName: string): void {
    inTransaction(this.ctx, () => {
      const u = this.get(userName);
      const count = (sql: string): number => (this.ctx.db.prepare(sql).get(u.userId) as { n: number }).n;
      if (count('SELECT count(*) AS n FROM auth_access_keys WHERE user_id = ?') > 0) throw new IamError('DeleteConflict', 'Cannot delete entity, must delete access keys first.');
      if (count("SELECT count(*) AS n FROM auth_inline_policies WHERE entity_kind = 'user' AND entity_id = ?") > 0) throw new IamError('DeleteConflict', 'Cannot delete entity, must delete policies first.');
      if (count("SELECT count(*) AS n FROM auth_attachments WHERE entity_kind = 'user' AND entity_id = ?") > 0) throw new IamError('DeleteConflict', 'Cannot delete entity, must detach all policies first.');
      if (count('SELECT count(*) AS n FROM auth_group_members WHERE user_id = ?') > 0) throw new IamError('DeleteConflict', 'Cannot delete entity, must remove users from group first.');
      if (count('SELECT count(*) AS n FROM auth_service_credentials WHERE user_id = ?') > 0) throw new IamError('DeleteConflict', 'Cannot delete entity, must delete service specific credentials first.');
      this.ctx.db.prepare('DELETE FROM auth_users WHERE user_id = ?').run(u.userId);
    });
  }

  /** tag adds or overwrites tags on a user. */
  tag(userName: string, tags: readonly Tag[]): void {
    inTransaction(this.ctx, () => {
      const u = this.get(userName);
      this.ctx.db.prepare('UPDATE auth_users SET tags = ? WHERE user_id = ?').run(JSON.stringify(mergeTags(u.tags, tags)), u.userId);
    });
  }

  /** untag removes tags by key from a user. */
  untag(userName: string, keys: readonly string[]): void {
    inTransaction(this.ctx, () => {
      const u = this.get(userName);
      this.ctx.db.prepare('UPDATE auth_users SET tags = ? WHERE user_id = ?').run(JSON.stringify(removeTags(u.tags, keys)), u.userId);
    });
  }
}
