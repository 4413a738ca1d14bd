/** goPow is math.Pow with Go's special cases (Pow(1, y) = 1 and Pow(-1, ±Inf) = 1, unlike JS `**`). */
export function goPow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (x === -1 && (y === Infinity || y === -Infinity)) return 1;
  return Math.pow(x, y);
}

/** goMod is math.Mod: the remainder with the dividend's sign (JS `%` has the same special cases). */
export function goMod(x: number, y: number): number {
  return x % y;
}

/** formatG formats a float as Go's strconv.FormatFloat(f, 'g', -1, 64) (shortest, %g style). */
export function formatG(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const e = f.toExponential(); // shortest round-trip digits, e.g. "1.5e+7"
  const m = /^(-?[\d.]+)e([+-])(\d+)$/.exec(e)!;
  const x = Number(m[2]! + m[3]!);
  if (x < -4 || x >= 6) {
    return `${m[1]}e${m[2]}${m[3]!.padStart(2, '0')}`;
  }
  return formatF(f);
}

/** formatF formats a float as Go's strconv.FormatFloat(f, 'f', -1, 64) (shortest, no exponent). */
export function formatF(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  const s = String(f);
  if (!/e/.test(s)) return s;
  const neg = f < 0;
  const [mant, expStr] = (neg ? s.slice(1) : s).split('e') as [string, string];
  const exp = Number(expStr);
  const [ip, fp = ''] = mant.split('.') as [string, string?];
  const digits = ip + fp;
  const point = ip.length + exp;
  let out: string;
  if (point <= 0) out = '0.' + '0'.repeat(-point) + digits;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = digits.slice(0, point) + '.' + digits.slice(point);
  return neg ? '-' + out : out;
}
