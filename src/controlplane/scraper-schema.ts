import type { Migration } from '../metadb/metadb.js';

/** SCRAPERS_MODULE is the module name of the scraper tables' migrations. */
export const SCRAPERS_MODULE = 'scrapers';

/** scraperMigrations create the scrapers table (definition, lifecycle, logging configuration) on the shared metadata DB. */
export const scraperMigrations: readonly Migration[] = [
  {
    id: '001_scrapers',
    sql: `
      CREATE TABLE cp_scrapers (
        id TEXT PRIMARY KEY,
        alias TEXT,
        arn TEXT NOT NULL UNIQUE,
        role_arn TEXT NOT NULL,
        status TEXT NOT NULL,
        status_reason TEXT,
        status_until INTEGER NOT NULL,
        outcome TEXT,
        created_at INTEGER NOT NULL,
        modified_at INTEGER NOT NULL,
        configuration TEXT NOT NULL,
        source TEXT NOT NULL,
        destination TEXT NOT NULL,
        role_configuration TEXT,
        exporters TEXT,
        client_token TEXT,
        request_hash TEXT,
        logging TEXT
      );
      CREATE UNIQUE INDEX cp_scrapers_client_token ON cp_scrapers(client_token) WHERE client_token IS NOT NULL;
    `,
  },
];
