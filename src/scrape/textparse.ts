/** ScrapedSample is one sample of an exposition: metric name, labels (without __name__), value, optional timestamp (ms). */
export interface ScrapedSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  readonly timestampMs?: number;
}

/** ExpositionError says where an exposition is malformed (the scrape fails with it as lastError). */
export class ExpositionError extends Error {
  override name = 'ExpositionError';
}

const NAME_START = /[a-zA-Z_:]/;
const NAME_CHAR = /[a-zA-Z0-9_:]/;
const LABEL_START = /[a-zA-Z_]/;
const LABEL_CHAR = /[a-zA-Z0-9_]/;

/** parseGoFloat parses a sample value as Go's strconv.ParseFloat does for expositions (NaN, ±Inf, decimal and exponent forms). */
export function parseGoFloat(s: string): number | null {
  const l = s.toLowerCase();
  if (l === 'nan') return NaN;
  if (l === '+inf' || l === 'inf' || l === '+infinity' || l === 'infinity') return Infinity;
  if (l === '-inf' || l === '-infinity') return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) && !/^[+-]?\d[\d_]*$/.test(s)) return null;
  return Number(s.replace(/_/g, ''));
}

/**
 * parsePromText parses the Prometheus text exposition format 0.0.4 (what `Accept: text/plain;version=0.0.4`
 * returns): HELP/TYPE and other comments are skipped, each sample line is `name{labels} value [timestamp]`.
 * Throws ExpositionError naming the line of the first malformed sample.
 */
export function parsePromText(text: string): ScrapedSample[] {
  const out: ScrapedSample[] = [];
  let lineNo = 0;
  for (const raw of text.split('\n')) {
    lineNo++;
    const line = raw.replace(/^[ \t]+/, '').replace(/\r$/, '');
    if (line === '' || line.startsWith('#')) continue;
    const fail = (why: string): never => {
      throw new ExpositionError(`text format parsing error in line ${lineNo}: ${why}`);
    };
    let i = 0;
    if (!NAME_START.test(line[0]!)) fail(`invalid metric name in line ${JSON.stringify(raw.slice(0, 80))}`);
    while (i < line.length && NAME_CHAR.test(line[i]!)) i++;
    const name = line.slice(0, i);
    const labels: Record<string, string> = {};
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (line[i] === '{') {
      i++;
      for (;;) {
        while (line[i] === ' ' || line[i] === '\t') i++;
        if (line[i] === '}') {
          i++;
          break;
        }
        const ls = i;
        if (i >= line.length || !LABEL_START.test(line[i]!)) fail('invalid label name');
        while (i < line.length && LABEL_CHAR.test(line[i]!)) i++;
        const ln = line.slice(ls, i);
        while (line[i] === ' ' || line[i] === '\t') i++;
        if (line[i] !== '=') fail(`expected '=' after label name ${ln}`);
        i++;
        while (line[i] === ' ' || line[i] === '\t') i++;
        if (line[i] !== '"') fail(`expected '"' to open the value of label ${ln}`);
        i++;
        let v = '';
        for (;;) {
          if (i >= line.length) fail(`unterminated value of label ${ln}`);
          const c = line[i]!;
          if (c === '"') {
            i++;
            break;
          }
          if (c === '\\') {
            const n = line[i + 1];
            if (n === 'n') v += '\n';
            else if (n === '\\' || n === '"') v += n;
            else fail(`invalid escape sequence '\\${n ?? ''}' in label ${ln}`);
            i += 2;
            continue;
          }
          v += c;
          i++;
        }
        if (ln in labels) fail(`duplicate label name ${ln}`);
        labels[ln] = v;
        while (line[i] === ' ' || line[i] === '\t') i++;
        if (line[i] === ',') i++;
        else if (line[i] !== '}') fail(`expected ',' or '}' after label ${ln}`);
      }
    }
    const rest = line.slice(i).trim().split(/[ \t]+/);
    if (rest.length < 1 || rest[0] === '' || rest.length > 2) fail('expected a value and an optional timestamp');
    const value = parseGoFloat(rest[0]!);
    if (value === null) fail(`invalid value ${JSON.stringify(rest[0])}`);
    let timestampMs: number | undefined;
    if (rest.length === 2) {
      if (!/^-?\d+$/.test(rest[1]!)) fail(`invalid timestamp ${JSON.stringify(rest[1])}`);
      timestampMs = Number(rest[1]);
    }
    out.push({ name, labels, value: value!, ...(timestampMs !== undefined ? { timestampMs } : {}) });
  }
  return out;
}
