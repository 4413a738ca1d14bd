import { describe, expect, it } from 'vitest';
import { compileAnchoredRegex } from './matcher.js';

describe('Go RE2 regexes', () => {
  const f = (pattern: string, input: string, expected: boolean) => expect(compileAnchoredRegex(pattern).test(input), `${pattern} ~ ${input}`).toBe(expected);
  it('supports flag groups and Go-only syntax', () => {
    f('(?i:PRO).*', 'production', true);
    f('.*?(?i:PRO).*', 'xxProd', true);
    f('((?i)PRO).*', 'proDUCTION', true);
    f('((?i)pro)D', 'PROd', false);
    f('(?i)abc', 'ABC', true);
    f('a(?i)b', 'aB', true);
    f('a(?i)b', 'AB', false);
    f('(?i:[a-c]x)', 'BX', true);
    f('(?P<n>a+)', 'aaa', true);
    f('a\\z', 'a', true);
    f('\\Qa.b\\E', 'a.b', true);
    f('\\Qa.b\\E', 'axb', false);
    f('[[:digit:]]+', '123', true);
    f('\\pL+', 'héllo', true);
    f('.*', 'a\nb', true);
    f('foo|bar', 'foobar', false);
  });
  it('rejects what RE2 rejects, with Go regexp/syntax text', () => {
    expect(() => compileAnchoredRegex('(')).toThrow('error parsing regexp: missing closing ): `(`');
    expect(() => compileAnchoredRegex('[a')).toThrow('error parsing regexp: missing closing ]: `[a`');
  });
});
