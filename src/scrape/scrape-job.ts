import { labelsFromRecord, labelsKey } from '../model/labels.js';
import { parseDuration } from '../promql/parser/duration.js';
import type { Appendable } from '../storage/interface.js';
import type { PrometheusConfig, ScrapeConfig } from './config.js';
import type { TargetGroup } from './discovery/target-group.js';
import { compileRelabel } from './relabel.js';
import { ScrapeLoop, type ScrapeHealth } from './scrape-loop.js';
import { populateLabels, type JobDefaults } from './target-labels.js';

/** TargetView is one target as the targets API reports it. */
export type TargetView =
  | { readonly state: 'active'; readonly discovered: Record<string, string>; readonly labels: Record<string, string>; readonly scrapeUrl: string; readonly scrapePool: string; readonly health: ScrapeHealth; readonly intervalMs: number; readonly timeoutMs: number }
  | { readonly state: 'dropped'; readonly discovered: Record<string, string> };

/** ScrapeJobOptions give a job its storage, auth headers and error sink. */
export interface ScrapeJobOptions {
  readonly appendable: Appendable;
  /** headers are sent with every scrape (from authorization, resolved by the caller). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly onError?: (message: string) => void;
}

function parseSize(s: string | undefined): number {
  if (s === undefined) return 0;
  const m = /^(\d+)(B|KB|MB|GB|KiB|MiB|GiB)?$/.exec(s);
  if (!m) return 0;
  const mult: Record<string, number> = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9, KiB: 1024, MiB: 1 << 20, GiB: 1 << 30 };
  return Number(m[1]) * (mult[m[2] ?? 'B'] ?? 1);
}

/** jobDefaults resolves a scrape_config's target defaults (intervals from global, path, scheme, params, compiled relabel_configs). */
export function jobDefaults(cfg: PrometheusConfig, sc: ScrapeConfig): JobDefaults {
  return {
    jobName: sc.job_name,
    scrapeIntervalMs: parseDuration(sc.scrape_interval ?? cfg.global?.scrape_interval ?? '1m'),
    scrapeTimeoutMs: parseDuration(sc.scrape_timeout ?? cfg.global?.scrape_timeout ?? '10s'),
    metricsPath: sc.metrics_path ?? '/metrics',
    scheme: sc.scheme ?? 'http',
    params: sc.params ?? {},
    relabel: (sc.relabel_configs ?? []).map(compileRelabel),
  };
}

/** ScrapeJob is one scrape_config at run time: its target groups by source and a ScrapeLoop per active target. */
export class ScrapeJob {
  private readonly groups = new Map<string, TargetGroup>();
  private readonly loops = new Map<string, { loop: ScrapeLoop; discovered: Record<string, string> }>();
  private readonly dropped = new Map<string, Record<string, string>[]>();
  private readonly defaults: JobDefaults;
  private readonly sc: ScrapeConfig;

  constructor(
    cfg: PrometheusConfig,
    sc: ScrapeConfig,
    private readonly opts: ScrapeJobOptions,
  ) {
    this.sc = sc;
    this.defaults = jobDefaults(cfg, sc);
  }

  /** name is the job name (the targets API's scrapePool). */
  get name(): string {
    return this.sc.job_name;
  }

  /** update replaces target groups (an empty group retracts its source) and starts and stops scrape loops to match. */
  update(groups: readonly TargetGroup[]): void {
    for (const g of groups) {
      if (g.targets.length === 0) this.groups.delete(g.source);
      else this.groups.set(g.source, g);
    }
    this.reconcile();
  }

  /** targets lists active and dropped targets for the targets API. */
  targets(): TargetView[] {
    const out: TargetView[] = [];
    for (const { loop, discovered } of this.loops.values()) {
      out.push({ state: 'active', discovered, labels: Object.fromEntries(Object.entries(loop.target.labels).filter(([k]) => !k.startsWith('__'))), scrapeUrl: loop.url, scrapePool: this.name, health: loop.health(), intervalMs: loop.target.intervalMs, timeoutMs: loop.target.timeoutMs });
    }
    for (const ds of this.dropped.values()) for (const d of ds) out.push({ state: 'dropped', discovered: d });
    return out;
  }

  /** stop ends every loop (their series go stale). */
  async stop(): Promise<void> {
    const loops = [...this.loops.values()];
    this.loops.clear();
    await Promise.all(loops.map((l) => l.loop.stop()));
  }

  private reconcile(): void {
    const want = new Map<string, { labels: Record<string, string>; discovered: Record<string, string> }>();
    this.dropped.clear();
    for (const [source, g] of this.groups) {
      const dropped: Record<string, string>[] = [];
      for (const t of g.targets) {
        const r = populateLabels({ ...g.labels, ...t }, this.defaults);
        if (r.kind === 'active') want.set(labelsKey(labelsFromRecord(r.labels)), { labels: r.labels, discovered: r.discovered });
        else if (r.kind === 'dropped') dropped.push(r.discovered);
        else this.opts.onError?.(`job ${this.name}: target ${JSON.stringify(t['__address__'] ?? '')} is invalid: ${r.error}`);
      }
      if (dropped.length > 0) this.dropped.set(source, dropped);
    }
    for (const [k, l] of this.loops) {
      if (!want.has(k)) {
        this.loops.delete(k);
        void l.loop.stop();
      }
    }
    for (const [k, t] of want) {
      if (this.loops.has(k)) continue;
      const interval = parseDuration(t.labels['__scrape_interval__'] ?? '1m');
      const loop = new ScrapeLoop(
        {
          labels: t.labels,
          intervalMs: interval,
          timeoutMs: parseDuration(t.labels['__scrape_timeout__'] ?? '10s'),
          honorLabels: this.sc.honor_labels ?? false,
          honorTimestamps: this.sc.honor_timestamps ?? true,
          metricRelabel: (this.sc.metric_relabel_configs ?? []).map(compileRelabel),
          sampleLimit: this.sc.sample_limit ?? 0,
          labelLimit: this.sc.label_limit ?? 0,
          bodySizeLimit: parseSize(this.sc.body_size_limit),
          ...(this.opts.headers ? { headers: this.opts.headers } : {}),
        },
        { appendable: this.opts.appendable, ...(this.opts.onError ? { onError: (tg, e) => this.opts.onError!(`scrape of ${scrapeTarget(tg.labels)} failed: ${e}`) } : {}) },
      );
      this.loops.set(k, { loop, discovered: t.discovered });
      loop.start();
    }
  }
}

function scrapeTarget(labels: Readonly<Record<string, string>>): string {
  return labels['__address__'] ?? '';
}
