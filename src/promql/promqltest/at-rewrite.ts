import type { Expr, VectorSelector } from '../parser/ast.js';
import { assertNever } from '../parser/ast.js';
import { someNode } from '../parser/walk.js';

/** AT_UNSAFE_FUNCTIONS are functions whose result varies with the evaluation time even for step-invariant arguments. */
export const AT_UNSAFE_FUNCTIONS: ReadonlySet<string> = new Set([
  'day_of_month', 'day_of_week', 'day_of_year', 'days_in_month', 'hour', 'minute', 'month', 'year',
  'predict_linear', 'time', 'timestamp', 'start', 'end', 'range', 'step',
]);

/** usesAtUnsafeFunction reports whether an expression calls a function listed in AT_UNSAFE_FUNCTIONS. */
export function usesAtUnsafeFunction(e: Expr): boolean {
  return someNode(e, (n) => n.kind === 'Call' && AT_UNSAFE_FUNCTIONS.has(n.func));
}

function withAt(vs: VectorSelector, ms: number): VectorSelector {
  return vs.at.kind === 'none' ? { ...vs, at: { kind: 'timestamp', ms } } : vs;
}

/** addAtModifier sets `@ ms` on every selector and subquery without one, leaving the insides of subqueries alone (as Prometheus's runner). */
export function addAtModifier(e: Expr, ms: number): Expr {
  switch (e.kind) {
    case 'NumberLiteral':
    case 'StringLiteral':
      return e;
    case 'VectorSelector':
      return withAt(e, ms);
    case 'MatrixSelector':
      return { ...e, vectorSelector: withAt(e.vectorSelector, ms) };
    case 'SubqueryExpr':
      return e.at.kind === 'none' ? { ...e, at: { kind: 'timestamp', ms } } : e;
    case 'ParenExpr':
    case 'UnaryExpr':
    case 'StepInvariantExpr':
      return { ...e, expr: addAtModifier(e.expr, ms) };
    case 'AggregateExpr':
      return { ...e, expr: addAtModifier(e.expr, ms), param: e.param === null ? null : addAtModifier(e.param, ms) };
    case 'BinaryExpr':
      return { ...e, lhs: addAtModifier(e.lhs, ms), rhs: addAtModifier(e.rhs, ms) };
    case 'Call':
      return { ...e, args: e.args.map((a) => addAtModifier(a, ms)) };
    default:
      return assertNever(e);
  }
}
