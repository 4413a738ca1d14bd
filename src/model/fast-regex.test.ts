import { describe, expect, it } from 'vitest';
import { fastRegexTest } from './fast-regex.js';
import { compileRE2 } from './re2.js';

const FAST = ['', 'foo', 'node|api', 'a||b', '|', '10\\.0\\..*', 'http_.*_total', '.*foo.*', '.*', '.+', 'foo.+', '.+foo', 'a.*b.*c', 'a.+b.*c.+', '.*.*', '.+.*x', 'x.*.+', 'é.*ü', '\\$\\{x\\}', 'a b', 'a|b.*', 'api.*|web-.+|x', '.*foo.*|.*bar', '|.*', 'a.+b|ab', '(?i)foo.*', '(?i)KS|.*Web.+', '(?i)', '(?i)a\\.b'];
const SLOW = ['(?i)é.*', '(?i)(?i)a', '(?i:a)', '(?is)a', 'a(?i)b', 'fo+', 'a*', '.', 'a.', '.*?x', '.**', '.*+', '.++', '.+.+', 'a|.+.+', 'a|b*', '[ab]', 'a{2}', '^a', 'a$', '\\d', '\\Qa\\E', '(a)', 'a\\', '.*.+.+'];
const INPUTS = ['', 'a', 'b', 'c', 'ab', 'abc', 'aXbYc', 'acb', 'foo', 'xfoox', 'foox', 'xfoo', 'fo', 'node', 'api', 'nodeapi', '10.0.1.2', '10x0.1', 'http__total', 'http_total', 'http_x_total', 'x', 'xx', 'éü', 'é\nü', '${x}', 'a b', '😀foo', 'foo😀', 'a\nb\nc', 'api', 'api-1', 'web-', 'web-x', 'xbar', 'axb', 'FOO', 'fOo\n', 'ks', 'KS', '\u212a\u017f', '\u212aS', 'İ', 'xweb1', 'WEB', '-WEB-1', 'A.B'];

describe('fastRegexTest', () => {
  it.each(FAST)('takes the fast path for %j and agrees with RE2', (pattern) => {
    const fast = fastRegexTest(pattern);
    expect(fast).not.toBeNull();
    const re = compileRE2(pattern);
    for (const s of INPUTS) expect(fast!(s), `${pattern} ~ ${JSON.stringify(s)}`).toBe(re.test(s));
  });
  it.each(SLOW)('leaves %j to RE2', (pattern) => expect(fastRegexTest(pattern)).toBeNull());
});

describe('fastRegexTest on random patterns', () => {
  it('agrees with RE2 wherever it takes the fast path', () => {
    let seed = 11;
    const rnd = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const parts = ['a', 'b', 'A', 'k', 's', '.*', '.+', '|', '\\.', '.', '-'];
    const chars = ['a', 'b', 'A', 'K', 'k', '\u212a', 'S', '\u017f', '.', '\n', 'é', '-'];
    let fast = 0;
    for (let i = 0; i < 2000; i++) {
      const pattern = (rnd(3) === 0 ? '(?i)' : '') + Array.from({ length: rnd(6) }, () => parts[rnd(parts.length)]).join('');
      const test = fastRegexTest(pattern);
      if (test === null) continue;
      fast++;
      const re = compileRE2(pattern);
      for (let j = 0; j < 20; j++) {
        const s = Array.from({ length: rnd(6) }, () => chars[rnd(chars.length)]).join('');
        expect(test(s), `${pattern} ~ ${JSON.stringify(s)}`).toBe(re.test(s));
      }
    }
    expect(fast).toBeGreaterThan(500);
  });
});
