import { createHash } from 'node:crypto';
import { labelsFromRecord, labelsKey, type Labels } from '../model/labels.js';
import { STALE_NAN } from '../model/sample.js';
import type { Appendable, Appender } from '../storage/interface.js';
import { relabel, type CompiledRelabel } from './relabel.js';
import { sampleLabels } from './sample-labels.js';
import { publicLabels } from './target-labels.js';
import { ExpositionError, parsePromText } from './textparse.js';

/** ScrapeTarget is one active target: its final labels (with __address__, __scheme__, __metrics_path__, __param_*) and job settings. */
export interface ScrapeTarget {
  readonly labels: Readonly<Record<string, string>>;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly honorLabels: boolean;
  readonly honorTimestamps: boolean;
  readonly metricRelabel: readonly CompiledRelabel[];
  /** sampleLimit fails a scrape with more samples after metric relabelling (0 = none). */
  readonly sampleLimit: number;
  /** labelLimit fails a scrape with a sample of more labels (0 = none). */
  readonly labelLimit: number;
  /** bodySizeLimit fails a scrape whose uncompressed body is larger (bytes; 0 = none). */
  readonly bodySizeLimit: number;
  /** headers are sent with every scrape (Authorization from authorization/basic_auth/bearer_token). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** ScrapeHealth is a target's state for the targets API. */
export interface ScrapeHealth {
  readonly health: 'up' | 'down' | 'unknown';
  readonly lastError: string;
  /** lastScrape is the last scrape's start (ms), 0 before the first. */
  readonly lastScrape: number;
  readonly lastScrapeDurationMs: number;
}

/** ScrapeLoopOptions inject the storage, clock and HTTP client. */
export interface ScrapeLoopOptions {
  readonly appendable: Appendable;
  readonly now?: () => number;
  readonly fetch?: typeof fetch;
  /** onError is told each failed scrape (the scraper's COLLECTOR log). */
  readonly onError?: (target: ScrapeTarget, error: string) => void;
}

/** SCRAPE_ACCEPT is the Accept header of a scrape: the text format 0.0.4 (OpenMetrics is not negotiated yet). */
export const SCRAPE_ACCEPT = 'text/plain;version=0.0.4;q=1.0,*/*;q=0.1';

/** scrapeUrl is a target's URL from its labels: <scheme>://<address><metrics_path>?<__param_*>. */
export function scrapeUrl(labels: Readonly<Record<string, string>>): string {
  const u = new URL(`${labels['__scheme__'] ?? 'http'}://${labels['__address__'] ?? ''}${labels['__metrics_path__'] ?? '/metrics'}`);
  for (const [k, v] of Object.entries(labels)) if (k.startsWith('__param_')) u.searchParams.set(k.slice('__param_'.length), v);
  return u.toString();
}

class ScrapeFailure extends Error {}

/**
 * ScrapeLoop scrapes one target every interval (offset within the interval by a hash of the target, as
 * Prometheus spreads targets), appends its samples with the report series (up, scrape_duration_seconds,
 * scrape_samples_scraped, scrape_samples_post_metric_relabeling, scrape_series_added) and writes staleness
 * markers for series that disappear, for every series when a scrape fails, and when the loop stops.
 */
export class ScrapeLoop {
  private prev = new Map<string, Labels>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private stopped = false;
  private state: ScrapeHealth = { health: 'unknown', lastError: '', lastScrape: 0, lastScrapeDurationMs: 0 };
  private readonly now: () => number;
  private readonly fetch: typeof fetch;
  private readonly publicTargetLabels: Record<string, string>;
  readonly url: string;

  constructor(
    readonly target: ScrapeTarget,
    private readonly opts: ScrapeLoopOptions,
  ) {
    this.now = opts.now ?? Date.now;
    this.fetch = opts.fetch ?? fetch;
    this.publicTargetLabels = publicLabels(target.labels);
    this.url = scrapeUrl(target.labels);
  }

  /** health returns the target's state for the targets API. */
  health(): ScrapeHealth {
    return this.state;
  }

  /** start schedules scrapes at this target's offset within each interval. */
  start(): void {
    const interval = this.target.intervalMs;
    const offset = Number(createHash('sha256').update(labelsKey(labelsFromRecord(this.target.labels))).digest().readBigUInt64BE(0) % BigInt(interval));
    const tick = (): void => {
      if (this.stopped) return;
      this.running = this.scrapeOnce().then(() => undefined, () => undefined);
      const t = this.now();
      let wait = interval - ((t - offset) % interval);
      if (wait <= 0) wait += interval;
      this.timer = setTimeout(tick, wait);
    };
    const t = this.now();
    this.timer = setTimeout(tick, interval - ((t - offset) % interval));
  }

