import type { MetaDB } from '../metadb/metadb.js';
import { conflict, notFound } from './errors.js';
import { initialStatus, settledStatus } from './status.js';

/** LoggingKind distinguishes AMP's workspace logging (rules, alertmanager, ingestion) from query logging. */
export type LoggingKind = 'workspace' | 'query';

/** QueryLoggingDestination is AMP's LoggingDestination: a log group and the samples-processed threshold. */
export interface QueryLoggingDestination {
  readonly cloudWatchLogs: { readonly logGroupArn: string };
  readonly filters: { readonly qspThreshold: number };
}

/** LoggingConfig is a stored logging configuration, by kind. */
export type LoggingConfig = { kind: 'workspace'; logGroupArn: string } | { kind: 'query'; destinations: readonly QueryLoggingDestination[] };

/** LoggingRecord is a logging configuration as Describe*LoggingConfiguration reports it (times in ms). */
export interface LoggingRecord {
  readonly workspaceId: string;
  readonly status: string;
  readonly config: LoggingConfig;
  readonly createdAt: number;
  readonly modifiedAt: number;
}

interface LoggingRow {
  config: string;
  status: string;
  status_until: number;
  created_at: number;
  modified_at: number;
}

/** resourceTypeOf names a logging kind in AMP errors. */
function resourceTypeOf(kind: LoggingKind): string {
  return kind === 'workspace' ? 'AWS::APS::LoggingConfiguration' : 'AWS::APS::QueryLoggingConfiguration';
}

/** LoggingStore keeps the workspace and query logging configurations in SQLite (cached, written through). */
export class LoggingStore {
  private readonly cache = new Map<string, LoggingRow | null>();

  constructor(
    private readonly db: MetaDB,
    private readonly opts: { now: () => number; transitionDelayMs: number },
  ) {}

  /** create adds a configuration (ConflictException when the workspace already has one of that kind). */
  create(workspaceId: string, config: LoggingConfig): string {
    if (this.row(workspaceId, config.kind)) throw conflict(resourceTypeOf(config.kind), workspaceId, `Workspace ${workspaceId} already has a ${config.kind === 'query' ? 'query ' : ''}logging configuration`);
    const now = this.opts.now();
    const row: LoggingRow = { config: JSON.stringify(config), status: initialStatus('CREATING', this.opts.transitionDelayMs), status_until: now + this.opts.transitionDelayMs, created_at: now, modified_at: now };
    this.db
      .prepare('INSERT INTO cp_logging (workspace_id, kind, config, status, status_until, created_at, modified_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(workspaceId, config.kind, row.config, row.status, row.status_until, row.created_at, row.modified_at);
    this.cache.set(key(workspaceId, config.kind), row);
    return row.status;
  }

  /** describe returns a configuration or throws ResourceNotFoundException. */
  describe(workspaceId: string, kind: LoggingKind): LoggingRecord {
    const r = this.existing(workspaceId, kind);
    return { workspaceId, status: settledStatus(r.status, r.status_until, this.opts.now()), config: JSON.parse(r.config) as LoggingConfig, createdAt: r.created_at, modifiedAt: r.modified_at };
  }

  /** update replaces a configuration (ResourceNotFoundException when there is none). */
  update(workspaceId: string, config: LoggingConfig): string {
    const cur = this.existing(workspaceId, config.kind);
    const now = this.opts.now();
    const row: LoggingRow = { ...cur, config: JSON.stringify(config), status: initialStatus('UPDATING', this.opts.transitionDelayMs), status_until: now + this.opts.transitionDelayMs, modified_at: now };
    this.db.prepare('UPDATE cp_logging SET config = ?, status = ?, status_until = ?, modified_at = ? WHERE workspace_id = ? AND kind = ?').run(row.config, row.status, row.status_until, now, workspaceId, config.kind);
    this.cache.set(key(workspaceId, config.kind), row);
    return row.status;
  }

  /** delete removes a configuration (ResourceNotFoundException when there is none). */
  delete(workspaceId: string, kind: LoggingKind): void {
    this.existing(workspaceId, kind);
    this.db.prepare('DELETE FROM cp_logging WHERE workspace_id = ? AND kind = ?').run(workspaceId, kind);
    this.cache.set(key(workspaceId, kind), null);
  }

  /** configOf returns the configuration the log sink uses, or null when that logging is not configured. */
  configOf(workspaceId: string, kind: LoggingKind): LoggingConfig | null {
    const r = this.row(workspaceId, kind);
    return r ? (JSON.parse(r.config) as LoggingConfig) : null;
  }

  /** forget drops cached entries of a deleted workspace (its rows went with the workspace). */
  forget(workspaceId: string): void {
    this.cache.delete(key(workspaceId, 'workspace'));
    this.cache.delete(key(workspaceId, 'query'));
  }

  private existing(workspaceId: string, kind: LoggingKind): LoggingRow {
    const r = this.row(workspaceId, kind);
    if (!r) throw notFound(resourceTypeOf(kind), workspaceId, `No ${kind === 'query' ? 'query ' : ''}logging configuration found for workspace ${workspaceId}`);
    return r;
  }

  private row(workspaceId: string, kind: LoggingKind): LoggingRow | null {
    const k = key(workspaceId, kind);
    let r = this.cache.get(k);
    if (r === undefined) {
      r = (this.db.prepare('SELECT config, status, status_until, created_at, modified_at FROM cp_logging WHERE workspace_id = ? AND kind = ?').get(workspaceId, kind) as LoggingRow | undefined) ?? null;
      this.cache.set(k, r);
    }
    return r;
  }
}

function key(workspaceId: string, kind: LoggingKind): string {
  return `${kind}\u0000${workspaceId}`;
}
