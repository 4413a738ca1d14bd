import { inTransaction, openSecret, sealSecret, type StoreContext } from './context.js';
import { IamError, noSuchEntity, validationError } from './errors.js';
import { newSecretAccessKey, newUniqueId } from './ids.js';
import type { UserAccessKey, UserRecord } from './types.js';
import type { UsersRepo } from './users.js';
import { ACCESS_KEY_SECRET } from './sealed-columns.js';

/** MAX_ACCESS_KEYS_PER_USER is IAM's quota of access keys per user. */
export const MAX_ACCESS_KEYS_PER_USER = 2;

interface KeyRow {
  access_key_id: string;
  secret: string;
  user_id: string;
  status: 'Active' | 'Inactive';
  created_at: number;
}

/** AccessKeysRepo manages IAM users' long-term access keys. */
export class AccessKeysRepo {
  constructor(
    private readonly ctx: StoreContext,
    private readonly users: UsersRepo,
  ) {}

  private toRecord(r: KeyRow, userName: string): UserAccessKey {
    return { accessKeyId: r.access_key_id, secretAccessKey: openSecret(this.ctx, ACCESS_KEY_SECRET, r.access_key_id, r.secret), userName, status: r.status, createdAt: r.created_at };
  }

  /** create issues a new active key for the user; LimitExceeded past two keys. */
  create(userName: string): UserAccessKey {
    return inTransaction(this.ctx, () => {
      const u = this.users.get(userName);
      const n = (this.ctx.db.prepare('SELECT count(*) AS n FROM auth_access_keys WHERE user_id = ?').get(u.userId) as { n: number }).n;
      if (n >= MAX_ACCESS_KEYS_PER_USER) throw new IamError('LimitExceeded', `Cannot exceed quota for AccessKeysPerUser: ${MAX_ACCESS_KEYS_PER_USER}`);
      const accessKeyId = newUniqueId('AKIA', this.ctx.random);
      const secret = newSecretAccessKey(this.ctx.random);
      const row: KeyRow = { access_key_id: accessKeyId, secret: sealSecret(this.ctx, ACCESS_KEY_SECRET, accessKeyId, secret), user_id: u.userId, status: 'Active', created_at: this.ctx.now() };
      this.ctx.db.prepare('INSERT INTO auth_access_keys (access_key_id, secret, user_id, status, created_at) VALUES (@access_key_id, @secret, @user_id, @status, @created_at)').run(row);
      return { accessKeyId, secretAccessKey: secret, userName: u.userName, status: row.status, createdAt: row.created_at };
    });
  }

  /** list returns the user's keys, oldest first. */
  list(userName: string): UserAccessKey[] {
    const u = this.users.get(userName);
    const rows = this.ctx.db.prepare('SELECT * FROM auth_access_keys WHERE user_id = ? ORDER BY created_at, access_key_id').all(u.userId) as KeyRow[];
    return rows.map((r) => this.toRecord(r, u.userName));
  }

  private owned(userName: string, accessKeyId: string): { user: UserRecord; row: KeyRow } {
    const user = this.users.get(userName);
    const row = this.ctx.db.prepare('SELECT * FROM auth_access_keys WHERE access_key_id = ? AND user_id = ?').get(accessKeyId, user.userId) as KeyRow | undefined;
    if (!row) throw noSuchEntity(`The Access Key with id ${accessKeyId} cannot be found.`);
    return { user, row };
  }

  /** setStatus activates or deactivates one of the user's keys. */
  setStatus(userName: string, accessKeyId: string, status: string): void {
    if (status !== 'Active' && status !== 'Inactive') throw validationError(status, 'status', 'Member must satisfy enum value set: [Active, Inactive]');
    inTransaction(this.ctx, () => {
      this.owned(userName, accessKeyId);
      this.ctx.db.prepare('UPDATE auth_access_keys SET status = ? WHERE access_key_id = ?').run(status, accessKeyId);
    });
  }

  /** delete removes one of the user's keys. */
  delete(userName: string, accessKeyId: string): void {
    inTransaction(this.ctx, () => {
      this.owned(userName, accessKeyId);
      this.ctx.db.prepare('DELETE FROM auth_access_keys WHERE access_key_id = ?').run(accessKeyId);
    });
  }

  /** find resolves a key id to the key and its user, or null. */
  find(accessKeyId: string): { key: UserAccessKey; user: UserRecord } | null {
    const row = this.ctx.db.prepare('SELECT * FROM auth_access_keys WHERE access_key_id = ?').get(accessKeyId) as KeyRow | undefined;
    if (!row) return null;
    const user = this.users.byId(row.user_id);
    return user ? { key: this.toRecord(row, user.userName), user } : null;
  }
}
