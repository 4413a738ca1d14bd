import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** SEALED_PREFIX starts every value SecretBox seals: `sealed:v1:<key id>:<base64url(iv | ciphertext | tag)>`. */
export const SEALED_PREFIX = 'sealed:v1:';

/** KEK_BYTES is the size of a key-encryption key (AES-256). */
export const KEK_BYTES = 32;

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** SecretBoxError says a sealed value cannot be opened: another key sealed it, or it was altered or moved to another row. */
export class SecretBoxError extends Error {
  override name = 'SecretBoxError';
}

/** kekId is a key's public fingerprint (first 16 hex digits of its SHA-256): it names the key in sealed values and messages without revealing it. */
export function kekId(key: Buffer): string {
  return createHash('sha256').update('amphora-kek-id\0').update(key).digest('hex').slice(0, 16);
}

/**
 * SecretBox seals secrets stored in the metadata database with AES-256-GCM under the key-encryption
 * key. Each value gets a fresh 96-bit IV; the context (table, column and row key) is the
 * additional authenticated data, so a sealed value copied into another row does not open.
 */
export class SecretBox {
  /** keyId is the fingerprint of the box's key (see kekId). */
  readonly keyId: string;

  constructor(
    private readonly key: Buffer,
    private readonly random: (n: number) => Buffer = randomBytes,
  ) {
    if (key.length !== KEK_BYTES) throw new SecretBoxError(`a key-encryption key has ${KEK_BYTES} bytes, got ${key.length}`);
    this.keyId = kekId(key);
  }

  /** isSealed tells whether a stored value is sealed (else it is plaintext from before encryption). */
  static isSealed(value: string): boolean {
    return value.startsWith(SEALED_PREFIX);
  }

  /** sealedKeyId returns the key id a sealed value names, or null for plaintext. */
  static sealedKeyId(value: string): string | null {
    if (!SecretBox.isSealed(value)) return null;
    const end = value.indexOf(':', SEALED_PREFIX.length);
    return end < 0 ? null : value.slice(SEALED_PREFIX.length, end);
  }

  /** seal encrypts plaintext bound to its context (e.g. 'auth_access_keys.secret:AKIA…'). */
  seal(plaintext: string, context: string): string {
    const iv = this.random(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${SEALED_PREFIX}${this.keyId}:${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
  }

  /** open decrypts a sealed value with its context; SecretBoxError when another key sealed it or it was altered. */
  open(sealed: string, context: string): string {
    const keyId = SecretBox.sealedKeyId(sealed);
    if (keyId === null) throw new SecretBoxError(`value for ${context} is not sealed`);
    if (keyId !== this.keyId) throw new SecretBoxError(`value for ${context} is sealed under key ${keyId}, not the configured key ${this.keyId}`);
    const raw = Buffer.from(sealed.slice(SEALED_PREFIX.length + keyId.length + 1), 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretBoxError(`value for ${context} is truncated`);
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError(`value for ${context} does not authenticate under key ${this.keyId} (altered, or moved from another row)`);
    }
  }
}
