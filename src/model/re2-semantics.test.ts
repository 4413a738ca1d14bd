import { describe, expect, it } from 'vitest';
import { compileAnchoredRegex, MatcherError, newMatcher } from './matcher.js';

// Expected results are Go's: regexp.MustCompile("^(?s:" + pattern + ")$").MatchString(input).
const GO_MATCHES: [pattern: string, input: string, expected: boolean][] = [
  ['a|ab', 'ab', true],
  ['(?:a|ab)(c|bcd)(d*)', 'abcd', true],
  ['foo|bar', 'foobar', false],
  ['', '', true],
  ['', 'x', false],
  ['a||b', '', true],
  ['.', '😀', true],
  ['..', '😀', false],
  ['.*', 'a\nb', true],
  ['(?-s:.*)', 'a\nb', false],
  ['foo.*bar', 'foo\nbar', true],
  ['[^a]', '\n', true],
  ['\\S', '\n', false],
  ['^a$', 'a', true],
  ['a^b', 'ab', false],
  ['a$b', 'ab', false],
  ['\\Aa\\z', 'a', true],
  ['\\bfoo\\b', 'foo', true],
  ['\\d+', '١٢', false],
  ['\\w+', 'héllo', false],
  ['\\pL+', 'héllo', true],
  ['\\p{Greek}+', 'αβγ', true],
  ['\\PL', '1', true],
  ['[[:^alpha:]]+', '123', true],
  ['[[:word:]]+', 'a_1', true],
  ['[[:space:]]', '\v', true],
  ['\\Qa.b\\E+', 'a.bbb', true],
  ['\\Qa.b', 'a.b', true],
  ['\\Qa.b\\E', 'axb', false],
  ['x{2,3}', 'xxxx', false],
  ['x{2,}', 'xxxx', true],
  ['a{,2}', 'a{,2}', true],
  ['\\x41\\x{1F600}', 'A😀', true],
  ['(?i)FOO', 'foo', true],
  ['(?i)k', '\u212a', true],
  ['(?i)s', '\u017f', true],
  ['(?i)straße', 'STRASSE', false],
  ['(?i:a)b', 'AB', false],
  ['(?U)a+', 'aaa', true],
  ['(a+)+c', 'aaac', true],
  ['(?P<n>a+)(?<m>b)', 'aab', true],
  ['\\.', '.', true],
  ['\\.', 'x', false],
  ['.+', '', false],
  ['a.+b', 'ab', false],
  ['a.+b', 'aXb', true],
  ['.*foo.*', 'xfoox', true],
  ['http_.*_total', 'http__total', true],
  ['http_.*_total', 'http_total', false],
  ['10\\.0\\..*', '10.0.3.4:9100', true],
  ['10\\.0\\..*', '10x0.3.4', false],
];

// Go's regexp/syntax error text for patterns RE2 rejects (Prometheus returns it as the parse error).
const GO_ERRORS: [pattern: string, message: string][] = [
  ['(?=x)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?=`'],
  ['(?!x)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?!`'],
  ['(?<=x)', 'error parsing regexp: invalid named capture: `(?<=x)`'],
  ['(?<!x)', 'error parsing regexp: invalid named capture: `(?<!x)`'],
  ['(?>a)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?>`'],
  ['(a)\\1', 'error parsing regexp: invalid escape sequence: `\\1`'],
  ['a++', 'error parsing regexp: invalid nested repetition operator: `++`'],
  ['x**', 'error parsing regexp: invalid nested repetition operator: `**`'],
  ['*', 'error parsing regexp: missing argument to repetition operator: `*`'],
  ['a{1001}', 'error parsing regexp: invalid repeat count: `{1001}`'],
  ['(', 'error parsing regexp: missing closing ): `(`'],
  ['a)', 'error parsing regexp: unexpected ): `a)`'],
  ['[a', 'error parsing regexp: missing closing ]: `[a`'],
  ['[z-a]', 'error parsing regexp: invalid character class range: `z-a`'],
  ['[[:foo:]]', 'error parsing regexp: invalid character class range: `[:foo:]`'],
  ['\\p{Foo}', 'error parsing regexp: invalid character class range: `\\p{Foo}`'],
  ['\\C', 'error parsing regexp: invalid escape sequence: `\\C`'],
  ['\\', 'error parsing regexp: trailing backslash at end of expression: ``'],
  ['(?P<n>a)(?P<n>b)', 'error parsing regexp: duplicate capture group name: `n`'],
  ['(?P<>a)', 'error parsing regexp: invalid named capture: `(?P<>`'],
];

// Patterns on which a backtracking engine takes exponential (or high-polynomial) time; RE2 is linear.
const BACKTRACKING: [pattern: string, input: string][] = [
  ['(a+)+c', 'a'.repeat(31)],
  ['(a+)+c', 'a'.repeat(100)],
  ['(a|a)*b', 'a'.repeat(100)],
  ['(a*)*b', 'a'.repeat(100)],
  ['(a|aa)+c', 'a'.repeat(100)],
  ['(x+x+)+y', 'x'.repeat(100)],
  ['(.*a){20}', `${'a'.repeat(100)}!`],
  ['(.*){1,50}[bc]', 'a'.repeat(100)],
  ['(\\w+\\s?)+!', `${'word '.repeat(20)}?`],
  ['((a+)*)+b', 'a'.repeat(60)],
  ['(?i)(A+)+B', 'a'.repeat(80)],
  ['.*.*.*.*.*.*.*.*=.*', 'x'.repeat(100)],
];

describe('RE2 semantics as Go', () => {
  it.each(GO_MATCHES)('%j ~ %j is %s', (pattern, input, expected) => {
    expect(compileAnchoredRegex(pattern).test(input)).toBe(expected);
    expect(newMatcher('=~', 'l', pattern).matches(input)).toBe(expected);
    expect(newMatcher('!~', 'l', pattern).matches(input)).toBe(!expected);
  });

  it.each(GO_ERRORS)('rejects %j', (pattern, message) => {
    expect(() => newMatcher('=~', 'l', pattern)).toThrow(MatcherError);
    expect(() => newMatcher('!~', 'l', pattern)).toThrow(message);
    expect(() => compileAnchoredRegex(pattern)).toThrow(message);
  });
});

describe('linear-time matching', () => {
  it.each(BACKTRACKING)('%j against %j chars finishes in well under 100 ms', (pattern, input) => {
    const m = newMatcher('=~', 'l', pattern);
    const re = compileAnchoredRegex(pattern);
    const t0 = performance.now();
    const got = m.matches(input);
    re.exec(input);
    expect(performance.now() - t0).toBeLessThan(100);
    expect(got).toBe(false);
  });
});

describe('submatches', () => {
  it('gives numbered and named groups, undefined for a group that did not take part', () => {
    const m = compileAnchoredRegex('(?P<host>[^:]+)(:(\\d+))?').exec('node-1')!;
    expect([...Array(m.length).keys()].map((i) => m[i])).toEqual(['node-1', 'node-1', undefined, undefined]);
    expect(m.groups).toEqual({ host: 'node-1' });
    expect(compileAnchoredRegex('(a+?)(a*)').exec('aaa')![1]).toBe('a');
    expect(compileAnchoredRegex('a').exec('ba')).toBeNull();
  });
});
