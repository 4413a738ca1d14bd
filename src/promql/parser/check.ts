import { assertNever, type Expr, type PosRange, type ValueType, type BinaryExpr } from './ast.js';
import { ParseError } from './errors.js';
import { getFunction } from './functions.js';

/** exprType returns the type an expression evaluates to. */
export function exprType(e: Expr): ValueType {
  switch (e.kind) {
    case 'NumberLiteral': return 'scalar';
    case 'StringLiteral': return 'string';
    case 'VectorSelector': return 'vector';
    case 'MatrixSelector': return 'matrix';
    case 'SubqueryExpr': return 'matrix';
    case 'AggregateExpr': return 'vector';
    case 'BinaryExpr': return exprType(e.lhs) === 'scalar' && exprType(e.rhs) === 'scalar' ? 'scalar' : 'vector';
    case 'Call': return getFunction(e.func)?.returnType ?? 'none';
    case 'ParenExpr': return exprType(e.expr);
    case 'UnaryExpr': return exprType(e.expr);
    case 'StepInvariantExpr': return exprType(e.expr);
    default: return assertNever(e);
  }
}

/** documentedType names a type as Prometheus's error messages do. */
export function documentedType(t: ValueType): string {
  switch (t) {
    case 'vector': return 'instant vector';
    case 'matrix': return 'range vector';
    default: return t;
  }
}

const COMPARISON = new Set(['==', '!=', '>', '<', '>=', '<=']);
const SET_OPS = new Set(['and', 'or', 'unless']);

