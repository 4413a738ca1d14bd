import type { PosRange } from './ast.js';
import { parseDuration } from './duration.js';
import { ParseError } from './errors.js';
import { Lexer, tokenDesc, type Token, type TokenType } from './lexer.js';
import { parseNumberLiteral } from './numbers.js';
import { unquoteString } from './strings.js';

/** span is the position range a token covers. */
export function span(t: Token): PosRange {
  return { start: t.pos, end: t.pos + t.val.length };
}

/** TokenStream gives the parser lookahead over the lexer, Prometheus's error texts and literal decoding. */
export class TokenStream {
  private readonly lex: Lexer;
  private readonly buf: Token[] = [];
  /** lastClosing is the end of the last closing token (bracket, paren, brace, number, duration), as Prometheus tracks it. */
  protected lastClosing = 0;

  constructor(readonly input: string) {
    this.lex = new Lexer(input);
  }

  /** fail throws a ParseError at a range. */
  fail(msg: string, pos: PosRange): never {
    throw new ParseError(msg, pos, this.input);
  }

  protected peek(k = 0): Token {
    while (this.buf.length <= k) {
      let t = this.lex.nextToken();
      while (t.type === 'COMMENT') t = this.lex.nextToken();
      this.buf.push(t);
    }
    const t = this.buf[k]!;
    if (t.type === 'ERROR') {
      // Prometheus reports lexer errors from the item start to the end of the input.
      this.fail(t.val, { start: t.pos, end: this.input.length });
    }
    return t;
  }

  protected advance(): Token {
    const t = this.peek();
    this.buf.shift();
    switch (t.type) {
      case 'RIGHT_BRACE': case 'RIGHT_PAREN': case 'RIGHT_BRACKET': case 'DURATION': case 'NUMBER':
        this.lastClosing = t.pos + t.val.length;
    }
    return t;
  }

  protected unexpected(context: string, expected: string, t: Token = this.peek()): never {
    let msg = 'unexpected ' + tokenDesc(t);
    if (context) msg += ' in ' + context;
    if (expected) msg += ', expected ' + expected;
    this.fail(msg, { start: t.pos, end: t.pos + t.val.length });
  }

  protected expect(type: TokenType, context: string, expected: string): Token {
    if (this.peek().type !== type) this.unexpected(context, expected);
    return this.advance();
  }

  protected numberValue(t: Token): number {
    const v = parseNumberLiteral(t.val);
    if (v === null) this.fail(`error parsing number: strconv.ParseFloat: parsing ${JSON.stringify(t.val)}: invalid syntax`, span(t));
    return v;
  }

  protected durationValue(t: Token): number {
    try {
      return parseDuration(t.val);
    } catch (err) {
      return this.fail((err as Error).message, span(t));
    }
  }

  protected unquote(t: Token): string {
    try {
      return unquoteString(t.val);
    } catch (err) {
      return this.fail(`error unquoting string ${JSON.stringify(t.val)}: ${(err as Error).message}`, span(t));
    }
  }
}
