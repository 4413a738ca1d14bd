/**
 * Float and timestamp text exactly as Prometheus's HTTP API writes them (Go's strconv and
 * encoding/json): sample values as strings, timestamps as seconds with millisecond precision.
 */

/** shortest returns the shortest round-trip decimal digits of a finite non-zero |v| and its decimal exponent (d.ddd × 10^exp). */
function shortest(v: number): { digits: string; exp: number } {
  const s = Math.abs(v).toExponential(); // shortest round-trip digits, e.g. "1.5e-7"
  const e = s.indexOf('e');
  return { digits: s.slice(0, e).replace('.', ''), exp: Number(s.slice(e + 1)) };
}

function fixed(digits: string, exp: number): string {
  const point = exp + 1; // digits before the decimal point
  if (point <= 0) return `0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return digits + '0'.repeat(point - digits.length);
  return `${digits.slice(0, point)}.${digits.slice(point)}`;
}

function expo(digits: string, exp: number): string {
  const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const a = Math.abs(exp);
  return `${mant}e${exp < 0 ? '-' : '+'}${a < 10 ? '0' : ''}${a}`;
}

/** formatFloatGo formats v as Go's strconv.FormatFloat(v, fmt, -1, 64) for fmt 'f' or 'e'. */
export function formatFloatGo(v: number, fmt: 'f' | 'e'): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const sign = v < 0 || Object.is(v, -0) ? '-' : '';
  if (v === 0) return fmt === 'f' ? `${sign}0` : `${sign}0e+00`;
  const { digits, exp } = shortest(v);
  return sign + (fmt === 'f' ? fixed(digits, exp) : expo(digits, exp));
}

/** formatSampleValue is Prometheus's jsonutil.MarshalFloat text (without quotes): 'f', or 'e' below 1e-6 and from 1e21. */
export function formatSampleValue(v: number): string {
  const a = Math.abs(v);
  // In [1e-6, 1e21) JavaScript's Number::toString writes exactly this: the shortest round-trip digits in fixed notation.
  if (a >= 1e-6 && a < 1e21) return String(v);
  return formatFloatGo(v, a !== 0 && (a < 1e-6 || a >= 1e21) ? 'e' : 'f');
}

/** formatScalarValue is the text of a scalar or a stepStat value: strconv.FormatFloat(v, 'f', -1, 64). */
export function formatScalarValue(v: number): string {
  return formatFloatGo(v, 'f');
}

/** formatTimestamp is Prometheus's jsonutil.MarshalTimestamp: integer ms as seconds, a non-zero fraction always with 3 digits. */
export function formatTimestamp(ms: number): string {
  let t = ms;
  let sign = '';
  if (t < 0) {
    sign = '-';
    t = -t;
  }
  const frac = t % 1000;
  const secs = (t - frac) / 1000;
  if (frac === 0) return `${sign}${secs}`;
  return `${sign}${secs}.${frac < 10 ? '00' : frac < 100 ? '0' : ''}${frac}`;
}

/** jsonFloat is a float64 as Go's encoding/json writes a number (finite values only): 'f', or 'e' below 1e-6 and from 1e21 with a trimmed exponent. */
export function jsonFloat(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`json: unsupported value: ${formatFloatGo(v, 'f')}`);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-6 || a >= 1e21)) {
    // Go trims e-07 to e-7 in encoding/json.
    return formatFloatGo(v, 'e').replace(/e([+-])0(\d)$/, 'e$1$2');
  }
  return formatFloatGo(v, 'f');
}
