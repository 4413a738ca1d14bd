import { goQuoteAscii, goQuoteRune } from './token-text.js';

export { tokenDesc } from './token-text.js';

/** TokenType names the kinds of PromQL lexer items (mirrors Prometheus's ItemType). */
export type TokenType =
  | 'EOF' | 'ERROR' | 'COMMENT' | 'IDENTIFIER' | 'METRIC_IDENTIFIER' | 'NUMBER' | 'DURATION' | 'STRING'
  | 'LEFT_PAREN' | 'RIGHT_PAREN' | 'LEFT_BRACE' | 'RIGHT_BRACE' | 'LEFT_BRACKET' | 'RIGHT_BRACKET'
  | 'COMMA' | 'EQL' | 'COLON'
  // operators
  | 'ADD' | 'SUB' | 'MUL' | 'DIV' | 'MOD' | 'POW' | 'EQLC' | 'NEQ' | 'LTE' | 'LSS' | 'GTE' | 'GTR'
  | 'EQL_REGEX' | 'NEQ_REGEX' | 'LAND' | 'LOR' | 'LUNLESS' | 'ATAN2' | 'AT' | 'TRIM_UPPER' | 'TRIM_LOWER'
  // aggregators
  | 'AGGREGATOR'
  // keywords
  | 'BOOL' | 'BY' | 'GROUP_LEFT' | 'GROUP_RIGHT' | 'IGNORING' | 'OFFSET' | 'ON' | 'WITHOUT'
  | 'ANCHORED' | 'SMOOTHED'
  // preprocessors / duration functions
  | 'START' | 'END' | 'STEP' | 'RANGE' | 'MIN_OF' | 'MAX_OF';

/** Token is one lexed item: its type, byte-independent start index (UTF-16) and source text. */
export interface Token {
  readonly type: TokenType;
  readonly pos: number;
  readonly val: string;
}

const KEYWORDS: Readonly<Record<string, TokenType>> = {
  and: 'LAND', or: 'LOR', unless: 'LUNLESS', atan2: 'ATAN2',
  sum: 'AGGREGATOR', avg: 'AGGREGATOR', count: 'AGGREGATOR', min: 'AGGREGATOR', max: 'AGGREGATOR',
  group: 'AGGREGATOR', stddev: 'AGGREGATOR', stdvar: 'AGGREGATOR', topk: 'AGGREGATOR', bottomk: 'AGGREGATOR',
  count_values: 'AGGREGATOR', quantile: 'AGGREGATOR', limitk: 'AGGREGATOR', limit_ratio: 'AGGREGATOR',
  offset: 'OFFSET', smoothed: 'SMOOTHED', anchored: 'ANCHORED', by: 'BY', without: 'WITHOUT', on: 'ON',
  ignoring: 'IGNORING', group_left: 'GROUP_LEFT', group_right: 'GROUP_RIGHT', bool: 'BOOL',
  start: 'START', end: 'END', step: 'STEP', range: 'RANGE', min_of: 'MIN_OF', max_of: 'MAX_OF',
  inf: 'NUMBER', nan: 'NUMBER',
};

/** DURATION_KEYWORDS are the words accepted inside `[...]` (duration expressions). */
const DURATION_KEYWORDS: Readonly<Record<string, TokenType>> = {
  step: 'STEP', range: 'RANGE', min_of: 'MIN_OF', max_of: 'MAX_OF', start: 'START', end: 'END',
};

const EOF_RUNE = -1;

function isSpace(r: number): boolean {
  return r === 0x20 || r === 0x09 || r === 0x0a || r === 0x0d;
}
function isDigit(r: number): boolean {
  return r >= 0x30 && r <= 0x39;
}
function isAlpha(r: number): boolean {
  return r === 0x5f || (r >= 0x61 && r <= 0x7a) || (r >= 0x41 && r <= 0x5a);
}
function isAlphaNumeric(r: number): boolean {
  return isAlpha(r) || isDigit(r);
}

/** Lexer turns PromQL text into tokens on demand, with Prometheus's lexer states and error texts. */
export class Lexer {
  private pos = 0;
  private start = 0;
  private width = 0;
  private parenDepth = 0;
  private braceOpen = false;
  private bracketOpen = false;
  private gotColon = false;
  private gotDuration = false;
  /** durState mirrors Prometheus's lexDurationExpr: inside `[` before the first number. */
  private durState = false;
  private done = false;

  constructor(readonly input: string) {}

