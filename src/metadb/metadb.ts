import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/** MetaDB is the embedded metadata database (SQLite) shared by identity and control plane. */
export type MetaDB = Database.Database;

/** Migration is one schema step of a module; steps run once, in order, inside a transaction. */
export interface Migration {
  /** id is unique within its module and never reused, e.g. '001_users'. */
  readonly id: string;
  readonly sql: string;
}

/**
 * openMetaDB opens (creating) the SQLite file with WAL journaling and foreign keys on; ':memory:'
 * for tests. The file is 0600 (SQLite gives meta.db-wal and meta.db-shm the database file's mode),
 * and secure_delete zeroes freed content, so a secret replaced by its sealed form does not linger.
 */
export function openMetaDB(file: string): MetaDB {
  if (file !== ':memory:') {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    closeSync(openSync(file, 'a', 0o600));
    for (const f of [file, `${file}-wal`, `${file}-shm`]) {
      try {
        chmodSync(f, 0o600);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
  }
  const db = new Database(file);
  db.pragma('secure_delete = ON');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (module TEXT NOT NULL, id TEXT NOT NULL, applied_at INTEGER NOT NULL, PRIMARY KEY (module, id))');
  return db;
}

/** migrate applies a module's migrations that have not run yet; returns the ids it applied. */
export function migrate(db: MetaDB, module: string, migrations: readonly Migration[]): string[] {
  const done = new Set((db.prepare('SELECT id FROM schema_migrations WHERE module = ?').all(module) as { id: string }[]).map((r) => r.id));
  const applied: string[] = [];
  const record = db.prepare('INSERT INTO schema_migrations (module, id, applied_at) VALUES (?, ?, ?)');
  for (const m of migrations) {
    if (done.has(m.id)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(module, m.id, Date.now());
    })();
    applied.push(m.id);
  }
  return applied;
}
