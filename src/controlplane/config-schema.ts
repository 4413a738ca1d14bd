import { z } from 'zod';
import type { LabelSetLimit, WorkspaceLimits } from './limits.js';
import { retentionSchema } from './input.js';

/** AmphoraLimitOverrides are the per-workspace limits beyond AMP's API that a workspace may override. */
export type AmphoraLimitOverrides = Partial<Omit<WorkspaceLimits, 'retentionPeriodInDays' | 'limitsPerLabelSet'>>;

const positiveInt = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

/** amphoraLimitsSchema validates the `amphoraLimits` extension of UpdateWorkspaceConfiguration (unknown limits rejected). */
export const amphoraLimitsSchema = z
  .object({
    ingestionRate: positiveInt.optional(),
    ingestionBurstSize: positiveInt.optional(),
    maxActiveSeries: positiveInt.optional(),
    maxLabelNamesPerSeries: positiveInt.optional(),
    maxLabelNameLength: positiveInt.optional(),
    maxLabelValueLength: positiveInt.optional(),
    maxSeriesPerRequest: positiveInt.optional(),
    maxSamplesPerRequest: positiveInt.optional(),
    maxQuerySamples: positiveInt.optional(),
    maxQueryTimeRangeMs: positiveInt.optional(),
    maxQueryTimeoutMs: positiveInt.optional(),
    outOfOrderWindowMs: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  })
  .strict();

const labelSetSchema = z.record(z.string().min(1).regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'must be a Prometheus label name'), z.string().min(1));

/** limitsPerLabelSetSchema is AMP's LimitsPerLabelSetList (label sets must be distinct). */
export const limitsPerLabelSetSchema = z
  .array(
    z
      .object({
        limits: z.object({ maxSeries: z.number().int().min(0).optional() }).strict(),
        labelSet: labelSetSchema,
      })
      .strict(),
  )
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((e, i) => {
      const key = JSON.stringify(Object.entries(e.labelSet).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      if (seen.has(key)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [i, 'labelSet'], message: 'duplicate label set' });
      seen.add(key);
    });
  });

/** MAX_OOO_WINDOW_SECONDS bounds outOfOrderTimeWindowInSeconds so its milliseconds stay a safe integer. */
const MAX_OOO_WINDOW_SECONDS = Math.floor(Number.MAX_SAFE_INTEGER / 1000);

/**
 * updateWorkspaceConfigurationSchema is the body of PATCH /workspaces/{id}/configuration. AMP's
 * `outOfOrderTimeWindowInSeconds` is folded into the one stored fact, `amphoraLimits.outOfOrderWindowMs`;
 * giving both with different values is a validation error.
 */
export const updateWorkspaceConfigurationSchema = z
  .object({
    clientToken: z.string().min(1).max(64).optional(),
    retentionPeriodInDays: retentionSchema.optional(),
    limitsPerLabelSet: limitsPerLabelSetSchema.optional(),
    outOfOrderTimeWindowInSeconds: z.number().int().min(0).max(MAX_OOO_WINDOW_SECONDS).optional(),
    amphoraLimits: amphoraLimitsSchema.optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    const ms = b.amphoraLimits?.outOfOrderWindowMs;
    if (b.outOfOrderTimeWindowInSeconds !== undefined && ms !== undefined && ms !== b.outOfOrderTimeWindowInSeconds * 1000) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['outOfOrderTimeWindowInSeconds'], message: `disagrees with amphoraLimits.outOfOrderWindowMs (${ms}); give one of them` });
    }
  })
  .transform(({ outOfOrderTimeWindowInSeconds: s, ...rest }): ConfigurationPatch & { clientToken?: string } =>
    s === undefined ? rest : { ...rest, amphoraLimits: { ...rest.amphoraLimits, outOfOrderWindowMs: s * 1000 } },
  );

/** outOfOrderWindowSeconds is AMP's `outOfOrderTimeWindowInSeconds` for a window held in milliseconds. */
export function outOfOrderWindowSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

/** ConfigurationPatch is a validated configuration update (absent fields keep their values). */
export interface ConfigurationPatch {
  readonly retentionPeriodInDays?: number;
  readonly limitsPerLabelSet?: readonly { limits: { maxSeries?: number }; labelSet: Record<string, string> }[];
  readonly amphoraLimits?: AmphoraLimitOverrides;
}

/** toLabelSetLimits converts AMP's wire list into the limits contract (an entry without maxSeries sets no cap). */
export function toLabelSetLimits(list: ConfigurationPatch['limitsPerLabelSet']): LabelSetLimit[] {
  return (list ?? []).filter((e) => e.limits.maxSeries !== undefined).map((e) => ({ labelSet: { ...e.labelSet }, maxSeries: e.limits.maxSeries! }));
}
