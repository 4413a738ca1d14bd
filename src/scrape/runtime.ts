import type { ClusterStore } from '../clusters/cluster-store.js';
import { ConnectionError, resolveConnection, type ResolvedConnection } from '../clusters/connection.js';
import type { ScraperStore } from '../controlplane/scraper-store.js';
import { nopLogger, type Logger } from '../model/logger.js';
import type { Appendable } from '../storage/interface.js';
import { parsePrometheusConfig, type KubernetesSdConfig, type ScrapeConfig } from './config.js';
import { KubeDiscovery } from './discovery/kubernetes/kube-discovery.js';
import { UnsupportedRoleError } from './discovery/kubernetes/discoverer.js';
import type { LabelSet, TargetGroup } from './discovery/target-group.js';
import type { ScraperLogSink } from './log-sink.js';
import { SERVICE_ACCOUNT_TOKEN_FILE } from './managed-rules.js';
import { ScrapeJob, type TargetView } from './scrape-job.js';

/** ScraperRuntimeOptions are what runs scrapers needs: definitions, clusters, the workspaces' storage. */
export interface ScraperRuntimeOptions {
  readonly scrapers: ScraperStore;
  readonly clusters: ClusterStore;
  /** appendable opens a workspace's storage (the destination of a scraper). */
  readonly appendable: (workspaceId: string) => Promise<Appendable>;
  readonly logSink?: ScraperLogSink;
  readonly logger?: Logger;
  /** pollMs is how often definitions are re-read besides change notifications (default 2 s). */
  readonly pollMs?: number;
}

interface Running {
  readonly modifiedAt: number;
  readonly workspaceId: string;
  readonly jobs: ScrapeJob[];
  readonly discoveries: KubeDiscovery[];
}

/** usesServiceAccount tells whether a job authenticates with the scraper's own token (the managed collector's only credentials). */
function usesServiceAccount(sc: ScrapeConfig): boolean {
  return sc.authorization?.credentials_file === SERVICE_ACCOUNT_TOKEN_FILE || sc.bearer_token_file === SERVICE_ACCOUNT_TOKEN_FILE;
}

/**
 * ScraperRuntime runs every ACTIVE scraper: it discovers targets in the scraper's registered cluster (or from
 * static_configs), scrapes them and appends to the destination workspace; a changed definition restarts the
 * scraper, and a deleted or failed one stops (its series go stale). Failures go to the scraper's logs.
 */
export class ScraperRuntime {
  private readonly running = new Map<string, Running>();
  private timer: NodeJS.Timeout | undefined;
  private pending: Promise<void> = Promise.resolve();
  private readonly logger: Logger;

  constructor(private readonly opts: ScraperRuntimeOptions) {
    this.logger = opts.logger ?? nopLogger;
  }

  /** start reconciles now, on every definition change and every pollMs. */
  start(): void {
    this.opts.scrapers.onChange(() => this.schedule());
    this.timer = setInterval(() => this.schedule(), this.opts.pollMs ?? 2000);
    this.timer.unref();
    this.schedule();
  }

  /** whenIdle resolves once the scheduled reconciliations have run (tests). */
  async whenIdle(): Promise<void> {
    await this.pending;
  }

  /** targets lists the targets of the scrapers writing into a workspace (the targets API). */
  targets(workspaceId: string): TargetView[] {
    return [...this.running.values()].filter((r) => r.workspaceId === workspaceId).flatMap((r) => r.jobs.flatMap((j) => j.targets()));
  }

