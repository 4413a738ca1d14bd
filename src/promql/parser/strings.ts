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
 * one byte of a UTF-8 sequence in Go, which JS strings cannot hold alone, so it becomes a marker
 * (U+DC00 + byte) that decodeByteRuns combines with its neighbours.
 */
function byteEscape(v: number): string {
  return v < 0x80 ? String.fromCharCode(v) : String.fromCharCode(RAW_BYTE_BASE + v);
}

/** RAW_BYTE_BASE + b (a lone low surrogate) stands for the raw byte b >= 0x80 that is not part of valid UTF-8. */
export const RAW_BYTE_BASE = 0xdc00;

/**
 * decodeByteRuns turns runs of escaped high bytes into the UTF-8 text they encode. Bytes that are not
 * valid UTF-8 stay as raw-byte markers (U+DC80..U+DCFF, like Python's surrogateescape), so that Go's
 * %q output (`"a\xc5z"`) can be reproduced by goQuote; they encode to U+FFFD when written as UTF-8.
 */
export function decodeByteRuns(s: string): string {
  if (!/[\udc80-\udcff]/.test(s)) return s;
  return s.replace(/(?:[\udc80-\udcff])+/g, (run) => decodeUTF8Lenient(Array.from(run, (ch) => ch.charCodeAt(0) - RAW_BYTE_BASE)));
}

/** decodeUTF8Lenient decodes bytes as Go's utf8.DecodeRune does, keeping each invalid byte as a raw-byte marker. */
function decodeUTF8Lenient(b: number[]): string {
  let out = '';
  let i = 0;
  while (i < b.length) {
    const n = utf8SequenceLength(b, i);
    if (n === 0) {
      out += String.fromCharCode(RAW_BYTE_BASE + b[i]!);
      i++;
      continue;
    }
    out += Buffer.from(b.slice(i, i + n)).toString('utf8');
    i += n;
  }
  return out;
}

/** utf8SequenceLength returns the length of the valid UTF-8 sequence starting at b[i], or 0 (Go's rules: shortest form, no surrogates). */
function utf8SequenceLength(b: number[], i: number): number {
  const c0 = b[i]!;
  const cont = (j: number, lo = 0x80, hi = 0xbf): boolean => j < b.length && b[j]! >= lo && b[j]! <= hi;
  if (c0 >= 0xc2 && c0 <= 0xdf) return cont(i + 1) ? 2 : 0;
  if (c0 >= 0xe0 && c0 <= 0xef) {
    const lo = c0 === 0xe0 ? 0xa0 : 0x80;
    const hi = c0 === 0xed ? 0x9f : 0xbf;
    return cont(i + 1, lo, hi) && cont(i + 2) ? 3 : 0;
  }
  if (c0 >= 0xf0 && c0 <= 0xf4) {
    const lo = c0 === 0xf0 ? 0x90 : 0x80;
    const hi = c0 === 0xf4 ? 0x8f : 0xbf;
    return cont(i + 1, lo, hi) && cont(i + 2) && cont(i + 3) ? 4 : 0;
  }
  return 0;
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
    else if (c >= RAW_BYTE_BASE + 0x80 && c <= RAW_BYTE_BASE + 0xff) out += '\\x' + (c - RAW_BYTE_BASE).toString(16).padStart(2, '0');
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
