import type { ValueType } from './ast.js';

/** FunctionSignature describes a PromQL function: argument types, variadic count (-1 = unlimited), return type. */
export interface FunctionSignature {
  readonly name: string;
  readonly argTypes: readonly ValueType[];
  /** variadic is 0 for fixed arity, n for up to n optional trailing args of the last type, -1 for unlimited. */
  readonly variadic: number;
  readonly returnType: ValueType;
  /** experimental functions need --enable-feature=promql-experimental-functions in Prometheus. */
  readonly experimental: boolean;
}

/** FUNCTIONS is every PromQL function of Prometheus 3.x (as of v3.14), keyed by name. */
export const FUNCTIONS: Readonly<Record<string, FunctionSignature>> = {
  abs: { name: 'abs', argTypes: ['vector'], variadic: 0, returnType: 'vector', experimental: false },
  absent: { name: 'absent', argTypes: ['vector'], variadic: 0, returnType: 'vector', experimental: false },
  absent_over_time: { name: 'absent_over_time', argTypes: ['matrix'], variadic: 0, returnType: 'vector', experimental: false },
  acos: { name: 'acos', argTypes: ['vector'], variadic: 0, returnType: 'vector', experimental: false },
  acosh: { name: 'acosh', argTypes: ['vector'], variadic: 0, returnType: 'vector', experimental: false },
  asin: { name: 'asin', argTypes: ['vector'], variadic: 0, returnType: 'vector', experimental: false },
  asinh: { name: 'asinh', argTypes: ['vector'], variadic: 0, returnType: 'vector', experimental: false },
  atan: { name: 'atan', argTypes: ['vector'], variadic: 0, returnType: 'vector', experimental: false },
  atanh: { name: 'atanh', argTypes: ['vector'], variadic: 0, returnType: 'vector', experimental: false },
  avg_over_time: { name: 'avg_over_time', argTypes: ['matrix'], variadic: 0, returnType: 'vector', experimental: false },
  ceil: { name: 'ceil', argTypes: ['vector'], variadic: 0, returnType: 'vector', experimental: false },
  changes: { name: 'changes', argTypes: ['matrix'], variadic: 0, returnType: 'vector', experimental: false },
  clamp: { name: 'clamp', argTypes: ['vector', 'scalar', 'scalar'], variadic: 0, returnType: 'vector', experimental: false },
  clamp_max: { name: 'clamp_max', argTypes: ['vector', 'scalar'], variadic: 0, returnType: 'vector', experimental: false },
  clamp_min: { name: 'clamp_min', argTypes: ['vector', 'scalar'], variadic: 0, returnType: 'vector', experimental: false },
  cos: { name: 'cos', argTypes: ['vector'], variadic: 0, returnType: 'vector', experimental: false },
  cosh: { name: 'cosh', argTypes: ['vector'], variadic: 0, returnType: 'vector', experimental: false },
  count_over_time: { name: 'count_over_time', argTypes: ['matrix'], variadic: 0, returnType: 'vector', experimental: false },
  days_in_month: { name: 'days_in_month', argTypes: ['vector'], variadic: 1, returnType: 'vector', experimental: false },
  day_of_month: { name: 'day_of_month', argTypes: ['vector'], variadic: 1, returnType: 'vector', experimental: false },
  day_of_week: { name: 'day_of_week', argTypes: ['vector'], variadic: 1, returnType: 'vector', experimental: false },
  day_of_year: { name: 'day_of_year', argTypes: ['vector'], variadic: 1, returnType: 'vector', experimental: false },
  deg: { name: 'deg', argTypes: ['vector'], variadic: 0, returnType: 'vector', experimental: false },
  delta: { name: 'delta', argTypes: ['matrix'], variadic: 0, returnType: 'vector', experimental: false },
  deriv: { name: 'deriv', argTypes: ['matrix'], variadic: 0, returnType: 'vector', experimental: false },
  double_exponential_smoothing: { name: 'double_exponential_smoothing', argTypes: ['matrix', 'scalar', 'scalar'], variadic: 0, returnType: 'vector', experimental: true },
  end: { name: 'end', argTypes: [], variadic: 0, returnType: 'scalar', experimental: true },
  exp: { name: 'exp', argTypes: ['vector'], variadic: 0, returnType: 'vector', experimental: false },
  first_over_time: { name: 'first_over_time', argTypes: ['matrix'], variadic: 0, returnType: 'vector', experimental: true },
  floor: { name: 'floor', argTypes: ['vector'], variadic: 0, returnType: 'vector', experimental: false },
  histogram_avg: { name: 'histogram_avg', argTypes: ['vector'], variadic: 0, returnType: 'vector', experimental: false },
  histogram_count: { name: 'histogram_count', argTypes: ['vector'], variadic: 0, returnType: 'vector', experimental: false },
  histogram_fraction: { name: 'histogram_fraction', argTypes: ['scalar', 'scalar', 'vector'], variadic: 0, returnType: 'vector', experimental: false },
  histogram_quantile: { name: 'histogram_quantile', argTypes: ['scalar', 'vector'], variadic: 0, returnType: 'vector', experimental: false },
  histogram_quantiles: { name: 'histogram_quantiles', argTypes: ['vector', 'string', 'scalar', 'scalar'], variadic: 9, returnType: 'vector', experimental: true },
  histogram_stddev: { name: 'histogram_stddev', argTypes: ['vector'], variadic: 0, returnType: 'vector', experimental: false },
  histogram_stdvar: { name: 'histogram_stdvar', argTypes: ['vector'], variadic: 0, returnType: 'vector', experimental: false },
  histogram_sum: { name: 'histogram_sum', argTypes: ['vector'], variadic: 0, returnType: 'vector', experimental: false },
  hour: { name: 'hour', argTypes: ['vector'], variadic: 1, returnType: 'vector', experimental: false },
  idelta: { name: 'idelta', argTypes: ['matrix'], variadic: 0, returnType: 'vector', experimental: false },
  increase: { name: 'increase', argTypes: ['matrix'], variadic: 0, returnType: 'vector', experimental: false },
  info: { name: 'info', argTypes: ['vector', 'vector'], variadic: 1, returnType: 'vector', experimental: true },
  integral: { name: 'integral', argTypes: ['matrix', 'scalar'], variadic: 1, returnType: 'vector', experimental: true },
  irate: { name: 'irate', argTypes: ['matrix'], variadic: 0, returnType: 'vector', experimental: false },
  label_join: { name: 'label_join', argTypes: ['vector', 'string', 'string', 'string'], variadic: -1, returnType: 'vector', experimental: false },
  label_replace: { name: 'label_replace', argTypes: ['vector', 'string', 'string', 'string', 'string'], variadic: 0, returnType: 'vector', experimental: false },
  last_over_time: { name: 'last_over_time', argTypes: ['matrix'], variadic: 0, returnType: 'vector', experimental: false },
  ln: { name: 'ln', argTypes: ['vector'], variadic: 0, returnType: 'vector', experimental: false },
  log10: { name: 'log10', argTypes: ['vector'], variadic: 0, returnType: 'vector', experimental: false },
  log2: { name: 'log2', argTypes: ['vector'], variadic: 0, returnType: 'vector', experimental: false },
  mad_over_time: { name: 'mad_over_time', argTypes: ['matrix'], variadic: 0, returnType: 'vector', experimental: true },
  max_over_time: { name: 'max_over_time', argTypes: ['matrix'], variadic: 0, returnType: 'vector', experimental: false },
  min_over_time: { name: 'min_over_time', argTypes: ['matrix'], variadic: 0, returnType: 'vector', experimental: false },
  max_of: { name: 'max_of', argTypes: ['scalar', 'scalar'], variadic: 0, returnType: 'scalar', experimental: true },
  min_of: { name: 'min_of', argTypes: ['scalar', 'scalar'], variadic: 0, returnType: 'scalar', experimental: true },
  minute: { name: 'minute', argTypes: ['vector'], variadic: 1, returnType: 'vector', experimental: false },
  month: { name: 'month', argTypes: ['vector'], variadic: 1, returnType: 'vector', experimental: false },
  pi: { name: 'pi', argTypes: [], variadic: 0, returnType: 'scalar', experimental: false },
  predict_linear: { name: 'predict_linear', argTypes: ['matrix', 'scalar'], variadic: 0, returnType: 'vector', experimental: false },
  present_over_time: { name: 'present_over_time', argTypes: ['matrix'], variadic: 0, returnType: 'vector', experimental: false },
  quantile_over_time: { name: 'quantile_over_time', argTypes: ['scalar', 'matrix'], variadic: 0, returnType: 'vector', experimental: false },
  rad: { name: 'rad', argTypes: ['vector'], variadic: 0, returnType: 'vector', experimental: false },
  range: { name: 'range', argTypes: [], variadic: 0, returnType: 'scalar', experimental: true },
  rate: { name: 'rate', argTypes: ['matrix'], variadic: 0, returnType: 'vector', experimental: false },
  resets: { name: 'resets', argTypes: ['matrix'], variadic: 0, returnType: 'vector', experimental: false },
  round: { name: 'round', argTypes: ['vector', 'scalar'], variadic: 1, returnType: 'vector', experimental: false },
  scalar: { name: 'scalar', argTypes: ['vector'], variadic: 0, returnType: 'scalar', experimental: false },
  sgn: { name: 'sgn', argTypes: ['vector'], variadic: 0, returnType: 'vector', experimental: false },
  sin: { name: 'sin', argTypes: ['vector'], variadic: 0, returnType: 'vector', experimental: false },
  sinh: { name: 'sinh', argTypes: ['vector'], variadic: 0, returnType: 'vector', experimental: false },
  sort: { name: 'sort', argTypes: ['vector'], variadic: 0, returnType: 'vector', experimental: false },
  sort_by_label: { name: 'sort_by_label', argTypes: ['vector', 'string'], variadic: -1, returnType: 'vector', experimental: true },
  sort_by_label_desc: { name: 'sort_by_label_desc', argTypes: ['vector', 'string'], variadic: -1, returnType: 'vector', experimental: true },
  sort_desc: { name: 'sort_desc', argTypes: ['vector'], variadic: 0, returnType: 'vector', experimental: false },
  sqrt: { name: 'sqrt', argTypes: ['vector'], variadic: 0, returnType: 'vector', experimental: false },
  start: { name: 'start', argTypes: [], variadic: 0, returnType: 'scalar', experimental: true },
  start_timestamp: { name: 'start_timestamp', argTypes: ['vector'], variadic: 0, returnType: 'vector', experimental: true },
  step: { name: 'step', argTypes: [], variadic: 0, returnType: 'scalar', experimental: true },
  stddev_over_time: { name: 'stddev_over_time', argTypes: ['matrix'], variadic: 0, returnType: 'vector', experimental: false },
  stdvar_over_time: { name: 'stdvar_over_time', argTypes: ['matrix'], variadic: 0, returnType: 'vector', experimental: false },
  sum_over_time: { name: 'sum_over_time', argTypes: ['matrix'], variadic: 0, returnType: 'vector', experimental: false },
  tan: { name: 'tan', argTypes: ['vector'], variadic: 0, returnType: 'vector', experimental: false },
  tanh: { name: 'tanh', argTypes: ['vector'], variadic: 0, returnType: 'vector', experimental: false },
  time: { name: 'time', argTypes: [], variadic: 0, returnType: 'scalar', experimental: false },
  timestamp: { name: 'timestamp', argTypes: ['vector'], variadic: 0, returnType: 'vector', experimental: false },
  ts_of_first_over_time: { name: 'ts_of_first_over_time', argTypes: ['matrix'], variadic: 0, returnType: 'vector', experimental: true },
  ts_of_last_over_time: { name: 'ts_of_last_over_time', argTypes: ['matrix'], variadic: 0, returnType: 'vector', experimental: true },
  ts_of_max_over_time: { name: 'ts_of_max_over_time', argTypes: ['matrix'], variadic: 0, returnType: 'vector', experimental: true },
  ts_of_min_over_time: { name: 'ts_of_min_over_time', argTypes: ['matrix'], variadic: 0, returnType: 'vector', experimental: true },
  vector: { name: 'vector', argTypes: ['scalar'], variadic: 0, returnType: 'vector', experimental: false },
  year: { name: 'year', argTypes: ['vector'], variadic: 1, returnType: 'vector', experimental: false },
};

/** ANCHORED_FUNCTIONS are the functions that accept an `anchored` range selector (checked by the engine, as Prometheus does). */
export const ANCHORED_FUNCTIONS: readonly string[] = ['changes', 'delta', 'increase', 'rate', 'resets'];

/** SMOOTHED_FUNCTIONS are the functions that accept a `smoothed` range selector (checked by the engine, as Prometheus does). */
export const SMOOTHED_FUNCTIONS: readonly string[] = ['delta', 'increase', 'rate'];

/** getFunction returns a function's signature, or undefined for unknown names. */
export function getFunction(name: string): FunctionSignature | undefined {
  return Object.prototype.hasOwnProperty.call(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
}
