import { iamArn, inTransaction, pathMatches, type StoreContext } from './context.js';
import { IamError, noSuchEntity } from './errors.js';
import { newUniqueId } from './ids.js';
import type { GroupRecord, UserRecord } from './types.js';
import type { UsersRepo } from './users.js';
import { checkName, checkPath } from './validate.js';

interface GroupRow {
  group_id: string;
  name: string;
  path: string;
  created_at: number;
}

/** GroupsRepo manages IAM groups and their members. */
export class GroupsRepo {
  constructor(
    private readonly ctx: StoreContext,
    private readonly users: UsersRepo,
  ) {}

  private toRecord(r: GroupRow): GroupRecord {
    return { groupId: r.group_id, groupName: r.name, path: r.path, arn: iamArn(this.ctx, 'group', r.path, r.name), createdAt: r.created_at };
  }

  /** create adds a group; EntityAlreadyExists when the name (ignoring case) is taken. */
  create(groupName: string, path = '/'): GroupRecord {
    checkName(groupName, 'groupName', 128);
    checkPath(path);
    return inTransaction(this.ctx, () => {
      if (this.find(groupName)) throw new IamError('EntityAlreadyExists', `Group with name ${groupName} already exists.`);
      const row: GroupRow = { group_id: newUniqueId('AGPA', this.ctx.random), name: groupName, path, created_at: this.ctx.now() };
      this.ctx.db.prepare('INSERT INTO auth_groups (group_id, name, path, created_at) VALUES (@group_id, @name, @path, @created_at)').run(row);
      return this.toRecord(row);
    });
  }

  /** find returns the group or null. */
  find(groupName: string): GroupRecord | null {
    const r = this.ctx.db.prepare('SELECT * FROM auth_groups WHERE name = ?').get(groupName) as GroupRow | undefined;
    return r ? this.toRecord(r) : null;
  }

  /** get returns the group or throws NoSuchEntity. */
  get(groupName: string): GroupRecord {
    const g = this.find(groupName);
    if (!g) throw noSuchEntity(`The group with name ${groupName} cannot be found.`);
    return g;
  }

  /** list returns the groups under a path prefix, sorted by name. */
  list(pathPrefix?: string): GroupRecord[] {
    const rows = this.ctx.db.prepare('SELECT * FROM auth_groups ORDER BY name').all() as GroupRow[];
    return rows.filter((r) => pathMatches(r.path, pathPrefix)).map((r) => this.toRecord(r));
  }

  /** delete removes a group; DeleteConflict while it has members or policies (as IAM). */
  delete(groupName: string): void {
    inTransaction(this.ctx, () => {
      const g = this.get(groupName);
      const count = (sql: string): number => (this.ctx.db.prepare(sql).get(g.groupId) as { n: number }).n;
      if (count('SELECT count(*) AS n FROM auth_group_members WHERE group_id = ?') > 0) throw new IamError('DeleteConflict', 'Cannot delete entity, must remove users from group first.');
      if (count("SELECT count(*) AS n FROM auth_inline_policies WHERE entity_kind = 'group' AND entity_id = ?") > 0) throw new IamError('DeleteConflict', 'Cannot delete entity, must delete policies first.');
      if (count("SELECT count(*) AS n FROM auth_attachments WHERE entity_kind = 'group' AND entity_id = ?") > 0) throw new IamError('DeleteConflict', 'Cannot delete entity, must detach all policies first.');
      this.ctx.db.prepare('DELETE FROM auth_groups WHERE group_id = ?').run(g.groupId);
    });
  }

  /** addUser makes a user a member of a group (idempotent, as IAM). */
  addUser(groupName: string, userName: string): void {
    inTransaction(this.ctx, () => {
      const g = this.get(groupName);
      const u = this.users.get(userName);
      this.ctx.db.prepare('INSERT OR IGNORE INTO auth_group_members (group_id, user_id) VALUES (?, ?)').run(g.groupId, u.userId);
    });
  }

  /** removeUser removes a user from a group; NoSuchEntity when it is not a member. */
  removeUser(groupName: string, userName: string): void {
    inTransaction(this.ctx, () => {
      const g = this.get(groupName);
      const u = this.users.get(userName);
      const r = this.ctx.db.prepare('DELETE FROM auth_group_members WHERE group_id = ? AND user_id = ?').run(g.groupId, u.userId);
      if (r.changes === 0) throw noSuchEntity(`The user with name ${userName} cannot be found in group ${groupName}.`);
    });
  }

  /** members returns a group's users, sorted by name. */
  members(groupName: string): UserRecord[] {
    const g = this.get(groupName);
    const ids = this.ctx.db.prepare('SELECT m.user_id FROM auth_group_members m JOIN auth_users u ON u.user_id = m.user_id WHERE m.group_id = ? ORDER BY u.name').all(g.groupId) as { user_id: string }[];
    return ids.map((r) => this.users.byId(r.user_id)).filter((u): u is UserRecord => u !== null);
  }

  /** forUserId returns the groups a user (by unique id) belongs to, sorted by name. */
  forUserId(userId: string): GroupRecord[] {
    const rows = this.ctx.db.prepare('SELECT g.* FROM auth_groups g JOIN auth_group_members m ON m.group_id = g.group_id WHERE m.user_id = ? ORDER BY g.name').all(userId) as GroupRow[];
    return rows.map((r) => this.toRecord(r));
  }
}
