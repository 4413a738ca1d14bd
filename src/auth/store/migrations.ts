import type { Migration } from '../../metadb/metadb.js';

/** AUTH_MIGRATIONS are the identity store's schema steps (module 'auth'). Names are unique ignoring case, as in IAM. */
export const AUTH_MIGRATIONS: readonly Migration[] = [
  {
    id: '001_identities',
    sql: `
CREATE TABLE auth_users (user_id TEXT PRIMARY KEY, name TEXT NOT NULL COLLATE NOCASE UNIQUE, path TEXT NOT NULL,
  created_at INTEGER NOT NULL, tags TEXT NOT NULL DEFAULT '[]');
CREATE TABLE auth_access_keys (access_key_id TEXT PRIMARY KEY, secret TEXT NOT NULL,
  user_id TEXT NOT NULL REFERENCES auth_users(user_id), status TEXT NOT NULL CHECK (status IN ('Active', 'Inactive')),
  created_at INTEGER NOT NULL);
CREATE INDEX auth_access_keys_user ON auth_access_keys(user_id);
CREATE TABLE auth_groups (group_id TEXT PRIMARY KEY, name TEXT NOT NULL COLLATE NOCASE UNIQUE, path TEXT NOT NULL,
  created_at INTEGER NOT NULL);
CREATE TABLE auth_group_members (group_id TEXT NOT NULL REFERENCES auth_groups(group_id),
  user_id TEXT NOT NULL REFERENCES auth_users(user_id), PRIMARY KEY (group_id, user_id));
CREATE INDEX auth_group_members_user ON auth_group_members(user_id);
CREATE TABLE auth_roles (role_id TEXT PRIMARY KEY, name TEXT NOT NULL COLLATE NOCASE UNIQUE, path TEXT NOT NULL,
  trust_policy TEXT NOT NULL, description TEXT, max_session_duration INTEGER NOT NULL, created_at INTEGER NOT NULL,
  tags TEXT NOT NULL DEFAULT '[]');
CREATE TABLE auth_policies (policy_id TEXT PRIMARY KEY, name TEXT NOT NULL COLLATE NOCASE UNIQUE, path TEXT NOT NULL,
  arn TEXT NOT NULL UNIQUE, description TEXT, default_version TEXT NOT NULL, next_version INTEGER NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, tags TEXT NOT NULL DEFAULT '[]');
CREATE TABLE auth_policy_versions (policy_id TEXT NOT NULL REFERENCES auth_policies(policy_id) ON DELETE CASCADE,
  version_id TEXT NOT NULL, document TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (policy_id, version_id));
CREATE TABLE auth_attachments (entity_kind TEXT NOT NULL CHECK (entity_kind IN ('user', 'group', 'role')),
  entity_id TEXT NOT NULL, policy_arn TEXT NOT NULL, attached_at INTEGER NOT NULL,
  PRIMARY KEY (entity_kind, entity_id, policy_arn));
CREATE INDEX auth_attachments_policy ON auth_attachments(policy_arn);
CREATE TABLE auth_inline_policies (entity_kind TEXT NOT NULL CHECK (entity_kind IN ('user', 'group', 'role')),
  entity_id TEXT NOT NULL, name TEXT NOT NULL, document TEXT NOT NULL, PRIMARY KEY (entity_kind, entity_id, name));
CREATE TABLE auth_oidc_providers (arn TEXT PRIMARY KEY, url TEXT NOT NULL UNIQUE, client_ids TEXT NOT NULL,
  thumbprints TEXT NOT NULL, jwks_file TEXT, created_at INTEGER NOT NULL, tags TEXT NOT NULL DEFAULT '[]');
CREATE TABLE auth_sessions (access_key_id TEXT PRIMARY KEY, secret TEXT NOT NULL, session_token TEXT NOT NULL,
  principal TEXT NOT NULL, expires_at INTEGER NOT NULL, created_at INTEGER NOT NULL);
CREATE INDEX auth_sessions_expiry ON auth_sessions(expires_at);
`,
  },
  {
    // 003 (not 002): the 'tls' branch adds 002 for encrypted secrets; ids only need to be unique and applied in order.
    id: '003_service_credentials',
    sql: `
CREATE TABLE auth_service_credentials (credential_id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES auth_users(user_id), service_name TEXT NOT NULL,
  password_sha256 TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN ('Active', 'Inactive')),
  created_at INTEGER NOT NULL, expires_at INTEGER);
CREATE INDEX auth_service_credentials_user ON auth_service_credentials(user_id, service_name);
`,
  },
];
