import { chmodSync, closeSync, fsyncSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import type { Logger } from '../../model/logger.js';
import { KEK_BYTES } from './secret-box.js';

/** KekError says the key-encryption key is missing, malformed or not the one meta.db's secrets are sealed with. */
export class KekError extends Error {
  override name = 'KekError';
}

/** parseKek decodes a key-encryption key written as base64 (or base64url) or hex of 32 bytes; `where` names its source in errors. */
export function parseKek(text: string, where: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : /^[A-Za-z0-9+/_-]{43}=?$/.test(t) ? Buffer.from(t, 'base64') : null;
  if (key === null || key.length !== KEK_BYTES) {
    throw new KekError(`the key-encryption key in ${where} must be ${KEK_BYTES} bytes written as base64 (44 characters) or hex (64 digits); generate one with: openssl rand -base64 32`);
  }
  return key;
}

/** formatKek writes a key as the files and AMPHORA_KEK hold it: base64. */
export function formatKek(key: Buffer): string {
  return key.toString('base64');
}

/** readKekFile reads a key file, tightening it to 0600 (with a WARN) when others could read it. */
export function readKekFile(file: string, logger: Logger): Buffer {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new KekError(`cannot read the key-encryption key file ${file}: ${(err as Error).message}`);
  }
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    chmodSync(file, 0o600);
    logger.warn({ file, mode: mode.toString(8) }, 'the key-encryption key file was readable by other users; its mode is now 0600');
  }
  return parseKek(text, file);
}

/** writeKekFile creates a key file (0600, never overwriting one) and syncs it to disk before returning. */
export function writeKekFile(file: string, key: Buffer): void {
  const fd = openSync(file, 'wx', 0o600);
  try {
    writeSync(fd, `${formatKek(key)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
