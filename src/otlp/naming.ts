// OTLP metric, label and unit names translated to Prometheus names as Prometheus 3 does
// (github.com/prometheus/otlptranslator: MetricNamer, LabelNamer, UnitNamer).

/** TranslationStrategy is Prometheus 3's otlp.translation_strategy. */
export type TranslationStrategy = 'UnderscoreEscapingWithSuffixes' | 'UnderscoreEscapingWithoutSuffixes' | 'NoUTF8EscapingWithSuffixes' | 'NoTranslation';

/** TRANSLATION_STRATEGIES lists every strategy. */
export const TRANSLATION_STRATEGIES: readonly TranslationStrategy[] = ['UnderscoreEscapingWithSuffixes', 'UnderscoreEscapingWithoutSuffixes', 'NoUTF8EscapingWithSuffixes', 'NoTranslation'];

/** shouldEscape reports whether a strategy escapes names to the legacy character set. */
export function shouldEscape(s: TranslationStrategy): boolean {
  return s === 'UnderscoreEscapingWithSuffixes' || s === 'UnderscoreEscapingWithoutSuffixes';
}

/** shouldAddSuffixes reports whether a strategy appends unit and type suffixes. */
export function shouldAddSuffixes(s: TranslationStrategy): boolean {
  return s === 'UnderscoreEscapingWithSuffixes' || s === 'NoUTF8EscapingWithSuffixes';
}

/** NamerType is the OTLP metric shape naming depends on. */
export type NamerType = 'unknown' | 'nonMonotonicCounter' | 'monotonicCounter' | 'gauge' | 'histogram' | 'exponentialHistogram' | 'summary';

const UNITS: Record<string, string> = {
  d: 'days', h: 'hours', min: 'minutes', s: 'seconds', ms: 'milliseconds', us: 'microseconds', ns: 'nanoseconds',
  By: 'bytes', KiBy: 'kibibytes', MiBy: 'mebibytes', GiBy: 'gibibytes', TiBy: 'tibibytes',
  KBy: 'kilobytes', MBy: 'megabytes', GBy: 'gigabytes', TBy: 'terabytes',
  m: 'meters', V: 'volts', A: 'amperes', J: 'joules', W: 'watts', g: 'grams',
  Cel: 'celsius', Hz: 'hertz', '1': '', '%': 'percent',
};

const PER_UNITS: Record<string, string> = { s: 'second', m: 'minute', h: 'hour', d: 'day', w: 'week', mo: 'month', y: 'year' };

const INVALID_METRIC_CHARS = /[^a-zA-Z0-9:]+/;

/** unitSuffixes splits an OTLP unit (UCUM) into the Prometheus main and per-unit suffixes ("per_second"); annotations in braces give none. */
export function unitSuffixes(unit: string): [main: string, per: string] {
  const slash = unit.indexOf('/');
  const mainOtel = (slash < 0 ? unit : unit.slice(0, slash)).trim();
  const perRaw = slash < 0 ? '' : unit.slice(slash + 1);
  let main = '';
  let per = '';
  if (mainOtel !== '' && !/[{}]/.test(mainOtel)) main = UNITS[mainOtel] ?? mainOtel;
  if (perRaw !== '') {
    const perOtel = perRaw.trim();
    if (perOtel !== '' && !/[{}]/.test(perOtel)) per = PER_UNITS[perOtel] ?? perOtel;
    if (per !== '') per = 'per_' + per;
  }
  return [main, per];
}

function cleanUpUnit(u: string): string {
  return u.replace(/[^a-zA-Z0-9:]/g, '_').replace(/_+/g, '_').replace(/^_/, '');
}

/** buildUnit is the metadata unit of an OTLP unit (UnitNamer without UTF-8: "By/s" -> "bytes_per_second"). */
export function buildUnit(unit: string): string {
  let [main, per] = unitSuffixes(unit);
  main = cleanUpUnit(main);
  per = cleanUpUnit(per);
  let u = main !== '' && per !== '' ? `${main}_${per}` : main !== '' ? main : per;
  if (u.startsWith('_')) u = u.slice(1);
  if (u.endsWith('_')) u = u.slice(0, -1);
  return u;
}

/** MetricNameError says why a metric name cannot be translated (the metric's points are refused). */
export class MetricNameError extends Error {
  override name = 'MetricNameError';
}

/** buildMetricName translates an OTLP metric name (with its unit and type) under a strategy; throws MetricNameError when nothing valid is left. */
export function buildMetricName(name: string, unit: string, type: NamerType, strategy: TranslationStrategy, namespace = ''): string {
  const suffixes = shouldAddSuffixes(strategy);
  if (!shouldEscape(strategy)) return utf8MetricName(name, unit, type, suffixes, namespace);
  let out: string;
  if (suffixes) out = normalizeName(name, unit, type, namespace);
  else {
    const joined = name.split(/[^a-zA-Z0-9:_]+/).filter((t) => t !== '').join('_');
    if (namespace !== '') out = `${namespace.split(/[^a-zA-Z0-9:_]+/).filter((t) => t !== '').join('_')}_${joined}`;
    else out = /^[0-9]/.test(joined) ? '_' + joined : joined;
  }
  if (out === '') throw new MetricNameError(`normalization for metric ${JSON.stringify(name)} resulted in empty name`);
  if (out !== name && /^_+$/.test(out)) throw new MetricNameError(`normalization for metric ${JSON.stringify(name)} resulted in invalid name ${JSON.stringify(out)}`);
  return out;
}

