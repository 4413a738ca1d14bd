import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { nopLogger, type Logger } from '../model/logger.js';
import type { LoggingConfig, LoggingKind } from './logging-store.js';

/** LogKind is the source of a workspace log entry: ingestion, rule evaluation and alertmanager go to workspace logging, query to query logging. */
export type LogKind = 'ingestion' | 'rules' | 'alertmanager' | 'query';

/** LogEntry is one structured entry; query entries carry samplesProcessed, compared with the configured qspThreshold. */
export type LogEntry = Readonly<Record<string, unknown>> & { readonly samplesProcessed?: number };

/** LoggingConfigSource is where the sink reads which logging a workspace has (the LoggingStore). */
export interface LoggingConfigSource {
  configOf(workspaceId: string, kind: LoggingKind): LoggingConfig | null;
}

/** WorkspaceLogSinkOptions configure the sink. */
export interface WorkspaceLogSinkOptions {
  /** dataDir holds `logs/<workspaceId>/<kind>.jsonl`. */
  readonly dataDir: string;
  readonly configs: LoggingConfigSource;
  readonly now?: () => number;
  readonly logger?: Logger;
}

const WS_RE = /^[0-9A-Za-z][-.0-9A-Z_a-z]{0,63}$/;

/**
 * WorkspaceLogSink is Amphora's stand-in for AMP's CloudWatch Logs vended logs: JSON lines under
 * `<dataDir>/logs/<workspaceId>/<kind>.jsonl`, written only when the workspace has that logging configured.
 */
export class WorkspaceLogSink {
  private readonly now: () => number;
  private readonly logger: Logger;

  constructor(private readonly opts: WorkspaceLogSinkOptions) {
    this.now = opts.now ?? Date.now;
    this.logger = opts.logger ?? nopLogger;
  }

  /** fileOf is the JSON lines file of a workspace's log kind. */
  fileOf(workspaceId: string, kind: LogKind): string {
    if (!WS_RE.test(workspaceId)) throw new Error(`invalid workspace id ${JSON.stringify(workspaceId)}`);
    return join(this.opts.dataDir, 'logs', workspaceId, `${kind}.jsonl`);
  }

  /** log appends an entry when the workspace has the matching logging configured (query entries only at or above qspThreshold); returns whether it wrote. */
  log(workspaceId: string, kind: LogKind, entry: LogEntry): boolean {
    const logGroupArn = this.destination(workspaceId, kind, entry);
    if (logGroupArn === null) return false;
    const line = JSON.stringify({ timestamp: new Date(this.now()).toISOString(), workspaceId, component: kind, logGroupArn, message: entry }) + '\n';
    const file = this.fileOf(workspaceId, kind);
    try {
      mkdirSync(join(this.opts.dataDir, 'logs', workspaceId), { recursive: true });
      appendFileSync(file, line);
      return true;
    } catch (err) {
      this.logger.error({ err, workspaceId, kind }, 'cannot write workspace log entry');
      return false;
    }
  }

  /** read returns the newest `limit` entries of a workspace's log kind, oldest first (for the console). */
  read(workspaceId: string, kind: LogKind, limit = 100): Record<string, unknown>[] {
    const file = this.fileOf(workspaceId, kind);
    if (!existsSync(file)) return [];
    const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
    return lines.slice(Math.max(0, lines.length - limit)).map((l) => JSON.parse(l) as Record<string, unknown>);
  }

  /** removeWorkspace deletes a workspace's logs (on DeleteWorkspace). */
  removeWorkspace(workspaceId: string): void {
    if (!WS_RE.test(workspaceId)) return;
    rmSync(join(this.opts.dataDir, 'logs', workspaceId), { recursive: true, force: true });
  }

  private destination(workspaceId: string, kind: LogKind, entry: LogEntry): string | null {
    switch (kind) {
      case 'ingestion':
      case 'rules':
      case 'alertmanager': {
        const c = this.opts.configs.configOf(workspaceId, 'workspace');
        return c?.kind === 'workspace' ? c.logGroupArn : null;
      }
      case 'query': {
        const c = this.opts.configs.configOf(workspaceId, 'query');
        if (c?.kind !== 'query') return null;
        const qsp = typeof entry.samplesProcessed === 'number' ? entry.samplesProcessed : 0;
        const d = c.destinations.find((x) => qsp >= x.filters.qspThreshold);
        return d ? d.cloudWatchLogs.logGroupArn : null;
      }
      default: {
        const never: never = kind;
        throw new Error(`unknown log kind ${String(never)}`);
      }
    }
  }
}
