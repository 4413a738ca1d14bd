import { isValidWorkspaceId, type WorkspaceTSDB } from '../../storage/workspaces.js';
import { ApiError, WorkspaceNotFoundError } from './api-error.js';
import type { PrometheusApiDeps } from './deps.js';
import type { WorkspaceLookup } from '../../controlplane/limits.js';

const READABLE = new Set(['ACTIVE', 'UPDATING']);

/**
 * openWorkspace resolves a workspace for a read: unknown ids are 404 in the AWS error shape
 * (ResourceNotFoundException, as AMP answers), workspaces still being created or being deleted
 * are 503 unavailable.
 */
export async function openWorkspace(deps: PrometheusApiDeps, id: string): Promise<WorkspaceTSDB>;
/** openWorkspace with any per-workspace store (the admin API's). */
export async function openWorkspace<T>(deps: { workspaces: WorkspaceLookup; storage: { get(id: string): Promise<T> } }, id: string): Promise<T>;
export async function openWorkspace<T>(deps: { workspaces: WorkspaceLookup; storage: { get(id: string): Promise<T> } }, id: string): Promise<T> {
  const ws = isValidWorkspaceId(id) ? deps.workspaces.get(id) : null;
  if (ws === null) throw new WorkspaceNotFoundError(id);
  if (!READABLE.has(ws.status)) throw new ApiError('unavailable', `workspace ${id} is ${ws.status}`);
  try {
    return await deps.storage.get(id);
  } catch (err) {
    throw new ApiError('internal', `opening the storage of workspace ${id}: ${(err as Error).message}`, { cause: err });
  }
}
