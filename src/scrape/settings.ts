import { z } from 'zod';
import { parseDuration } from '../promql/parser/duration.js';
import type { ManagedRuleOptions } from './managed-rules.js';

/** ScrapersConfigSchema is the `scrapers:` section of Amphora's config: the scraper quota and how strictly configurations are checked. */
export const ScrapersConfigSchema = z
  .object({
    /** maxScrapers is the per-account quota (AMP: 10, adjustable). */
    maxScrapers: z.number().int().min(1).max(10_000).default(10),
    /** minScrapeInterval is the smallest scrape_interval a scraper may use (AMP: 30s). */
    minScrapeInterval: z
      .string()
      .refine((s) => {
        try {
          parseDuration(s);
          return true;
        } catch {
          return false;
        }
      }, 'must be a duration such as 30s')
      .default('30s'),
    /** relaxedValidation lifts the managed collector's section, target and credential rules (file_sd, DNS targets, inline credentials). */
    relaxedValidation: z.boolean().default(false),
  })
  .strict();

/** ScrapersConfig is the parsed `scrapers:` section. */
export type ScrapersConfig = z.infer<typeof ScrapersConfigSchema>;

/** managedRuleOptions turns the `scrapers:` section into the validator's options. */
export function managedRuleOptions(c: ScrapersConfig): ManagedRuleOptions {
  return { minScrapeIntervalMs: parseDuration(c.minScrapeInterval), relaxed: c.relaxedValidation };
}
