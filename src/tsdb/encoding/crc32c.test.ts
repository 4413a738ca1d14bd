import { describe, expect, it } from 'vitest';
import { crc32c } from './crc32c.js';

describe('crc32c', () => {
  const f = (input: string, expected: number) => expect(crc32c(Buffer.from(input))).toBe(expected);
  it('matches the Castagnoli check values', () => {
    f('', 0);
    f('123456789', 0xe3069283);
    f('The quick brown fox jumps over the lazy dog', 0x22620404);
  });
  it('is incremental', () => {
    const b = Buffer.from('The quick brown fox jumps over the lazy dog');
    expect(crc32c(b, 11, b.length, crc32c(b, 0, 11))).toBe(crc32c(b));
  });
});
