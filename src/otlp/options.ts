import { z } from 'zod';
import { TRANSLATION_STRATEGIES, type TranslationStrategy } from './naming.js';

/** OtlpConfigSchema validates the `otlp:` section of Amphora's configuration (Prometheus 3's `otlp:` block, camelCase). */
export const OtlpConfigSchema = z
  .object({
    /** translationStrategy picks how metric and label names are translated (Prometheus 3's otlp.translation_strategy). */
    translationStrategy: z.enum(TRANSLATION_STRATEGIES as [TranslationStrategy, ...TranslationStrategy[]]).default('UnderscoreEscapingWithSuffixes'),
    /** promoteResourceAttributes become labels of every series of the resource. */
    promoteResourceAttributes: z.array(z.string().trim().min(1)).default([]),
    /** promoteAllResourceAttributes promotes every resource attribute except ignoreResourceAttributes. */
    promoteAllResourceAttributes: z.boolean().default(false),
    /** ignoreResourceAttributes are not promoted when promoteAllResourceAttributes is set. */
    ignoreResourceAttributes: z.array(z.string().trim().min(1)).default([]),
    /** keepIdentifyingResourceAttributes keeps service.name, service.namespace and service.instance.id on target_info. */
    keepIdentifyingResourceAttributes: z.boolean().default(false),
    /** promoteScopeMetadata adds otel_scope_name, otel_scope_version, otel_scope_schema_url and otel_scope_<attr> labels. */
    promoteScopeMetadata: z.boolean().default(false),
    /** labelNameUnderscoreSanitization prefixes "key" to label names starting with one underscore. */
    labelNameUnderscoreSanitization: z.boolean().default(true),
    /** labelNamePreserveMultipleUnderscores keeps runs of underscores in label names. */
    labelNamePreserveMultipleUnderscores: z.boolean().default(true),
    /** maxDecompressedBytes refuses bodies larger than this once gunzipped (413). */
    maxDecompressedBytes: z.number().int().min(1024).default(64 * 1024 * 1024),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.promoteAllResourceAttributes && c.promoteResourceAttributes.length > 0) {
      ctx.addIssue({ code: 'custom', message: "'promoteAllResourceAttributes' and 'promoteResourceAttributes' cannot be configured simultaneously" });
    }
    if (!c.promoteAllResourceAttributes && c.ignoreResourceAttributes.length > 0) {
      ctx.addIssue({ code: 'custom', message: "'ignoreResourceAttributes' cannot be configured unless 'promoteAllResourceAttributes' is true" });
    }
    for (const [k, list] of [['promoteResourceAttributes', c.promoteResourceAttributes], ['ignoreResourceAttributes', c.ignoreResourceAttributes]] as const) {
      const dup = list.find((a, i) => list.indexOf(a) !== i);
      if (dup !== undefined) ctx.addIssue({ code: 'custom', message: `duplicated OTel resource attribute ${JSON.stringify(dup)} in '${k}'` });
    }
  });

/** OtlpOptions are the validated OTLP settings. */
export type OtlpOptions = z.infer<typeof OtlpConfigSchema>;

/** defaultOtlpOptions returns Prometheus 3's defaults. */
export function defaultOtlpOptions(): OtlpOptions {
  return OtlpConfigSchema.parse({});
}
