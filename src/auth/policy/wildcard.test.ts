import { describe, expect, it } from 'vitest';
import { globMatch } from './match.js';

// reference is the backtracking RegExp the matcher replaced: fine for the short random cases below.
function reference(pattern: string, value: string, ignoreCase: boolean): boolean {
  let src = '^';
  for (const c of pattern) src += c === '*' ? '[\\s\\S]*' : c === '?' ? '[\\s\\S]' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`${src}$`, ignoreCase ? 'i' : '').test(value);
}

describe('wildcardMatch', () => {
  it('agrees with a regex reference on random patterns and values', () => {
    let seed = 7;
    const rnd = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const alphabet = ['a', 'b', 'A', '*', '?', 'é', 'É'];
    for (let i = 0; i < 3000; i++) {
      const pattern = Array.from({ length: rnd(7) }, () => alphabet[rnd(alphabet.length)]).join('');
      const value = Array.from({ length: rnd(8) }, () => (rnd(4) === 0 ? alphabet[5 + rnd(2)] : alphabet[rnd(3)])).join('');
      for (const ic of [false, true]) expect(globMatch(pattern, value, ic, null), `${pattern} ~ ${value} ${ic}`).toBe(reference(pattern, value, ic));
    }
  });

  it('matches many-star patterns in linear-ish time (a backtracking RegExp takes seconds)', () => {
    const t0 = performance.now();
    expect(globMatch('a*a*a*a*a*a*a*a*b', 'a'.repeat(2000), false, null)).toBe(false);
    expect(globMatch('arn:*:*:*:*:*a*a*a*a*a*b', `arn:aws:aps:us-east-1:1:${'a'.repeat(2000)}`, true, null)).toBe(false);
    expect(performance.now() - t0).toBeLessThan(100);
  });
});