/** checkAST type-checks a parsed expression as Prometheus's checkAST, throwing the first error; returns the tree with set-operator cardinality and scalar matching normalised. */
export function checkAST(e: Expr, query: string): Expr {
  const fail = (msg: string, pos: PosRange): never => {
    throw new ParseError(msg, pos, query);
  };
  const expectType = (node: Expr, want: ValueType, context: string): Expr => {
    const checked = visit(node);
    const t = exprType(checked);
    if (t !== want) fail(`expected type ${documentedType(want)} in ${context}, got ${documentedType(t)}`, node.pos);
    return checked;
  };
  const opRange = (n: BinaryExpr): PosRange => {
    let start = n.lhs.pos.end;
    while (start < query.length && /\s/.test(query[start]!)) start++;
    let end = n.rhs.pos.start - 1;
    while (end > start && /\s/.test(query[end]!)) end--;
    return { start, end };
  };

  function visit(node: Expr): Expr {
    switch (node.kind) {
      case 'AggregateExpr': {
        const expr = expectType(node.expr, 'vector', 'aggregation expression');
        let param = node.param;
        if (param && node.op !== 'count_values') param = expectType(param, 'scalar', 'aggregation parameter');
        if (param && node.op === 'count_values') param = expectType(param, 'string', 'aggregation parameter');
        return { ...node, expr, param };
      }
      case 'BinaryExpr': {
        const lhs = visit(node.lhs);
        const rhs = visit(node.rhs);
        const lt = exprType(lhs);
        const rt = exprType(rhs);
        let vm = node.matching;
        const isCmp = COMPARISON.has(node.op);
        const isSet = SET_OPS.has(node.op);
        if (node.returnBool && !isCmp) fail('bool modifier can only be used on comparison operators', opRange(node));
        if (isCmp && !node.returnBool && lt === 'scalar' && rt === 'scalar') {
          fail('comparisons between scalars must use BOOL modifier', opRange(node));
        }
        if (vm && isSet && vm.card === 'one-to-one') vm = { ...vm, card: 'many-to-many' };
        if (vm && vm.on) {
          for (const l1 of vm.matchingLabels) {
            if (vm.include.includes(l1)) fail(`label ${JSON.stringify(l1)} must not occur in ON and GROUP clause at once`, opRange(node));
          }
        }
        if (lt !== 'scalar' && lt !== 'vector') fail('binary expression must contain only scalar and instant vector types', lhs.pos);
        if (rt !== 'scalar' && rt !== 'vector') fail('binary expression must contain only scalar and instant vector types', rhs.pos);
        if ((lt !== 'vector' || rt !== 'vector') && vm) {
          if (vm.matchingLabels.length > 0) fail('vector matching only allowed between instant vectors', node.pos);
          if (vm.fill) fail('filling in missing series only allowed between instant vectors', node.pos);
          vm = null;
        } else if (isSet && vm) {
          if (vm.card === 'one-to-many' || vm.card === 'many-to-one') fail(`no grouping allowed for ${JSON.stringify(node.op)} operation`, node.pos);
          if (vm.card !== 'many-to-many') fail('set operations must always be many-to-many', node.pos);
          if (vm.fill) fail('filling in missing series not allowed for set operators', node.pos);
        }
        if ((lt === 'scalar' || rt === 'scalar') && isSet) {
          fail(`set operator ${JSON.stringify(node.op)} not allowed in binary scalar expression`, node.pos);
        }
        return { ...node, lhs, rhs, matching: vm };
      }
      case 'Call': {
        const fn = getFunction(node.func);
        if (!fn) return fail(`unknown function with name ${JSON.stringify(node.func)}`, node.pos);
        const nargs = fn.argTypes.length;
        const got = node.args.length;
        if (fn.variadic === 0) {
          if (nargs !== got) fail(`expected ${nargs} argument(s) in call to ${JSON.stringify(fn.name)}, got ${got}`, node.pos);
        } else {
          const na = nargs - 1;
          if (na > got) fail(`expected at least ${na} argument(s) in call to ${JSON.stringify(fn.name)}, got ${got}`, node.pos);
          else if (fn.variadic > 0 && na + fn.variadic < got) {
            fail(`expected at most ${na + fn.variadic} argument(s) in call to ${JSON.stringify(fn.name)}, got ${got}`, node.pos);
          }
        }
        if (fn.name === 'info' && got > 1) {
          const a1 = node.args[1]!;
          const t1 = exprType(a1);
          if (t1 !== 'vector') fail(`expected type instant vector in call to function "info", got ${documentedType(t1)}`, node.pos);
          if (a1.kind === 'VectorSelector' && a1.name !== '') fail('expected label selectors only, got vector selector instead', a1.pos);
          else if (a1.kind !== 'VectorSelector') fail('expected label selectors only', a1.pos);
        }
        const args = node.args.map((arg, i) => {
          if (i >= nargs && fn.variadic === 0) return arg;
          const want = fn.argTypes[Math.min(i, nargs - 1)]!;
          const skipEmptyCheck = fn.name === 'info' && i === 1;
          const checked = skipEmptyCheck ? arg : visit(arg);
          const t = exprType(checked);
          if (t !== want) fail(`expected type ${documentedType(want)} in call to function ${JSON.stringify(fn.name)}, got ${documentedType(t)}`, arg.pos);
          return checked;
        });
        return { ...node, args };
      }
      case 'ParenExpr':
        return { ...node, expr: visit(node.expr) };
      case 'UnaryExpr': {
        const expr = visit(node.expr);
        const t = exprType(expr);
        if (t !== 'scalar' && t !== 'vector') {
          fail(`unary expression only allowed on expressions of type scalar or instant vector, got ${JSON.stringify(documentedType(t))}`, node.pos);
        }
        return { ...node, expr };
      }
      case 'SubqueryExpr': {
        const expr = visit(node.expr);
        const t = exprType(expr);
        if (t !== 'vector') fail(`subquery is only allowed on instant vector, got ${t} instead`, node.pos);
        return { ...node, expr };
      }
      case 'MatrixSelector':
        visit(node.vectorSelector);
        return node;
      case 'VectorSelector': {
        if (node.name !== '') {
          for (const m of node.matchers.slice(0, -1)) {
            if (m.name === '__name__') fail(`metric name must not be set twice: ${JSON.stringify(node.name)} or ${JSON.stringify(m.value)}`, node.pos);
          }
          return node;
        }
        if (!node.matchers.some((m) => !m.matches(''))) fail('vector selector must contain at least one non-empty matcher', node.pos);
        return node;
      }
      case 'NumberLiteral':
      case 'StringLiteral':
        return node;
      case 'StepInvariantExpr':
        return { ...node, expr: visit(node.expr) };
      default:
        return assertNever(node);
    }
  }
  return visit(e);
}