  /** stop ends every scraper. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.pending;
    await Promise.all([...this.running.keys()].map((id) => this.stopScraper(id)));
  }

  private schedule(): void {
    this.pending = this.pending.then(() => this.reconcile()).catch((err: unknown) => this.logger.error({ err }, 'scraper reconciliation failed'));
  }

  private async reconcile(): Promise<void> {
    const ids = new Set(this.opts.scrapers.ids());
    for (const id of [...this.running.keys()]) if (!ids.has(id)) await this.stopScraper(id);
    for (const id of ids) {
      let rec;
      try {
        rec = this.opts.scrapers.describe(id);
      } catch {
        continue;
      }
      const cur = this.running.get(id);
      if (rec.status !== 'ACTIVE' && rec.status !== 'UPDATING') {
        if (cur) await this.stopScraper(id);
        continue;
      }
      if (rec.status !== 'ACTIVE' || (cur && cur.modifiedAt === rec.lastModifiedAt)) continue;
      if (cur) await this.stopScraper(id);
      await this.startScraper(id, rec.configuration, rec.lastModifiedAt, rec.source, rec.destination);
    }
  }

  private log(id: string, component: 'SERVICE_DISCOVERY' | 'COLLECTOR', message: string): void {
    this.logger.debug({ scraperId: id, component }, message);
    this.opts.logSink?.log(id, component, message);
  }

  private async startScraper(id: string, configuration: string, modifiedAt: number, source: unknown, destination: unknown): Promise<void> {
    const workspaceArn = (destination as { ampConfiguration?: { workspaceArn?: string } }).ampConfiguration?.workspaceArn ?? '';
    const workspaceId = workspaceArn.slice(workspaceArn.indexOf('workspace/') + 'workspace/'.length);
    const clusterArn = (source as { eksConfiguration?: { clusterArn?: string } }).eksConfiguration?.clusterArn ?? '';
    const cluster = this.opts.clusters.byArn(clusterArn);
    let conn: ResolvedConnection | null = null;
    try {
      if (cluster?.connection) conn = resolveConnection(cluster.connection);
    } catch (err) {
      if (!(err instanceof ConnectionError)) throw err;
      this.opts.scrapers.setReason(id, err.message);
      this.log(id, 'SERVICE_DISCOVERY', err.message);
    }
    const cfg = parsePrometheusConfig(configuration);
    const appendable = await this.opts.appendable(workspaceId);
    const run: Running = { modifiedAt, workspaceId, jobs: [], discoveries: [] };
    (cfg.scrape_configs ?? []).forEach((sc, i) => {
      const token = conn && usesServiceAccount(sc) ? conn.token() : undefined;
      const job = new ScrapeJob(cfg, sc, { appendable, ...(token !== undefined ? { headers: { authorization: `Bearer ${token}` } } : {}), onError: (m) => this.log(id, 'COLLECTOR', m) });
      run.jobs.push(job);
      const staticGroups: TargetGroup[] = (sc.static_configs ?? []).map((st, j) => ({ source: `static/${i}/${j}`, labels: { ...(st.labels ?? {}) }, targets: st.targets.map((t): LabelSet => ({ __address__: t })) }));
      job.update(staticGroups);
      (sc.kubernetes_sd_configs ?? []).forEach((k, j) => {
        if (!conn) {
          this.log(id, 'SERVICE_DISCOVERY', `job ${sc.job_name}: cluster ${clusterArn} has no usable connection`);
          return;
        }
        try {
          const d = new KubeDiscovery({
            connection: conn,
            config: kubeConfig(k),
            onGroups: (gs) => job.update(gs.map((g) => ({ ...g, source: `k8s/${j}/${g.source}` }))),
            onError: (m) => this.log(id, 'SERVICE_DISCOVERY', `job ${sc.job_name}: ${m}`),
          });
          d.start();
          run.discoveries.push(d);
        } catch (err) {
          if (!(err instanceof UnsupportedRoleError)) throw err;
          this.opts.scrapers.setReason(id, err.message);
          this.log(id, 'SERVICE_DISCOVERY', err.message);
        }
      });
    });
    this.running.set(id, run);
    this.logger.info({ scraperId: id, workspaceId, jobs: run.jobs.length }, 'scraper started');
  }

  private async stopScraper(id: string): Promise<void> {
    const r = this.running.get(id);
    if (!r) return;
    this.running.delete(id);
    for (const d of r.discoveries) d.stop();
    await Promise.all(r.jobs.map((j) => j.stop()));
    this.logger.info({ scraperId: id }, 'scraper stopped');
  }
}

function kubeConfig(k: KubernetesSdConfig): ConstructorParameters<typeof KubeDiscovery>[0]['config'] {
  const names = [...(k.namespaces?.names ?? []), ...(k.namespaces?.own_namespace ? ['default'] : [])];
  const a = k.attach_metadata ?? {};
  return { role: k.role, namespaces: names, selectors: k.selectors ?? [], attach: { node: a.node ?? false, namespace: a.namespace ?? false, deployment: false, job: false, cronjob: false } };
}
