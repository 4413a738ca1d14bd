import type { Metric } from '../lib/prom';

/** seriesName renders a label set as Prometheus does: `name{a="1", b="2"}` (`{}` when empty). */
export function seriesName(metric: Metric): string {
  const { __name__: name = '', ...rest } = metric;
  const labels = Object.entries(rest)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return labels.length || !name ? `${name}{${labels.join(', ')}}` : name;
}
