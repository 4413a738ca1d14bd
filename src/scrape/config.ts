import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { parseDuration } from '../promql/parser/duration.js';

/** ScrapeConfigError says why a Prometheus configuration was refused; `field` is the YAML path of the bad field. */
export class ScrapeConfigError extends Error {
  override name = 'ScrapeConfigError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(field === '' ? message : `${field}: ${message}`);
  }
}

const duration = z.string().refine(
  (s) => {
    try {
      parseDuration(s);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a valid duration' },
);
const labelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'not a valid label name');
const labelSet = z.record(labelName, z.string());

const tlsConfig = z
  .object({
    ca: z.string().optional(),
    ca_file: z.string().optional(),
    cert: z.string().optional(),
    cert_file: z.string().optional(),
    key: z.string().optional(),
    key_file: z.string().optional(),
    server_name: z.string().optional(),
    insecure_skip_verify: z.boolean().optional(),
    min_version: z.string().optional(),
    max_version: z.string().optional(),
  })
  .strict();

const authorization = z.object({ type: z.string().optional(), credentials: z.string().optional(), credentials_file: z.string().optional() }).strict();
const basicAuth = z.object({ username: z.string().optional(), username_file: z.string().optional(), password: z.string().optional(), password_file: z.string().optional() }).strict();

/** relabelConfigSchema is Prometheus's <relabel_config>; the defaults are applied by the relabeller. */
export const relabelConfigSchema = z
  .object({
    source_labels: z.array(z.string()).optional(),
    separator: z.string().optional(),
    regex: z.string().optional(),
    modulus: z.number().int().min(0).optional(),
    target_label: z.string().optional(),
    replacement: z.string().optional(),
    action: z.enum(['replace', 'keep', 'drop', 'keepequal', 'dropequal', 'hashmod', 'labelmap', 'labeldrop', 'labelkeep', 'lowercase', 'uppercase']).optional(),
  })
  .strict();

/** httpClientFields are Prometheus's <http_config> members a scrape job and a discovery config share. */
const httpClientFields = {
  authorization: authorization.optional(),
  basic_auth: basicAuth.optional(),
  bearer_token: z.string().optional(),
  bearer_token_file: z.string().optional(),
  tls_config: tlsConfig.optional(),
  follow_redirects: z.boolean().optional(),
  enable_http2: z.boolean().optional(),
};

const selector = z.object({ role: z.string(), label: z.string().optional(), field: z.string().optional() }).strict();

/** kubernetesSdConfigSchema is Prometheus's <kubernetes_sd_config>. */
export const kubernetesSdConfigSchema = z
  .object({
    role: z.enum(['node', 'pod', 'service', 'endpoints', 'endpointslice', 'ingress']),
    api_server: z.string().optional(),
    kubeconfig_file: z.string().optional(),
    namespaces: z.object({ own_namespace: z.boolean().optional(), names: z.array(z.string()).optional() }).strict().optional(),
    selectors: z.array(selector).optional(),
    attach_metadata: z.object({ node: z.boolean().optional(), namespace: z.boolean().optional() }).strict().optional(),
    ...httpClientFields,
  })
  .strict();

const staticConfig = z.object({ targets: z.array(z.string()), labels: labelSet.optional() }).strict();

/** scrapeConfigSchema is Prometheus's <scrape_config> (the fields Amphora's collectors implement; others are refused by name). */
export const scrapeConfigSchema = z
  .object({
    job_name: z.string().min(1),
    scrape_interval: duration.optional(),
    scrape_timeout: duration.optional(),
    metrics_path: z.string().optional(),
    scheme: z.enum(['http', 'https']).optional(),
    params: z.record(z.array(z.string())).optional(),
    honor_labels: z.boolean().optional(),
    honor_timestamps: z.boolean().optional(),
    sample_limit: z.number().int().min(0).optional(),
    label_limit: z.number().int().min(0).optional(),
    label_name_length_limit: z.number().int().min(0).optional(),
    label_value_length_limit: z.number().int().min(0).optional(),
    target_limit: z.number().int().min(0).optional(),
    body_size_limit: z.string().optional(),
    ...httpClientFields,
    static_configs: z.array(staticConfig).optional(),
    file_sd_configs: z.array(z.object({ files: z.array(z.string()), refresh_interval: duration.optional() }).strict()).optional(),
    http_sd_configs: z.array(z.object({ url: z.string(), refresh_interval: duration.optional(), authorization: authorization.optional(), basic_auth: basicAuth.optional(), tls_config: tlsConfig.optional() }).strict()).optional(),
    kubernetes_sd_configs: z.array(kubernetesSdConfigSchema).optional(),
    relabel_configs: z.array(relabelConfigSchema).optional(),
    metric_relabel_configs: z.array(relabelConfigSchema).optional(),
  })
  .strict();

/** prometheusConfigSchema is the part of prometheus.yml a collector reads: global and scrape_configs (remote_write for the agent). */
export const prometheusConfigSchema = z
  .object({
    global: z
      .object({
        scrape_interval: duration.optional(),
        scrape_timeout: duration.optional(),
        evaluation_interval: duration.optional(),
        external_labels: labelSet.optional(),
        body_size_limit: z.string().optional(),
        sample_limit: z.number().int().min(0).optional(),
        label_limit: z.number().int().min(0).optional(),
        label_name_length_limit: z.number().int().min(0).optional(),
        label_value_length_limit: z.number().int().min(0).optional(),
        target_limit: z.number().int().min(0).optional(),
      })
      .strict()
      .optional(),
    scrape_configs: z.array(scrapeConfigSchema).optional(),
    remote_write: z.array(z.record(z.unknown())).optional(),
  })
  .strict();

/** PrometheusConfig is a parsed, schema-checked prometheus.yml. */
export type PrometheusConfig = z.infer<typeof prometheusConfigSchema>;
/** ScrapeConfig is one parsed <scrape_config>. */
export type ScrapeConfig = z.infer<typeof scrapeConfigSchema>;
/** RelabelConfig is one parsed <relabel_config>. */
export type RelabelConfig = z.infer<typeof relabelConfigSchema>;
/** KubernetesSdConfig is one parsed <kubernetes_sd_config>. */
export type KubernetesSdConfig = z.infer<typeof kubernetesSdConfigSchema>;

function yamlPath(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** parsePrometheusConfig parses YAML text into a PrometheusConfig; throws ScrapeConfigError naming the first bad field (unknown fields included). */
export function parsePrometheusConfig(text: string): PrometheusConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text, { uniqueKeys: true, maxAliasCount: 100 });
  } catch (err) {
    throw new ScrapeConfigError('', `invalid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (raw === null || raw === undefined) raw = {};
  const r = prometheusConfigSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    if (issue.code === 'unrecognized_keys') throw new ScrapeConfigError(yamlPath([...issue.path, issue.keys[0]!]), 'field not found (unknown or not supported)');
    throw new ScrapeConfigError(yamlPath(issue.path), issue.message);
  }
  const cfg = r.data;
  const jobs = new Set<string>();
  (cfg.scrape_configs ?? []).forEach((sc, i) => {
    if (jobs.has(sc.job_name)) throw new ScrapeConfigError(`scrape_configs[${i}].job_name`, `found multiple scrape configs with job name "${sc.job_name}"`);
    jobs.add(sc.job_name);
    const interval = parseDuration(sc.scrape_interval ?? cfg.global?.scrape_interval ?? '1m');
    const timeout = parseDuration(sc.scrape_timeout ?? cfg.global?.scrape_timeout ?? '10s');
    if (sc.scrape_timeout !== undefined && timeout > interval) throw new ScrapeConfigError(`scrape_configs[${i}].scrape_timeout`, `scrape timeout greater than scrape interval for scrape config with job name "${sc.job_name}"`);
  });
  return cfg;
}
