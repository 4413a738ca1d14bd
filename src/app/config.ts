import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { TLS_ENV_KEYS, TlsSettingsSchema } from '../http/tls/settings.js';
import { KEK_ENV_KEYS, KekSettingsSchema } from '../metadb/secrets/settings.js';
import { HAConfigSchema } from '../ha/config.js';
import { OtlpConfigSchema } from '../otlp/options.js';
import { ClustersConfigSchema } from '../clusters/config.js';
import { ScrapersConfigSchema } from '../scrape/settings.js';
import { parseDuration } from '../promql/parser/duration.js';

/** ConfigSchema validates Amphora's settings (config file, AMPHORA_* environment, flags). */
export const ConfigSchema = z
  .object({
    dataDir: z.string().min(1).default('./data'),
    listen: z
      .string()
      .regex(/^[^:]+:\d{1,5}$/, 'listen must be HOST:PORT')
      .default('127.0.0.1:8080'),
    region: z.string().min(1).default('us-east-1'),
    accountId: z.string().regex(/^\d{12}$/, 'accountId must be 12 digits').default('000000000000'),
    publicBaseUrl: z.string().url().optional(),
    /** target is the role this process runs (module graph meta-target): all, write, read or backend. */
    target: z.enum(['all', 'write', 'read', 'backend']).default('all'),
    logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
    rootAccessKeyId: z.string().min(16).optional(),
    rootSecretAccessKey: z.string().min(16).optional(),
    storage: z
      .object({
        blockRangeMs: z.number().int().positive().default(2 * 3_600_000),
        defaultRetentionDays: z.number().int().min(1).max(1095).default(150),
        defaultOutOfOrderWindowMs: z.number().int().min(0).default(0),
        /** walCompression writes WAL records snappy-compressed, as Prometheus's default (AMPHORA_STORAGE_WAL_COMPRESSION=false turns it off). */
        walCompression: z.boolean().default(true),
      })
      .strict()
      .default({}),
    query: z
      .object({
        /** workers is the query worker pool size (default: available cores - 1, at least 2 so two queries run at once on small machines). */
        workers: z.coerce.number().int().min(1).max(256).default(() => Math.max(2, availableParallelism() - 1)),
        /** maxOldGenerationMb caps each query worker's heap; a query past it fails alone. */
        maxOldGenerationMb: z.coerce.number().int().min(64).default(1024),
        /** maxYoungGenerationMb caps each query worker's young generation. */
        maxYoungGenerationMb: z.coerce.number().int().min(4).default(64),
        /** maxResultBytes caps a query API response body. */
        maxResultBytes: z.coerce.number().int().min(1024).default(256 * 1024 * 1024),
        /** maxHeadSelectBytes caps the head data one select may copy to a worker. */
        maxHeadSelectBytes: z.coerce.number().int().min(1024).default(256 * 1024 * 1024),
        /** maxQueuedPerWorkspace bounds each workspace's queries waiting for a worker. */
        maxQueuedPerWorkspace: z.coerce.number().int().min(1).default(64),
        /** maxTimeout caps every query's `timeout` (ms, or a Prometheus duration such as "2m"; Prometheus's --query.timeout); a workspace's maxQueryTimeoutMs overrides it. */
        maxTimeout: z.union([z.number().int().min(1), z.string().transform((s, ctx) => durationMs(s, ctx))]).default(120_000),
        /** warmUpMs is how long a fresh (or replaced) worker compiles the engine on synthetic queries before its first job; 0 turns it off. */
        warmUpMs: z.coerce.number().int().min(0).max(10_000).default(250),
        /** maxFederatedWorkspaces caps the workspaces one cross-workspace query reads (at most 16: a worker keeps 16 workspaces' blocks open). */
        maxFederatedWorkspaces: z.coerce.number().int().min(1).max(16).default(10),
      })
      .strict()
      .default({}),
    /** tls makes the listener speak TLS only (src/http/tls/settings.ts); absent: plain HTTP. */
    tls: TlsSettingsSchema.optional(),
    /** metrics configures the self-monitoring endpoint. */
    metrics: z
      .object({
        /** requireAuth makes GET /metrics require SigV4 and aps:AdminGetMetrics; default: on when listening beyond loopback. */
        requireAuth: z.boolean().optional(),
      })
      .strict()
      .default({}),
    /** auth holds the key-encryption key of the secrets in meta.db (src/metadb/secrets/settings.ts) and the OIDC JWKS directory. */
    auth: KekSettingsSchema.extend({
      /** jwksDir is the only directory whose files an OIDC provider's amphora:jwks-file tag may name (unset: the tag is refused). */
      jwksDir: z.string().min(1).optional(),
    })
      .strict()
      .default({}),
    /** ha deduplicates Prometheus HA pairs (src/ha/config.ts). */
    ha: HAConfigSchema.default({}),
    /** otlp configures the OTLP metrics receiver (Prometheus 3's `otlp:` block: translation strategy, promoted resource attributes, ...). */
    otlp: OtlpConfigSchema.default({}),
    /** clusters is the EKS-compatible cluster registry's static clusters and named connections (src/clusters/config.ts). */
    clusters: ClustersConfigSchema.default({}),
    /** scrapers configures managed collectors: quota and configuration rules (src/scrape/settings.ts). */
    scrapers: ScrapersConfigSchema.default({}),
  })
  .strict();

