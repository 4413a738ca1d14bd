import { describe, expect, it } from 'vitest';
import { evaluateOperator } from './conditions.js';
import { parseOperator } from './operators.js';
import type { ConditionValue } from './types.js';

type Row = [operator: string, values: string[], ctxValue: ConditionValue, want: boolean];

const K = 'k:key';
const run = (op: string, values: string[], v: ConditionValue, vars: Record<string, string> = {}): boolean =>
  evaluateOperator(op, K, values, (key) => (key.toLowerCase() === K ? v : undefined), (n) => vars[n.toLowerCase()]);

describe('condition operators', () => {
  const rows: Row[] = [
    // strings
    ['StringEquals', ['a', 'b'], 'b', true],
    ['StringEquals', ['a'], 'A', false],
    ['StringEquals', ['a'], undefined, false],
    ['StringEquals', ['a'], ['x', 'a'], true],
    ['StringNotEquals', ['a', 'b'], 'c', true],
    ['StringNotEquals', ['a', 'b'], 'a', false],
    ['StringNotEquals', ['a'], undefined, true],
    ['StringEqualsIgnoreCase', ['AbC'], 'aBc', true],
    ['StringNotEqualsIgnoreCase', ['AbC'], 'aBc', false],
    ['StringLike', ['system:serviceaccount:prom*:*'], 'system:serviceaccount:prometheus:iamproxy', true],
    ['StringLike', ['a?c'], 'abbc', false],
    ['StringNotLike', ['a*'], 'abc', false],
    ['StringNotLike', ['a*'], 'xbc', true],
    ['StringNotLike', ['a*'], undefined, true],
    ['StringEquals', ['true'], true, true],
    ['StringEquals', ['5'], 5, true],
    // IfExists
    ['StringEqualsIfExists', ['a'], undefined, true],
    ['StringEqualsIfExists', ['a'], 'b', false],
    ['NumericLessThanIfExists', ['10'], undefined, true],
    // numbers
    ['NumericEquals', ['10'], 10, true],
    ['NumericEquals', ['10'], '10.0', true],
    ['NumericNotEquals', ['10'], 11, true],
    ['NumericLessThan', ['10'], 9, true],
    ['NumericLessThan', ['10'], 10, false],
    ['NumericLessThanEquals', ['10'], 10, true],
    ['NumericGreaterThan', ['10'], '11', true],
    ['NumericGreaterThanEquals', ['10'], 9, false],
    ['NumericEquals', ['10'], 'ten', false],
    ['NumericLessThan', ['10'], undefined, false],
    // dates (policy: ISO or epoch seconds; context: ISO or epoch ms)
    ['DateLessThan', ['2026-01-01T00:00:00Z'], '2025-12-31T23:59:59Z', true],
    ['DateLessThan', ['2026-01-01T00:00:00Z'], '2026-01-01T00:00:00Z', false],
    ['DateLessThanEquals', ['2026-01-01T00:00:00Z'], '2026-01-01T00:00:00Z', true],
    ['DateGreaterThan', ['2026-01-01'], Date.parse('2026-06-01T00:00:00Z'), true],
    ['DateGreaterThanEquals', ['1767225600'], '2026-01-01T00:00:00Z', true],
    ['DateEquals', ['1767225600'], Date.parse('2026-01-01T00:00:00Z'), true],
    ['DateNotEquals', ['1767225600'], Date.parse('2026-01-01T00:00:01Z'), true],
    ['DateLessThan', ['garbage'], '2026-01-01T00:00:00Z', false],
    // bool
    ['Bool', ['true'], true, true],
    ['Bool', ['true'], 'True', true],
    ['Bool', ['false'], true, false],
    ['Bool', ['false'], undefined, false],
    ['BoolIfExists', ['false'], undefined, true],
    // binary
    ['BinaryEquals', ['QmluYXJ5'], 'QmluYXJ5', true],
    // ip
    ['IpAddress', ['10.0.0.0/8', '192.168.0.0/16'], '192.168.3.4', true],
    ['IpAddress', ['10.0.0.0/8'], '172.16.0.1', false],
    ['IpAddress', ['2001:db8::/32'], '2001:db8::1', true],
    ['IpAddress', ['10.0.0.0/8'], 'not-an-ip', false],
    ['NotIpAddress', ['10.0.0.0/8'], '172.16.0.1', true],
    ['NotIpAddress', ['10.0.0.0/8'], '10.0.0.1', false],
    ['NotIpAddress', ['10.0.0.0/8'], undefined, true],
    // arn
    ['ArnLike', ['arn:aws:iam::123456789012:role/*'], 'arn:aws:iam::123456789012:role/r1', true],
    ['ArnEquals', ['arn:aws:iam::123456789012:role/*'], 'arn:aws:iam::123456789012:role/r1', true],
    ['ArnLike', ['arn:aws:iam::123456789012:role/*'], 'arn:aws:iam::999999999999:role/r1', false],
    ['ArnNotLike', ['arn:aws:iam::123456789012:role/*'], 'arn:aws:iam::999999999999:role/r1', true],
    ['ArnNotEquals', ['arn:aws:iam::123456789012:role/r1'], 'arn:aws:iam::123456789012:role/r1', false],
    ['ArnLike', ['arn:aws:iam::*:role/*'], 'not an arn', false],
    // null
    ['Null', ['true'], undefined, true],
    ['Null', ['true'], 'x', false],
    ['Null', ['false'], 'x', true],
    ['Null', ['false'], undefined, false],
    ['Null', ['true'], [], true],
    // sets
    ['ForAnyValue:StringEquals', ['a', 'b'], ['x', 'b'], true],
    ['ForAnyValue:StringEquals', ['a', 'b'], ['x', 'y'], false],
    ['ForAnyValue:StringEquals', ['a'], undefined, false],
    ['ForAnyValue:StringEquals', ['a'], 'a', true],
    ['ForAllValues:StringEquals', ['a', 'b'], ['a', 'b'], true],
    ['ForAllValues:StringEquals', ['a', 'b'], ['a', 'c'], false],
    ['ForAllValues:StringEquals', ['a'], undefined, true],
    ['ForAllValues:StringEquals', ['a'], [], true],
    ['ForAllValues:StringLike', ['env', 'team*'], ['env', 'team-a'], true],
    ['ForAnyValue:StringNotEquals', ['a'], ['a', 'b'], true],
    ['ForAnyValue:StringNotEquals', ['a'], ['a'], false],
    ['ForAllValues:StringNotEquals', ['a'], ['b', 'c'], true],
    ['ForAllValues:StringNotEquals', ['a'], ['b', 'a'], false],
    ['ForAllValues:StringEqualsIgnoreCase', ['A'], 'a', true],
    ['ForAnyValue:StringEqualsIfExists', ['a'], undefined, true],
    // single-valued operator on a multi-valued key: any matches; negated: none matches
    ['StringNotEquals', ['a'], ['a', 'b'], false],
  ];
  for (const [op, values, v, want] of rows) {
    it(`${op} ${JSON.stringify(values)} vs ${JSON.stringify(v)} = ${want}`, () => expect(run(op, values, v)).toBe(want));
  }

  it('substitutes policy variables in condition values', () => {
    const vars = { 'aws:username': 'bob' };
    expect(run('StringEquals', ['${aws:username}'], 'bob', vars)).toBe(true);
    expect(run('StringEquals', ['${aws:username}'], 'eve', vars)).toBe(false);
    expect(run('StringLike', ['team/${aws:username}/*'], 'team/bob/x', vars)).toBe(true);
    expect(run('StringEquals', ['${aws:missing}'], '', vars)).toBe(false);
    expect(run('StringNotEquals', ['${aws:missing}'], 'x', vars)).toBe(true);
  });

  it('parses operator names', () => {
    expect(parseOperator('ForAllValues:StringLikeIfExists')).toEqual({ set: 'ForAllValues', base: 'StringLike', ifExists: true });
    expect(parseOperator('stringequals')).toEqual({ set: 'single', base: 'StringEquals', ifExists: false });
    expect(parseOperator('StringMatches')).toBeNull();
    expect(parseOperator('ForSomeValues:StringEquals')).toBeNull();
    expect(parseOperator('NullIfExists')).toBeNull();
  });
});
