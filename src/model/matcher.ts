import { fastRegexTest, type StringTest } from './fast-regex.js';
import { compileRE2, RE2SyntaxError, type RE2Regex } from './re2.js';

/** MatchType is one of PromQL's four label matcher operators. */
export type MatchType = '=' | '!=' | '=~' | '!~';

/** Matcher selects series by one label's value. */
export interface Matcher {
  readonly type: MatchType;
  readonly name: string;
  readonly value: string;
  /** matches tests a label value ('' for a label the series lacks). */
  matches(value: string): boolean;
}

/** MatcherError reports a matcher that cannot be built; for a regex its message is Go's ("error parsing regexp: ..."). */
export class MatcherError extends Error {
  override name = 'MatcherError';
}

/**
 * compileAnchoredRegex compiles a Go RE2 pattern as Prometheus does: fully anchored, dot matching newlines,
 * matched in linear time (never by JavaScript's backtracking RegExp). Not cached: each compiled pattern's
 * lazy DFA may grow to re2js's 8 MB budget, so it lives only as long as the query holding it.
 */
export function compileAnchoredRegex(pattern: string): RE2Regex {
  try {
    return compileRE2(pattern);
  } catch (err) {
    if (err instanceof RE2SyntaxError) throw new MatcherError(err.message);
    throw err;
  }
}

/** compileRegexTest returns the whole-value test for a regex matcher: a string fast path when the pattern allows one, RE2 otherwise. */
export function compileRegexTest(pattern: string): StringTest {
  const fast = fastRegexTest(pattern);
  if (fast !== null) return fast;
  const re = compileAnchoredRegex(pattern);
  return (s) => re.test(s);
}

/** newMatcher builds a matcher; regex matchers are fully anchored. */
export function newMatcher(type: MatchType, name: string, value: string): Matcher {
  switch (type) {
    case '=':
      return { type, name, value, matches: (v) => v === value };
    case '!=':
      return { type, name, value, matches: (v) => v !== value };
    case '=~': {
      const test = compileRegexTest(value);
      return { type, name, value, matches: test };
    }
    case '!~': {
      const test = compileRegexTest(value);
      return { type, name, value, matches: (v) => !test(v) };
    }
  }
}

/** matcherToString prints a matcher as PromQL text. */
export function matcherToString(m: Matcher): string {
  return `${m.name}${m.type}${JSON.stringify(m.value)}`;
}
