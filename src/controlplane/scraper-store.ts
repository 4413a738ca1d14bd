import { createHash, randomUUID } from 'node:crypto';
import { migrate, type MetaDB } from '../metadb/metadb.js';
import { ARNS, type AccountScope } from '../auth/arn.js';
import { AmpError, conflict, notFound } from './errors.js';
import { pageByCreation } from './pagination.js';
import { SCRAPERS_MODULE, scraperMigrations } from './scraper-schema.js';
import type { Tags, TagStore } from './tag-store.js';

/** SCRAPER_TYPE is the resourceType AMP errors name for scrapers. */
export const SCRAPER_TYPE = 'AWS::APS::Scraper';

/** ScraperSource is AMP's Source union as stored. */
export type ScraperSource = { eksConfiguration: { clusterArn: string; subnetIds: string[]; securityGroupIds?: string[] } } | { vpcConfiguration: { subnetIds: string[]; securityGroupIds: string[] } };
/** ScraperDestination is AMP's Destination union as stored. */
export type ScraperDestination = { ampConfiguration: { workspaceArn: string } } | { cloudWatchConfiguration: { datasetArn: string } };
/** RoleConfiguration is AMP's cross-account role pair. */
export interface RoleConfiguration {
  readonly sourceRoleArn?: string;
  readonly targetRoleArn?: string;
}
/** ScraperComponent is one logged component (SERVICE_DISCOVERY, COLLECTOR, EXPORTER) with its options. */
export interface ScraperComponent {
  readonly type: 'SERVICE_DISCOVERY' | 'COLLECTOR' | 'EXPORTER';
  readonly config?: { readonly options?: Readonly<Record<string, string>> };
}

/** ScraperLogging is a scraper's logging configuration as stored (times in ms). */
export interface ScraperLogging {
  readonly logGroupArn: string;
  readonly components: readonly ScraperComponent[];
  readonly status: string;
  readonly statusUntil: number;
  readonly modifiedAt: number;
}

/** ScraperRecord is a scraper as DescribeScraper reports it (times in ms; configuration is the decoded YAML). */
export interface ScraperRecord {
  readonly scraperId: string;
  readonly alias?: string;
  readonly arn: string;
  readonly roleArn: string;
  readonly status: string;
  readonly statusReason?: string;
  readonly createdAt: number;
  readonly lastModifiedAt: number;
  readonly tags: Tags;
  readonly configuration: string;
  readonly source: ScraperSource;
  readonly destination: ScraperDestination;
  readonly roleConfiguration?: RoleConfiguration;
  readonly exporters?: readonly unknown[];
}

/** CreateScraperInput is a validated CreateScraper request (configuration decoded and already checked). */
export interface CreateScraperInput {
  readonly alias?: string;
  readonly configuration: string;
  readonly source: ScraperSource;
  readonly destination: ScraperDestination;
  readonly roleConfiguration?: RoleConfiguration;
  readonly exporters?: readonly unknown[];
  readonly clientToken?: string;
  readonly tags?: Tags;
}

/** UpdateScraperInput is a validated UpdateScraper request; absent fields keep their values. */
export type UpdateScraperInput = Partial<Pick<CreateScraperInput, 'alias' | 'configuration' | 'destination' | 'roleConfiguration' | 'exporters'>>;

/** ScraperFilters are ListScrapers' filters: values of one key are ORed, keys are ANDed. */
export type ScraperFilters = Readonly<Partial<Record<'status' | 'sourceArn' | 'destinationArn' | 'alias', readonly string[]>>>;

/** SourceProbe checks a scraper's source once it is created or updated: null when it can be scraped, else the reason (statusReason). */
export type SourceProbe = (source: ScraperSource) => Promise<string | null>;

/** ScraperStoreOptions configure the scraper store. */
export interface ScraperStoreOptions {
  readonly scope: AccountScope;
  readonly now: () => number;
  /** transitionDelayMs is the least time CREATING/UPDATING/DELETING last (0 = as soon as the probe answered). */
  readonly transitionDelayMs: number;
  /** maxScrapers is the per-account quota (AMP: 10). */
  readonly maxScrapers: number;
  /** probe checks the source (cluster reachable and authorised); absent: every source is accepted. */
  readonly probe?: SourceProbe;
}

interface ScraperRow {
  id: string;
  alias: string | null;
  arn: string;
  role_arn: string;
  status: string;
  status_reason: string | null;
  status_until: number;
  /** outcome is the probe's answer: null while it runs, '' for success, else the failure reason. */
  outcome: string | null;
  created_at: number;
  modified_at: number;
  configuration: string;
  source: string;
  destination: string;
  role_configuration: string | null;
  exporters: string | null;
  client_token: string | null;
  request_hash: string | null;
  logging: string | null;
}

