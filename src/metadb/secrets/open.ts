import { randomBytes } from 'node:crypto';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../model/logger.js';
import type { MetaDB } from '../metadb.js';
import { KekError, readKekFile, writeKekFile, parseKek } from './kek.js';
import { keyOpensCheck, readKeyCheck, writeKeyCheck } from './key-check.js';
import { KEK_BYTES, kekId, SecretBox } from './secret-box.js';
import type { KekSettings } from './settings.js';

/** OpenSecretsOptions say where the key-encryption key comes from. */
export interface OpenSecretsOptions {
  settings: KekSettings;
  /** dataDir holds the default key file `kek` (beside `credentials`). */
  dataDir: string;
  logger: Logger;
  now?: () => number;
  random?: (n: number) => Buffer;
}

/** OpenedSecrets is the metadata database's SecretBox and where its key came from. */
export interface OpenedSecrets {
  readonly box: SecretBox;
  /** source is 'AMPHORA_KEK' (environment / auth.kek) or the key file's path. */
  readonly source: string;
  /** kekFile is the key file in use, when the key comes from a file. */
  readonly kekFile?: string;
  /** generated is true when this start created the key file. */
  readonly generated: boolean;
}

/** kekFileOf is the key file of the settings: auth.kekFile, else <dataDir>/kek. */
export function kekFileOf(settings: KekSettings, dataDir: string): string {
  return settings.kekFile ?? join(dataDir, 'kek');
}

/** pendingKekFile is where rotate-kek writes the new key before the database switches to it. */
export function pendingKekFile(kekFile: string): string {
  return `${kekFile}.new`;
}

/** backupKekFile is where rotate-kek keeps the previous key. */
export function backupKekFile(kekFile: string, at: number): string {
  return `${kekFile}.${new Date(at).toISOString().replace(/[:.]/g, '-')}.old`;
}

/**
 * finishPendingRotation completes a rotate-kek that was interrupted after the database switched to
 * the new key (the pending file becomes the key file, the old one is kept as backup), or discards a
 * pending key the database never switched to.
 */
function finishPendingRotation(db: MetaDB, kekFile: string, o: OpenSecretsOptions): void {
  const pending = pendingKekFile(kekFile);
  if (!existsSync(pending)) return;
  const check = readKeyCheck(db);
  const key = readKekFile(pending, o.logger);
  if (check !== null && check.keyId === kekId(key)) {
    if (existsSync(kekFile)) renameSync(kekFile, backupKekFile(kekFile, (o.now ?? Date.now)()));
    renameSync(pending, kekFile);
    o.logger.warn({ kekFile }, 'completed an interrupted rotate-kek: the new key-encryption key is now in place');
  } else {
    rmSync(pending);
    o.logger.warn({ pending }, 'discarded the key of a rotate-kek that did not complete; the database still uses the current key');
  }
}

/**
 * openSecrets resolves the key-encryption key of meta.db's secrets and checks it against the
 * database: from settings.kek (AMPHORA_KEK), else from the key file, generated (0600) on the first
 * start of a database no key has sealed yet. A key that does not open the database's key check, or
 * a missing key file once secrets were sealed, is a KekError that names both key ids and what to do.
 */
export function openSecrets(db: MetaDB, o: OpenSecretsOptions): OpenedSecrets {
  const random = o.random ?? randomBytes;
  let key: Buffer;
  let source: string;
  let kekFile: string | undefined;
  let generated = false;
  if (o.settings.kek !== undefined) {
    key = parseKek(o.settings.kek, 'AMPHORA_KEK (auth.kek)');
    source = 'AMPHORA_KEK';
  } else {
    kekFile = kekFileOf(o.settings, o.dataDir);
    source = kekFile;
    finishPendingRotation(db, kekFile, o);
    if (existsSync(kekFile)) {
      key = readKekFile(kekFile, o.logger);
    } else {
      const sealedBy = readKeyCheck(db);
      if (sealedBy !== null) {
        throw new KekError(
          `the key-encryption key file ${kekFile} is missing, and meta.db's secrets are sealed under key ${sealedBy.keyId}: restore that file from a backup ` +
            `(or set AMPHORA_KEK to that key). A new key would not open them.`,
        );
      }
      key = random(KEK_BYTES);
      writeKekFile(kekFile, key);
      generated = true;
      o.logger.info({ kekFile, keyId: kekId(key) }, 'generated the key-encryption key of meta.db secrets; back it up with the data');
    }
  }
  const box = new SecretBox(key, random);
  const check = readKeyCheck(db);
  if (check === null) {
    writeKeyCheck(db, box, (o.now ?? Date.now)());
  } else if (!keyOpensCheck(box, check)) {
    throw new KekError(
      `the key-encryption key from ${source} (key id ${box.keyId}) is not the key meta.db's secrets are sealed with (key id ${check.keyId}). ` +
        `Start with that key (the key file it was in, or AMPHORA_KEK); after rotate-kek the previous key is kept as ${kekFile ?? '<data-dir>/kek'}.<time>.old.`,
    );
  }
  return { box, source, generated, ...(kekFile !== undefined ? { kekFile } : {}) };
}
