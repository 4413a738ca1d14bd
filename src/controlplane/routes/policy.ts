import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parsePolicy } from '../../auth/policy/parse.js';
import type { ControlPlane } from '../control-plane.js';
import { conflict, validationError } from '../errors.js';
import { clientTokenSchema, parseJsonBody, queryString } from '../input.js';
import { WORKSPACE_TYPE } from '../workspace-store.js';
import { ampRoute, type RouteContext } from './http.js';
import { workspaceIdParam } from './params.js';

const putSchema = z.object({ policyDocument: z.string(), clientToken: clientTokenSchema.optional(), revisionId: z.string().optional() }).strict();

/** registerPolicyRoutes adds PutResourcePolicy, DescribeResourcePolicy and DeleteResourcePolicy. */
export function registerPolicyRoutes(app: FastifyInstance, ctx: RouteContext, cp: ControlPlane): void {

  /** liveWorkspace checks the workspace exists and is not being deleted. */
  const liveWorkspace = (id: string): void => {
    const w = cp.workspaces.describe(id);
    if (w.status === 'DELETING') throw conflict(WORKSPACE_TYPE, id, `Workspace ${id} is being deleted`);
  };

  ampRoute(app, ctx, {
    method: 'PUT',
    url: '/workspaces/:workspaceId/policy',
    handler: (req) => {
      const id = workspaceIdParam(req);
      const input = parseJsonBody(req.body, putSchema);
      try {
        parsePolicy(input.policyDocument, 'resource');
      } catch (e) {
        throw validationError([{ name: 'policyDocument', message: (e as Error).message }]);
      }
      liveWorkspace(id);
      const p = cp.policies.put(id, input.policyDocument, input.revisionId);
      return { status: 202, body: { policyStatus: p.policyStatus, revisionId: p.revisionId } };
    },
  });

  ampRoute(app, ctx, {
    method: 'GET',
    url: '/workspaces/:workspaceId/policy',
    handler: (req) => {
      const id = workspaceIdParam(req);
      cp.workspaces.describe(id);
      const p = cp.policies.describe(id);
      return { status: 200, body: { policyDocument: p.policyDocument, policyStatus: p.policyStatus, revisionId: p.revisionId } };
    },
  });

  ampRoute(app, ctx, {
    method: 'DELETE',
    url: '/workspaces/:workspaceId/policy',
    handler: (req) => {
      const id = workspaceIdParam(req);
      const q = req.query as Record<string, unknown>;
      liveWorkspace(id);
      cp.policies.delete(id, queryString(q['revisionId']));
      return { status: 202 };
    },
  });
}
