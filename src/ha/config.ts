import { z } from 'zod';
import { parseDuration } from '../promql/parser/duration.js';

/** DurationSchema accepts a duration as milliseconds (number) or a Prometheus duration string ('30s', '1m30s'). */
const DurationSchema = z.union([
  z.number().int().min(0),
  z.string().transform((s, ctx) => {
    try {
      return parseDuration(s);
    } catch (err) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: (err as Error).message });
      return z.NEVER;
    }
  }),
]);

/** LabelNameSchema is a Prometheus label name. */
const LabelNameSchema = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'must be a Prometheus label name');

/** HAWorkspaceOverrideSchema is one workspace's override of the HA settings. */
const HAWorkspaceOverrideSchema = z
  .object({
    enabled: z.boolean().optional(),
    clusterLabel: LabelNameSchema.optional(),
    replicaLabel: LabelNameSchema.optional(),
    maxClusters: z.number().int().min(0).optional(),
  })
  .strict();

/**
 * HAConfigSchema is the `ha:` section: deduplication of Prometheus HA pairs (on by default, as
 * AMP does it with the `cluster` and `__replica__` labels), with per-workspace overrides.
 */
export const HAConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    clusterLabel: LabelNameSchema.default('cluster'),
    replicaLabel: LabelNameSchema.default('__replica__'),
    /** failoverTimeout: another replica is elected once the elected one has sent nothing for this long. */
    failoverTimeout: DurationSchema.default(30_000),
    /** updateTimeout: how often the elected replica's last-seen time is written to the metadata database. */
    updateTimeout: DurationSchema.default(15_000),
    /** maxClusters is the "HA tracker clusters" quota (L-110BFC6B) per workspace; 0 = unlimited. */
    maxClusters: z.number().int().min(0).default(500),
    /** workspaces overrides the settings for single workspaces, keyed by workspace id. */
    workspaces: z.record(z.string(), HAWorkspaceOverrideSchema).default({}),
  })
  .strict()
  .refine((c) => c.failoverTimeout > c.updateTimeout, { message: 'failoverTimeout must be greater than updateTimeout', path: ['failoverTimeout'] })
  .refine((c) => c.clusterLabel !== c.replicaLabel, { message: 'clusterLabel and replicaLabel must differ', path: ['replicaLabel'] });

/** HAConfig is the validated `ha:` section. */
export type HAConfig = z.infer<typeof HAConfigSchema>;

/** HAWorkspaceSettings are the effective HA settings of one workspace. */
export interface HAWorkspaceSettings {
  readonly enabled: boolean;
  readonly clusterLabel: string;
  readonly replicaLabel: string;
  readonly maxClusters: number;
}

/** defaultHAConfig returns the defaults (Mimir's timeouts, AMP's label names). */
export function defaultHAConfig(): HAConfig {
  return HAConfigSchema.parse({});
}

/** haSettingsFor merges a workspace's override over the server-wide settings. */
export function haSettingsFor(cfg: HAConfig, workspaceId: string): HAWorkspaceSettings {
  const o = cfg.workspaces[workspaceId];
  return {
    enabled: o?.enabled ?? cfg.enabled,
    clusterLabel: o?.clusterLabel ?? cfg.clusterLabel,
    replicaLabel: o?.replicaLabel ?? cfg.replicaLabel,
    maxClusters: o?.maxClusters ?? cfg.maxClusters,
  };
}