const FAILED: Readonly<Record<string, string>> = { CREATING: 'CREATION_FAILED', UPDATING: 'UPDATE_FAILED' };

/** sourceArnOf is the ARN ListScrapers' sourceArn filter compares (the cluster ARN of an EKS source). */
export function sourceArnOf(s: ScraperSource): string | undefined {
  return 'eksConfiguration' in s ? s.eksConfiguration.clusterArn : undefined;
}

/** destinationArnOf is the ARN ListScrapers' destinationArn filter compares. */
export function destinationArnOf(d: ScraperDestination): string {
  return 'ampConfiguration' in d ? d.ampConfiguration.workspaceArn : d.cloudWatchConfiguration.datasetArn;
}

/**
 * ScraperStore owns scrapers in SQLite (cached in memory, written through) and their lifecycle: CREATING or
 * UPDATING until the transition delay has passed and the source probe has answered, then ACTIVE or
 * CREATION_FAILED/UPDATE_FAILED with statusReason; DELETING until the delay has passed, then gone.
 */
export class ScraperStore {
  private readonly rows = new Map<string, ScraperRow>();
  private readonly probes = new Set<Promise<void>>();
  private readonly listeners: ((scraperId: string) => void)[] = [];

  constructor(
    private readonly db: MetaDB,
    private readonly tags: TagStore,
    private readonly opts: ScraperStoreOptions,
  ) {
    migrate(db, SCRAPERS_MODULE, scraperMigrations);
    for (const r of db.prepare('SELECT * FROM cp_scrapers').all() as ScraperRow[]) {
      this.rows.set(r.id, r);
      if (r.outcome === null && r.status in FAILED) this.startProbe(r.id); // a restart re-runs an unanswered probe
    }
  }

  /** onChange registers a listener told the id of every scraper whose definition or status changed (the collector runtime). */
  onChange(listener: (scraperId: string) => void): void {
    this.listeners.push(listener);
  }

  /** create adds a scraper in CREATING; a repeated clientToken with the same input returns the first result. */
  create(input: CreateScraperInput): ScraperRecord {
    const hash = createHash('sha256')
      .update(JSON.stringify([input.alias ?? null, input.configuration, input.source, input.destination, input.roleConfiguration ?? null, input.exporters ?? null, Object.entries(input.tags ?? {}).sort()]))
      .digest('hex');
    const rec = this.db.transaction(() => {
      if (input.clientToken !== undefined) {
        const prior = [...this.rows.values()].find((r) => r.client_token === input.clientToken);
        if (prior) {
          if (prior.request_hash !== hash) throw conflict(SCRAPER_TYPE, prior.id, 'The clientToken was already used with different parameters');
          return { row: prior, fresh: false };
        }
      }
      if (this.rows.size >= this.opts.maxScrapers) {
        throw new AmpError({
          kind: 'ServiceQuotaExceededException',
          message: `Scrapers per account limit of ${this.opts.maxScrapers} exceeded; delete a scraper or raise the limit (scrapers.maxScrapers)`,
          resourceId: this.opts.scope.accountId,
          resourceType: SCRAPER_TYPE,
          serviceCode: 'aps',
          quotaCode: 'scrapers-per-account',
        });
      }
      const now = this.opts.now();
      const id = `s-${randomUUID()}`;
      const row: ScraperRow = {
        id,
        alias: input.alias ?? null,
        arn: ARNS.scraper(this.opts.scope, id),
        role_arn: `arn:aws:iam::${this.opts.scope.accountId}:role/aws-service-role/scraper.aps.amazonaws.com/AWSServiceRoleForAmazonPrometheusScraper_${id.slice(2, 17).replace(/-/g, '')}`,
        status: 'CREATING',
        status_reason: null,
        status_until: now + this.opts.transitionDelayMs,
        outcome: null,
        created_at: now,
        modified_at: now,
        configuration: input.configuration,
        source: JSON.stringify(input.source),
        destination: JSON.stringify(input.destination),
        role_configuration: input.roleConfiguration ? JSON.stringify(input.roleConfiguration) : null,
        exporters: input.exporters ? JSON.stringify(input.exporters) : null,
        client_token: input.clientToken ?? null,
        request_hash: hash,
        logging: null,
      };
      this.db
        .prepare(
          `INSERT INTO cp_scrapers (id, alias, arn, role_arn, status, status_reason, status_until, outcome, created_at, modified_at, configuration, source, destination, role_configuration, exporters, client_token, request_hash, logging)
           VALUES (@id, @alias, @arn, @role_arn, @status, @status_reason, @status_until, @outcome, @created_at, @modified_at, @configuration, @source, @destination, @role_configuration, @exporters, @client_token, @request_hash, @logging)`,
        )
        .run(row);
      if (input.tags && Object.keys(input.tags).length > 0) this.tags.tag(row.arn, input.tags);
      this.rows.set(id, row);
      return { row, fresh: true };
    })();
    if (rec.fresh) {
      this.startProbe(rec.row.id);
      this.changed(rec.row.id);
    }
    return this.record(rec.row);
  }

