import type { SealedColumn } from '../../metadb/secrets/columns.js';

/** ACCESS_KEY_SECRET is where IAM users' secret access keys are sealed. */
export const ACCESS_KEY_SECRET: SealedColumn = { table: 'auth_access_keys', key: 'access_key_id', column: 'secret' };

/** SESSION_SECRET is where temporary credentials' secret keys are sealed. */
export const SESSION_SECRET: SealedColumn = { table: 'auth_sessions', key: 'access_key_id', column: 'secret' };

/** SESSION_TOKEN is where temporary credentials' session tokens are sealed (looked up by key id, compared, never searched by value). */
export const SESSION_TOKEN: SealedColumn = { table: 'auth_sessions', key: 'access_key_id', column: 'session_token' };

/**
 * AUTH_SEALED_COLUMNS are every secret the identity store keeps in meta.db, sealed under the KEK:
 * the store seals plaintext rows of them at start and `amphora admin rotate-kek` re-seals them.
 * A new secret column (e.g. service-specific credential passwords) is added here.
 */
export const AUTH_SEALED_COLUMNS: readonly SealedColumn[] = [ACCESS_KEY_SECRET, SESSION_SECRET, SESSION_TOKEN];
