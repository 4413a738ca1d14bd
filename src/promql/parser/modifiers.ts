import type { AtModifier, DurationExpr, Expr } from './ast.js';
import { durationIsConstant, evalDurationExpr } from './durations.js';
import type { TokenType } from './lexer.js';
import { span, TokenStream } from './tokens.js';

const DURATION_OPS: Partial<Record<TokenType, { op: '+' | '-' | '*' | '/' | '%' | '^'; prec: number }>> = {
  ADD: { op: '+', prec: 4 }, SUB: { op: '-', prec: 4 },
  MUL: { op: '*', prec: 5 }, DIV: { op: '/', prec: 5 }, MOD: { op: '%', prec: 5 },
  POW: { op: '^', prec: 6 },
};

/** UNARY_OPERAND_PREC: unary +/- binds like '*' (Prometheus: %prec MUL), so its operand may only contain '^'. */
export const UNARY_OPERAND_PREC = 6;

/** ModifierParser parses duration expressions and the postfix modifiers offset, @, anchored and smoothed. */
export class ModifierParser extends TokenStream {
  protected constantDuration(e: DurationExpr): number | null {
    if (!durationIsConstant(e)) return null;
    try {
      return evalDurationExpr(e);
    } catch (err) {
      return this.fail((err as Error).message, e.pos);
    }
  }

  /** parseDurationExpr parses duration arithmetic (inside brackets or parenthesised after offset). */
  protected parseDurationExpr(minPrec: number): DurationExpr {
    let lhs = this.parseDurationUnary();
    for (;;) {
      const info = DURATION_OPS[this.peek().type];
      if (!info || info.prec < minPrec) return lhs;
      this.advance();
      const rhs = this.parseDurationExpr(info.op === '^' ? info.prec : info.prec + 1);
      lhs = { kind: 'DurationBinary', op: info.op, lhs, rhs, pos: { start: lhs.pos.start, end: rhs.pos.end } };
    }
  }

  protected parseDurationUnary(): DurationExpr {
    const t = this.peek();
    if (t.type === 'ADD' || t.type === 'SUB') {
      this.advance();
      const inner = this.parseDurationExpr(UNARY_OPERAND_PREC);
      const pos = { start: t.pos, end: inner.pos.end };
      if (inner.kind === 'DurationLiteral') {
        return { ...inner, ms: t.type === 'SUB' ? -inner.ms : inner.ms, pos };
      }
      return { kind: 'DurationUnary', op: t.type === 'SUB' ? '-' : '+', expr: inner, pos };
    }
    return this.parseDurationPrimary();
  }

  protected parseDurationPrimary(): DurationExpr {
    const t = this.peek();
    switch (t.type) {
      case 'NUMBER': {
        this.advance();
        const v = this.numberValue(t);
        return { kind: 'DurationLiteral', ms: v * 1000, number: true, pos: span(t) };
      }
      case 'DURATION':
        this.advance();
        return { kind: 'DurationLiteral', ms: this.durationValue(t), pos: span(t) };
      case 'LEFT_PAREN': {
        this.advance();
        const inner = this.parseDurationExpr(0);
        const r = this.expect('RIGHT_PAREN', 'duration expression', '")"');
        return { kind: 'DurationParen', expr: inner, pos: { start: t.pos, end: r.pos + 1 } };
      }
      case 'STEP': case 'RANGE': case 'START': case 'END': {
        this.advance();
        this.expect('LEFT_PAREN', 'duration expression', '"("');
        const r = this.expect('RIGHT_PAREN', 'duration expression', '")"');
        const func = t.val.toLowerCase() as 'step' | 'range' | 'start' | 'end';
        return { kind: 'DurationCall', func, args: [], pos: { start: t.pos, end: r.pos + 1 } };
      }
      case 'MIN_OF': case 'MAX_OF': {
        this.advance();
        this.expect('LEFT_PAREN', 'duration expression', '"("');
        const a = this.parseDurationExpr(0);
        this.expect('COMMA', 'duration expression', '","');
        const b = this.parseDurationExpr(0);
        const r = this.expect('RIGHT_PAREN', 'duration expression', '")"');
        const func = t.type === 'MIN_OF' ? 'min_of' : 'max_of';
        return { kind: 'DurationCall', func, args: [a, b], pos: { start: t.pos, end: r.pos + 1 } };
      }
      default:
        return this.unexpected('duration expression', 'number or duration');
    }
  }

  /** parseOffsetValue parses what follows `offset`: a (signed) literal, a duration function, or a parenthesised expression. */
  protected parseOffsetValue(): DurationExpr {
    const t = this.peek();
    if (t.type === 'ADD' || t.type === 'SUB') {
      this.advance();
      const inner = this.parseOffsetAtom();
      const pos = { start: t.pos, end: inner.pos.end };
      if (inner.kind === 'DurationLiteral') return { ...inner, ms: t.type === 'SUB' ? -inner.ms : inner.ms, pos };
      return { kind: 'DurationUnary', op: t.type === 'SUB' ? '-' : '+', expr: inner, pos };
    }
    return this.parseOffsetAtom();
  }

