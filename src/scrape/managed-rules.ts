import { isIP } from 'node:net';
import { parseDuration } from '../promql/parser/duration.js';
import { ScrapeConfigError, type PrometheusConfig } from './config.js';

/** SERVICE_ACCOUNT_TOKEN_FILE is the one credentials file the managed collector accepts (the scraper's own service-account token). */
export const SERVICE_ACCOUNT_TOKEN_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** ManagedRuleOptions relax the managed collector's documented rules (Amphora config `scrapers.relaxedValidation`). */
export interface ManagedRuleOptions {
  /** minScrapeIntervalMs is the smallest scrape interval accepted (AMP: 30 s). */
  readonly minScrapeIntervalMs: number;
  /** relaxed lifts the section, target and credential rules (interval minimum still applies as configured). */
  readonly relaxed: boolean;
}

/** defaultManagedRuleOptions are AMP's documented rules. */
export function defaultManagedRuleOptions(): ManagedRuleOptions {
  return { minScrapeIntervalMs: 30_000, relaxed: false };
}

const MANAGED_JOB_FIELDS = new Set([
  'job_name', 'scrape_interval', 'scrape_timeout', 'metrics_path', 'scheme', 'params', 'honor_labels', 'honor_timestamps', 'sample_limit', 'label_limit',
  'label_name_length_limit', 'label_value_length_limit', 'target_limit', 'body_size_limit', 'authorization', 'bearer_token_file', 'tls_config',
  'follow_redirects', 'enable_http2', 'static_configs', 'kubernetes_sd_configs', 'relabel_configs', 'metric_relabel_configs',
]);

/** validateManagedScrapeConfig enforces the managed collector's rules on a parsed configuration; throws ScrapeConfigError naming the field. */
export function validateManagedScrapeConfig(cfg: PrometheusConfig, opts: ManagedRuleOptions = defaultManagedRuleOptions()): void {
  if (cfg.remote_write !== undefined && !opts.relaxed) throw new ScrapeConfigError('remote_write', 'not allowed in a scraper configuration (the destination is the scraper\'s workspace)');
  const globalInterval = cfg.global?.scrape_interval;
  if (globalInterval !== undefined && parseDuration(globalInterval) < opts.minScrapeIntervalMs) {
    throw new ScrapeConfigError('global.scrape_interval', `must be at least ${opts.minScrapeIntervalMs / 1000}s`);
  }
  (cfg.scrape_configs ?? []).forEach((sc, i) => {
    const at = `scrape_configs[${i}]`;
    const interval = parseDuration(sc.scrape_interval ?? globalInterval ?? '1m');
    if (interval < opts.minScrapeIntervalMs) throw new ScrapeConfigError(`${at}.scrape_interval`, `must be at least ${opts.minScrapeIntervalMs / 1000}s`);
    if (opts.relaxed) return;
    for (const k of Object.keys(sc)) if (!MANAGED_JOB_FIELDS.has(k)) throw new ScrapeConfigError(`${at}.${k}`, 'not supported by the managed collector');
    if (sc.authorization !== undefined) {
      if ((sc.authorization.type ?? 'Bearer') !== 'Bearer') throw new ScrapeConfigError(`${at}.authorization.type`, 'must be Bearer');
      if (sc.authorization.credentials !== undefined) throw new ScrapeConfigError(`${at}.authorization.credentials`, `inline credentials are not allowed; use credentials_file: ${SERVICE_ACCOUNT_TOKEN_FILE}`);
      if (sc.authorization.credentials_file !== SERVICE_ACCOUNT_TOKEN_FILE) throw new ScrapeConfigError(`${at}.authorization.credentials_file`, `must be ${SERVICE_ACCOUNT_TOKEN_FILE}`);
    }
    if (sc.bearer_token_file !== undefined && sc.bearer_token_file !== SERVICE_ACCOUNT_TOKEN_FILE) throw new ScrapeConfigError(`${at}.bearer_token_file`, `must be ${SERVICE_ACCOUNT_TOKEN_FILE}`);
    (sc.static_configs ?? []).forEach((st, j) => {
      st.targets.forEach((t, k) => {
        const host = hostOf(t);
        if (host !== 'kubernetes.default.svc' && isIP(host) === 0) throw new ScrapeConfigError(`${at}.static_configs[${j}].targets[${k}]`, 'must be an IP address (the only DNS name resolved is kubernetes.default.svc)');
      });
    });
    (sc.kubernetes_sd_configs ?? []).forEach((k, j) => {
      if (k.api_server !== undefined || k.kubeconfig_file !== undefined) throw new ScrapeConfigError(`${at}.kubernetes_sd_configs[${j}].${k.api_server !== undefined ? 'api_server' : 'kubeconfig_file'}`, 'the managed collector discovers in the scraper\'s source cluster; remove it');
    });
  });
}

/** hostOf returns the host of a host:port target ([v6]:port included). */
function hostOf(target: string): string {
  const m = /^\[([^\]]+)\](?::\d+)?$/.exec(target);
  if (m) return m[1]!;
  const i = target.lastIndexOf(':');
  return i > 0 && target.indexOf(':') === i ? target.slice(0, i) : target;
}
