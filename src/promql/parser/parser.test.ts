import { describe, expect, it } from 'vitest';
import {
  exprToString, exprType, formatDuration, FUNCTIONS, parseDuration, parseExpr, parseMetricSelector, ParseError,
  evalDurationExpr, type Expr, type MatrixSelector, type VectorSelector, type BinaryExpr, type NumberLiteral,
} from './index.js';

/** [input, canonical output ('' = same as input)] from Prometheus's printer_test.go / parse_test.go. */
const PRINT: Array<[string, string]> = [
  ['sum by() (task:errors:rate10s{job="s"})', 'sum(task:errors:rate10s{job="s"})'],
  ['sum by(code) (task:errors:rate10s{job="s"})', 'sum by (code) (task:errors:rate10s{job="s"})'],
  ['sum without() (task:errors:rate10s{job="s"})', 'sum without () (task:errors:rate10s{job="s"})'],
  ['sum without(instance) (task:errors:rate10s{job="s"})', 'sum without (instance) (task:errors:rate10s{job="s"})'],
  ['topk(5, task:errors:rate10s{job="s"})', ''],
  ['count_values("value", task:errors:rate10s{job="s"})', ''],
  ['sum(x) by (a, b)', 'sum by (a, b) (x)'],
  ['sum by (a,) (x)', 'sum by (a) (x)'],
  ['SUM BY (foo) (some_metric)', 'sum by (foo) (some_metric)'],
  ['sum by (on, by, offset, bool) (x)', 'sum by (on, by, offset, bool) (x)'],
  ['sum by ("foo.bar", "baz") (x)', 'sum by ("foo.bar", baz) (x)'],
  ['a - on() c', 'a - on () c'],
  ['a - on(b) c', 'a - on (b) c'],
  ['a - on(b) group_left(x) c', 'a - on (b) group_left (x) c'],
  ['a - on(b) group_left(x, y) c', 'a - on (b) group_left (x, y) c'],
  ['a - on(b) group_left c', 'a - on (b) group_left () c'],
  ['a - on(b) group_left() (c)', 'a - on (b) group_left () (c)'],
  ['a - ignoring(b) c', 'a - ignoring (b) c'],
  ['a - ignoring() c', 'a - c'],
  ['a * ignoring(b) group_right(c) d', 'a * ignoring (b) group_right (c) d'],
  ['up > bool 0', ''],
  ['a offset 1m', ''],
  ['a offset -7m', ''],
  ['a{c="d"}[5m] offset 1m', ''],
  ['a[5m] offset 1m', ''],
  ['a[12m] offset -3m', ''],
  ['a[1h:5m] offset 1m', ''],
  ['{__name__="a"}', ''],
  ['a{b!="c"}[1m]', ''],
  ['a{b=~"c"}[1m]', ''],
  ['a{b!~"c"}[1m]', ''],
  ['a @ 10', 'a @ 10.000'],
  ['a[1m] @ 10', 'a[1m] @ 10.000'],
  ['a @ start()', ''],
  ['a @ end()', ''],
  ['a[1m] @ start()', ''],
  ['a[1m] @ end()', ''],
  ['a @ -1.5', 'a @ -1.500'],
  ['foo @ 1h', 'foo @ 3600.000'],
  ['foo[5m:1m] @ 100 offset 10m', 'foo[5m:1m] @ 100.000 offset 10m'],
  ['foo offset 5m @ 100', 'foo @ 100.000 offset 5m'],
  ['rate(foo[5m])[1h:]', ''],
  ['min_over_time(rate(foo{bar="baz"}[2s])[5m:] @ 1603775091)[4m:3s]', 'min_over_time(rate(foo{bar="baz"}[2s])[5m:] @ 1603775091.000)[4m:3s]'],
  ['foo{b="c",a="b"}', 'foo{a="b",b="c"}'],
  ['foo{"a.b"="c"}', 'foo{"a.b"="c"}'],
  ['{"metric.with.dots"}', '{__name__="metric.with.dots"}'],
  ['{"foo", a="b"}', '{__name__="foo",a="b"}'],
  ['foo:bar:baz', ''],
  ['foo{a="\\n\\t\\"x\\u00e9"}', 'foo{a="\\n\\t\\"xé"}'],
  ["foo{a='b\"c'}", 'foo{a="b\\"c"}'],
  ['foo{a=`b\\c`}', 'foo{a="b\\\\c"}'],
  ['"\\x41\\101\\u0042\\U00000043"', '"AAB' + 'C"'],
  ['1', ''],
  ['+1', '1'],
  ['-1', ''],
  ['- - 1', '1'],
  ['.5', '0.5'],
  ['5.', '5'],
  ['1e3', '1000'],
  ['1E-3', '0.001'],
  ['0x1F', '31'],
  ['0X_1F', '31'],
  ['017', '15'],
  ['1_000', '1000'],
  ['Inf', '+Inf'],
  ['-inf', '-Inf'],
  ['NaN', 'NaN'],
  ['nAn', 'NaN'],
  ['1e21', '1000000000000000000000'],
  ['1h', ''],
  ['1h30m', ''],
  ['-5m', ''],
  ['90m', '1h30m'],
  ['1h + 2', ''],
  ['1 + 2 * 3', ''],
  ['(1 + 2) * 3', ''],
  ['2 ^ 3 ^ 2', ''],
  ['-2 ^ 2', ''],
  ['-foo', ''],
  ['foo and bar or baz unless qux', ''],
  ['a atan2 b', ''],
  ['1 == bool 1', ''],
  ['foo == 1', ''],
  ['sum(x) without (a)', 'sum without (a) (x)'],
  ['quantile(0.9, x)', ''],
  ['limitk(2, x)', ''],
  ['limit_ratio(0.5, x)', ''],
  ['group(x)', ''],
  ['stddev(x) + stdvar(x)', ''],
  ['bottomk by (a) (3, x)', ''],
  ['label_join(x, "a", ",", "b", "c", "d")', ''],
  ['round(x)', ''],
  ['round(x, 5)', ''],
  ['histogram_quantile(0.9, rate(x[5m]))', ''],
  ['time()', ''],
  ['vector(1)', ''],
  ['foo # a comment', 'foo'],
  ['sum(\n  foo # c\n)', 'sum(foo)'],
  ['foo[300]', 'foo[5m]'],
  ['foo offset 60', 'foo offset 1m'],
  ['foo[5m+1m]', 'foo[5m + 1m]'],
  ['foo[-5m+35m]', 'foo[-5m + 35m]'],
  ['foo[1h/2]', 'foo[1h / 2]'],
  ['foo[2m*(10+5)]', 'foo[2m * (10 + 5)]'],
  ['foo[29s+1s:5s+5s]', 'foo[29s + 1s:5s + 5s]'],
  ['foo[step()]', ''],
  ['foo[STep()+1]', 'foo[step() + 1]'],
  ['foo[range()]', ''],
  ['foo[min_of(step()+1,1h)]', 'foo[min_of(step() + 1, 1h)]'],
  ['foo offset (1h*2)', 'foo offset (1h * 2)'],
  ['foo offset step()', ''],
  ['foo offset -step()', ''],
  ['foo offset min_of(step(), 1s)', ''],
  ['foo offset 100 + 2', 'foo offset 1m40s + 2'],
  ['foo offset -2 ^ 2', 'foo offset -2s ^ 2'],
  ['step()', ''],
  ['min_of(3, 5)', ''],
  ['increase(foo[1m] anchored)', ''],
  ['rate(foo[1m] smoothed)', ''],
  ['foo smoothed', ''],
  ['increase(foo[1m] anchored offset 5m)', ''],
  ['a + fill(0) b', 'a + fill (0) b'],
  ['a + fill_left(5) fill_right(7) b', 'a + fill_left (5) fill_right (7) b'],
  ['a + on(x) group_left fill(-Inf) b', 'a + on (x) group_left () fill (-Inf) b'],
  ['a == bool fill(NaN) b', 'a == bool fill (NaN) b'],
  ['fill + fill(0) other', 'fill + fill (0) other'],
  ['other + fill', ''],
  ['h </ 5', ''],
  ['h >/ -1', ''],
  ['start', ''],
  ['step + range', ''],
];

