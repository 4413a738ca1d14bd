import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ControlPlane } from '../control-plane.js';
import { validationError } from '../errors.js';
import { aliasSchema, clientTokenSchema, kmsKeyArnSchema, parseJsonBody, queryInt, queryString, tagMapSchema } from '../input.js';
import type { WorkspaceRecord } from '../workspace-store.js';
import { ampRoute, epochSeconds, requestTagKeys, type RouteContext } from './http.js';
import { workspaceIdParam } from './params.js';

const trimmedAlias = z
  .string()
  .transform((s) => s.trim())
  .pipe(aliasSchema);

const createSchema = z
  .object({ alias: trimmedAlias.optional(), clientToken: clientTokenSchema.optional(), tags: tagMapSchema.optional(), kmsKeyArn: kmsKeyArnSchema.optional() })
  .strict();

const updateAliasSchema = z.object({ alias: trimmedAlias.optional(), clientToken: clientTokenSchema.optional() }).strict();

/** summary renders a workspace as AMP's WorkspaceSummary. */
function summary(w: WorkspaceRecord): Record<string, unknown> {
  return {
    workspaceId: w.workspaceId,
    ...(w.alias !== undefined ? { alias: w.alias } : {}),
    arn: w.arn,
    status: { statusCode: w.status },
    createdAt: epochSeconds(w.createdAt),
    tags: w.tags,
    ...(w.kmsKeyArn !== undefined ? { kmsKeyArn: w.kmsKeyArn } : {}),
  };
}

/** registerWorkspaceRoutes adds CreateWorkspace, ListWorkspaces, DescribeWorkspace, UpdateWorkspaceAlias and DeleteWorkspace. */
export function registerWorkspaceRoutes(app: FastifyInstance, ctx: RouteContext, cp: ControlPlane, publicBaseUrl: string | (() => string)): void {
  const base = (): string => (typeof publicBaseUrl === 'function' ? publicBaseUrl() : publicBaseUrl).replace(/\/+$/, '');

  ampRoute(app, ctx, {
    method: 'POST',
    url: '/workspaces',
    conditionKeys: requestTagKeys,
    handler: (req) => {
      const input = parseJsonBody(req.body, createSchema);
      const w = cp.workspaces.create(input);
      return {
        status: 202,
        body: { workspaceId: w.workspaceId, arn: w.arn, status: { statusCode: w.status }, tags: w.tags, ...(w.kmsKeyArn !== undefined ? { kmsKeyArn: w.kmsKeyArn } : {}) },
      };
    },
  });

  ampRoute(app, ctx, {
    method: 'GET',
    url: '/workspaces',
    handler: (req) => {
      const q = req.query as Record<string, unknown>;
      const maxResults = queryInt(q['maxResults'], 'maxResults', 1, 1000);
      const alias = queryString(q['alias']);
      if (alias !== undefined && (alias.length < 1 || alias.length > 100)) throw validationError([{ name: 'alias', message: 'must be 1-100 characters' }]);
      const nextToken = queryString(q['nextToken']);
      if (nextToken !== undefined && nextToken.length > 1000) throw validationError([{ name: 'nextToken', message: 'must be at most 1000 characters' }]);
      const page = cp.workspaces.list({ ...(alias !== undefined ? { alias } : {}), ...(maxResults !== undefined ? { maxResults } : {}), ...(nextToken !== undefined ? { nextToken } : {}) });
      return { status: 200, body: { workspaces: page.workspaces.map(summary), ...(page.nextToken ? { nextToken: page.nextToken } : {}) } };
    },
  });

  ampRoute(app, ctx, {
    method: 'GET',
    url: '/workspaces/:workspaceId',
    handler: (req) => {
      const w = cp.workspaces.describe(workspaceIdParam(req));
      return { status: 200, body: { workspace: { ...summary(w), prometheusEndpoint: `${base()}/workspaces/${w.workspaceId}/` } } };
    },
  });

  ampRoute(app, ctx, {
    method: 'POST',
    url: '/workspaces/:workspaceId/alias',
    handler: (req) => {
      const id = workspaceIdParam(req);
      const input = parseJsonBody(req.body, updateAliasSchema);
      cp.workspaces.updateAlias(id, input.alias);
      return { status: 204 };
    },
  });

  ampRoute(app, ctx, {
    method: 'DELETE',
    url: '/workspaces/:workspaceId',
    handler: (req) => {
      const id = workspaceIdParam(req);
      const q = req.query as Record<string, unknown>;
      const token = queryString(q['clientToken']);
      if (token !== undefined && !clientTokenSchema.safeParse(token).success) throw validationError([{ name: 'clientToken', message: 'must be 1-64 printable ASCII characters' }]);
      cp.deleteWorkspace(id);
      return { status: 202 };
    },
  });
}
