import type { Matcher } from '../../model/matcher.js';

/** PosRange is a half-open range [start, end) of UTF-16 indices in the query text (ParseError converts to Prometheus's byte columns). */
export interface PosRange {
  readonly start: number;
  readonly end: number;
}

/** ValueType is the type an expression evaluates to. */
export type ValueType = 'scalar' | 'vector' | 'matrix' | 'string' | 'none';

/** AggregateOp names an aggregation operator. */
export type AggregateOp =
  | 'sum' | 'avg' | 'count' | 'min' | 'max' | 'group' | 'stddev' | 'stdvar'
  | 'topk' | 'bottomk' | 'count_values' | 'quantile' | 'limitk' | 'limit_ratio';

/** BinaryOp names a binary operator; '</' and '>/' are the native-histogram trim operators (trim upper / trim lower). */
export type BinaryOp =
  | '+' | '-' | '*' | '/' | '%' | '^' | 'atan2' | '</' | '>/'
  | '==' | '!=' | '>' | '<' | '>=' | '<='
  | 'and' | 'or' | 'unless';

/** VectorMatchCardinality is the cardinality of a vector-to-vector binary operation. */
export type VectorMatchCardinality = 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';

/** VectorMatching describes on/ignoring and group_left/group_right of a binary operation. */
export interface VectorMatching {
  readonly card: VectorMatchCardinality;
  /** matchingLabels are the labels of on(...) or ignoring(...). */
  readonly matchingLabels: readonly string[];
  /** on is true for on(...), false for ignoring(...) or no clause. */
  readonly on: boolean;
  /** include are the extra labels of group_left(...)/group_right(...). */
  readonly include: readonly string[];
  /** fill holds fill()/fill_left()/fill_right() (Prometheus 3.10+); absent when none was written. */
  readonly fill?: FillValues;
}

/** FillValues are the values a binary operation fills in for series missing on one side (null = no filling on that side). */
export interface FillValues {
  readonly lhs: number | null;
  readonly rhs: number | null;
  /** same is true when written as one fill(v) for both sides (printed back as fill). */
  readonly same: boolean;
}

/** AtModifier is the `@` of a selector or subquery: a fixed time, or start()/end() of the query. */
export type AtModifier =
  | { readonly kind: 'none' }
  | { readonly kind: 'timestamp'; readonly ms: number }
  | { readonly kind: 'start' }
  | { readonly kind: 'end' };

/**
 * DurationExpr is a duration in ms, or (Prometheus 3.4+) an arithmetic expression producing one.
 * A DurationLiteral written as a plain number (seconds) has `number: true` (printed back as a number).
 * step()/range() depend on the query; evalDurationExpr (durations.ts) computes a value given them.
 */
export type DurationExpr =
  | { readonly kind: 'DurationLiteral'; readonly ms: number; readonly number?: boolean; readonly pos: PosRange }
  | { readonly kind: 'DurationBinary'; readonly op: '+' | '-' | '*' | '/' | '%' | '^'; readonly lhs: DurationExpr; readonly rhs: DurationExpr; readonly pos: PosRange }
  | { readonly kind: 'DurationUnary'; readonly op: '-' | '+'; readonly expr: DurationExpr; readonly pos: PosRange }
  | { readonly kind: 'DurationCall'; readonly func: 'step' | 'range' | 'start' | 'end' | 'min_of' | 'max_of'; readonly args: readonly DurationExpr[]; readonly pos: PosRange }
  | { readonly kind: 'DurationParen'; readonly expr: DurationExpr; readonly pos: PosRange };

/** NumberLiteral is a float literal; a duration written where a number is expected (`1h`) is its seconds, with duration = true. */
export interface NumberLiteral {
  readonly kind: 'NumberLiteral';
  readonly value: number;
  /** duration is true when written as a duration such as 5m (value in seconds); printed back as a duration. */
  readonly duration?: boolean;
  readonly pos: PosRange;
}

/** StringLiteral is a string literal (already unescaped). */
export interface StringLiteral {
  readonly kind: 'StringLiteral';
  readonly value: string;
  readonly pos: PosRange;
}