  /** stop ends the loop and marks every series of the last scrape, and the report series, stale. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    const app = this.opts.appendable.appender();
    const t = this.now();
    for (const [, l] of this.prev) safeAppend(app, l, t, STALE_NAN);
    for (const name of REPORT_NAMES) safeAppend(app, this.reportLabels(name), t, STALE_NAN);
    this.prev.clear();
    await app.commit();
  }

  /** scrapeOnce runs one scrape now and appends its result; resolves when committed. */
  async scrapeOnce(): Promise<ScrapeHealth> {
    const start = this.now();
    const app = this.opts.appendable.appender();
    let error = '';
    let scraped = 0;
    let kept = 0;
    let added = 0;
    const seen = new Map<string, Labels>();
    try {
      const body = await this.fetchBody();
      const samples = parsePromText(body);
      scraped = samples.length;
      const out: { labels: Labels; key: string; t: number; v: number }[] = [];
      for (const s of samples) {
        const merged = sampleLabels(s.name, s.labels, this.publicTargetLabels, this.target.honorLabels);
        const final = this.target.metricRelabel.length > 0 ? relabel(merged, this.target.metricRelabel) : merged;
        if (final === null) continue;
        const labels = labelsFromRecord(final);
        if (this.target.labelLimit > 0 && labels.length > this.target.labelLimit) throw new ScrapeFailure(`label_limit exceeded (metric: ${s.name}, number of labels: ${labels.length}, limit: ${this.target.labelLimit})`);
        const key = labelsKey(labels);
        out.push({ labels, key, t: this.target.honorTimestamps && s.timestampMs !== undefined ? s.timestampMs : start, v: s.value });
      }
      kept = out.length;
      if (this.target.sampleLimit > 0 && kept > this.target.sampleLimit) throw new ScrapeFailure(`sample limit exceeded: ${kept} samples, limit ${this.target.sampleLimit}`);
      for (const s of out) {
        if (seen.has(s.key)) continue; // a duplicate series in one exposition keeps its first sample, as Prometheus
        seen.set(s.key, s.labels);
        if (!this.prev.has(s.key)) added++;
        safeAppend(app, s.labels, s.t, s.v);
      }
      for (const [k, l] of this.prev) if (!seen.has(k)) safeAppend(app, l, start, STALE_NAN);
    } catch (err) {
      error = err instanceof ScrapeFailure || err instanceof ExpositionError ? err.message : describeFetchError(err, this.target.timeoutMs);
      scraped = error.startsWith('sample limit') || error.startsWith('label_limit') ? scraped : 0;
      kept = 0;
      added = 0;
      seen.clear();
      for (const [, l] of this.prev) safeAppend(app, l, start, STALE_NAN);
    }
    const durationMs = this.now() - start;
    const report: [string, number][] = [
      ['up', error === '' ? 1 : 0],
      ['scrape_duration_seconds', durationMs / 1000],
      ['scrape_samples_scraped', scraped],
      ['scrape_samples_post_metric_relabeling', kept],
      ['scrape_series_added', added],
    ];
    for (const [name, v] of report) safeAppend(app, this.reportLabels(name), start, v);
    await app.commit();
    this.prev = seen;
    this.state = { health: error === '' ? 'up' : 'down', lastError: error, lastScrape: start, lastScrapeDurationMs: durationMs };
    if (error !== '') this.opts.onError?.(this.target, error);
    return this.state;
  }

  private reportLabels(name: string): Labels {
    return labelsFromRecord({ ...this.publicTargetLabels, __name__: name });
  }

  private async fetchBody(): Promise<string> {
    const res = await this.fetch(this.url, {
      headers: { accept: SCRAPE_ACCEPT, 'accept-encoding': 'gzip', 'user-agent': 'Amphora-collector', 'x-prometheus-scrape-timeout-seconds': String(this.target.timeoutMs / 1000), ...(this.target.headers ?? {}) },
      signal: AbortSignal.timeout(this.target.timeoutMs),
      redirect: 'follow',
    });
    if (res.status !== 200) {
      await res.body?.cancel();
      throw new ScrapeFailure(`server returned HTTP status ${res.status} ${res.statusText}`);
    }
    const limit = this.target.bodySizeLimit;
    if (!res.body) return '';
    const reader = res.body.getReader();
    const chunks: Uint8Array[] = [];
    let n = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      n += value.length;
      if (limit > 0 && n > limit) {
        await reader.cancel();
        throw new ScrapeFailure(`body size limit exceeded (limit: ${limit} bytes)`);
      }
      chunks.push(value);
    }
    return Buffer.concat(chunks).toString('utf8');
  }
}

/** REPORT_NAMES are the synthetic series every scrape writes. */
export const REPORT_NAMES = ['up', 'scrape_duration_seconds', 'scrape_samples_scraped', 'scrape_samples_post_metric_relabeling', 'scrape_series_added'] as const;

function safeAppend(app: Appender, labels: Labels, t: number, v: number): void {
  try {
    app.append(0, labels, t, v);
  } catch {
    // out-of-order, duplicate or out-of-bounds samples are skipped, as Prometheus counts and skips them
  }
}

function describeFetchError(err: unknown, timeoutMs: number): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `Get: context deadline exceeded (scrape timeout ${timeoutMs / 1000}s)`;
  return e.cause?.message ?? e.cause?.code ?? e.message;
}
