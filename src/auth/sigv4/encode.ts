const HEX = '0123456789ABCDEF';

function isUnreserved(c: number): boolean {
  return (
    (c >= 0x41 && c <= 0x5a) || // A-Z
    (c >= 0x61 && c <= 0x7a) || // a-z
    (c >= 0x30 && c <= 0x39) || // 0-9
    c === 0x2d || c === 0x2e || c === 0x5f || c === 0x7e // - . _ ~
  );
}

/** uriEncode percent-encodes every byte of the UTF-8 form of s except the SigV4 unreserved set (A-Z a-z 0-9 - . _ ~), and '/' when keepSlash. */
export function uriEncode(s: string, keepSlash: boolean): string {
  let plain = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isUnreserved(c) && !(keepSlash && c === 0x2f)) {
      plain = false;
      break;
    }
  }
  if (plain) return s;
  const bytes = Buffer.from(s, 'utf8');
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (isUnreserved(b) || (keepSlash && b === 0x2f)) out += String.fromCharCode(b);
    else out += '%' + HEX[b >> 4]! + HEX[b & 15]!;
  }
  return out;
}

function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/**
 * uriDecode decodes %XX escapes (and '+' as space when plusIsSpace) into a UTF-8 string.
 * Malformed escapes are kept literally, as AWS does not reject them before signing.
 */
export function uriDecode(s: string, plusIsSpace: boolean): string {
  if (s.indexOf('%') < 0 && !(plusIsSpace && s.indexOf('+') >= 0)) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25 && i + 2 < s.length) {
      const h = hexVal(s.charCodeAt(i + 1));
      const l = hexVal(s.charCodeAt(i + 2));
      if (h >= 0 && l >= 0) {
        bytes.push((h << 4) | l);
        i += 2;
        continue;
      }
    }
    if (c === 0x2b && plusIsSpace) {
      bytes.push(0x20);
      continue;
    }
    if (c < 0x80) {
      bytes.push(c);
      continue;
    }
    const cp = s.codePointAt(i)!;
    if (cp > 0xffff) i++;
    for (const b of Buffer.from(String.fromCodePoint(cp), 'utf8')) bytes.push(b);
  }
  return Buffer.from(bytes).toString('utf8');
}
