import type { FastifyRequest } from 'fastify';
import { ApiError } from './api-error.js';
import type { PrometheusApiDeps } from './deps.js';
import type { Form } from './params.js';
import { openWorkspace } from './workspace.js';

/** FEDERATION_HEADER names the workspaces of a cross-workspace query (Mimir's `X-Scope-OrgID: a|b`). */
export const FEDERATION_HEADER = 'x-amphora-workspaces';

/** FEDERATION_PARAM is the same list as a query or form parameter (for clients that cannot add headers). */
export const FEDERATION_PARAM = 'workspaces';

/** DEFAULT_MAX_FEDERATED_WORKSPACES caps the workspaces of one query (query.maxFederatedWorkspaces). */
export const DEFAULT_MAX_FEDERATED_WORKSPACES = 10;

const ID_SEPARATORS = /[|,]/;

/** parseWorkspaceList splits `a|b` (or `a,b`) into ids, trimmed, without empties and duplicates, in order. */
export function parseWorkspaceList(values: readonly string[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    for (const raw of v.split(ID_SEPARATORS)) {
      const id = raw.trim();
      if (id !== '' && !out.includes(id)) out.push(id);
    }
  }
  return out;
}

/**
 * federatedWorkspaces reads the workspaces a query names besides its path's (header or parameter),
 * and checks each: it must exist and be readable (404/503 naming it), and the caller must be
 * allowed the route's action on it (the same IAM check as the path's workspace; a denial is the
 * route's 403 AccessDenied naming the workspace's ARN). It returns the path's workspace first,
 * then the others, or undefined when the query names no other workspace.
 */
export async function federatedWorkspaces(deps: PrometheusApiDeps, req: FastifyRequest, form: Form, pathWorkspace: string): Promise<string[] | undefined> {
  const header = req.headers[FEDERATION_HEADER];
  const named = parseWorkspaceList([...(Array.isArray(header) ? header : header !== undefined ? [header] : []), ...form.all(FEDERATION_PARAM)]);
  const ids = [pathWorkspace, ...named.filter((id) => id !== pathWorkspace)];
  if (ids.length === 1) return undefined;
  const max = deps.maxFederatedWorkspaces ?? DEFAULT_MAX_FEDERATED_WORKSPACES;
  if (ids.length > max) {
    throw new ApiError('bad_data', `a cross-workspace query may read at most ${max} workspaces (query.maxFederatedWorkspaces), this one names ${ids.length}`);
  }
  const auth = req.routeOptions.config?.auth;
  for (const id of ids.slice(1)) {
    await openWorkspace(deps, id);
    if (auth === undefined || auth === 'public' || auth.action === null) continue;
    if (req.authorize === undefined) throw new ApiError('internal', 'cross-workspace query on an authenticated route without request.authorize');
    const action = typeof auth.action === 'function' ? auth.action(req) : auth.action;
    req.authorize(action, deps.workspaces.get(id)!.arn, auth.conditionKeys?.(req));
  }
  return ids;
}
