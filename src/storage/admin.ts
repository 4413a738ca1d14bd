import type { Matcher } from '../model/matcher.js';
import type { WorkspaceId } from './workspaces.js';

/** SnapshotResult names a snapshot and where it was written. */
export interface SnapshotResult {
  /** name is Prometheus's snapshot name: `<UTC time>-<16 hex digits>`. */
  readonly name: string;
  /** dir is the snapshot's directory (blocks hard-linked, the head written as one more block). */
  readonly dir: string;
}

/** BlockUploadResult tells what an uploaded block became. */
export interface BlockUploadResult {
  /** ulid is the uploaded block's ULID. */
  readonly ulid: string;
  /** minTime and maxTime are its time range (ms, maxTime exclusive). */
  readonly minTime: number;
  readonly maxTime: number;
  /** numSamples is how many samples it holds. */
  readonly numSamples: number;
}

/** WorkspaceAdmin is the TSDB admin API of one workspace (Prometheus's /api/v1/admin/tsdb/*, plus block upload). */
export interface WorkspaceAdmin {
  /** snapshot hard-links the blocks (and, unless skipHead, writes the head) into a new snapshot directory. */
  snapshot(opts: { skipHead: boolean }): Promise<SnapshotResult>;
  /** deleteSeries tombstones the samples in [mint, maxt] of every series matching one of the matcher sets; queries stop seeing them at once. */
  deleteSeries(mint: number, maxt: number, matcherSets: readonly (readonly Matcher[])[]): Promise<number>;
  /** cleanTombstones rewrites the blocks that have tombstones without the deleted data. */
  cleanTombstones(): Promise<void>;
  /** uploadBlock validates a Prometheus block sent as a tar stream and adds it (overlaps are compacted); nothing is kept when it fails. */
  uploadBlock(tar: AsyncIterable<Uint8Array>): Promise<BlockUploadResult>;
}

/** AdminStore hands out each workspace's admin API. */
export interface AdminStore {
  /** admin opens (or returns) the workspace's storage and its admin API. */
  admin(id: WorkspaceId): Promise<WorkspaceAdmin>;
}