  private next(): number {
    if (this.pos >= this.input.length) {
      this.width = 0;
      return EOF_RUNE;
    }
    const r = this.input.codePointAt(this.pos)!;
    this.width = r > 0xffff ? 2 : 1;
    this.pos += this.width;
    return r;
  }
  private peek(): number {
    const r = this.next();
    this.backup();
    return r;
  }
  private backup(): void {
    this.pos -= this.width;
  }
  private accept(valid: string): boolean {
    const r = this.next();
    if (r !== EOF_RUNE && valid.includes(String.fromCodePoint(r))) return true;
    this.backup();
    return false;
  }
  private is(valid: string): boolean {
    const r = this.peek();
    return r !== EOF_RUNE && valid.includes(String.fromCodePoint(r));
  }
  private emit(type: TokenType): Token {
    const t = { type, pos: this.start, val: this.input.slice(this.start, this.pos) };
    this.start = this.pos;
    return t;
  }
  private error(msg: string): Token {
    this.done = true;
    return { type: 'ERROR', pos: this.start, val: msg };
  }
  private skipSpaces(): void {
    while (isSpace(this.peek())) this.next();
    this.start = this.pos;
  }

  /** nextToken returns the next token; after EOF or ERROR it keeps returning EOF. */
  nextToken(): Token {
    if (this.done) {
      this.start = this.pos;
      return { type: 'EOF', pos: this.pos, val: '' };
    }
    for (;;) {
      const t = this.braceOpen ? this.lexInsideBraces() : this.lexStatement();
      if (t) return t;
    }
  }

  private lexStatement(): Token | null {
    if (this.input.startsWith('#', this.pos)) return this.lexComment();
    const r = this.next();
    if (this.durState && (r === 0x22 || r === 0x27 || r === 0x60 || r === 0x7b || r === 0x40 || r === 0x3d || r === 0x21 || r === 0x3c || r === 0x3e)) {
      return this.error(`unexpected character in duration expression: ${goQuoteRune(r)}`);
    }
    switch (true) {
      case r === EOF_RUNE && this.durState:
        return this.error('unexpected end of input in duration expression');
      case r === EOF_RUNE:
        if (this.parenDepth !== 0) return this.error('unclosed left parenthesis');
        if (this.bracketOpen) return this.error('unclosed left bracket');
        this.done = true;
        return this.emit('EOF');
      case isSpace(r):
        this.skipSpaces();
        return null;
      case r === 0x2c: return this.emit('COMMA');
      case r === 0x2a: return this.emit('MUL');
      case r === 0x2f: return this.emit('DIV');
      case r === 0x25: return this.emit('MOD');
      case r === 0x2b: return this.emit('ADD');
      case r === 0x2d: return this.emit('SUB');
      case r === 0x5e: return this.emit('POW');
      case r === 0x3d: {
        const t = this.peek();
        if (t === 0x3d) {
          this.next();
          return this.emit('EQLC');
        }
        if (t === 0x7e) return this.error(`unexpected character after '=': ${goQuoteRune(t)}`);
        return this.emit('EQL');
      }
      case r === 0x21: {
        const t = this.next();
        if (t !== 0x3d) return this.error(`unexpected character after '!': ${goQuoteRune(t)}`);
        return this.emit('NEQ');
      }
      case r === 0x3c:
        if (this.peek() === 0x2f) {
          this.next();
          return this.emit('TRIM_UPPER');
        }
        if (this.peek() === 0x3d) {
          this.next();
          return this.emit('LTE');
        }
        return this.emit('LSS');
      case r === 0x3e:
        if (this.peek() === 0x2f) {
          this.next();
          return this.emit('TRIM_LOWER');
        }
        if (this.peek() === 0x3d) {
          this.next();
          return this.emit('GTE');
        }
        return this.emit('GTR');
      case isDigit(r) || (r === 0x2e && isDigit(this.peek())):
        this.backup();
        if (this.bracketOpen) this.gotDuration = true;
        this.durState = false;
        return this.lexNumberOrDuration();
      case r === 0x22 || r === 0x27:
        return this.lexString(r);
      case r === 0x60:
        return this.lexRawString();
      case isAlpha(r) || r === 0x3a:
        if (!this.bracketOpen) {
          this.backup();
          return this.lexKeywordOrIdentifier();
        }
        if (r === 0x3a) {
          if (!this.gotDuration) return this.error('unexpected colon before duration in duration expression');
          if (this.gotColon) return this.error('unexpected repeated colon in duration expression');
          this.gotColon = true;
          return this.emit('COLON');
        }
        return this.lexDurationKeyword(r);
      case r === 0x28:
        this.parenDepth++;
        return this.emit('LEFT_PAREN');
      case r === 0x29: {
        const t = this.emit('RIGHT_PAREN');
        this.parenDepth--;
        if (this.parenDepth < 0) return this.error(`unexpected right parenthesis ')'`);
        return t;
      }
      case r === 0x7b:
        this.braceOpen = true;
        return this.emit('LEFT_BRACE');
      case r === 0x7d:
        return this.error(`unexpected character: '}'`);
      case r === 0x5b:
        if (this.bracketOpen) return this.error(`unexpected left bracket '['`);
        this.gotColon = false;
        this.gotDuration = false;
        this.bracketOpen = true;
        this.durState = true;
        return this.emit('LEFT_BRACKET');
      case r === 0x5d:
        if (!this.bracketOpen) return this.error(`unexpected right bracket ']'`);
        this.bracketOpen = false;
        this.durState = false;
        return this.emit('RIGHT_BRACKET');
      case r === 0x40:
        return this.emit('AT');
      default:
        return this.error(`unexpected character: ${goQuoteRune(r)}`);
    }
  }

