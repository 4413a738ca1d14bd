import { PromQLError } from '../promql/engine/errors.js';
import type { Queryable } from '../storage/interface.js';
import { blocksAndHeadQuerier } from '../tsdb/db.js';
import type { BlockCache } from './block-cache.js';
import { federatedQueryable } from './federation-querier.js';
import type { HeadCaller } from './head-client.js';
import type { FederatedPart } from './protocol.js';
import { RemoteHeadQuerier } from './remote-head.js';

/** memberCaller sends every head call of a cross-workspace job's member workspace with its index. */
function memberCaller(client: HeadCaller, ws: number): HeadCaller {
  return { call: (req) => client.call({ ...req, ws }) };
}

/**
 * federatedWorkerQueryable is a query worker's Queryable for a cross-workspace job: each
 * workspace's blocks (opened through the worker's block cache) merged with its head (read over
 * the head RPC, naming the workspace), united with the `__workspace_id__` label.
 */
export function federatedWorkerQueryable(parts: readonly FederatedPart[], cache: BlockCache, client: HeadCaller): Queryable {
  return federatedQueryable(
    parts.map((p, i) => {
      const caller = memberCaller(client, i);
      const refresh = () => {
        const r = caller.call({ op: 'blocks' });
        if (r.kind !== 'blocks') throw new PromQLError('internal', `head call: expected blocks, got ${r.kind}`);
        return r.blocks;
      };
      const blocks = cache.acquire(p.workspaceId, p.blocks, refresh);
      const head: Queryable = { querier: (mint, maxt) => new RemoteHeadQuerier(caller, mint, maxt) };
      return { workspaceId: p.workspaceId, queryable: { querier: (mint, maxt) => blocksAndHeadQuerier(blocks, head, mint, maxt, p.storageWarnings) } };
    }),
  );
}
