import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exprToString, parseExpr, parseMetricSelector, ParseError } from '../../src/promql/parser/index.js';
import { bytes, typedError, utf8, type FuzzTarget } from '../target.js';

const SEEDS = [
  'up',
  'up{job="api",instance=~"10\\\\..*:9090",env!="dev",x!~"a|b"}',
  '{__name__=~"http_.*", "quoted.name"="v"}',
  'rate(http_requests_total[5m] offset 1h @ 1700000000)',
  'sum by (job, le) (rate(http_request_duration_seconds_bucket[5m:30s]))',
  'histogram_quantile(0.99, sum without (instance) (rate(x_bucket[1m])))',
  'topk(3, count_values("v", up)) > bool on(job) group_left(env) info_metric',
  'label_replace(up, "dst", "$1", "src", "(.*)")',
  'a + b * c / d % e ^ f atan2 g and h or i unless j',
  '-(+1.5e3) == bool 0x1F != Inf < NaN >= -inf <= 1_000',
  'avg_over_time(up[1h] @ start()) - max_over_time(up[1d] @ end())',
  'sum(rate(x[5m])) by (a) / ignoring(b) group_right sum(rate(y[5m])) by (a)',
  'quantile_over_time(0.5, x[10m:1m] offset -5m)',
  'absent_over_time(nonexistent{job="x"}[5m])',
  '"a string" ',
  'vector(time()) + scalar(sum(up))',
  'sort_by_label(up, "job", "instance")',
  'x[5m+1m] offset (1h*2)',
  'up[step()]',
  'count(x) limitk(2, y) limit_ratio(0.5, z)',
  'rate(x[1m] smoothed)',
  '# comment\nup',
  'sum(x)[5m:] offset 1m',
  "up{job='single', a=\"\\u00e9\\x41\\101\\n\"}",
  '{"utf8.metric"}',
];

const DICTIONARY = [
  'sum', 'rate', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset', '@', 'start()', 'end()', 'and', 'or', 'unless',
  'atan2', '{', '}', '(', ')', '[', ']', '[5m]', '[5m:1m]', ',', '=', '!=', '=~', '!~', '"', "'", '`', '\\', '-', '+', '*', '/', '%', '^', '==', '>', '<', '>=',
  '1e309', '0x', 'Inf', 'NaN', '1h30m', '9999999999999999999y', '.5', '1_000', 'topk', 'quantile', 'count_values', 'histogram_quantile', 'label_replace',
  'x', '__name__', ' ', '\n', '#', ':', 'smoothed', 'anchored', 'limitk', 'step()', '\u00e9', '\uffff', '\u0000', '((((((((', '))))))))',
].map(bytes);

function corpusExprs(): string[] {
  const dir = process.env['FUZZ_PROMQL_CORPUS'] ?? join(process.cwd(), '..', 'shared', 'corpus', 'promqltest');
  if (!existsSync(dir)) return [];
  const out = new Set<string>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.test'))) {
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
      const m = /^eval(?:_\w+)?\s+(?:instant\s+at\s+\S+|range\s+from\s+\S+\s+to\s+\S+\s+step\s+\S+)\s+(.+)$/.exec(line.trim());
      if (m) out.add(m[1]!);
    }
  }
  return [...out].slice(0, 2000);
}

/** promqlTarget fuzzes the PromQL parser and type checker, the printer on what parses, and the match[] selector parser. */
export const promqlTarget: FuzzTarget = {
  name: 'promql',
  maxLen: 4096,
  dictionary: DICTIONARY,
  async setup() {
    return [...SEEDS, ...corpusExprs()].map(bytes);
  },
  run(input) {
    const q = utf8(input);
    try {
      parseMetricSelector(q);
    } catch (err) {
      if (!(err instanceof ParseError)) throw err;
    }
    const e = parseExpr(q);
    // What parses must print; the printed form must parse again (Prometheus's round trip).
    parseExpr(exprToString(e));
  },
  expected: typedError(ParseError),
};
