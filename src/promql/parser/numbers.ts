/** parseNumberLiteral converts a PromQL number token as Go's ParseInt(s, 0, 64) then ParseFloat do; NaN result means invalid. */
export function parseNumberLiteral(s: string): number | null {
  const lower = s.toLowerCase();
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  if (lower === 'nan') return NaN;
  if (!underscoresOK(s)) return null;
  const t = s.replace(/_/g, '');
  // Integer forms of ParseInt base 0: 0x.., 0o.., 0b.., leading 0 = octal.
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) return Number(BigInt(t));
  if (/^0[oO][0-7]+$/.test(t)) return Number(BigInt('0o' + t.slice(2)));
  if (/^0[bB][01]+$/.test(t)) return Number(BigInt('0b' + t.slice(2)));
  if (/^0[0-7]+$/.test(t)) return Number(BigInt('0o' + t.slice(1)));
  if (/^[0-9]+$/.test(t)) return Number(t);
  // Float forms of ParseFloat.
  if (/^(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(t)) return Number(t);
  const hex = /^0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?[0-9]+)$/.exec(t);
  if (hex && (hex[1]! + hex[2]!).length > 0) {
    const mant = parseInt((hex[1]! + hex[2]!) || '0', 16);
    return mant * Math.pow(2, Number(hex[3]) - 4 * hex[2]!.length);
  }
  return null;
}

/** underscoresOK applies Go's rule: underscores only between digits (or after a base prefix). */
function underscoresOK(s: string): boolean {
  if (!s.includes('_')) return true;
  let saw = '^';
  let i = 0;
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && /[xXbBoO]/.test(s[1]!)) {
    hex = s[1] === 'x' || s[1] === 'X';
    i = 2;
    saw = '0';
  }
  for (; i < s.length; i++) {
    const c = s[i]!;
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

/** formatFloat prints a float as Go's strconv.FormatFloat(v, 'f', -1, 64): shortest digits, never an exponent. */
export function formatFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (Object.is(v, -0)) return '-0';
  const s = String(v);
  if (!s.includes('e')) return s;
  return expandExponent(s);
}

/** formatFloatG prints a float as Go's %v / 'g' with shortest precision (exponent for large/small). */
export function formatFloatG(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const exp = Math.floor(Math.log10(Math.abs(v)));
  const s = String(v);
  if (exp < -4 || exp >= 21) {
    const e = v.toExponential();
    const m = /^(-?[0-9.]+)e([+-])([0-9]+)$/.exec(e)!;
    return `${m[1]}e${m[2]}${m[3]!.padStart(2, '0')}`;
  }
  return s.includes('e') ? expandExponent(s) : s;
}

function expandExponent(s: string): string {
  const m = /^(-?)([0-9])(?:\.([0-9]+))?e([+-][0-9]+)$/.exec(s);
  if (!m) return s;
  const sign = m[1]!;
  const digits = m[2]! + (m[3] ?? '');
  const exp = Number(m[4]);
  const point = 1 + exp;
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}
