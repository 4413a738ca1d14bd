import { formatDuration, parseDuration } from '../promql/parser/duration.js';
import { relabel, type CompiledRelabel } from './relabel.js';

/** JobDefaults are the scrape settings a target's labels default to (Prometheus's PopulateLabels). */
export interface JobDefaults {
  readonly jobName: string;
  readonly scrapeIntervalMs: number;
  readonly scrapeTimeoutMs: number;
  readonly metricsPath: string;
  readonly scheme: string;
  readonly params: Readonly<Record<string, readonly string[]>>;
  readonly relabel: readonly CompiledRelabel[];
}

/** PopulatedTarget is a discovered target after relabelling: its labels (null when dropped), the pre-relabel labels, or an error. */
export type PopulatedTarget =
  | { readonly kind: 'active'; readonly labels: Record<string, string>; readonly discovered: Record<string, string> }
  | { readonly kind: 'dropped'; readonly discovered: Record<string, string> }
  | { readonly kind: 'invalid'; readonly discovered: Record<string, string>; readonly error: string };

/** splitHostPort splits host:port as Go's net.SplitHostPort; null when the text is not host:port. */
export function splitHostPort(s: string): { host: string; port: string } | null {
  if (s.startsWith('[')) {
    const m = /^\[([^\]]*)\]:([^:]*)$/.exec(s);
    return m ? { host: m[1]!, port: m[2]! } : null;
  }
  const i = s.lastIndexOf(':');
  if (i < 0 || s.indexOf(':') !== i) return null;
  return { host: s.slice(0, i), port: s.slice(i + 1) };
}

/**
 * populateLabels builds a target's labels from its discovered labels as Prometheus 2.42 does: job, interval,
 * timeout, metrics path, scheme and params defaults; relabel_configs; a default port by scheme; meta labels
 * removed; instance defaulted to the address.
 */
export function populateLabels(discoveredIn: Readonly<Record<string, string>>, job: JobDefaults): PopulatedTarget {
  const pre: Record<string, string> = { ...discoveredIn };
  const defaults: [string, string][] = [
    ['job', job.jobName],
    ['__scrape_interval__', formatDuration(job.scrapeIntervalMs)],
    ['__scrape_timeout__', formatDuration(job.scrapeTimeoutMs)],
    ['__metrics_path__', job.metricsPath],
    ['__scheme__', job.scheme],
  ];
  for (const [k, v] of defaults) if ((pre[k] ?? '') === '') pre[k] = v;
  for (const [k, v] of Object.entries(job.params)) if (v.length > 0) pre[`__param_${k}`] = v[0]!;
  for (const k of Object.keys(pre)) if (pre[k] === '') delete pre[k];
  const lset = relabel(pre, job.relabel);
  if (lset === null) return { kind: 'dropped', discovered: pre };
  const invalid = (error: string): PopulatedTarget => ({ kind: 'invalid', discovered: pre, error });
  let addr = lset['__address__'] ?? '';
  if (addr === '') return invalid('no address');
  if (splitHostPort(addr) === null && splitHostPort(`${addr}:1234`) !== null) {
    const scheme = lset['__scheme__'] ?? '';
    if (scheme === 'http' || scheme === '') addr += ':80';
    else if (scheme === 'https') addr += ':443';
    else return invalid(`invalid scheme: ${JSON.stringify(job.scheme)}`);
    lset['__address__'] = addr;
  }
  if (addr.includes('/')) return invalid(`${JSON.stringify(addr)} is not a valid hostname`);
  const dur = (name: string): number | string => {
    try {
      return parseDuration(lset[name] ?? '');
    } catch (err) {
      return (err as Error).message;
    }
  };
  const interval = dur('__scrape_interval__');
  if (typeof interval === 'string') return invalid(`error parsing scrape interval: ${interval}`);
  if (interval === 0) return invalid('scrape interval cannot be 0');
  const timeout = dur('__scrape_timeout__');
  if (typeof timeout === 'string') return invalid(`error parsing scrape timeout: ${timeout}`);
  if (timeout === 0) return invalid('scrape timeout cannot be 0');
  if (timeout > interval) return invalid(`scrape timeout cannot be greater than scrape interval (${JSON.stringify(lset['__scrape_timeout__'])} > ${JSON.stringify(lset['__scrape_interval__'])})`);
  for (const k of Object.keys(lset)) if (k.startsWith('__meta_')) delete lset[k];
  if ((lset['instance'] ?? '') === '') lset['instance'] = addr;
  return { kind: 'active', labels: lset, discovered: pre };
}

/** publicLabels are a target's labels without the internal `__` ones (what the targets API shows as labels and scrapes attach). */
export function publicLabels(labels: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).filter(([k]) => !k.startsWith('__')));
}

