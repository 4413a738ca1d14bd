import { randomBytes } from 'node:crypto';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { MetaDB } from '../metadb.js';
import { formatKek, writeKekFile } from './kek.js';
import { resealColumns, type SealedColumn } from './columns.js';
import { writeKeyCheck } from './key-check.js';
import { backupKekFile, openSecrets, pendingKekFile, type OpenSecretsOptions } from './open.js';
import { KEK_BYTES, SecretBox } from './secret-box.js';

/** RotationResult reports a completed rotate-kek. */
export interface RotationResult {
  readonly oldKeyId: string;
  readonly newKeyId: string;
  /** resealed counts the secrets re-encrypted. */
  readonly resealed: number;
  /** kekFile is the key file now holding the new key (key from a file). */
  readonly kekFile?: string;
  /** backupFile keeps the previous key (key from a file). */
  readonly backupFile?: string;
  /** newKeyFile holds the new key when the old one came from AMPHORA_KEK: put it there, then delete the file. */
  readonly newKeyFile?: string;
  /** newKey is the new key (base64), reported only when the old one came from AMPHORA_KEK. */
  readonly newKey?: string;
}

/**
 * rotateKek re-encrypts every sealed column under a new key-encryption key, atomically: the new key
 * is written and synced to `<kek file>.new` first, then one SQLite transaction re-seals every secret
 * and switches the key check, then the old key file is renamed to `<kek file>.<time>.old` and the
 * new one into place. A crash before the commit leaves the old key in use (the pending file is
 * discarded at the next start); a crash after it is completed at the next start (openSecrets).
 * With the key from AMPHORA_KEK, the new key stays in `<data-dir>/kek.new` for the operator to move
 * into AMPHORA_KEK.
 */
export function rotateKek(db: MetaDB, columns: readonly SealedColumn[], o: OpenSecretsOptions): RotationResult {
  const random = o.random ?? randomBytes;
  const now = o.now ?? Date.now;
  const current = openSecrets(db, o);
  const newKey = random(KEK_BYTES);
  const next = new SecretBox(newKey, random);
  const pending = pendingKekFile(current.kekFile ?? join(o.dataDir, 'kek'));
  if (existsSync(pending)) rmSync(pending);
  writeKekFile(pending, newKey);
  const resealed = db.transaction(() => {
    const n = resealColumns(db, current.box, next, columns);
    writeKeyCheck(db, next, now());
    return n;
  })();
  if (!db.memory) db.pragma('wal_checkpoint(TRUNCATE)');
  const base = { oldKeyId: current.box.keyId, newKeyId: next.keyId, resealed };
  if (current.kekFile === undefined) return { ...base, newKeyFile: pending, newKey: formatKek(newKey) };
  const backupFile = backupKekFile(current.kekFile, now());
  renameSync(current.kekFile, backupFile);
  renameSync(pending, current.kekFile);
  return { ...base, kekFile: current.kekFile, backupFile };
}
