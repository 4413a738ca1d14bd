import { describe, expect, it } from 'vitest';
import { newMatcher, type MatchType } from '../../model/matcher.js';
import { intersect, merge, without } from './postings.js';
import { labelValuesForMatchers, postingsForMatchers, type PostingsIndex } from './matchers.js';

describe('postings set operations', () => {
  it('intersects', () => {
    expect(intersect([[1, 2, 3, 9, 10], [2, 3, 10, 11], [0, 3, 10]])).toEqual([3, 10]);
    expect(intersect([[1, 2], []])).toEqual([]);
    expect(intersect([])).toEqual([]);
    const big = Array.from({ length: 10000 }, (_, i) => i * 3);
    expect(intersect([big, [3, 4, 29997, 30000]])).toEqual([3, 29997]);
  });
  it('merges', () => {
    expect(merge([[1, 4], [2, 4, 5], [0]])).toEqual([0, 1, 2, 4, 5]);
    expect(merge([[1, 3], [2, 3]])).toEqual([1, 2, 3]);
    expect(merge([[], []])).toEqual([]);
  });
  it('subtracts', () => {
    expect(without([1, 2, 3, 4, 5], [2, 4, 6])).toEqual([1, 3, 5]);
    expect(without([1, 2], [])).toEqual([1, 2]);
    expect(without([], [1])).toEqual([]);
  });
});

/** A tiny in-memory index: series i has the labels in SERIES[i]. */
const SERIES: Record<string, string>[] = [
  { __name__: 'up', job: 'a', instance: 'x' },
  { __name__: 'up', job: 'b' },
  { __name__: 'req', job: 'a', code: '200' },
  { __name__: 'req', job: 'a', code: '500' },
];
const ix: PostingsIndex = {
  postings(name, value) {
    if (name === '' && value === '') return SERIES.map((_, i) => i);
    return SERIES.flatMap((s, i) => (s[name] === value ? [i] : []));
  },
  labelValues(name) {
    return [...new Set(SERIES.flatMap((s) => (s[name] !== undefined ? [s[name]!] : [])))].sort();
  },
};

describe('postingsForMatchers', () => {
  const f = (ms: [MatchType, string, string][], expected: number[]) =>
    expect(postingsForMatchers(ix, ms.map(([t, n, v]) => newMatcher(t, n, v)))).toEqual(expected);
  it('follows Prometheus semantics', () => {
    f([['=', '__name__', 'up']], [0, 1]);
    f([['=', 'job', 'a'], ['!=', '__name__', 'up']], [2, 3]);
    f([['=', 'instance', '']], [1, 2, 3]);
    f([['!=', 'instance', '']], [0]);
    f([['=~', 'code', '2..|']], [0, 1, 2]);
    f([['=~', 'code', '5.*']], [3]);
    f([['=~', 'code', '0']], []);
    f([['!~', 'job', 'a|b']], []);
    f([['=~', 'job', '.*']], [0, 1, 2, 3]);
    f([['=~', 'job', 'a'], ['!~', 'code', '2.*']], [0, 3]);
    f([['=~', 'job', '.+'], ['=', 'nope', 'x']], []);
  });
  it('anchors regexes', () => {
    f([['=~', 'job', 'a|']], [0, 2, 3]);
    f([['=~', '__name__', 'u']], []);
  });
  it('lists label values under matchers', () => {
    expect(labelValuesForMatchers(ix, 'code', [newMatcher('=', 'job', 'a')])).toEqual(['200', '500']);
    expect(labelValuesForMatchers(ix, 'job', [newMatcher('=', '__name__', 'up')])).toEqual(['a', 'b']);
    expect(labelValuesForMatchers(ix, 'job', [])).toEqual(['a', 'b']);
  });
});