/** VectorSelector selects series by matchers at evaluation time. */
export interface VectorSelector {
  readonly kind: 'VectorSelector';
  /** name is the metric name written outside braces, or ''. */
  readonly name: string;
  /** matchers are the matchers in braces followed, when name is set, by __name__="<name>" (as Prometheus). */
  readonly matchers: readonly Matcher[];
  /** anchored is the Prometheus 3.7 `anchored` modifier (on the selector of a range). */
  readonly anchored?: boolean;
  /** smoothed is the Prometheus 3.7 `smoothed` modifier (on the selector of a range). */
  readonly smoothed?: boolean;
  /** offset in ms (negative for a negative offset), 0 when absent. */
  readonly offset: number;
  /** offsetExpr is the offset as written when it is a duration expression. */
  readonly offsetExpr?: DurationExpr;
  readonly at: AtModifier;
  readonly pos: PosRange;
}

/** MatrixSelector is a range selector: a vector selector over a time range. */
export interface MatrixSelector {
  readonly kind: 'MatrixSelector';
  readonly vectorSelector: VectorSelector;
  /** range in ms; 0 when rangeExpr depends on step()/range() and must be evaluated per query. */
  readonly range: number;
  /** rangeExpr is set when the range was written as a duration expression (e.g. [5m+1m], [step()]). */
  readonly rangeExpr?: DurationExpr;
  readonly pos: PosRange;
}

/** SubqueryExpr evaluates an instant expression over a range at a step. */
export interface SubqueryExpr {
  readonly kind: 'SubqueryExpr';
  readonly expr: Expr;
  /** range in ms. */
  readonly range: number;
  readonly rangeExpr?: DurationExpr;
  /** step in ms, 0 for the default resolution. */
  readonly step: number;
  readonly stepExpr?: DurationExpr;
  readonly offset: number;
  readonly offsetExpr?: DurationExpr;
  readonly at: AtModifier;
  readonly pos: PosRange;
}

/** AggregateExpr is an aggregation such as sum by (job) (x). */
export interface AggregateExpr {
  readonly kind: 'AggregateExpr';
  readonly op: AggregateOp;
  readonly expr: Expr;
  /** param is the parameter of topk, bottomk, quantile, count_values, limitk, limit_ratio. */
  readonly param: Expr | null;
  readonly grouping: readonly string[];
  /** without is true for without(...), false for by(...) or no clause. */
  readonly without: boolean;
  readonly pos: PosRange;
}

/** BinaryExpr is a binary operation. */
export interface BinaryExpr {
  readonly kind: 'BinaryExpr';
  readonly op: BinaryOp;
  readonly lhs: Expr;
  readonly rhs: Expr;
  /** matching is set when both sides are vectors. */
  readonly matching: VectorMatching | null;
  /** returnBool is true for comparisons with the bool modifier. */
  readonly returnBool: boolean;
  readonly pos: PosRange;
}

/** Call is a function call. */
export interface Call {
  readonly kind: 'Call';
  readonly func: string;
  readonly args: readonly Expr[];
  readonly pos: PosRange;
}

/** ParenExpr is a parenthesised expression. */
export interface ParenExpr {
  readonly kind: 'ParenExpr';
  readonly expr: Expr;
  readonly pos: PosRange;
}

/** UnaryExpr is a unary minus or plus. */
export interface UnaryExpr {
  readonly kind: 'UnaryExpr';
  readonly op: '-' | '+';
  readonly expr: Expr;
  readonly pos: PosRange;
}

/** StepInvariantExpr wraps a subtree whose value is the same at every step (inserted by the engine's preprocessing). */
export interface StepInvariantExpr {
  readonly kind: 'StepInvariantExpr';
  readonly expr: Expr;
  readonly pos: PosRange;
}

/** Expr is any PromQL expression: a closed union switched on `kind`. */
export type Expr =
  | NumberLiteral
  | StringLiteral
  | VectorSelector
  | MatrixSelector
  | SubqueryExpr
  | AggregateExpr
  | BinaryExpr
  | Call
  | ParenExpr
  | UnaryExpr
  | StepInvariantExpr;

/** assertNever marks a switch as exhaustive over a union. */
export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(x)}`);
}
