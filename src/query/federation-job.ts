import type { WorkspaceLimits } from '../controlplane/limits.js';
import type { TSDB } from '../tsdb/db.js';
import type { FederatedPart } from './protocol.js';

/** strictestLimits are the query limits of a cross-workspace query: for each, the smallest of its workspaces' values. */
export function strictestLimits(all: readonly WorkspaceLimits[]): Pick<WorkspaceLimits, 'maxQuerySamples' | 'maxQueryTimeRangeMs' | 'maxQueryTimeoutMs'> {
  const timeouts = all.map((l) => l.maxQueryTimeoutMs).filter((t) => t > 0);
  return {
    maxQuerySamples: Math.min(...all.map((l) => l.maxQuerySamples)),
    maxQueryTimeRangeMs: Math.min(...all.map((l) => l.maxQueryTimeRangeMs)),
    // 0 means "the server's maxTimeout"; the strictest set one wins.
    maxQueryTimeoutMs: timeouts.length > 0 ? Math.min(...timeouts) : 0,
  };
}

/** federatedParts lists a cross-workspace job's workspaces with their block lists, in the order head calls index them. */
export function federatedParts(ids: readonly string[], dbs: readonly TSDB[]): FederatedPart[] {
  return ids.map((workspaceId, i) => ({ workspaceId, blocks: dbs[i]!.blockRefs(), storageWarnings: dbs[i]!.corruptWarnings() }));
}