/** isLoopbackListen tells whether a HOST:PORT listen address accepts connections from this machine only. */
export function isLoopbackListen(listen: string): boolean {
  const host = listen.slice(0, listen.lastIndexOf(':')).replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** durationMs reads a duration setting: a number of milliseconds or a Prometheus duration ("90s", "2m"). */
function durationMs(s: string, ctx: z.RefinementCtx): number {
  if (/^\d+$/.test(s) && Number(s) > 0) return Number(s);
  try {
    const ms = parseDuration(s);
    if (ms > 0) return ms;
  } catch {
    // reported below
  }
  ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${JSON.stringify(s)} is not a positive duration (milliseconds or e.g. "2m")` });
  return z.NEVER;
}

/** Config is the validated configuration. */
export type Config = z.infer<typeof ConfigSchema>;

/** Target is a role the process can run (see src/app/graph.ts). */
export type Target = Config['target'];

/** ConfigError reports an invalid setting with where it came from. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const ENV_KEYS: Record<string, keyof Config> = {
  AMPHORA_DATA_DIR: 'dataDir',
  AMPHORA_LISTEN: 'listen',
  AMPHORA_REGION: 'region',
  AMPHORA_ACCOUNT_ID: 'accountId',
  AMPHORA_PUBLIC_BASE_URL: 'publicBaseUrl',
  AMPHORA_LOG_LEVEL: 'logLevel',
  AMPHORA_TARGET: 'target',
  AMPHORA_ROOT_ACCESS_KEY_ID: 'rootAccessKeyId',
  AMPHORA_ROOT_SECRET_ACCESS_KEY: 'rootSecretAccessKey',
};

/** QUERY_ENV_KEYS maps AMPHORA_QUERY_* environment variables to the query section. */
const QUERY_ENV_KEYS: Record<string, keyof Config['query']> = {
  AMPHORA_QUERY_WORKERS: 'workers',
  AMPHORA_QUERY_MAX_OLD_GENERATION_MB: 'maxOldGenerationMb',
  AMPHORA_QUERY_MAX_YOUNG_GENERATION_MB: 'maxYoungGenerationMb',
  AMPHORA_QUERY_MAX_RESULT_BYTES: 'maxResultBytes',
  AMPHORA_QUERY_MAX_HEAD_SELECT_BYTES: 'maxHeadSelectBytes',
  AMPHORA_QUERY_MAX_QUEUED_PER_WORKSPACE: 'maxQueuedPerWorkspace',
  AMPHORA_QUERY_WARM_UP_MS: 'warmUpMs',
  AMPHORA_QUERY_MAX_TIMEOUT: 'maxTimeout',
};

/** SECTION_ENV_KEYS maps AMPHORA_* environment variables of the other sections to [section, key]. */
const SECTION_ENV_KEYS: Record<string, [keyof Config, string]> = {
  ...Object.fromEntries(Object.entries(QUERY_ENV_KEYS).map(([env, key]) => [env, ['query', key]])),
  ...Object.fromEntries(Object.entries(TLS_ENV_KEYS).map(([env, key]) => [env, ['tls', key]])),
  ...Object.fromEntries(Object.entries(KEK_ENV_KEYS).map(([env, key]) => [env, ['auth', key]])),
  AMPHORA_METRICS_REQUIRE_AUTH: ['metrics', 'requireAuth'],
  AMPHORA_AUTH_JWKS_DIR: ['auth', 'jwksDir'],
  AMPHORA_STORAGE_WAL_COMPRESSION: ['storage', 'walCompression'],
};

/** BOOLEAN_ENV_KEYS are the section variables read as booleans ('true'/'false'; anything else is left for the schema to refuse). */
const BOOLEAN_ENV_KEYS: ReadonlySet<string> = new Set(['AMPHORA_METRICS_REQUIRE_AUTH', 'AMPHORA_STORAGE_WAL_COMPRESSION']);

/** ConfigFlags are command-line settings: top-level keys, and sections given in part. */
export type ConfigFlags = { [K in keyof Config]?: NonNullable<Config[K]> extends Record<string, unknown> ? Partial<NonNullable<Config[K]>> : Config[K] };

/** loadConfig merges, lowest first: defaults, the YAML file, AMPHORA_* environment variables, command-line flags. */
export function loadConfig(opts: { file?: string; env?: NodeJS.ProcessEnv; flags?: ConfigFlags }): Config {
  let raw: Record<string, unknown> = {};
  if (opts.file) {
    let text: string;
    try {
      text = readFileSync(opts.file, 'utf8');
    } catch (err) {
      throw new ConfigError(`cannot read config file ${opts.file}: ${(err as Error).message}`);
    }
    let doc: unknown;
    try {
      doc = parseYaml(text) as unknown;
    } catch (err) {
      throw new ConfigError(`config file ${opts.file} is not valid YAML: ${(err as Error).message}`);
    }
    if (doc !== null && doc !== undefined) {
      if (typeof doc !== 'object' || Array.isArray(doc)) throw new ConfigError(`config file ${opts.file} must be a YAML mapping`);
      raw = { ...(doc as Record<string, unknown>) };
    }
  }
  for (const [envName, key] of Object.entries(ENV_KEYS)) {
    const v = opts.env?.[envName];
    if (v !== undefined && v !== '') raw[key] = v;
  }
  for (const [envName, [name, key]] of Object.entries(SECTION_ENV_KEYS)) {
    const v = opts.env?.[envName];
    if (v === undefined || v === '') continue;
    const value = BOOLEAN_ENV_KEYS.has(envName) && (v === 'true' || v === 'false') ? v === 'true' : v;
    raw[name] = { ...section(raw[name]), [key]: value };
  }
  for (const [k, v] of Object.entries(opts.flags ?? {})) {
    if (v === undefined) continue;
    const given = section(v);
    // A section given in part (e.g. --tls-cert-file) overrides only the keys it names.
    raw[k] = typeof v === 'object' && !Array.isArray(v) ? { ...section(raw[k]), ...Object.fromEntries(Object.entries(given).filter(([, x]) => x !== undefined)) } : v;
  }
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${issues}`);
  }
  return parsed.data;
}

function section(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