/** [input, exact Prometheus error message]. */
const ERRORS: Array<[string, string]> = [
  ['', '1:1: parse error: no expression found in input'],
  ['{a=~"(?=x)"}', '1:2: parse error: error parsing regexp: invalid or unsupported Perl syntax: `(?=`'],
  ['up{job!~`(a)\\1`}', '1:4: parse error: error parsing regexp: invalid escape sequence: `\\1`'],
  ['x{a=~"(?<=b)c"}', '1:3: parse error: error parsing regexp: invalid named capture: `(?<=b)c`'],
  ['# just a comment', '1:1: parse error: no expression found in input'],
  ['1+', '1:3: parse error: unexpected end of input'],
  ['.', "1:1: parse error: unexpected character: '.'"],
  ['2.5.', '1:1: parse error: bad number or duration syntax: "2.5."'],
  ['100..4', '1:1: parse error: bad number or duration syntax: "100.."'],
  ['0deadbeef', '1:1: parse error: bad number or duration syntax: "0de"'],
  ['1 /', '1:4: parse error: unexpected end of input'],
  ['*1', '1:1: parse error: unexpected <op:*>'],
  ['(1))', "1:5: parse error: unexpected right parenthesis ')'"],
  ['((1)', '1:5: parse error: unclosed left parenthesis'],
  ['(', '1:2: parse error: unclosed left parenthesis'],
  ['1 !~ 1', "1:3: parse error: unexpected character after '!': '~'"],
  ['1 =~ 1', "1:3: parse error: unexpected character after '=': '~'"],
  ['-"string"', '1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "string"'],
  ['-test[5m]', '1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "range vector"'],
  ['*test', '1:1: parse error: unexpected <op:*>'],
  ['1 offset 1d', '1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery'],
  ['foo offset 1s offset 2s', '1:1: parse error: offset may not be set multiple times'],
  ['a - on(b) ignoring(c) d', '1:11: parse error: unexpected <ignoring>'],
  ['foo and 1', '1:1: parse error: set operator "and" not allowed in binary scalar expression'],
  ['1 and foo', '1:1: parse error: set operator "and" not allowed in binary scalar expression'],
  ['foo or 1', '1:1: parse error: set operator "or" not allowed in binary scalar expression'],
  ['1 unless foo', '1:1: parse error: set operator "unless" not allowed in binary scalar expression'],
  ['1 or on(bar) foo', '1:1: parse error: vector matching only allowed between instant vectors'],
  ['foo == on(bar) 10', '1:1: parse error: vector matching only allowed between instant vectors'],
  ['foo + group_left(baz) bar', '1:7: parse error: unexpected <group_left>'],
  ['foo and on(bar) group_left(baz) bar', '1:1: parse error: no grouping allowed for "and" operation'],
  ['foo and on(bar) group_right(baz) bar', '1:1: parse error: no grouping allowed for "and" operation'],
  ['foo or on(bar) group_left(baz) bar', '1:1: parse error: no grouping allowed for "or" operation'],
  ['foo unless on(bar) group_left(baz) bar', '1:1: parse error: no grouping allowed for "unless" operation'],
  ['http_requests{group="production"} + on(instance) group_left(job,instance) cpu_count{type="smp"}',
    '1:35: parse error: label "instance" must not occur in ON and GROUP clause at once'],
  ['foo + bool bar', '1:5: parse error: bool modifier can only be used on comparison operators'],
  ['foo + bool 10', '1:5: parse error: bool modifier can only be used on comparison operators'],
  ['foo and bool 10', '1:5: parse error: bool modifier can only be used on comparison operators'],
  ['1 == 1', '1:3: parse error: comparisons between scalars must use BOOL modifier'],
  ['1 < 1', '1:3: parse error: comparisons between scalars must use BOOL modifier'],
  ['{}', '1:1: parse error: vector selector must contain at least one non-empty matcher'],
  ['{x=""}', '1:1: parse error: vector selector must contain at least one non-empty matcher'],
  ['{x=~".*"}', '1:1: parse error: vector selector must contain at least one non-empty matcher'],
  ['{x!~".+"}', '1:1: parse error: vector selector must contain at least one non-empty matcher'],
  ['{x!="a"}', '1:1: parse error: vector selector must contain at least one non-empty matcher'],
  ['foo{__name__="bar"}', '1:1: parse error: metric name must not be set twice: "foo" or "bar"'],
  ['foo{1}', "1:5: parse error: unexpected character inside braces: '1'"],
  ['foo{a="b", c}', '1:13: parse error: unexpected "}" in label matching, expected label matching operator'],
  ['foo{a}', '1:6: parse error: unexpected "}" in label matching, expected label matching operator'],
  ['foo{a="b"', '1:10: parse error: unexpected end of input inside braces'],
  ['foo{a*"b"}', "1:6: parse error: unexpected character inside braces: '*'"],
  ['foo{a>="b"}', "1:6: parse error: unexpected character inside braces: '>'"],
  ['foo{a="b" b="c"}', '1:11: parse error: unexpected identifier "b" in label matching, expected "," or "}"'],
  ['foo{a=b}', '1:7: parse error: unexpected identifier "b" in label matching, expected string'],
  ['foo{{', "1:5: parse error: unexpected left brace '{'"],
  ['}', "1:1: parse error: unexpected character: '}'"],
  ['foo[5mm]', '1:5: parse error: bad number or duration syntax: "5mm"'],
  ['foo[5m1]', '1:5: parse error: bad number or duration syntax: "5m1"'],
  ['foo[5m', '1:7: parse error: unclosed left bracket'],
  ['foo[', '1:5: parse error: unexpected end of input in duration expression'],
  ['some_metric[5m] OFFSET 1mm', '1:24: parse error: bad number or duration syntax: "1mm"'],
  ['some_metric OFFSET', '1:19: parse error: unexpected end of input in offset, expected number or duration'],
  ['foo[5y1hs]', '1:5: parse error: unknown unit "hs" in duration "5y1hs"'],
  ['foo[5m30s5m]', '1:5: parse error: not a valid duration string: "5m30s5m"'],
  ['(foo + bar)[5m]', '1:12: parse error: ranges only allowed for vector selectors'],
  ['foo offset 5m [5m]', '1:15: parse error: no offset modifiers allowed before range'],
  ['foo @ 1 [5m]', '1:9: parse error: no @ modifiers allowed before range'],
  ['test[5d] OFFSET 10s [10m:5s]', '1:1: parse error: subquery is only allowed on instant vector, got matrix instead'],
  ['(foo + bar{nm="val"})[5m:][10m:5s]', '1:1: parse error: subquery is only allowed on instant vector, got matrix instead'],
  ['sum(other_metric) by (foo)(some_metric)', '1:27: parse error: unexpected "("'],
  ['sum without(==)(some_metric)', '1:13: parse error: unexpected <op:==> in grouping opts, expected label'],
  ['sum without(,)(some_metric)', '1:13: parse error: unexpected "," in grouping opts, expected label'],
  ['sum without(foo,,)(some_metric)', '1:17: parse error: unexpected "," in grouping opts, expected label'],
  ['sum some_metric by (test)', '1:5: parse error: unexpected identifier "some_metric" in aggregation'],
  ['sum (some_metric) by test', '1:22: parse error: unexpected identifier "test" in grouping opts, expected "("'],
  ['sum () by (test)', '1:1: parse error: no arguments for aggregate expression provided'],
  ['MIN keep_common (some_metric)', '1:5: parse error: unexpected identifier "keep_common" in aggregation'],
  ['sum (some_metric) without (test) by (test)', '1:34: parse error: unexpected <by>'],
  ['sum without (test) (some_metric) by (test)', '1:34: parse error: unexpected <by>'],
  ['topk(some_metric)', '1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1'],
  ['topk(some_metric,)', '1:17: parse error: trailing commas not allowed in function call args'],
  ['topk(some_metric, other_metric)', '1:6: parse error: expected type scalar in aggregation parameter, got instant vector'],
  ['count_values(5, other_metric)', '1:14: parse error: expected type string in aggregation parameter, got scalar'],
  ['sum(1)', '1:5: parse error: expected type instant vector in aggregation expression, got scalar'],
  ['floor()', '1:1: parse error: expected 1 argument(s) in call to "floor", got 0'],
  ['floor(some_metric, other_metric)', '1:1: parse error: expected 1 argument(s) in call to "floor", got 2'],
  ['floor(1)', '1:7: parse error: expected type instant vector in call to function "floor", got scalar'],
  ['hour(some_metric, some_metric, some_metric)', '1:1: parse error: expected at most 1 argument(s) in call to "hour", got 3'],
  ['label_join()', '1:1: parse error: expected at least 3 argument(s) in call to "label_join", got 0'],
  ['time(some_metric)', '1:1: parse error: expected 0 argument(s) in call to "time", got 1'],
  ['non_existent_function_far_bar()', '1:1: parse error: unknown function with name "non_existent_function_far_bar"'],
  ['rate(some_metric)', '1:6: parse error: expected type range vector in call to function "rate", got instant vector'],
  ['rate(foo)', '1:6: parse error: expected type range vector in call to function "rate", got instant vector'],
  ['label_replace(a, 1, "", "", "")', '1:18: parse error: expected type string in call to function "label_replace", got scalar'],
  ['-=', '1:2: parse error: unexpected "="'],
  ['++-++-+-+-<', '1:11: parse error: unexpected <op:<>'],
  ['e-+=/(0)', '1:4: parse error: unexpected "="'],
  ['a>b()', '1:3: parse error: unknown function with name "b"'],
  ['rate(avg)', '1:9: parse error: unexpected ")" in aggregation'],
  ['a + sum', '1:8: parse error: unexpected end of input in aggregation'],
  ['foo @ +Inf', '1:1: parse error: timestamp out of bounds for @ modifier: +Inf'],
  ['foo @ -Inf', '1:1: parse error: timestamp out of bounds for @ modifier: -Inf'],
  ['foo @ NaN', '1:1: parse error: timestamp out of bounds for @ modifier: NaN'],
  ['foo @ ', '1:7: parse error: unexpected end of input in @, expected timestamp'],
  ['foo @ 1 @ 2', '1:1: parse error: @ <timestamp> may not be set multiple times'],
  ['foo[5m] @ 1 @ 2', '1:1: parse error: @ <timestamp> may not be set multiple times'],
  ['sum(foo) @ 1', '1:1: parse error: @ modifier must be preceded by an instant vector selector or range vector selector or a subquery'],
  ['"a" + 1', '1:1: parse error: binary expression must contain only scalar and instant vector types'],
  ['foo[5m] + 1', '1:1: parse error: binary expression must contain only scalar and instant vector types'],
  ['"unterminated', '1:1: parse error: unterminated quoted string'],
  ['`unterminated', '1:1: parse error: unterminated raw string'],
  ['"\\q"', "1:1: parse error: unknown escape sequence U+0071 'q'"],
  ['foo bar', '1:5: parse error: unexpected identifier "bar"'],
  ['foo 1', '1:5: parse error: unexpected number "1"'],
  ['foo{a="b"} offset 5m[1m:]', ''],
  ['1 @ 5', '1:1: parse error: @ modifier must be preceded by an instant vector selector or range vector selector or a subquery'],
  ['foo[1m] smoothed anchored', '1:1: parse error: anchored and smoothed modifiers cannot be used together'],
  ['foo[1m:] anchored', '1:1: parse error: anchored modifier is not supported for subqueries'],
  ['a + fill(0) 1', '1:1: parse error: filling in missing series only allowed between instant vectors'],
  ['a and fill(0) b', '1:1: parse error: filling in missing series not allowed for set operators'],
  ['foo\n  + bar\n  + *', '3:5: parse error: unexpected <op:*>'],
  ['{a="é"} + *', '1:12: parse error: unexpected <op:*>'],
  ['{a="e"} + *', '1:11: parse error: unexpected <op:*>'],
  ['info(foo, bar)', '1:11: parse error: expected label selectors only, got vector selector instead'],
];