  private lexDurationKeyword(first: number): Token {
    while (isAlpha(this.peek()) || isDigit(this.peek())) this.next();
    const word = this.input.slice(this.start, this.pos).toLowerCase();
    const kw = DURATION_KEYWORDS[word];
    if (kw) {
      this.gotDuration = true;
      return this.emit(kw);
    }
    return this.error(`unexpected character in duration expression: ${goQuoteRune(first)}`);
  }

  private lexComment(): Token {
    this.pos += 1;
    for (;;) {
      const r = this.next();
      if (r === EOF_RUNE || r === 0x0a || r === 0x0d) break;
    }
    this.backup();
    return this.emit('COMMENT');
  }

  private lexInsideBraces(): Token | null {
    if (this.input.startsWith('#', this.pos)) return this.lexComment();
    const r = this.next();
    switch (true) {
      case r === EOF_RUNE:
        return this.error('unexpected end of input inside braces');
      case isSpace(r):
        this.skipSpaces();
        return null;
      case isAlpha(r):
        while (isAlphaNumeric(this.peek())) this.next();
        return this.emit('IDENTIFIER');
      case r === 0x2c:
        return this.emit('COMMA');
      case r === 0x22 || r === 0x27:
        return this.lexString(r);
      case r === 0x60:
        return this.lexRawString();
      case r === 0x3d:
        if (this.next() === 0x7e) return this.emit('EQL_REGEX');
        this.backup();
        return this.emit('EQL');
      case r === 0x21: {
        const nr = this.next();
        if (nr === 0x7e) return this.emit('NEQ_REGEX');
        if (nr === 0x3d) return this.emit('NEQ');
        return this.error(`unexpected character after '!' inside braces: ${goQuoteRune(nr)}`);
      }
      case r === 0x7b:
        return this.error(`unexpected left brace '{'`);
      case r === 0x7d:
        this.braceOpen = false;
        return this.emit('RIGHT_BRACE');
      default:
        return this.error(`unexpected character inside braces: ${goQuoteRune(r)}`);
    }
  }

  private lexString(quote: number): Token {
    for (;;) {
      const r = this.next();
      if (r === 0x5c) {
        const err = this.lexEscape(quote);
        if (err) return err;
        continue;
      }
      if (r === EOF_RUNE || r === 0x0a) return this.error('unterminated quoted string');
      if (r === 0xfffd) return this.error('invalid UTF-8 rune');
      if (r === quote) break;
    }
    return this.emit('STRING');
  }

  private lexEscape(quote: number): Token | null {
    let ch = this.next();
    let n: number;
    let base: number;
    let max: number;
    switch (ch) {
      case 0x61: case 0x62: case 0x66: case 0x6e: case 0x72: case 0x74: case 0x76: case 0x5c:
        return null;
      case 0x30: case 0x31: case 0x32: case 0x33: case 0x34: case 0x35: case 0x36: case 0x37:
        n = 3; base = 8; max = 255;
        break;
      case 0x78:
        ch = this.next(); n = 2; base = 16; max = 255;
        break;
      case 0x75:
        ch = this.next(); n = 4; base = 16; max = 0x10ffff;
        break;
      case 0x55:
        ch = this.next(); n = 8; base = 16; max = 0x10ffff;
        break;
      case EOF_RUNE:
        return this.error('escape sequence not terminated');
      default:
        if (ch === quote) return null;
        return this.error(`unknown escape sequence ${goRuneU(ch)}`);
    }
    let x = 0;
    while (n > 0) {
      const d = digitVal(ch);
      if (d >= base) {
        if (ch === EOF_RUNE) return this.error('escape sequence not terminated');
        return this.error(`illegal character ${goRuneU(ch)} in escape sequence`);
      }
      x = x * base + d;
      n--;
      if (n > 0) ch = this.next();
    }
    if (x > max || (x >= 0xd800 && x < 0xe000)) return this.error('escape sequence is an invalid Unicode code point');
    return null;
  }

