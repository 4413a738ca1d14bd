import type { Matcher } from '../../model/matcher.js';
import type { Expr } from './ast.js';
import { checkAST } from './check.js';
import { Parser } from './parser.js';

export * from './ast.js';
export { ParseError } from './errors.js';
export { exprToString, matcherString } from './printer.js';
export { exprType, documentedType } from './check.js';
export { FUNCTIONS, ANCHORED_FUNCTIONS, SMOOTHED_FUNCTIONS, getFunction, type FunctionSignature } from './functions.js';
export { parseDuration, formatDuration } from './duration.js';
export { evalDurationExpr, durationIsConstant, durationExprToString, type DurationContext } from './durations.js';
export { formatFloat } from './numbers.js';

/** parseExpr parses and type-checks a PromQL expression; throws ParseError with Prometheus's message. */
export function parseExpr(input: string): Expr {
  const e = new Parser(input).parseExpression();
  return checkAST(e, input);
}

/** parseMetricSelector parses a series selector such as `up{job="x"}` into its matchers (for match[] parameters). */
export function parseMetricSelector(s: string): Matcher[] {
  const vs = new Parser(s).parseSelectorOnly();
  return [...vs.matchers];
}