  /** describe returns a scraper or throws ResourceNotFoundException. */
  describe(scraperId: string): ScraperRecord {
    return this.record(this.row(scraperId));
  }

  /** exists reports whether a scraper exists (in any status but finished deletion). */
  exists(scraperId: string): boolean {
    const r = this.rows.get(scraperId);
    return r !== undefined && this.settle(r) !== null;
  }

  /** list returns scrapers by creation time, filtered, paginated with an opaque nextToken. */
  list(filters: ScraperFilters, maxResults = 100, nextToken?: string): { scrapers: ScraperRecord[]; nextToken?: string } {
    const match = (rec: ScraperRecord): boolean =>
      (filters.status === undefined || filters.status.includes(rec.status)) &&
      (filters.alias === undefined || (rec.alias !== undefined && filters.alias.includes(rec.alias))) &&
      (filters.sourceArn === undefined || filters.sourceArn.includes(sourceArnOf(rec.source) ?? '')) &&
      (filters.destinationArn === undefined || filters.destinationArn.includes(destinationArnOf(rec.destination)));
    const live: ScraperRecord[] = [];
    for (const r of [...this.rows.values()]) {
      const settled = this.settle(r);
      if (settled !== null) live.push(this.record(settled));
    }
    const { page, nextToken: token } = pageByCreation(live.filter(match), (s) => ({ c: s.createdAt, i: s.scraperId }), maxResults, nextToken);
    return { scrapers: page, ...(token ? { nextToken: token } : {}) };
  }

  /** update changes a scraper's definition and starts UPDATING (ConflictException while it is not ACTIVE or UPDATE_FAILED). */
  update(scraperId: string, input: UpdateScraperInput): ScraperRecord {
    const r = this.row(scraperId);
    const status = this.settle(r)!.status;
    if (status !== 'ACTIVE' && status !== 'UPDATE_FAILED') throw conflict(SCRAPER_TYPE, r.id, `Scraper ${r.id} is ${status}; it can be updated when ACTIVE`);
    const now = this.opts.now();
    const next: ScraperRow = {
      ...r,
      alias: input.alias !== undefined ? input.alias : r.alias,
      configuration: input.configuration ?? r.configuration,
      destination: input.destination ? JSON.stringify(input.destination) : r.destination,
      role_configuration: input.roleConfiguration ? JSON.stringify(input.roleConfiguration) : r.role_configuration,
      exporters: input.exporters ? JSON.stringify(input.exporters) : r.exporters,
      status: 'UPDATING',
      status_reason: null,
      status_until: now + this.opts.transitionDelayMs,
      outcome: null,
      modified_at: now,
    };
    this.write(next);
    this.startProbe(r.id);
    this.changed(r.id);
    return this.record(next);
  }

  /** markDeleting starts a deletion (ConflictException while one is running or the scraper is still being created or updated). */
  markDeleting(scraperId: string): ScraperRecord {
    const r = this.row(scraperId);
    const status = this.settle(r)!.status;
    if (status === 'DELETING' || status === 'CREATING' || status === 'UPDATING') throw conflict(SCRAPER_TYPE, r.id, `Scraper ${r.id} is ${status}; retry when it has settled`);
    const next: ScraperRow = { ...r, status: 'DELETING', status_reason: null, status_until: this.opts.now() + this.opts.transitionDelayMs, modified_at: this.opts.now() };
    this.write(next);
    this.changed(r.id);
    return this.record(next);
  }

  /** setReason sets or clears the statusReason of a scraper (the collector runtime reports an unreachable cluster or a failing scrape this way). */
  setReason(scraperId: string, reason: string | null): void {
    const r = this.rows.get(scraperId);
    if (!r) return;
    this.write({ ...r, status_reason: reason === null ? null : reason.slice(0, 256) });
  }

  /** logging returns a scraper's logging configuration (ResourceNotFoundException when there is none). */
  logging(scraperId: string): ScraperLogging {
    const r = this.row(scraperId);
    if (r.logging === null) throw notFound('AWS::APS::ScraperLoggingConfiguration', scraperId, `No logging configuration found for scraper ${scraperId}`);
    const l = JSON.parse(r.logging) as ScraperLogging;
    return { ...l, status: l.status in FAILED && this.opts.now() >= l.statusUntil ? 'ACTIVE' : l.status };
  }

  /** loggingOf returns the logging configuration the log sink uses, or null. */
  loggingOf(scraperId: string): ScraperLogging | null {
    const r = this.rows.get(scraperId);
    return r && r.logging !== null ? (JSON.parse(r.logging) as ScraperLogging) : null;
  }

