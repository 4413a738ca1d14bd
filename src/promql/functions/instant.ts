/** SimpleFn maps one float (plus scalar args at this step) to another. */
export type SimpleFn = (v: number, args: number[]) => number;

function dateOf(v: number): Date {
  return new Date(Math.trunc(v) * 1000);
}

/** SIMPLE_FUNCTIONS maps per-sample functions of instant vectors to their implementations. */
export const SIMPLE_FUNCTIONS: Readonly<Record<string, SimpleFn>> = {
  abs: Math.abs,
  ceil: Math.ceil,
  floor: Math.floor,
  exp: Math.exp,
  sqrt: Math.sqrt,
  ln: Math.log,
  log2: Math.log2,
  log10: Math.log10,
  sgn: (v) => (v < 0 ? -1 : v > 0 ? 1 : v),
  deg: (v) => (v * 180) / Math.PI,
  rad: (v) => (v * Math.PI) / 180,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  sinh: Math.sinh,
  cosh: Math.cosh,
  tanh: Math.tanh,
  asinh: Math.asinh,
  acosh: Math.acosh,
  atanh: Math.atanh,
  round: (v, args) => {
    const toNearest = args.length > 1 ? args[1]! : 1;
    const inv = 1 / toNearest;
    return Math.floor(v * inv + 0.5) / inv;
  },
  clamp_min: (v, args) => Math.max(args[1]!, v),
  clamp_max: (v, args) => Math.min(args[1]!, v),
  clamp: (v, args) => Math.max(args[1]!, Math.min(args[2]!, v)),
};

/** DATE_FUNCTIONS maps the calendar functions (UTC) of a Unix time in seconds. */
export const DATE_FUNCTIONS: Readonly<Record<string, (v: number) => number>> = {
  day_of_month: (v) => dateOf(v).getUTCDate(),
  day_of_week: (v) => dateOf(v).getUTCDay(),
  day_of_year: (v) => {
    const d = dateOf(v);
    return Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400000) + 1;
  },
  days_in_month: (v) => {
    const d = dateOf(v);
    return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  },
  hour: (v) => dateOf(v).getUTCHours(),
  minute: (v) => dateOf(v).getUTCMinutes(),
  month: (v) => dateOf(v).getUTCMonth() + 1,
  year: (v) => dateOf(v).getUTCFullYear(),
};
