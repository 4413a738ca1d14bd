import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** ULID_LENGTH is the length of a ULID string. */
export const ULID_LENGTH = 26;

/**
 * newULID returns a 26-character Crockford base32 ULID: 48 bits of millisecond time then
 * 80 random bits, so ULIDs sort by creation time. random returns numbers in [0, 1); by
 * default a cryptographic source is used.
 */
export function newULID(now: number, random?: () => number): string {
  if (!Number.isInteger(now) || now < 0 || now > 2 ** 48 - 1) throw new RangeError(`ulid: time ${now} out of range`);
  let out = '';
  let t = now;
  const time: string[] = new Array(10);
  for (let i = 9; i >= 0; i--) {
    time[i] = ALPHABET[t % 32]!;
    t = Math.floor(t / 32);
  }
  out = time.join('');
  // 80 random bits = 16 base32 characters of 5 bits each.
  const bytes = random ? null : randomBytes(16);
  for (let i = 0; i < 16; i++) {
    const v = random ? Math.floor(random() * 32) & 31 : bytes![i]! & 31;
    out += ALPHABET[v]!;
  }
  return out;
}

/** isULID reports whether s is a syntactically valid ULID. */
export function isULID(s: string): boolean {
  return /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/.test(s);
}

/** ulidTime returns the millisecond timestamp encoded in a ULID. */
export function ulidTime(ulid: string): number {
  let t = 0;
  for (let i = 0; i < 10; i++) t = t * 32 + ALPHABET.indexOf(ulid[i]!);
  return t;
}
