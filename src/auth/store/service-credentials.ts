import { createHash, timingSafeEqual } from 'node:crypto';
import { inTransaction, type StoreContext } from './context.js';
import { IamError, noSuchEntity, validationError } from './errors.js';
import { newUniqueId } from './ids.js';
import type { UserRecord } from './types.js';
import type { UsersRepo } from './users.js';

/** SUPPORTED_CREDENTIAL_SERVICES are the services Amphora issues service-specific credentials for. */
export const SUPPORTED_CREDENTIAL_SERVICES: readonly string[] = ['aps.amazonaws.com'];

/** MAX_SERVICE_CREDENTIALS_PER_SERVICE is IAM's quota of service-specific credentials per user and service. */
export const MAX_SERVICE_CREDENTIALS_PER_SERVICE = 2;

/** SERVICE_USER_NAME_SEPARATOR joins the IAM user name and the account id into a ServiceUserName (jane-at-123456789012). */
export const SERVICE_USER_NAME_SEPARATOR = '-at-';

/** ServiceCredential is a service-specific credential; servicePassword is only known when it was just created or reset. */
export interface ServiceCredential {
  serviceSpecificCredentialId: string;
  userName: string;
  userId: string;
  serviceName: string;
  serviceUserName: string;
  status: 'Active' | 'Inactive';
  createdAt: number;
  expiresAt?: number;
  servicePassword?: string;
}

interface CredentialRow {
  credential_id: string;
  user_id: string;
  service_name: string;
  password_sha256: string;
  status: 'Active' | 'Inactive';
  created_at: number;
  expires_at: number | null;
}

/** passwordSha256 hashes a service password (random, 264 bits of entropy: a plain SHA-256 suffices, no slow KDF needed). */
export function passwordSha256(password: string): Buffer {
  return createHash('sha256').update(password, 'utf8').digest();
}

/**
 * newServicePassword returns a 44-character password (33 random bytes), as long as IAM's
 * ServicePassword but in base64url (A-Z a-z 0-9 - _), so it can go into a URL's user info
 * (http://<user>:<password>@host/, what promtool and amtool before 2.43 take) and a shell unquoted.
 */
function newServicePassword(ctx: StoreContext): string {
  return ctx.random(33).toString('base64url');
}

/** ServiceCredentialsRepo manages IAM users' service-specific credentials (CreateServiceSpecificCredential and friends). */
export class ServiceCredentialsRepo {
  constructor(
    private readonly ctx: StoreContext,
    private readonly users: UsersRepo,
  ) {}

  /** serviceUserName is the ServiceUserName of a user's credentials: <user>-at-<account>. */
  serviceUserName(userName: string): string {
    return `${userName}${SERVICE_USER_NAME_SEPARATOR}${this.ctx.accountId}`;
  }

  private toRecord(r: CredentialRow, user: UserRecord, password?: string): ServiceCredential {
    return {
      serviceSpecificCredentialId: r.credential_id,
      userName: user.userName,
      userId: user.userId,
      serviceName: r.service_name,
      serviceUserName: this.serviceUserName(user.userName),
      status: r.status,
      createdAt: r.created_at,
      ...(r.expires_at !== null ? { expiresAt: r.expires_at } : {}),
      ...(password !== undefined ? { servicePassword: password } : {}),
    };
  }

  /** create issues an active credential for the user and service; NotSupportedService, NoSuchEntity, LimitExceeded past two per service. */
  create(userName: string, serviceName: string, ageDays?: number): ServiceCredential {
    if (!SUPPORTED_CREDENTIAL_SERVICES.includes(serviceName)) {
      throw new IamError('NotSupportedService', `The service ${serviceName} does not support service-specific credentials; Amphora supports ${SUPPORTED_CREDENTIAL_SERVICES.join(', ')}.`);
    }
    return inTransaction(this.ctx, () => {
      const u = this.users.get(userName);
      const n = (this.ctx.db.prepare('SELECT count(*) AS n FROM auth_service_credentials WHERE user_id = ? AND service_name = ?').get(u.userId, serviceName) as { n: number }).n;
      if (n >= MAX_SERVICE_CREDENTIALS_PER_SERVICE) {
        throw new IamError('LimitExceeded', `Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: ${MAX_SERVICE_CREDENTIALS_PER_SERVICE}`);
      }
      const password = newServicePassword(this.ctx);
      const now = this.ctx.now();
      const row: CredentialRow = {
        credential_id: newUniqueId('ACCA', this.ctx.random),
        user_id: u.userId,
        service_name: serviceName,
        password_sha256: passwordSha256(password).toString('hex'),
        status: 'Active',
        created_at: now,
        expires_at: ageDays === undefined ? null : now + ageDays * 86_400_000,
      };
      this.ctx.db
        .prepare('INSERT INTO auth_service_credentials (credential_id, user_id, service_name, password_sha256, status, created_at, expires_at) VALUES (@credential_id, @user_id, @service_name, @password_sha256, @status, @created_at, @expires_at)')
        .run(row);
      return this.toRecord(row, u, password);
    });
  }

