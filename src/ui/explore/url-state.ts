import { parseDuration } from '../lib/duration';

/** ExploreState is everything a shared Explore link carries. */
export interface ExploreState {
  readonly query: string;
  readonly tab: 'graph' | 'table';
  /** range is a Prometheus duration (`1h`). */
  readonly range: string;
  /** end is unix milliseconds, or null for now. */
  readonly end: number | null;
  /** step is a Prometheus duration, or '' for automatic. */
  readonly step: string;
  readonly stacked: boolean;
}

/** readExploreState reads the state from the route's parameters, with defaults for what is missing or invalid. */
export function readExploreState(p: URLSearchParams): ExploreState {
  const end = Number(p.get('end'));
  const range = p.get('range') ?? '';
  const step = p.get('step') ?? '';
  return {
    query: p.get('q') ?? '',
    tab: p.get('tab') === 'table' ? 'table' : 'graph',
    range: parseDuration(range) ? range : '1h',
    end: Number.isFinite(end) && end > 0 ? end : null,
    step: parseDuration(step) ? step : '',
    stacked: p.get('stacked') === '1',
  };
}

/** exploreParams writes the state as route parameters (defaults left out, so links stay short). */
export function exploreParams(ws: string | undefined, s: ExploreState): Record<string, string | undefined> {
  return {
    ws,
    q: s.query || undefined,
    tab: s.tab === 'graph' ? undefined : s.tab,
    range: s.range === '1h' ? undefined : s.range,
    end: s.end === null ? undefined : String(s.end),
    step: s.step || undefined,
    stacked: s.stacked ? '1' : undefined,
  };
}