  /** putLogging creates or replaces a scraper's logging configuration (UpdateScraperLoggingConfiguration is an upsert). */
  putLogging(scraperId: string, logGroupArn: string, components: readonly ScraperComponent[]): string {
    const r = this.live(scraperId);
    const now = this.opts.now();
    const status = this.opts.transitionDelayMs > 0 ? (r.logging === null ? 'CREATING' : 'UPDATING') : 'ACTIVE';
    const l: ScraperLogging = { logGroupArn, components, status, statusUntil: now + this.opts.transitionDelayMs, modifiedAt: now };
    this.write({ ...r, logging: JSON.stringify(l) });
    return status;
  }

  /** deleteLogging removes a scraper's logging configuration (ResourceNotFoundException when there is none). */
  deleteLogging(scraperId: string): void {
    const r = this.live(scraperId);
    this.logging(scraperId);
    this.write({ ...r, logging: null });
  }

  /** ids lists every scraper not yet deleted (the collector runtime's view). */
  ids(): string[] {
    return [...this.rows.values()].filter((r) => this.settle(r) !== null).map((r) => r.id);
  }

  /** whenIdle resolves once every running source probe has answered (tests). */
  async whenIdle(): Promise<void> {
    while (this.probes.size > 0) await Promise.allSettled([...this.probes]);
  }

  private live(scraperId: string): ScraperRow {
    const r = this.row(scraperId);
    if (r.status === 'DELETING') throw conflict(SCRAPER_TYPE, r.id, `Scraper ${r.id} is being deleted`);
    return r;
  }

  private row(scraperId: string): ScraperRow {
    const r = this.rows.get(scraperId);
    const s = r ? this.settle(r) : null;
    if (!s) throw notFound(SCRAPER_TYPE, scraperId, `Scraper ${scraperId} not found`);
    return s;
  }

  private startProbe(id: string): void {
    const probe = this.opts.probe;
    const r = this.rows.get(id);
    if (!r) return;
    if (!probe) {
      this.write({ ...r, outcome: '' });
      return;
    }
    const p = probe(JSON.parse(r.source) as ScraperSource)
      .catch((err: unknown) => `source check failed: ${(err as Error).message}`)
      .then((reason) => {
        const cur = this.rows.get(id);
        if (cur && cur.status in FAILED && cur.outcome === null) {
          this.write({ ...cur, outcome: reason ?? '' });
          this.changed(id);
        }
      })
      .finally(() => this.probes.delete(p));
    this.probes.add(p);
  }

  /** settle applies time-driven transitions; returns the current row, or null once a deletion has finished (and removes it). */
  private settle(r: ScraperRow): ScraperRow | null {
    const now = this.opts.now();
    if (now < r.status_until) return r;
    if (r.status === 'DELETING') {
      this.db.prepare('DELETE FROM cp_scrapers WHERE id = ?').run(r.id);
      this.tags.removeAll(r.arn);
      this.rows.delete(r.id);
      this.changed(r.id);
      return null;
    }
    const failed = FAILED[r.status];
    if (failed === undefined || r.outcome === null) return r;
    const next: ScraperRow = r.outcome === '' ? { ...r, status: 'ACTIVE', status_reason: null } : { ...r, status: failed, status_reason: r.outcome.slice(0, 256) };
    this.write(next);
    this.changed(r.id);
    return next;
  }

  private write(r: ScraperRow): void {
    this.db
      .prepare(
        `UPDATE cp_scrapers SET alias = @alias, status = @status, status_reason = @status_reason, status_until = @status_until, outcome = @outcome, modified_at = @modified_at,
           configuration = @configuration, destination = @destination, role_configuration = @role_configuration, exporters = @exporters, logging = @logging WHERE id = @id`,
      )
      .run(r);
    this.rows.set(r.id, r);
  }

  private changed(id: string): void {
    for (const l of this.listeners) l(id);
  }

  private record(r: ScraperRow): ScraperRecord {
    return {
      scraperId: r.id,
      ...(r.alias !== null ? { alias: r.alias } : {}),
      arn: r.arn,
      roleArn: r.role_arn,
      status: r.status,
      ...(r.status_reason !== null ? { statusReason: r.status_reason } : {}),
      createdAt: r.created_at,
      lastModifiedAt: r.modified_at,
      tags: this.tags.tagsOf(r.arn),
      configuration: r.configuration,
      source: JSON.parse(r.source) as ScraperSource,
      destination: JSON.parse(r.destination) as ScraperDestination,
      ...(r.role_configuration !== null ? { roleConfiguration: JSON.parse(r.role_configuration) as RoleConfiguration } : {}),
      ...(r.exporters !== null ? { exporters: JSON.parse(r.exporters) as unknown[] } : {}),
    };
  }
}
