import type { Appendable, Queryable, RawAppender } from './interface.js';
import type { HeadSummary, SeriesIndex } from './series-index.js';

/** WorkspaceId names a workspace, e.g. ws-0b7c3f2e-1d5a-4c9e-8f00-123456789abc. */
export type WorkspaceId = string;

const WORKSPACE_ID_RE = /^ws-[0-9a-zA-Z-]{1,64}$/;

/** isValidWorkspaceId reports whether an id is well-formed (and so safe to use as a directory name). */
export function isValidWorkspaceId(id: string): id is WorkspaceId {
  return WORKSPACE_ID_RE.test(id);
}

/**
 * WorkspaceTSDB is one workspace's storage as the other modules see it: read (Queryable), write
 * through the raw fast-path appender, the active series' index and a summary of the head.
 */
export interface WorkspaceTSDB extends Queryable, Appendable {
  /** appender opens a batch with the remote-write fast path (series resolved from their label bytes). */
  appender(): RawAppender;
  /** seriesIndex is the index of the workspace's active series. */
  seriesIndex(): SeriesIndex;
  /** headSummary tells what the head holds. */
  headSummary(): HeadSummary;
}

/** WorkspaceStore hands out each workspace's storage, opening it on first use. */
export interface WorkspaceStore {
  /** get opens (or returns the open) storage of a workspace. */
  get(id: WorkspaceId): Promise<WorkspaceTSDB>;
}

/** CorruptBlock names a block that failed verification and is skipped. */
export interface CorruptBlock {
  readonly dir: string;
  readonly error: string;
}

/** TSDBStats are the figures self-monitoring exports per workspace TSDB. */
export interface TSDBStats {
  headSeries: number;
  headChunks: number;
  blocks: number;
  corruptBlocks: number;
  headCuts: number;
  compactions: number;
  compactionFailures: number;
  retentionDeletions: number;
  walRecords: number;
  walFsyncs: number;
  walBytes: number;
  walFailures: number;
}

/** StorageStatus is what readiness (/-/ready) and self-metrics read across the open workspaces. */
export interface StorageStatus {
  /** corruptBlocks lists, per workspace, the blocks skipped because they failed verification. */
  corruptBlocks(): Promise<Record<WorkspaceId, readonly CorruptBlock[]>>;
  /** stats returns every open workspace's figures. */
  stats(): Promise<Map<WorkspaceId, TSDBStats>>;
}
