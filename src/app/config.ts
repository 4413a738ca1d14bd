import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

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
        /** warmUpMs is how long a fresh (or replaced) worker compiles the engine on synthetic queries before its first job; 0 turns it off. */
        warmUpMs: z.coerce.number().int().min(0).max(10_000).default(250),
      })
      .strict()
      .default({}),
  })
  .strict();

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
};

/** loadConfig merges, lowest first: defaults, the YAML file, AMPHORA_* environment variables, command-line flags. */
export function loadConfig(opts: { file?: string; env?: NodeJS.ProcessEnv; flags?: Partial<Config> }): Config {
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
  for (const [envName, key] of Object.entries(QUERY_ENV_KEYS)) {
    const v = opts.env?.[envName];
    if (v === undefined || v === '') continue;
    const section = typeof raw.query === 'object' && raw.query !== null ? (raw.query as Record<string, unknown>) : {};
    raw.query = { ...section, [key]: v };
  }
  for (const [k, v] of Object.entries(opts.flags ?? {})) if (v !== undefined) raw[k] = v;
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${issues}`);
  }
  return parsed.data;
}
