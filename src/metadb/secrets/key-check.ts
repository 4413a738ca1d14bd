import { migrate, type Migration, type MetaDB } from '../metadb.js';
import { SecretBox, SecretBoxError } from './secret-box.js';

/** SECRETS_MIGRATIONS are the schema steps of module 'secrets': the key check that tells a wrong KEK at start-up. */
export const SECRETS_MIGRATIONS: readonly Migration[] = [
  {
    id: '001_kek_check',
    sql: 'CREATE TABLE metadb_kek (id INTEGER PRIMARY KEY CHECK (id = 1), key_id TEXT NOT NULL, check_value TEXT NOT NULL, updated_at INTEGER NOT NULL)',
  },
];

const CHECK_CONTEXT = 'metadb_kek.check_value:1';
const CHECK_PLAINTEXT = 'amphora key-encryption key check';

/** KeyCheck is the stored proof of which key seals the database's secrets. */
export interface KeyCheck {
  readonly keyId: string;
  readonly checkValue: string;
}

/** readKeyCheck returns the database's key check (applying the migration), or null for a database no key has sealed yet. */
export function readKeyCheck(db: MetaDB): KeyCheck | null {
  migrate(db, 'secrets', SECRETS_MIGRATIONS);
  const r = db.prepare('SELECT key_id, check_value FROM metadb_kek WHERE id = 1').get() as { key_id: string; check_value: string } | undefined;
  return r ? { keyId: r.key_id, checkValue: r.check_value } : null;
}

/** keyOpensCheck tells whether the box's key is the one the check was sealed with. */
export function keyOpensCheck(box: SecretBox, check: KeyCheck): boolean {
  if (check.keyId !== box.keyId) return false;
  try {
    return box.open(check.checkValue, CHECK_CONTEXT) === CHECK_PLAINTEXT;
  } catch (err) {
    if (err instanceof SecretBoxError) return false;
    throw err;
  }
}

/** writeKeyCheck records that the box's key now seals the database's secrets (inside the caller's transaction when rotating). */
export function writeKeyCheck(db: MetaDB, box: SecretBox, now: number): void {
  db.prepare('INSERT INTO metadb_kek (id, key_id, check_value, updated_at) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET key_id = excluded.key_id, check_value = excluded.check_value, updated_at = excluded.updated_at').run(
    box.keyId,
    box.seal(CHECK_PLAINTEXT, CHECK_CONTEXT),
    now,
  );
}
