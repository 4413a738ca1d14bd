import { assertNever, FUNCTIONS, type AtModifier, type Expr } from '../../promql/parser/index.js';
import type { Matcher } from '../../model/matcher.js';
import { formatScalarValue } from './gofloat.js';

function matchers(ms: readonly Matcher[]): unknown[] {
  return ms.map((m) => ({ name: m.name, value: m.value, type: m.type }));
}

function atTimestamp(at: AtModifier): number | null {
  return at.kind === 'timestamp' ? at.ms : null;
}

function startOrEnd(at: AtModifier): string | null {
  return at.kind === 'start' ? 'start' : at.kind === 'end' ? 'end' : null;
}

/** translateAST turns a parsed expression into the JSON tree of Prometheus's /api/v1/parse_query (web/api/v1/translate_ast.go). */
export function translateAST(e: Expr): unknown {
  switch (e.kind) {
    case 'AggregateExpr':
      return { type: 'aggregation', op: e.op, expr: translateAST(e.expr), param: e.param ? translateAST(e.param) : null, grouping: [...e.grouping], without: e.without };
    case 'BinaryExpr': {
      const m = e.matching;
      const matching = m
        ? { card: m.card, labels: [...m.matchingLabels], on: m.on, include: [...m.include], fillValues: { lhs: m.fill?.lhs ?? null, rhs: m.fill?.rhs ?? null } }
        : null;
      return { type: 'binaryExpr', op: e.op, lhs: translateAST(e.lhs), rhs: translateAST(e.rhs), matching, bool: e.returnBool };
    }
    case 'Call': {
      const f = FUNCTIONS[e.func];
      return {
        type: 'call',
        func: { name: e.func, argTypes: f ? [...f.argTypes] : [], variadic: f?.variadic ?? 0, returnType: f?.returnType ?? 'vector' },
        args: e.args.map(translateAST),
      };
    }
    case 'MatrixSelector': {
      const vs = e.vectorSelector;
      return {
        type: 'matrixSelector',
        name: vs.name,
        range: e.range,
        offset: vs.offset,
        matchers: matchers(vs.matchers),
        timestamp: atTimestamp(vs.at),
        startOrEnd: startOrEnd(vs.at),
        anchored: vs.anchored === true,
        smoothed: vs.smoothed === true,
      };
    }
    case 'SubqueryExpr':
      return {
        type: 'subquery',
        expr: translateAST(e.expr),
        range: e.range,
        offset: e.offset,
        step: e.step,
        timestamp: atTimestamp(e.at),
        startOrEnd: startOrEnd(e.at),
        alignEvalTime: false,
      };
    case 'NumberLiteral':
      return { type: 'numberLiteral', val: formatScalarValue(e.value) };
    case 'ParenExpr':
      return { type: 'parenExpr', expr: translateAST(e.expr) };
    case 'StringLiteral':
      return { type: 'stringLiteral', val: e.value };
    case 'UnaryExpr':
      return { type: 'unaryExpr', op: e.op, expr: translateAST(e.expr) };
    case 'VectorSelector':
      return {
        type: 'vectorSelector',
        name: e.name,
        offset: e.offset,
        matchers: matchers(e.matchers),
        timestamp: atTimestamp(e.at),
        startOrEnd: startOrEnd(e.at),
        anchored: e.anchored === true,
        smoothed: e.smoothed === true,
      };
    case 'StepInvariantExpr':
      return translateAST(e.expr);
    default:
      return assertNever(e);
  }
}

/** extractSelectors returns the matchers of every vector selector in an expression (parser.ExtractSelectors). */
export function extractSelectors(e: Expr): Matcher[][] {
  const out: Matcher[][] = [];
  const walk = (x: Expr): void => {
    switch (x.kind) {
      case 'VectorSelector':
        out.push([...x.matchers]);
        return;
      case 'MatrixSelector':
        out.push([...x.vectorSelector.matchers]);
        return;
      case 'SubqueryExpr':
      case 'ParenExpr':
      case 'UnaryExpr':
      case 'StepInvariantExpr':
        walk(x.expr);
        return;
      case 'AggregateExpr':
        if (x.param) walk(x.param);
        walk(x.expr);
        return;
      case 'BinaryExpr':
        walk(x.lhs);
        walk(x.rhs);
        return;
      case 'Call':
        x.args.forEach(walk);
        return;
      case 'NumberLiteral':
      case 'StringLiteral':
        return;
      default:
        assertNever(x);
    }
  };
  walk(e);
  return out;
}
