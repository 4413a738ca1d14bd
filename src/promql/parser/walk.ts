import { assertNever, type Expr } from './ast.js';

/** someNode reports whether pred holds for the expression or any expression nested in it (depth first, parents first). */
export function someNode(e: Expr, pred: (e: Expr) => boolean): boolean {
  if (pred(e)) return true;
  switch (e.kind) {
    case 'NumberLiteral':
    case 'StringLiteral':
    case 'VectorSelector':
    case 'MatrixSelector':
      return false;
    case 'SubqueryExpr':
    case 'ParenExpr':
    case 'UnaryExpr':
    case 'StepInvariantExpr':
      return someNode(e.expr, pred);
    case 'AggregateExpr':
      return someNode(e.expr, pred) || (e.param !== null && someNode(e.param, pred));
    case 'BinaryExpr':
      return someNode(e.lhs, pred) || someNode(e.rhs, pred);
    case 'Call':
      return e.args.some((a) => someNode(a, pred));
    default:
      return assertNever(e);
  }
}
