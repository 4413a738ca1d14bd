import { describe, expect, it } from 'vitest';
import { exploreParams, readExploreState } from './url-state';

describe('Explore URL state', () => {
  it('round-trips through the URL parameters', () => {
    const s = { query: 'rate(x[5m])', tab: 'table' as const, range: '6h', end: 1_700_000_000_000, step: '30s', stacked: true };
    const params = new URLSearchParams(Object.entries(exploreParams('ws-1', s)).filter((e): e is [string, string] => e[1] !== undefined));
    expect(params.get('ws')).toBe('ws-1');
    expect(readExploreState(params)).toEqual(s);
  });
  it('falls back to defaults for missing or invalid values and leaves defaults out of links', () => {
    const s = readExploreState(new URLSearchParams('range=soon&step=x&end=-4&tab=pie'));
    expect(s).toEqual({ query: '', tab: 'graph', range: '1h', end: null, step: '', stacked: false });
    expect(Object.values(exploreParams(undefined, s)).filter((v) => v !== undefined)).toEqual([]);
  });
});
