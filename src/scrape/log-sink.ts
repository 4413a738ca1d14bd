import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ScraperComponent, ScraperLogging } from '../controlplane/scraper-store.js';

/** ScraperLogSink writes a scraper's SERVICE_DISCOVERY, COLLECTOR and EXPORTER logs as JSON lines under `<dataDir>/logs/scrapers/<scraperId>/`, only for the components its logging configuration names. */
export class ScraperLogSink {
  constructor(
    private readonly opts: { dataDir: string; loggingOf: (scraperId: string) => ScraperLogging | null; now?: () => number },
  ) {}

  /** fileOf is the JSON lines file of one component of a scraper. */
  fileOf(scraperId: string, component: ScraperComponent['type']): string {
    if (!/^[0-9A-Za-z][-.0-9A-Z_a-z]{0,63}$/.test(scraperId)) throw new Error(`invalid scraper id ${JSON.stringify(scraperId)}`);
    return join(this.opts.dataDir, 'logs', 'scrapers', scraperId, `${component.toLowerCase()}.jsonl`);
  }

  /** log appends an entry when the scraper logs that component; returns whether it wrote. */
  log(scraperId: string, component: ScraperComponent['type'], message: string): boolean {
    const cfg = this.opts.loggingOf(scraperId);
    if (!cfg || !cfg.components.some((c) => c.type === component)) return false;
    const file = this.fileOf(scraperId, component);
    mkdirSync(join(file, '..'), { recursive: true });
    appendFileSync(file, JSON.stringify({ timestamp: new Date((this.opts.now ?? Date.now)()).toISOString(), scraperId, component, logGroupArn: cfg.logGroupArn, message }) + '\n');
    return true;
  }
}
