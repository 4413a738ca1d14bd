import { describe, expect, it } from 'vitest';
import { encodeParams, escapeRfc3986 } from './escape';

describe('query encoding for SigV4', () => {
  it('escapes as the canonical query does (space as %20, !\'()* escaped)', () => {
    expect(escapeRfc3986("a b!'()*~-_.")).toBe('a%20b%21%27%28%29%2A~-_.');
  });
  it('repeats array keys in order and leaves out undefined values', () => {
    expect(encodeParams({ 'match[]': ['up', 'x{a="1"}'], start: undefined, q: 'sum(rate(x[5m]))' })).toBe('match%5B%5D=up&match%5B%5D=x%7Ba%3D%221%22%7D&q=sum%28rate%28x%5B5m%5D%29%29');
  });
});
