import type { Migration } from '../metadb/metadb.js';

/** CONTROLPLANE_MODULE is the module name of the control plane's migrations. */
export const CONTROLPLANE_MODULE = 'controlplane';

/** controlPlaneMigrations create the control plane's tables on the shared metadata DB. */
export const controlPlaneMigrations: readonly Migration[] = [
  {
    id: '001_workspaces',
    sql: `
      CREATE TABLE cp_workspaces (
        id TEXT PRIMARY KEY,
        alias TEXT,
        arn TEXT NOT NULL UNIQUE,
        status TEXT NOT NULL,
        status_until INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        kms_key_arn TEXT,
        client_token TEXT,
        request_hash TEXT
      );
      CREATE UNIQUE INDEX cp_workspaces_client_token ON cp_workspaces(client_token) WHERE client_token IS NOT NULL;
      CREATE INDEX cp_workspaces_created ON cp_workspaces(created_at, id);
      CREATE TABLE cp_workspace_config (
        workspace_id TEXT PRIMARY KEY REFERENCES cp_workspaces(id) ON DELETE CASCADE,
        retention_days INTEGER,
        limits_per_label_set TEXT NOT NULL DEFAULT '[]',
        amphora_limits TEXT NOT NULL DEFAULT '{}',
        status TEXT NOT NULL,
        status_until INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE cp_resource_policies (
        workspace_id TEXT PRIMARY KEY REFERENCES cp_workspaces(id) ON DELETE CASCADE,
        document TEXT NOT NULL,
        revision_id TEXT NOT NULL,
        status TEXT NOT NULL,
        status_until INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE cp_tags (
        arn TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (arn, key)
      );
      CREATE TABLE cp_logging (
        workspace_id TEXT NOT NULL REFERENCES cp_workspaces(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('workspace', 'query')),
        config TEXT NOT NULL,
        status TEXT NOT NULL,
        status_until INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        modified_at INTEGER NOT NULL,
        PRIMARY KEY (workspace_id, kind)
      );
    `,
  },
];