function parseErr(q: string): string {
  try {
    parseExpr(q);
  } catch (e) {
    expect(e).toBeInstanceOf(ParseError);
    return (e as Error).message;
  }
  return '';
}

describe('parseExpr / exprToString', () => {
  it.each(PRINT)('prints %j canonically', (input, out) => {
    const printed = exprToString(parseExpr(input));
    expect(printed).toBe(out === '' ? input : out);
    // The canonical form is a fixed point.
    expect(exprToString(parseExpr(printed))).toBe(printed);
  });

  it.each(ERRORS)('rejects %j', (input, msg) => {
    expect(parseErr(input)).toBe(msg);
  });
});

describe('AST shape', () => {
  it('binds ^ right-associatively and tighter than unary minus', () => {
    const e = parseExpr('-2 ^ 3 ^ 2') as Expr;
    expect(e.kind).toBe('UnaryExpr');
    if (e.kind !== 'UnaryExpr') return;
    const pow = e.expr as BinaryExpr;
    expect(pow.op).toBe('^');
    expect((pow.rhs as BinaryExpr).op).toBe('^');
  });

  it('gives * precedence over + and comparisons lower than arithmetic', () => {
    const e = parseExpr('a + b * c > bool d') as BinaryExpr;
    expect(e.op).toBe('>');
    expect(e.returnBool).toBe(true);
    expect((e.lhs as BinaryExpr).op).toBe('+');
    expect(((e.lhs as BinaryExpr).rhs as BinaryExpr).op).toBe('*');
  });

  it('sets vector matching: set operators are many-to-many, scalar operands have none', () => {
    expect((parseExpr('a and b') as BinaryExpr).matching?.card).toBe('many-to-many');
    expect((parseExpr('a + b') as BinaryExpr).matching?.card).toBe('one-to-one');
    expect((parseExpr('a + 1') as BinaryExpr).matching).toBeNull();
    const g = parseExpr('a / on(x, y) group_left(z) b') as BinaryExpr;
    expect(g.matching).toMatchObject({ card: 'many-to-one', on: true, matchingLabels: ['x', 'y'], include: ['z'] });
  });

  it('adds the __name__ matcher last and keeps matcher semantics', () => {
    const vs = parseExpr('foo{a=~"b|c", d!="e"}') as VectorSelector;
    expect(vs.name).toBe('foo');
    expect(vs.matchers.map((m) => `${m.name}${m.type}${m.value}`)).toEqual(['a=~b|c', 'd!=e', '__name__=foo']);
    expect(vs.matchers[0]!.matches('c')).toBe(true);
    expect(vs.matchers[0]!.matches('bc')).toBe(false);
  });

  it('stores ranges, offsets and @ in ms', () => {
    const ms = parseExpr('foo[1h30m] offset -5m @ 1.5') as MatrixSelector;
    expect(ms.range).toBe(5_400_000);
    expect(ms.vectorSelector.offset).toBe(-300_000);
    expect(ms.vectorSelector.at).toEqual({ kind: 'timestamp', ms: 1500 });
  });

  it('folds constant duration expressions and keeps the expression for printing', () => {
    const ms = parseExpr('foo[30m1s-30m1s % 1m]') as MatrixSelector;
    expect(ms.range).toBe(30 * 60_000);
    expect(ms.rangeExpr?.kind).toBe('DurationBinary');
    const sq = parseExpr('foo[29s+1s:((((8 - 2) / 3) * 7s) % 4) + 8000ms]') as Expr;
    expect(sq.kind).toBe('SubqueryExpr');
    if (sq.kind === 'SubqueryExpr') {
      expect(sq.range).toBe(30_000);
      expect(sq.step).toBe(10_000);
    }
    const off = parseExpr('foo offset (20*(((((8 - 2) / 3) * 7s) % 4) + 8000ms))') as VectorSelector;
    expect(off.offset).toBe(200_000);
  });

  it('leaves step()/range() for the engine and evaluates them on request', () => {
    const ms = parseExpr('foo[max_of(min_of(step()+1,1h),1ms)]') as MatrixSelector;
    expect(ms.range).toBe(0);
    expect(evalDurationExpr(ms.rangeExpr!, { step: 5000, range: 10_000 })).toBe(6000);
    const r = parseExpr('foo[range()]') as MatrixSelector;
    expect(evalDurationExpr(r.rangeExpr!, { step: 5000, range: 10_000 })).toBe(10_000);
  });

  it('applies offset only to the selector before it (offset 100 + 2)', () => {
    const e = parseExpr('metric1_total offset 100 + 2') as BinaryExpr;
    expect(e.op).toBe('+');
    expect((e.lhs as VectorSelector).offset).toBe(100_000);
  });

  it('marks durations used as numbers', () => {
    const n = parseExpr('1h') as NumberLiteral;
    expect(n).toMatchObject({ kind: 'NumberLiteral', value: 3600, duration: true });
  });

  it('parses fill modifiers', () => {
    const e = parseExpr('a + fill_left(5) fill_right(-7) b') as BinaryExpr;
    expect(e.matching?.fill).toEqual({ lhs: 5, rhs: -7, same: false });
  });

  it('records anchored/smoothed on the selector', () => {
    const call = parseExpr('increase(foo[1m] anchored)');
    expect(call.kind).toBe('Call');
    if (call.kind === 'Call') expect((call.args[0] as MatrixSelector).vectorSelector.anchored).toBe(true);
  });

  it('reports positions as ranges in the query', () => {
    try {
      parseExpr('rate(foo)');
    } catch (e) {
      const pe = e as ParseError;
      expect(pe.positionRange).toEqual({ start: 5, end: 8 });
      expect(pe.query).toBe('rate(foo)');
      expect(pe.detail).toBe('expected type range vector in call to function "rate", got instant vector');
    }
  });
});

