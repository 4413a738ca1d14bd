import { assertNever, type DurationExpr } from './ast.js';
import { formatDuration } from './duration.js';
import { formatFloat } from './numbers.js';

/** DurationContext gives the query-dependent values of step() and range() (ms). */
export interface DurationContext {
  readonly step: number;
  readonly range: number;
  readonly start?: number;
  readonly end?: number;
}

/** durationIsConstant reports whether a duration expression has no step()/range()/start()/end() call. */
export function durationIsConstant(e: DurationExpr): boolean {
  switch (e.kind) {
    case 'DurationLiteral': return true;
    case 'DurationBinary': return durationIsConstant(e.lhs) && durationIsConstant(e.rhs);
    case 'DurationUnary': return durationIsConstant(e.expr);
    case 'DurationParen': return durationIsConstant(e.expr);
    case 'DurationCall':
      if (e.func === 'min_of' || e.func === 'max_of') return e.args.every(durationIsConstant);
      return false;
    default: return assertNever(e);
  }
}

/** evalDurationExpr computes a duration expression in ms (float arithmetic in seconds, as Prometheus, then truncated to ms). */
export function evalDurationExpr(e: DurationExpr, ctx?: DurationContext): number {
  return Math.trunc(Math.round(evalSeconds(e, ctx) * 1e6) / 1e3);
}

function evalSeconds(e: DurationExpr, ctx?: DurationContext): number {
  switch (e.kind) {
    case 'DurationLiteral': return e.ms / 1000;
    case 'DurationParen': return evalSeconds(e.expr, ctx);
    case 'DurationUnary': return e.op === '-' ? -evalSeconds(e.expr, ctx) : evalSeconds(e.expr, ctx);
    case 'DurationBinary': {
      const a = evalSeconds(e.lhs, ctx);
      const b = evalSeconds(e.rhs, ctx);
      switch (e.op) {
        case '+': return a + b;
        case '-': return a - b;
        case '*': return a * b;
        case '/':
          if (b === 0) throw new Error('division by zero');
          return a / b;
        case '%':
          if (b === 0) throw new Error('modulo by zero');
          return a % b;
        case '^': return Math.pow(a, b);
        default: return assertNever(e);
      }
    }
    case 'DurationCall': {
      switch (e.func) {
        case 'min_of': return Math.min(evalSeconds(e.args[0]!, ctx), evalSeconds(e.args[1]!, ctx));
        case 'max_of': return Math.max(evalSeconds(e.args[0]!, ctx), evalSeconds(e.args[1]!, ctx));
        case 'step':
        case 'range':
        case 'start':
        case 'end': {
          const v = ctx?.[e.func];
          if (v === undefined) throw new Error(`${e.func}() needs the query's parameters to be evaluated`);
          return v / 1000;
        }
        default: return assertNever(e.func);
      }
    }
    default: return assertNever(e);
  }
}

/** durationExprToString prints a duration expression as Prometheus's DurationExpr.String(). */
export function durationExprToString(e: DurationExpr): string {
  switch (e.kind) {
    case 'DurationLiteral':
      if (e.number) return formatFloat(e.ms / 1000);
      return e.ms < 0 ? '-' + formatDuration(-e.ms) : formatDuration(e.ms);
    case 'DurationParen': return `(${durationExprToString(e.expr)})`;
    case 'DurationUnary': return e.op === '-' ? '-' + durationExprToString(e.expr) : durationExprToString(e.expr);
    case 'DurationBinary': return `${durationExprToString(e.lhs)} ${e.op} ${durationExprToString(e.rhs)}`;
    case 'DurationCall':
      if (e.func === 'min_of' || e.func === 'max_of') {
        return `${e.func}(${durationExprToString(e.args[0]!)}, ${durationExprToString(e.args[1]!)})`;
      }
      return `${e.func}()`;
    default: return assertNever(e);
  }
}
