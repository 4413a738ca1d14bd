import { randomBytes } from 'node:crypto';

/** RandomSource returns n random bytes (injected for tests). */
export type RandomSource = (n: number) => Buffer;

/** defaultRandom is node:crypto's randomBytes. */
export const defaultRandom: RandomSource = randomBytes;

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function draw(random: RandomSource, alphabet: string, n: number): string {
  const bytes = random(n);
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[bytes[i]! % alphabet.length];
  return s;
}

/** UniqueIdPrefix is the IAM unique-id prefix of an entity type (user, role, group, policy, access key, session key, service-specific credential). */
export type UniqueIdPrefix = 'AIDA' | 'AROA' | 'AGPA' | 'ANPA' | 'AKIA' | 'ASIA' | 'ACCA';

/** newUniqueId returns an IAM-style id: the prefix then 17 characters (16 for access keys and service-specific credentials), 21 or 20 in all. */
export function newUniqueId(prefix: UniqueIdPrefix, random: RandomSource): string {
  return prefix + draw(random, ID_ALPHABET, prefix === 'AKIA' || prefix === 'ASIA' || prefix === 'ACCA' ? 16 : 17);
}

/** newSecretAccessKey returns a 40-character secret access key. */
export function newSecretAccessKey(random: RandomSource): string {
  return draw(random, SECRET_ALPHABET, 40);
}

/** newSessionToken returns an opaque session token (base64 of 96 random bytes). */
export function newSessionToken(random: RandomSource): string {
  return random(96).toString('base64');
}