  protected parseOffsetAtom(): DurationExpr {
    const t = this.peek();
    switch (t.type) {
      case 'NUMBER': case 'DURATION': case 'LEFT_PAREN': case 'STEP': case 'RANGE': case 'MIN_OF': case 'MAX_OF':
        return this.parseDurationPrimary();
      default:
        return this.unexpected('offset', 'number or duration');
    }
  }

  protected applyOffset(e: Expr, d: DurationExpr): Expr {
    const plain = isPlainLiteral(d);
    const value = plain ? d.ms : (this.constantDuration(d) ?? 0);
    const extra = plain ? {} : { offsetExpr: d };
    const end = this.lastClosing;
    switch (e.kind) {
      case 'VectorSelector':
        if (e.offset !== 0 || e.offsetExpr) this.fail('offset may not be set multiple times', e.pos);
        return { ...e, offset: value, ...extra, pos: { start: e.pos.start, end } };
      case 'MatrixSelector': {
        const vs = e.vectorSelector;
        if (vs.offset !== 0 || vs.offsetExpr) this.fail('offset may not be set multiple times', e.pos);
        return { ...e, vectorSelector: { ...vs, offset: value, ...extra }, pos: { start: e.pos.start, end } };
      }
      case 'SubqueryExpr':
        if (e.offset !== 0 || e.offsetExpr) this.fail('offset may not be set multiple times', e.pos);
        return { ...e, offset: value, ...extra, pos: { start: e.pos.start, end } };
      default:
        return this.fail('offset modifier must be preceded by an instant vector selector or range vector selector or a subquery', e.pos);
    }
  }

  protected parseAtValue(): AtModifier {
    const t = this.peek();
    if (t.type === 'START' || t.type === 'END') {
      this.advance();
      this.expect('LEFT_PAREN', '@', 'timestamp');
      this.expect('RIGHT_PAREN', '@', 'timestamp');
      return { kind: t.type === 'START' ? 'start' : 'end' };
    }
    let sign = 1;
    if (t.type === 'ADD' || t.type === 'SUB') {
      this.advance();
      if (t.type === 'SUB') sign = -1;
    }
    const n = this.peek();
    let ts: number;
    if (n.type === 'NUMBER') ts = sign * this.numberValue(this.advance());
    else if (n.type === 'DURATION') ts = (sign * this.durationValue(this.advance())) / 1000;
    else return this.unexpected('@', 'timestamp');
    return { kind: 'timestamp', ms: ts * 1000 };
  }

  protected applyAt(e: Expr, raw: AtModifier): Expr {
    const end = this.lastClosing;
    let at = raw;
    if (raw.kind === 'timestamp') {
      const ts = raw.ms / 1000;
      if (!Number.isFinite(ts) || ts >= 9223372036854775807 || ts <= -9223372036854775808) {
        this.fail(`timestamp out of bounds for @ modifier: ${formatGoF(ts)}`, e.pos);
      }
      at = { kind: 'timestamp', ms: Math.round(raw.ms) };
    }
    const dup = (a: AtModifier): void => {
      if (a.kind !== 'none') this.fail('@ <timestamp> may not be set multiple times', e.pos);
    };
    switch (e.kind) {
      case 'VectorSelector':
        dup(e.at);
        return { ...e, at, pos: { start: e.pos.start, end } };
      case 'MatrixSelector':
        dup(e.vectorSelector.at);
        return { ...e, vectorSelector: { ...e.vectorSelector, at }, pos: { start: e.pos.start, end } };
      case 'SubqueryExpr':
        dup(e.at);
        return { ...e, at, pos: { start: e.pos.start, end } };
      default:
        return this.fail('@ modifier must be preceded by an instant vector selector or range vector selector or a subquery', e.pos);
    }
  }

  protected applyExtended(e: Expr, which: 'anchored' | 'smoothed'): Expr {
    const other = which === 'anchored' ? 'smoothed' : 'anchored';
    switch (e.kind) {
      case 'VectorSelector':
        if (e[other]) this.fail('anchored and smoothed modifiers cannot be used together', e.pos);
        return { ...e, [which]: true };
      case 'MatrixSelector':
        if (e.vectorSelector[other]) this.fail('anchored and smoothed modifiers cannot be used together', e.pos);
        return { ...e, vectorSelector: { ...e.vectorSelector, [which]: true } };
      case 'SubqueryExpr':
        return this.fail(`${which} modifier is not supported for subqueries`, e.pos);
      default:
        return this.fail(`${which} modifier not implemented`, e.pos);
    }
  }
}

/** isPlainLiteral reports whether a duration expression is a single literal (kept as a plain number of ms). */
export function isPlainLiteral(d: DurationExpr): d is Extract<DurationExpr, { kind: 'DurationLiteral' }> {
  return d.kind === 'DurationLiteral';
}

/** formatGoF prints a float like Go's %f (6 decimals). */
function formatGoF(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return v.toFixed(6);
}
