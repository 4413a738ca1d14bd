/** unquoteString decodes a PromQL string literal (double, single or backtick quoted) with Go's escapes; throws on bad syntax. */
export function unquoteString(s: string): string {
  if (s.length < 2) throw new Error('invalid syntax');
  const quote = s[0]!;
  if (quote !== s[s.length - 1]) throw new Error('invalid syntax');
  const body = s.slice(1, -1);
  if (quote === '`') {
    if (body.includes('`')) throw new Error('invalid syntax');
    return body.replace(/\r/g, '');
  }
  if (quote !== '"' && quote !== "'") throw new Error('invalid syntax');
  if (!body.includes('\\') && !body.includes(quote)) {
    if (body.includes('\n')) throw new Error('invalid syntax');
    return body;
  }
  let out = '';
  let i = 0;
  while (i < body.length) {
    const c = body[i]!;
    if (c === quote || c === '\n') throw new Error('invalid syntax');
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const e = body[i + 1];
    i += 2;
    switch (e) {
      case 'a': out += '\x07'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case '\\': out += '\\'; break;
      case '"': case "'":
        if (e !== quote) throw new Error('invalid syntax');
        out += e;
        break;
      case 'x': case 'u': case 'U': {
        const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = body.slice(i, i + n);
        if (hex.length !== n || !/^[0-9a-fA-F]+$/.test(hex)) throw new Error('invalid syntax');
        i += n;
        const v = parseInt(hex, 16);
        if (e === 'x') {
          out += byteEscape(v);
        } else {
          if (v > 0x10ffff || (v >= 0xd800 && v < 0xe000)) throw new Error('invalid syntax');
          out += String.fromCodePoint(v);
        }
        break;
      }
      case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
        const oct = body.slice(i - 1, i + 2);
        if (!/^[0-7]{3}$/.test(oct)) throw new Error('invalid syntax');
        i += 2;
        const v = parseInt(oct, 8);
        if (v > 255) throw new Error('invalid syntax');
        out += byteEscape(v);
        break;
      }
      default:
        throw new Error('invalid syntax');
    }
  }
  return decodeByteRuns(out);
}

/**
 * byteEscape maps a Go byte escape (\xNN, \NNN) to text. ASCII bytes are exact; a byte >= 0x80 is
 * one byte of a UTF-8 sequence in Go, which JS strings cannot hold alone, so it becomes U+FFFD
 * unless it combines with its neighbours (see decodeByteRuns).
 */
function byteEscape(v: number): string {
  return v < 0x80 ? String.fromCharCode(v) : String.fromCharCode(0xdc00 + v); // lone low surrogate marker
}

/** decodeByteRuns turns runs of escaped high bytes into the UTF-8 text they encode (invalid bytes become U+FFFD). */
export function decodeByteRuns(s: string): string {
  if (!/[\udc80-\udcff]/.test(s)) return s;
  return s.replace(/(?:[\udc80-\udcff])+/g, (run) => {
    const bytes = Buffer.from(Array.from(run, (ch) => ch.charCodeAt(0) - 0xdc00));
    return bytes.toString('utf8');
  });
}

/** goQuote quotes a string as Go's strconv.Quote does (printable runes kept, others escaped). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '"': out += '\\"'; continue;
      case '\\': out += '\\\\'; continue;
      case '\x07': out += '\\a'; continue;
      case '\b': out += '\\b'; continue;
      case '\f': out += '\\f'; continue;
      case '\n': out += '\\n'; continue;
      case '\r': out += '\\r'; continue;
      case '\t': out += '\\t'; continue;
      case '\v': out += '\\v'; continue;
    }
    if (c === 0xfffd && ch === '\ufffd') {
      out += ch;
      continue;
    }
    if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd';
    else if (!isPrintable(ch)) out += c > 0xffff ? '\\U' + c.toString(16).padStart(8, '0') : '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}]|[\p{Zs}]/u;

function isPrintable(ch: string): boolean {
  if (ch === ' ') return true;
  return !NON_PRINTABLE.test(ch);
}
