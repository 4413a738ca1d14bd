import { MatcherError, newMatcher, type Matcher, type MatchType } from '../../model/matcher.js';
import type {
  AggregateExpr, AggregateOp, AtModifier, BinaryExpr, BinaryOp, Call, DurationExpr, Expr, FillValues,
  MatrixSelector, PosRange, SubqueryExpr, VectorMatching, VectorSelector,
} from './ast.js';
import { getFunction } from './functions.js';
import type { Token, TokenType } from './lexer.js';
import { isPlainLiteral, ModifierParser, UNARY_OPERAND_PREC } from './modifiers.js';
import { span } from './tokens.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const BIN_OPS: Partial<Record<TokenType, { op: BinaryOp; prec: number }>> = {
  LOR: { op: 'or', prec: 1 },
  LAND: { op: 'and', prec: 2 }, LUNLESS: { op: 'unless', prec: 2 },
  EQLC: { op: '==', prec: 3 }, NEQ: { op: '!=', prec: 3 }, LTE: { op: '<=', prec: 3 },
  LSS: { op: '<', prec: 3 }, GTE: { op: '>=', prec: 3 }, GTR: { op: '>', prec: 3 },
  ADD: { op: '+', prec: 4 }, SUB: { op: '-', prec: 4 },
  MUL: { op: '*', prec: 5 }, DIV: { op: '/', prec: 5 }, MOD: { op: '%', prec: 5 }, ATAN2: { op: 'atan2', prec: 5 },
  TRIM_UPPER: { op: '</', prec: 5 }, TRIM_LOWER: { op: '>/', prec: 5 },
  POW: { op: '^', prec: 6 },
};

const MATCH_OPS: Partial<Record<TokenType, MatchType>> = { EQL: '=', NEQ: '!=', EQL_REGEX: '=~', NEQ_REGEX: '!~' };

const PARAM_AGGREGATORS = new Set<AggregateOp>(['topk', 'bottomk', 'count_values', 'quantile', 'limitk', 'limit_ratio']);

/** LABEL_TOKENS are the tokens a grouping label may be (identifiers and keywords, as Prometheus's maybe_label). */
const LABEL_TOKENS = new Set<TokenType>([
  'IDENTIFIER', 'METRIC_IDENTIFIER', 'AGGREGATOR', 'BOOL', 'BY', 'GROUP_LEFT', 'GROUP_RIGHT', 'IGNORING', 'LAND',
  'LOR', 'LUNLESS', 'OFFSET', 'ON', 'WITHOUT', 'START', 'END', 'ATAN2', 'STEP', 'RANGE', 'MIN_OF', 'MAX_OF',
  'ANCHORED', 'SMOOTHED',
]);

/** Parser is a hand-written recursive-descent / precedence-climbing PromQL parser (syntax phase). */
export class Parser extends ModifierParser {
  /** parseExpression parses a whole query. */
  parseExpression(): Expr {
    if (this.peek().type === 'EOF') this.fail('no expression found in input', { start: 0, end: 0 });
    const e = this.parseBinary(0);
    if (this.peek().type !== 'EOF') this.unexpected('', '');
    return e;
  }

  /** parseSelectorOnly parses a metric selector such as `up{job="x"}` (for match[] parameters). */
  parseSelectorOnly(): VectorSelector {
    const t = this.peek();
    if (t.type !== 'IDENTIFIER' && t.type !== 'METRIC_IDENTIFIER' && t.type !== 'LEFT_BRACE' && !LABEL_TOKENS.has(t.type)) {
      this.unexpected('', '');
    }
    const vs = this.parseVectorSelector();
    if (this.peek().type !== 'EOF') this.unexpected('', '');
    return vs;
  }

  private parseBinary(minPrec: number): Expr {
    let lhs = this.parseUnary();
    for (;;) {
      const t = this.peek();
      const info = BIN_OPS[t.type];
      if (!info || info.prec < minPrec) return lhs;
      this.advance();
      const matching = this.parseBinModifiers();
      const rhs = this.parseBinary(info.op === '^' ? info.prec : info.prec + 1);
      const bin: BinaryExpr = {
        kind: 'BinaryExpr', op: info.op, lhs, rhs, matching: matching.matching, returnBool: matching.returnBool,
        pos: { start: lhs.pos.start, end: rhs.pos.end },
      };
      lhs = bin;
    }
  }

