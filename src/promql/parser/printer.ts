import type { Matcher } from '../../model/matcher.js';
import { assertNever, type AtModifier, type DurationExpr, type Expr, type VectorMatching, type VectorSelector } from './ast.js';
import { formatDuration } from './duration.js';
import { durationExprToString } from './durations.js';
import { formatFloat, formatFloatG } from './numbers.js';
import { goQuote } from './strings.js';

/** exprToString prints an expression in Prometheus's canonical single-line form (Expr.String()). */
export function exprToString(e: Expr): string {
  switch (e.kind) {
    case 'NumberLiteral':
      if (e.duration) return e.value < 0 ? '-' + formatDuration(-e.value * 1000) : formatDuration(e.value * 1000);
      return formatFloat(e.value);
    case 'StringLiteral':
      return goQuote(e.value);
    case 'VectorSelector':
      return vectorSelectorToString(e);
    case 'MatrixSelector': {
      const vs = e.vectorSelector;
      const base = vectorSelectorToString({ ...vs, offset: 0, offsetExpr: undefined, at: { kind: 'none' }, anchored: false, smoothed: false });
      const range = e.rangeExpr ? durationExprToString(e.rangeExpr) : formatDuration(e.range);
      const ext = vs.anchored ? ' anchored' : vs.smoothed ? ' smoothed' : '';
      return `${base}[${range}]${ext}${atToString(vs.at)}${offsetToString(vs.offset, vs.offsetExpr)}`;
    }
    case 'SubqueryExpr': {
      const range = e.rangeExpr ? durationExprToString(e.rangeExpr) : formatDuration(e.range);
      const step = e.stepExpr ? durationExprToString(e.stepExpr) : e.step !== 0 ? formatDuration(e.step) : '';
      return `${exprToString(e.expr)}[${range}:${step}]${atToString(e.at)}${offsetToString(e.offset, e.offsetExpr)}`;
    }
    case 'AggregateExpr': {
      let s: string = e.op;
      if (e.without) s += ` without (${labelsToString(e.grouping)}) `;
      else if (e.grouping.length > 0) s += ` by (${labelsToString(e.grouping)}) `;
      s += '(';
      if (e.param) s += exprToString(e.param) + ', ';
      return s + exprToString(e.expr) + ')';
    }
    case 'BinaryExpr':
      return `${exprToString(e.lhs)} ${e.op}${e.returnBool ? ' bool' : ''}${matchingToString(e.matching)} ${exprToString(e.rhs)}`;
    case 'Call':
      return `${e.func}(${e.args.map(exprToString).join(', ')})`;
    case 'ParenExpr':
      return `(${exprToString(e.expr)})`;
    case 'UnaryExpr':
      return e.op + exprToString(e.expr);
    case 'StepInvariantExpr':
      return exprToString(e.expr);
    default:
      return assertNever(e);
  }
}

/** isLegacyLabelName reports whether a label name needs no quoting ([a-zA-Z_][a-zA-Z0-9_]*). */
function isLegacyLabelName(s: string): boolean {
  return /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(s);
}

function labelsToString(ls: readonly string[]): string {
  return ls.map((l) => (isLegacyLabelName(l) ? l : goQuote(l))).join(', ');
}

/** matcherString prints a matcher as Prometheus's labels.Matcher String(). */
export function matcherString(m: Matcher): string {
  return `${isLegacyLabelName(m.name) ? m.name : goQuote(m.name)}${m.type}${goQuote(m.value)}`;
}

function vectorSelectorToString(vs: VectorSelector): string {
  const parts: string[] = [];
  for (const m of vs.matchers) {
    if (m.name === '__name__' && m.type === '=' && m.value === vs.name && m.value !== '') continue;
    parts.push(matcherString(m));
  }
  let s = vs.name;
  if (parts.length > 0) s += `{${parts.sort(compareGo).join(',')}}`;
  s += atToString(vs.at);
  if (vs.anchored) s += ' anchored';
  else if (vs.smoothed) s += ' smoothed';
  return s + offsetToString(vs.offset, vs.offsetExpr);
}

function compareGo(a: string, b: string): number {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return Buffer.compare(x, y);
}

function atToString(at: AtModifier): string {
  switch (at.kind) {
    case 'none': return '';
    case 'timestamp': return ` @ ${(at.ms / 1000).toFixed(3)}`;
    case 'start': return ' @ start()';
    case 'end': return ' @ end()';
    default: return assertNever(at);
  }
}

function offsetToString(offset: number, expr: DurationExpr | undefined): string {
  if (expr) return ` offset ${durationExprToString(expr)}`;
  if (offset > 0) return ` offset ${formatDuration(offset)}`;
  if (offset < 0) return ` offset -${formatDuration(-offset)}`;
  return '';
}

function matchingToString(vm: VectorMatching | null): string {
  if (!vm) return '';
  let s = '';
  const grouped = vm.card === 'many-to-one' || vm.card === 'one-to-many';
  if (vm.matchingLabels.length > 0 || vm.on || grouped) {
    s += ` ${vm.on ? 'on' : 'ignoring'} (${labelsToString(vm.matchingLabels)})`;
  }
  if (grouped) s += ` group_${vm.card === 'many-to-one' ? 'left' : 'right'} (${labelsToString(vm.include)})`;
  if (vm.fill) {
    const { lhs, rhs, same } = vm.fill;
    if (same && lhs !== null) s += ` fill (${formatFloatG(lhs)})`;
    else {
      if (lhs !== null) s += ` fill_left (${formatFloatG(lhs)})`;
      if (rhs !== null) s += ` fill_right (${formatFloatG(rhs)})`;
    }
  }
  return s;
}
