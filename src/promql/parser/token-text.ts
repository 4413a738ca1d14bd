import type { Token, TokenType } from './lexer.js';

const OPERATOR_TYPES = new Set<TokenType>([
  'ADD', 'SUB', 'MUL', 'DIV', 'MOD', 'POW', 'EQLC', 'NEQ', 'LTE', 'LSS', 'GTE', 'GTR',
  'EQL_REGEX', 'NEQ_REGEX', 'LAND', 'LOR', 'LUNLESS', 'ATAN2', 'AT', 'TRIM_UPPER', 'TRIM_LOWER',
]);
const KEYWORD_TYPES = new Set<TokenType>([
  'BOOL', 'BY', 'GROUP_LEFT', 'GROUP_RIGHT', 'IGNORING', 'OFFSET', 'ON', 'WITHOUT', 'ANCHORED', 'SMOOTHED',
]);
const FIXED_TEXT = new Set<TokenType>([
  'LEFT_PAREN', 'RIGHT_PAREN', 'LEFT_BRACE', 'RIGHT_BRACE', 'LEFT_BRACKET', 'RIGHT_BRACKET', 'COMMA', 'EQL', 'COLON',
  'START', 'END', 'STEP', 'RANGE', 'MIN_OF', 'MAX_OF',
]);

/** tokenDesc describes a token the way Prometheus's Item.desc() does in error messages. */
export function tokenDesc(t: Token): string {
  if (t.type === 'EOF') return 'end of input';
  if (t.type === 'ERROR') return t.val;
  if (KEYWORD_TYPES.has(t.type)) return `<${t.val}>`;
  if (OPERATOR_TYPES.has(t.type)) return `<op:${t.val}>`;
  if (t.type === 'AGGREGATOR') return `<aggr:${t.val}>`;
  if (FIXED_TEXT.has(t.type)) return quoteShort(t.val);
  const kind: Record<string, string> = {
    COMMENT: 'comment', IDENTIFIER: 'identifier', METRIC_IDENTIFIER: 'metric identifier',
    STRING: 'string', NUMBER: 'number', DURATION: 'duration',
  };
  const q = t.type === 'IDENTIFIER' || t.type === 'METRIC_IDENTIFIER' ? goQuoteAscii(t.val) : quoteShort(t.val);
  return `${kind[t.type] ?? t.type} ${q}`;
}

function quoteShort(s: string): string {
  // Go's fmt "%.10q..." truncates to 10 runes before quoting.
  const runes = Array.from(s);
  if (runes.length > 10) return goQuoteAscii(runes.slice(0, 10).join('')) + '...';
  return goQuoteAscii(s);
}

/** goQuoteAscii approximates Go's %q for error messages (printable text kept, specials escaped). */
export function goQuoteAscii(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}

/** goQuoteRune formats a code point as Go's %q does for a rune: 'x'. */
export function goQuoteRune(r: number): string {
  if (r === -1) return "'\\uffff'"; // Go's eof sentinel (-1) prints as this
  const ch = String.fromCodePoint(r);
  if (ch === "'") return "'\\''";
  if (ch === '\\') return "'\\\\'";
  if (ch === '\n') return "'\\n'";
  if (ch === '\t') return "'\\t'";
  if (ch === '\r') return "'\\r'";
  if (r < 0x20 || r === 0x7f) return `'\\x${r.toString(16).padStart(2, '0')}'`;
  return `'${ch}'`;
}