function normalizeName(name: string, unit: string, type: NamerType, namespace: string): string {
  let tokens = name.split(INVALID_METRIC_CHARS).filter((t) => t !== '');
  const [main, per] = unitSuffixes(unit);
  tokens = addUnitTokens(tokens, cleanUpUnit(main), cleanUpUnit(per));
  if (type === 'monotonicCounter') tokens = [...tokens.filter((t) => t !== 'total'), 'total'];
  if (unit === '1' && type === 'gauge') tokens = [...tokens.filter((t) => t !== 'ratio'), 'ratio'];
  if (namespace !== '') tokens = [namespace, ...tokens];
  const joined = tokens.join('_');
  return /^[0-9]/.test(joined) ? '_' + joined : joined;
}

function addUnitTokens(tokens: string[], main: string, per: string): string[] {
  if (tokens.includes(main)) main = '';
  if (per === 'per_') per = '';
  else {
    per = per.replace(/_$/, '');
    if (tokens.includes(per)) per = '';
  }
  if (per !== '') main = main.replace(/_$/, '');
  const out = [...tokens];
  if (main !== '') out.push(main);
  if (per !== '') out.push(per);
  return out;
}

function trimSuffix(name: string, suffix: string): string {
  return name.endsWith(suffix) && name.length > suffix.length + 1 ? name.slice(0, name.length - suffix.length - 1) : name;
}

function utf8MetricName(input: string, unit: string, type: NamerType, suffixes: boolean, namespace: string): string {
  let name = namespace !== '' ? `${namespace}_${input}` : input;
  if (!suffixes) return name;
  const tail: string[] = [];
  if (unit === '1' && type === 'gauge') {
    name = trimSuffix(name, 'ratio');
    tail.unshift('_ratio');
  }
  if (type === 'monotonicCounter') {
    name = trimSuffix(name, 'total');
    tail.unshift('_total');
  }
  const [main, per] = unitSuffixes(unit);
  if (per !== '') {
    name = trimSuffix(name, per);
    tail.unshift('_' + per);
  }
  if (main !== '' && !name.endsWith(main)) name = `${name}_${main}`;
  return name + tail.join('');
}

/** LabelNamerOptions are Prometheus 3's label-name settings (both true by default, for backwards compatibility). */
export interface LabelNamerOptions {
  readonly utf8Allowed: boolean;
  /** underscoreSanitization prepends "key" to names starting with a single underscore (label_name_underscore_sanitization). */
  readonly underscoreSanitization: boolean;
  /** preserveMultipleUnderscores keeps runs of underscores (label_name_preserve_multiple_underscores). */
  readonly preserveMultipleUnderscores: boolean;
}

/** LabelNameError says why an attribute name cannot become a label name. */
export class LabelNameError extends Error {
  override name = 'LabelNameError';
}

/** buildLabelName translates an attribute key to a label name; throws LabelNameError for empty or underscore-only results. */
export function buildLabelName(label: string, o: LabelNamerOptions): string {
  if (label.length === 0) throw new LabelNameError('label name is empty');
  if (o.utf8Allowed) {
    if (/^_+$/.test(label)) throw new LabelNameError(`label name ${JSON.stringify(label)} contains only underscores`);
    return label;
  }
  if (fastPath(label, o)) return label;
  let out = sanitize(label, o.preserveMultipleUnderscores);
  if (/^[0-9]/.test(out)) out = 'key_' + out;
  else if (o.underscoreSanitization && out.startsWith('_') && !out.startsWith('__')) out = 'key' + out;
  if (/^_+$/.test(out)) throw new LabelNameError(`normalization for label name ${JSON.stringify(label)} resulted in invalid name ${JSON.stringify(out)}`);
  return out;
}

function fastPath(label: string, o: LabelNamerOptions): boolean {
  if (/^[0-9]/.test(label)) return false;
  if (o.underscoreSanitization && label.startsWith('_') && !label.startsWith('__')) return false;
  let inner = label;
  if (!o.preserveMultipleUnderscores && label.length >= 4 && label.startsWith('__') && label.endsWith('__')) inner = label.slice(2, -2);
  if (!/^[a-zA-Z0-9_]*$/.test(inner)) return false;
  if (!o.preserveMultipleUnderscores && inner.includes('__')) return false;
  return /[a-zA-Z0-9]/.test(inner);
}

function sanitize(name: string, preserve: boolean): string {
  if (preserve) return Array.from(name, (c) => (/^[a-zA-Z0-9]$/.test(c) ? c : '_')).join('');
  const reserved = name.length >= 4 && name.startsWith('__') && name.endsWith('__');
  const inner = reserved ? name.slice(2, -2) : name;
  const body = Array.from(inner, (c) => (/^[a-zA-Z0-9]$/.test(c) ? c : '_')).join('').replace(/_+/g, '_');
  return reserved ? `__${body}__` : body;
}