  private parseBinModifiers(): { matching: VectorMatching; returnBool: boolean } {
    let returnBool = false;
    if (this.peek().type === 'BOOL') {
      this.advance();
      returnBool = true;
    }
    const vm: Mutable<VectorMatching> = { card: 'one-to-one', matchingLabels: [], on: false, include: [] };
    const t = this.peek();
    if (t.type === 'ON' || t.type === 'IGNORING') {
      this.advance();
      vm.on = t.type === 'ON';
      vm.matchingLabels = this.parseGroupingLabels();
      const g = this.peek();
      if (g.type === 'GROUP_LEFT' || g.type === 'GROUP_RIGHT') {
        this.advance();
        vm.card = g.type === 'GROUP_LEFT' ? 'many-to-one' : 'one-to-many';
        vm.include = this.peek().type === 'LEFT_PAREN' ? this.parseGroupingLabels() : [];
      }
    }
    const fill = this.parseFillModifiers();
    if (fill) vm.fill = fill;
    return { matching: vm, returnBool };
  }

  private parseFillModifiers(): FillValues | null {
    let lhs: number | null = null;
    let rhs: number | null = null;
    let same = false;
    let seen = false;
    for (;;) {
      const t = this.peek();
      if (t.type !== 'IDENTIFIER' || this.peek(1).type !== 'LEFT_PAREN') break;
      const kw = t.val.toLowerCase();
      if (kw !== 'fill' && kw !== 'fill_left' && kw !== 'fill_right') break;
      this.advance();
      this.advance();
      const v = this.parseSignedNumber('fill modifier');
      this.expect('RIGHT_PAREN', 'fill modifier', '")"');
      if (kw === 'fill') {
        lhs = v;
        rhs = v;
        same = true;
      } else if (kw === 'fill_left') {
        lhs = v;
        same = false;
      } else {
        rhs = v;
        same = false;
      }
      seen = true;
    }
    return seen ? { lhs, rhs, same } : null;
  }

  private parseSignedNumber(context: string): number {
    let sign = 1;
    const s = this.peek();
    if (s.type === 'ADD' || s.type === 'SUB') {
      this.advance();
      if (s.type === 'SUB') sign = -1;
    }
    const t = this.peek();
    if (t.type === 'NUMBER') return sign * this.numberValue(this.advance());
    if (t.type === 'DURATION') return (sign * this.durationValue(this.advance())) / 1000;
    return this.unexpected(context, 'number');
  }

  private parseGroupingLabels(): string[] {
    if (this.peek().type !== 'LEFT_PAREN') this.unexpected('grouping opts', '"("');
    this.advance();
    const labels: string[] = [];
    if (this.peek().type === 'RIGHT_PAREN') {
      this.advance();
      return labels;
    }
    for (;;) {
      const t = this.peek();
      if (LABEL_TOKENS.has(t.type)) {
        this.advance();
        labels.push(t.val);
      } else if (t.type === 'STRING') {
        this.advance();
        const v = this.unquote(t);
        if (v === '') this.fail(`invalid label name for grouping: ""`, { start: t.pos, end: t.pos + t.val.length });
        labels.push(v);
      } else {
        this.unexpected('grouping opts', 'label');
      }
      const n = this.peek();
      if (n.type === 'COMMA') {
        this.advance();
        if (this.peek().type === 'RIGHT_PAREN') {
          this.advance();
          return labels;
        }
        continue;
      }
      if (n.type === 'RIGHT_PAREN') {
        this.advance();
        return labels;
      }
      this.unexpected('grouping opts', '"," or ")"');
    }
  }

  private parseUnary(): Expr {
    const t = this.peek();
    if (t.type !== 'ADD' && t.type !== 'SUB') return this.parsePostfix(this.parsePrimary());
    this.advance();
    const operand = this.parseBinary(UNARY_OPERAND_PREC);
    if (operand.kind === 'NumberLiteral') {
      const value = t.type === 'SUB' ? -operand.value : operand.value;
      return { ...operand, value, pos: { start: t.pos, end: operand.pos.end } };
    }
    return { kind: 'UnaryExpr', op: t.type === 'SUB' ? '-' : '+', expr: operand, pos: { start: t.pos, end: operand.pos.end } };
  }