  /** list returns the user's credentials (for one service when given), oldest first; NotSupportedService for a service Amphora has none for. */
  list(userName: string, serviceName?: string): ServiceCredential[] {
    if (serviceName !== undefined && !SUPPORTED_CREDENTIAL_SERVICES.includes(serviceName)) {
      throw new IamError('NotSupportedService', `The service ${serviceName} does not support service-specific credentials.`);
    }
    const u = this.users.get(userName);
    const rows = this.ctx.db.prepare('SELECT * FROM auth_service_credentials WHERE user_id = ? ORDER BY created_at, credential_id').all(u.userId) as CredentialRow[];
    return rows.filter((r) => serviceName === undefined || r.service_name === serviceName).map((r) => this.toRecord(r, u));
  }

  private owned(userName: string, id: string): { user: UserRecord; row: CredentialRow } {
    const user = this.users.get(userName);
    const row = this.ctx.db.prepare('SELECT * FROM auth_service_credentials WHERE credential_id = ? AND user_id = ?').get(id, user.userId) as CredentialRow | undefined;
    if (!row) throw noSuchEntity(`No such credential ${id} exists for user ${user.userName}.`);
    return { user, row };
  }

  /** setStatus activates or deactivates one of the user's credentials. */
  setStatus(userName: string, id: string, status: string): void {
    if (status !== 'Active' && status !== 'Inactive') throw validationError(status, 'status', 'Member must satisfy enum value set: [Active, Inactive]');
    inTransaction(this.ctx, () => {
      this.owned(userName, id);
      this.ctx.db.prepare('UPDATE auth_service_credentials SET status = ? WHERE credential_id = ?').run(status, id);
    });
  }

  /** reset gives one of the user's credentials a new password (the old one stops working at once) and returns it. */
  reset(userName: string, id: string): ServiceCredential {
    return inTransaction(this.ctx, () => {
      const { user, row } = this.owned(userName, id);
      const password = newServicePassword(this.ctx);
      const hash = passwordSha256(password).toString('hex');
      this.ctx.db.prepare('UPDATE auth_service_credentials SET password_sha256 = ? WHERE credential_id = ?').run(hash, id);
      return this.toRecord({ ...row, password_sha256: hash }, user, password);
    });
  }

  /** delete removes one of the user's credentials. */
  delete(userName: string, id: string): void {
    inTransaction(this.ctx, () => {
      this.owned(userName, id);
      this.ctx.db.prepare('DELETE FROM auth_service_credentials WHERE credential_id = ?').run(id);
    });
  }

  /**
   * verify resolves a ServiceUserName and password to the credential it opens, or null: the user part
   * names the IAM user (ignoring case, as IAM names), the account must be ours, the service must match,
   * and the password's SHA-256 is compared in constant time with each of the user's (at most two)
   * credentials for the service, whatever their status (the caller checks status and expiry).
   */
  verify(serviceUserName: string, password: string, serviceName: string): ServiceCredential | null {
    const given = passwordSha256(password);
    const at = serviceUserName.lastIndexOf(SERVICE_USER_NAME_SEPARATOR);
    const user = at > 0 && serviceUserName.slice(at + SERVICE_USER_NAME_SEPARATOR.length) === this.ctx.accountId ? this.users.find(serviceUserName.slice(0, at)) : null;
    const rows = user
      ? (this.ctx.db.prepare('SELECT * FROM auth_service_credentials WHERE user_id = ? AND service_name = ?').all(user.userId, serviceName) as CredentialRow[])
      : [];
    let match: CredentialRow | null = null;
    for (const r of rows) {
      if (timingSafeEqual(given, Buffer.from(r.password_sha256, 'hex'))) match = r;
    }
    if (rows.length === 0) timingSafeEqual(given, Buffer.alloc(32)); // same work for unknown names
    return match && user ? this.toRecord(match, user) : null;
  }
}
