import { describe, expect, it } from 'vitest';
import { MAX_TIME, MIN_TIME, parseDuration, parseMatchersParam, parseTime } from './params.js';

describe('parseTime', () => {
  it.each([
    ['1700000000', 1700000000000],
    ['1700000000.123', 1700000000123],
    ['1700000000.1234', 1700000000123],
    ['1700000000.1236', 1700000000124],
    ['-1.5', -1500],
    ['1e3', 1000000],
    ['.5', 500],
    ['2015-07-01T20:10:51.781Z', 1435781451781],
    ['2015-07-01T20:10:51Z', 1435781451000],
    ['2015-07-01T22:10:51.7819Z', 1435788651781],
    ['2015-07-01T22:10:51+02:00', 1435781451000],
    ['2015-07-01T18:10:51-02:00', 1435781451000],
    ['0050-01-01T00:00:00Z', -60589296000000],
    ['-292273086-05-16T16:47:06Z', MIN_TIME],
    ['292277025-08-18T07:12:54.999999999Z', MAX_TIME],
  ])('%s', (s, ms) => expect(parseTime(s)).toBe(ms));

  it.each(['', 'abc', '2015-13-01T00:00:00Z', '2015-02-30T00:00:00Z', '2015-07-01 20:10:51Z', '0x10', 'NaN'])('rejects %j', (s) => {
    expect(() => parseTime(s)).toThrow(`cannot parse ${JSON.stringify(s)} to a valid timestamp`);
  });
});

describe('parseDuration', () => {
  it.each([
    ['15', 15000],
    ['0.5', 500],
    ['1.5e1', 15000],
    ['0.0001', 0.1],
    ['5m', 300000],
    ['1h30m', 5400000],
    ['250ms', 250],
    ['0', 0],
  ])('%s', (s, ms) => expect(parseDuration(s)).toBe(ms));

  it('rejects garbage', () => expect(() => parseDuration('5x')).toThrow('cannot parse "5x" to a valid duration'));
  it('rejects overflow', () => expect(() => parseDuration('1e20')).toThrow('cannot parse "1e20" to a valid duration. It overflows int64'));
});

describe('parseMatchersParam', () => {
  it('parses sets', () => {
    const sets = parseMatchersParam(['up', '{job="a",x=~"b.*"}']);
    expect(sets.map((s) => s.map((m) => `${m.name}${m.type}${m.value}`))).toEqual([['__name__=up'], ['job=a', 'x=~b.*']]);
  });
  it('needs a non-empty matcher', () => {
    expect(() => parseMatchersParam(['{job=~".*"}'])).toThrow('match[] must contain at least one non-empty matcher');
  });
  it('reports parse errors', () => expect(() => parseMatchersParam(['{'])).toThrow(/parse error/));
});