describe('exprType', () => {
  it.each([
    ['1', 'scalar'], ['"a"', 'string'], ['foo', 'vector'], ['foo[5m]', 'matrix'], ['foo[5m:]', 'matrix'],
    ['1 + 1', 'scalar'], ['foo + 1', 'vector'], ['scalar(foo)', 'scalar'], ['(foo)', 'vector'], ['-1', 'scalar'],
    ['time()', 'scalar'], ['sum(foo)', 'vector'],
  ])('%s is %s', (q, t) => {
    expect(exprType(parseExpr(q))).toBe(t);
  });
});

describe('FUNCTIONS', () => {
  it('matches Prometheus signatures', () => {
    expect(FUNCTIONS.rate).toMatchObject({ argTypes: ['matrix'], variadic: 0, returnType: 'vector' });
    expect(FUNCTIONS.label_join).toMatchObject({ variadic: -1 });
    expect(FUNCTIONS.histogram_quantiles).toMatchObject({ variadic: 9, experimental: true });
    expect(FUNCTIONS.holt_winters).toBeUndefined();
    expect(Object.keys(FUNCTIONS).length).toBeGreaterThan(90);
  });
});

describe('durations', () => {
  it.each([
    ['0', 0], ['1ms', 1], ['5m', 300_000], ['1h30m', 5_400_000], ['1y', 31_536_000_000], ['2w', 1_209_600_000], ['1d1h1m1s1ms', 90_061_001],
  ])('parseDuration(%s) = %d', (s, ms) => {
    expect(parseDuration(s)).toBe(ms);
  });
  it.each([
    ['', 'empty duration string'], ['1', 'not a valid duration string: "1"'], ['5m1h', 'not a valid duration string: "5m1h"'],
    ['1x', 'unknown unit "x" in duration "1x"'], ['-1s', 'not a valid duration string: "-1s"'],
  ])('parseDuration(%j) throws %s', (s, msg) => {
    expect(() => parseDuration(s)).toThrow(msg);
  });
  it.each([
    [0, '0s'], [1, '1ms'], [1500, '1s500ms'], [5_400_000, '1h30m'], [90 * 86_400_000, '90d'], [14 * 86_400_000, '2w'],
    [365 * 86_400_000, '1y'], [366 * 86_400_000, '366d'],
  ])('formatDuration(%d) = %s', (ms, s) => {
    expect(formatDuration(ms)).toBe(s);
  });
});

describe('parseMetricSelector', () => {
  it('parses match[] selectors', () => {
    const ms = parseMetricSelector('up{job="a", instance=~"b.*"}');
    expect(ms.map((m) => `${m.name}${m.type}${m.value}`)).toEqual(['job=a', 'instance=~b.*', '__name__=up']);
    expect(parseMetricSelector('{"foo.bar"}').map((m) => m.value)).toEqual(['foo.bar']);
    expect(() => parseMetricSelector('up + 1')).toThrow('1:4: parse error: unexpected <op:+>');
    expect(() => parseMetricSelector('rate(x[5m])')).toThrow(ParseError);
  });
});
