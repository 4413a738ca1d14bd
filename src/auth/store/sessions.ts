import type { Principal } from '../../http/route-auth.js';
import { openSecret, sealSecret, type StoreContext } from './context.js';
import { SESSION_SECRET, SESSION_TOKEN } from './sealed-columns.js';
import { newSecretAccessKey, newSessionToken, newUniqueId } from './ids.js';
import type { AccessKeyRecord } from './types.js';

/** EXPIRED_SESSION_RETENTION_MS is how long expired session keys are kept so callers get ExpiredToken rather than an unknown key. */
export const EXPIRED_SESSION_RETENTION_MS = 24 * 3600 * 1000;

interface SessionRow {
  access_key_id: string;
  secret: string;
  session_token: string;
  principal: string;
  expires_at: number;
  created_at: number;
}

/** SessionsRepo stores temporary (STS) credentials. */
export class SessionsRepo {
  constructor(private readonly ctx: StoreContext) {}

  /** create stores new temporary credentials for a session principal and purges long-expired ones. */
  create(input: { principal: Principal; expiresAt: number }): { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiresAt: number } {
    const now = this.ctx.now();
    const accessKeyId = newUniqueId('ASIA', this.ctx.random);
    const principal: Principal = { ...input.principal, accessKeyId };
    const secret = newSecretAccessKey(this.ctx.random);
    const sessionToken = newSessionToken(this.ctx.random);
    const row: SessionRow = {
      access_key_id: accessKeyId, secret: sealSecret(this.ctx, SESSION_SECRET, accessKeyId, secret), session_token: sealSecret(this.ctx, SESSION_TOKEN, accessKeyId, sessionToken),
      principal: JSON.stringify(principal), expires_at: input.expiresAt, created_at: now,
    };
    this.ctx.db.transaction(() => {
      this.ctx.db.prepare('DELETE FROM auth_sessions WHERE expires_at < ?').run(now - EXPIRED_SESSION_RETENTION_MS);
      this.ctx.db.prepare('INSERT INTO auth_sessions (access_key_id, secret, session_token, principal, expires_at, created_at) VALUES (@access_key_id, @secret, @session_token, @principal, @expires_at, @created_at)').run(row);
    })();
    return { accessKeyId, secretAccessKey: secret, sessionToken, expiresAt: input.expiresAt };
  }

  /** find returns the session key record (expired ones too: the caller checks expiresAt), or null. */
  find(accessKeyId: string): AccessKeyRecord | null {
    const r = this.ctx.db.prepare('SELECT * FROM auth_sessions WHERE access_key_id = ?').get(accessKeyId) as SessionRow | undefined;
    if (!r) return null;
    return {
      accessKeyId: r.access_key_id, secretAccessKey: openSecret(this.ctx, SESSION_SECRET, r.access_key_id, r.secret), status: 'Active', principal: JSON.parse(r.principal) as Principal,
      expiresAt: r.expires_at, sessionToken: openSecret(this.ctx, SESSION_TOKEN, r.access_key_id, r.session_token), createdAt: r.created_at,
    };
  }
}