  private parsePrimary(): Expr {
    const t = this.peek();
    switch (t.type) {
      case 'NUMBER': {
        this.advance();
        return { kind: 'NumberLiteral', value: this.numberValue(t), pos: span(t) };
      }
      case 'DURATION': {
        this.advance();
        return { kind: 'NumberLiteral', value: this.durationValue(t) / 1000, duration: true, pos: span(t) };
      }
      case 'STRING': {
        this.advance();
        return { kind: 'StringLiteral', value: this.unquote(t), pos: span(t) };
      }
      case 'LEFT_PAREN': {
        this.advance();
        const e = this.parseBinary(0);
        const r = this.peek();
        if (r.type !== 'RIGHT_PAREN') this.unexpected('', '');
        this.advance();
        return { kind: 'ParenExpr', expr: e, pos: { start: t.pos, end: r.pos + 1 } };
      }
      case 'LEFT_BRACE':
      case 'METRIC_IDENTIFIER':
        return this.parseVectorSelector();
      case 'IDENTIFIER':
        if (this.peek(1).type === 'LEFT_PAREN') return this.parseCall();
        return this.parseVectorSelector();
      case 'START': case 'END': case 'STEP': case 'RANGE':
        if (this.peek(1).type === 'LEFT_PAREN') return this.parseCall();
        return this.parseVectorSelector();
      case 'MIN_OF': case 'MAX_OF': case 'ANCHORED': case 'SMOOTHED':
        if (this.peek(1).type === 'LEFT_PAREN') return this.parseCall();
        return this.parseVectorSelector();
      case 'AGGREGATOR':
        return this.parseAggregate();
      default:
        return this.unexpected('', '');
    }
  }

  private parseCallArgs(): Expr[] {
    this.expect('LEFT_PAREN', '', '');
    const args: Expr[] = [];
    if (this.peek().type === 'RIGHT_PAREN') {
      this.advance();
      return args;
    }
    for (;;) {
      args.push(this.parseBinary(0));
      const t = this.peek();
      if (t.type === 'COMMA') {
        this.advance();
        if (this.peek().type === 'RIGHT_PAREN') this.fail('trailing commas not allowed in function call args', span(t));
        continue;
      }
      if (t.type === 'RIGHT_PAREN') {
        this.advance();
        return args;
      }
      this.unexpected('', '');
    }
  }

  private parseCall(): Call {
    const name = this.advance();
    const fname = name.type === 'IDENTIFIER' ? name.val : name.val.toLowerCase();
    const args = this.parseCallArgs();
    if (!getFunction(fname)) this.fail(`unknown function with name ${JSON.stringify(fname)}`, span(name));
    return { kind: 'Call', func: fname, args, pos: { start: name.pos, end: this.lastClosing } };
  }

  private parseAggregate(): AggregateExpr {
    const opTok = this.advance();
    const op = opTok.val.toLowerCase() as AggregateOp;
    let grouping: string[] = [];
    let without = false;
    let sawModifier = false;
    const mod = this.peek();
    if (mod.type === 'BY' || mod.type === 'WITHOUT') {
      this.advance();
      without = mod.type === 'WITHOUT';
      grouping = this.parseGroupingLabels();
      sawModifier = true;
    }
    if (this.peek().type !== 'LEFT_PAREN') this.unexpected('aggregation', '');
    const args = this.parseCallArgs();
    const end = this.lastClosing;
    if (!sawModifier) {
      const m2 = this.peek();
      if (m2.type === 'BY' || m2.type === 'WITHOUT') {
        this.advance();
        without = m2.type === 'WITHOUT';
        grouping = this.parseGroupingLabels();
      }
    }
    const pos = { start: opTok.pos, end: sawModifier ? end : this.lastClosing };
    if (args.length === 0) this.fail('no arguments for aggregate expression provided', pos);
    const desired = PARAM_AGGREGATORS.has(op) ? 2 : 1;
    if (args.length !== desired) {
      this.fail(`wrong number of arguments for aggregate expression provided, expected ${desired}, got ${args.length}`, pos);
    }
    return {
      kind: 'AggregateExpr', op, expr: args[desired - 1]!, param: desired === 2 ? args[0]! : null,
      grouping, without, pos,
    };
  }

  private parseVectorSelector(): VectorSelector {
    const first = this.peek();
    let name = '';
    const start = first.pos;
    let end = first.pos;
    if (first.type !== 'LEFT_BRACE') {
      this.advance();
      name = first.val;
      end = first.pos + first.val.length;
    }
    const matchers: Matcher[] = [];
    if (this.peek().type === 'LEFT_BRACE') {
      this.advance();
      this.parseMatchers(matchers);
      end = this.lastClosing;
    }
    if (name !== '') matchers.push(newMatcher('=', '__name__', name));
    return { kind: 'VectorSelector', name, matchers, offset: 0, at: { kind: 'none' }, pos: { start, end } };
  }

