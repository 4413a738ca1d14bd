import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { destination, pino } from 'pino';
import { DataDirLockedError, lockDataDir } from '../app/modules/data-dir-lock.js';
import type { Config } from '../app/config.js';
import { AUTH_SEALED_COLUMNS } from '../auth/store/sealed-columns.js';
import { openMetaDB } from '../metadb/metadb.js';
import { rotateKek, type RotationResult } from '../metadb/secrets/rotate.js';

/** AdminError is a refused admin command (nothing was changed). */
export class AdminError extends Error {
  override name = 'AdminError';
}

/**
 * rotateKekCommand is `amphora admin rotate-kek`: with the server stopped (it takes the data dir's
 * lock), re-encrypts every secret in meta.db under a new key-encryption key (src/metadb/secrets/rotate.ts)
 * and returns what to tell the operator.
 */
export function rotateKekCommand(config: Config): string {
  const file = join(config.dataDir, 'meta.db');
  if (!existsSync(file)) throw new AdminError(`no metadata database at ${file}: nothing to rotate (is --data-dir right?)`);
  let lock;
  try {
    lock = lockDataDir(config.dataDir, 'admin rotate-kek');
  } catch (err) {
    if (err instanceof DataDirLockedError) throw new AdminError(`stop the Amphora server before rotate-kek: ${err.message.split(';')[0]}`);
    throw err;
  }
  try {
    const db = openMetaDB(file);
    try {
      return describe(rotateKek(db, AUTH_SEALED_COLUMNS, { settings: config.auth, dataDir: config.dataDir, logger: pino({ level: config.logLevel }, destination(2)) }));
    } finally {
      db.close();
    }
  } finally {
    lock.release();
  }
}

function describe(r: RotationResult): string {
  const head = `re-encrypted ${r.resealed} secrets in meta.db under a new key-encryption key (key id ${r.oldKeyId} -> ${r.newKeyId})\n`;
  if (r.kekFile !== undefined) {
    return `${head}new key: ${r.kekFile}\nprevious key kept as ${r.backupFile} (it no longer opens meta.db; keep it with the backups taken before this rotation, or delete it)\n`;
  }
  return (
    `${head}the key came from AMPHORA_KEK: set AMPHORA_KEK to the new key before the next start, then delete ${r.newKeyFile}:\n` +
    `  AMPHORA_KEK=${r.newKey}\n`
  );
}
