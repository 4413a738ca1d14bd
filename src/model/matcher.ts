import { translateRE2 } from './re2.js';

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

/** MatcherError reports a matcher that cannot be built, such as an invalid regex. */
export class MatcherError extends Error {
  override name = 'MatcherError';
}

/** compileAnchoredRegex compiles a Go RE2 pattern as Prometheus does: fully anchored, dot matching newlines. */
export function compileAnchoredRegex(pattern: string): RegExp {
  try {
    return new RegExp(`^(?:${translateRE2(pattern)})$`, 'su');
  } catch (err) {
    throw new MatcherError(`invalid regular expression ${JSON.stringify(pattern)}: ${(err as Error).message}`);
  }
}

/** newMatcher builds a matcher; regex matchers are fully anchored. */
export function newMatcher(type: MatchType, name: string, value: string): Matcher {
  switch (type) {
    case '=':
      return { type, name, value, matches: (v) => v === value };
    case '!=':
      return { type, name, value, matches: (v) => v !== value };
    case '=~': {
      const re = compileAnchoredRegex(value);
      return { type, name, value, matches: (v) => re.test(v) };
    }
    case '!~': {
      const re = compileAnchoredRegex(value);
      return { type, name, value, matches: (v) => !re.test(v) };
    }
  }
}

/** matcherToString prints a matcher as PromQL text. */
export function matcherToString(m: Matcher): string {
  return `${m.name}${m.type}${JSON.stringify(m.value)}`;
}