  private parseMatchers(out: Matcher[]): void {
    if (this.peek().type === 'RIGHT_BRACE') {
      this.advance();
      return;
    }
    for (;;) {
      const label = this.peek();
      if (label.type !== 'IDENTIFIER' && label.type !== 'STRING') this.unexpected('label matching', 'identifier or "}"');
      this.advance();
      const labelName = label.type === 'STRING' ? this.unquote(label) : label.val;
      const opTok = this.peek();
      const op = MATCH_OPS[opTok.type];
      if (op === undefined) {
        if (label.type === 'STRING' && (opTok.type === 'COMMA' || opTok.type === 'RIGHT_BRACE')) {
          out.push(newMatcher('=', '__name__', labelName)); // bare quoted metric name
        } else {
          this.unexpected('label matching', 'label matching operator');
        }
      } else {
        this.advance();
        const valTok = this.peek();
        if (valTok.type !== 'STRING') this.unexpected('label matching', 'string');
        this.advance();
        const value = this.unquote(valTok);
        try {
          out.push(newMatcher(op, labelName, value));
        } catch (err) {
          if (!(err instanceof MatcherError)) throw err;
          this.fail(err.message, { start: label.pos, end: valTok.pos + valTok.val.length });
        }
      }
      const n = this.peek();
      if (n.type === 'COMMA') {
        this.advance();
        if (this.peek().type === 'RIGHT_BRACE') {
          this.advance();
          return;
        }
        continue;
      }
      if (n.type === 'RIGHT_BRACE') {
        this.advance();
        return;
      }
      this.unexpected('label matching', '"," or "}"');
    }
  }

  /** parsePostfix applies range/subquery brackets, offset, @ and anchored/smoothed, which bind tighter than any operator. */
  private parsePostfix(e: Expr): Expr {
    for (;;) {
      const t = this.peek();
      switch (t.type) {
        case 'LEFT_BRACKET':
          e = this.parseRangeOrSubquery(e);
          break;
        case 'OFFSET':
          this.advance();
          e = this.applyOffset(e, this.parseOffsetValue());
          break;
        case 'AT':
          this.advance();
          e = this.applyAt(e, this.parseAtValue());
          break;
        case 'ANCHORED':
        case 'SMOOTHED':
          if (this.peek(1).type === 'LEFT_PAREN') return e;
          this.advance();
          e = this.applyExtended(e, t.type === 'ANCHORED' ? 'anchored' : 'smoothed');
          break;
        default:
          return e;
      }
    }
  }

  private parseRangeOrSubquery(e: Expr): Expr {
    const open = this.advance();
    if (this.peek().type === 'RIGHT_BRACKET' || this.peek().type === 'COLON') {
      this.unexpected('duration expression', 'number or duration');
    }
    const rangeExpr = this.parseDurationExpr(0);
    const rangeMs = this.constantDuration(rangeExpr);
    let isSubquery = false;
    let stepExpr: DurationExpr | null = null;
    if (this.peek().type === 'COLON') {
      this.advance();
      isSubquery = true;
      if (this.peek().type !== 'RIGHT_BRACKET') stepExpr = this.parseDurationExpr(0);
    }
    const close = this.peek();
    if (close.type !== 'RIGHT_BRACKET') {
      this.unexpected(isSubquery ? 'subquery selector' : 'range selector', '"]"');
    }
    this.advance();
    const bracket = { start: open.pos, end: close.pos + 1 };
    if (rangeMs !== null && rangeMs <= 0) this.fail('duration must be greater than 0', bracket);
    const withRangeExpr = isPlainLiteral(rangeExpr) ? {} : { rangeExpr };
    if (!isSubquery) {
      let msg = '';
      if (e.kind !== 'VectorSelector') msg = 'ranges only allowed for vector selectors';
      else if (e.offset !== 0 || e.offsetExpr) msg = 'no offset modifiers allowed before range';
      else if (e.at.kind !== 'none') msg = 'no @ modifiers allowed before range';
      if (msg) this.fail(msg, bracket);
      const ms: MatrixSelector = {
        kind: 'MatrixSelector', vectorSelector: e as VectorSelector, range: rangeMs ?? 0, ...withRangeExpr,
        pos: { start: e.pos.start, end: close.pos + 1 },
      };
      return ms;
    }
    const stepMs = stepExpr ? this.constantDuration(stepExpr) : 0;
    if (stepMs !== null && stepMs < 0) this.fail('duration must be greater than 0', bracket);
    const sq: SubqueryExpr = {
      kind: 'SubqueryExpr', expr: e, range: rangeMs ?? 0, ...withRangeExpr, step: stepMs ?? 0,
      ...(stepExpr && !isPlainLiteral(stepExpr) ? { stepExpr } : {}),
      offset: 0, at: { kind: 'none' }, pos: { start: e.pos.start, end: close.pos + 1 },
    };
    return sq;
  }
}