  private lexRawString(): Token {
    for (;;) {
      const r = this.next();
      if (r === EOF_RUNE) return this.error('unterminated raw string');
      if (r === 0x60) break;
    }
    return this.emit('STRING');
  }

  private lexKeywordOrIdentifier(): Token {
    for (;;) {
      const r = this.next();
      if (isAlphaNumeric(r) || r === 0x3a) continue;
      this.backup();
      break;
    }
    const word = this.input.slice(this.start, this.pos);
    const kw = KEYWORDS[word.toLowerCase()];
    if (kw) return this.emit(kw);
    return this.emit(word.includes(':') ? 'METRIC_IDENTIFIER' : 'IDENTIFIER');
  }

  private lexNumberOrDuration(): Token {
    const startPos = this.pos;
    if (this.scanNumber()) return this.emit('NUMBER');
    this.pos = startPos;
    // Digits followed by a unit: rescan the leading digits the way Go's lexer has consumed them.
    if (this.scanNumberPrefixForDuration() && this.acceptRemainingDuration()) {
      this.backup();
      return this.emit('DURATION');
    }
    return this.error(`bad number or duration syntax: ${goQuoteAscii(this.input.slice(this.start, this.pos))}`);
  }

  /** scanNumberPrefixForDuration re-consumes what scanNumber consumed before failing on a letter. */
  private scanNumberPrefixForDuration(): boolean {
    this.scanNumberBody();
    return true;
  }

  private scanNumber(): boolean {
    const initial = this.pos;
    if (!this.scanNumberBody()) return false;
    if (this.pos === initial) return false;
    return !isAlphaNumeric(this.peek());
  }

  /** scanNumberBody consumes [0x][.][d][d._eE]* as Prometheus's scanNumber; false on a malformed sequence. */
  private scanNumberBody(): boolean {
    let digits = '0123456789';
    if (this.accept('0') && this.accept('xX')) {
      this.accept('_');
      digits = '0123456789abcdefABCDEF';
    }
    this.accept('.');
    this.accept(digits);
    let dot = false;
    let exp = false;
    while (this.is(digits + '._eE')) {
      if (this.is('.') && dot) {
        this.accept('.');
        return false;
      }
      if (this.is('eE') && exp && digits.length === 10) {
        this.accept('eE');
        return false;
      }
      if (this.accept('.')) {
        dot = true;
        if (this.accept('_.')) return false;
        if (digits.length > 10) return false;
        continue;
      }
      if (digits.length === 10 && this.accept('eE')) {
        exp = true;
        this.accept('+-');
        if (this.accept('._eE') || this.peek() === EOF_RUNE) return false;
        continue;
      }
      if (this.accept('_')) {
        if (this.accept('._eE') || this.peek() === EOF_RUNE) return false;
        continue;
      }
      while (this.accept(digits)) {
        /* consume */
      }
    }
    return true;
  }

  private acceptRemainingDuration(): boolean {
    if (!this.accept('smhdwy')) return false;
    this.accept('s');
    while (this.accept('0123456789')) {
      while (this.accept('0123456789')) {
        /* consume */
      }
      if (!this.accept('smhdw')) return false;
      this.accept('s');
    }
    return !isAlphaNumeric(this.next());
  }
}

function digitVal(ch: number): number {
  if (ch >= 0x30 && ch <= 0x39) return ch - 0x30;
  if (ch >= 0x61 && ch <= 0x66) return ch - 0x61 + 10;
  if (ch >= 0x41 && ch <= 0x46) return ch - 0x41 + 10;
  return 16;
}

/** goRuneU formats a rune as Go's %#U: U+0041 'A'. */
function goRuneU(r: number): string {
  if (r === EOF_RUNE) return 'U+FFFFFFFFFFFFFFFF';
  const hex = r.toString(16).toUpperCase().padStart(4, '0');
  return `U+${hex} '${String.fromCodePoint(r)}'`;
}
