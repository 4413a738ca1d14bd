import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Credentials are an AWS access key pair. */
export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

const ALPHANUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomAccessKeyId(random: (n: number) => Buffer): string {
  const bytes = random(16);
  let s = 'AKIA';
  for (let i = 0; i < 16; i++) s += ALPHANUM[bytes[i]! % ALPHANUM.length];
  return s;
}

/** parseSharedCredentials reads one profile of an AWS shared-credentials file. */
export function parseSharedCredentials(text: string, profile: string): Credentials | null {
  let current = '';
  const values: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const section = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (section) current = section[1]!.trim();
    const kv = /^\s*([a-z_]+)\s*=\s*(\S+)\s*$/.exec(line);
    if (kv && current === profile) values[kv[1]!] = kv[2]!;
  }
  const id = values['aws_access_key_id'];
  const secret = values['aws_secret_access_key'];
  return id && secret ? { accessKeyId: id, secretAccessKey: secret } : null;
}

/**
 * ensureRootCredentials returns the root credentials: from the configuration when given,
 * else from <dataDir>/credentials, else newly generated and written there (profile
 * `amphora`, mode 0600); `created` tells the caller to print them once.
 */
export function ensureRootCredentials(
  dataDir: string,
  configured: Partial<Credentials>,
  random: (n: number) => Buffer = randomBytes,
): { credentials: Credentials; created: boolean; file: string } {
  const file = join(dataDir, 'credentials');
  if (configured.accessKeyId && configured.secretAccessKey) {
    return { credentials: { accessKeyId: configured.accessKeyId, secretAccessKey: configured.secretAccessKey }, created: false, file };
  }
  if (existsSync(file)) {
    const found = parseSharedCredentials(readFileSync(file, 'utf8'), 'amphora');
    if (found) return { credentials: found, created: false, file };
  }
  const credentials = { accessKeyId: randomAccessKeyId(random), secretAccessKey: random(30).toString('base64').replace(/[+/=]/g, 'A').slice(0, 40) };
  writeFileSync(file, `[amphora]\naws_access_key_id = ${credentials.accessKeyId}\naws_secret_access_key = ${credentials.secretAccessKey}\n`, { mode: 0o600 });
  return { credentials, created: true, file };
}
