import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ControlPlane } from '../control-plane.js';
import { conflict, validationError } from '../errors.js';
import { clientTokenSchema, logGroupArnSchema, parseJsonBody, queryString } from '../input.js';
import type { LoggingConfig, LoggingKind } from '../logging-store.js';
import { WORKSPACE_TYPE } from '../workspace-store.js';
import { ampRoute, epochSeconds, type RouteContext } from './http.js';
import { workspaceIdParam } from './params.js';

const workspaceLoggingSchema = z.object({ logGroupArn: logGroupArnSchema, clientToken: clientTokenSchema.optional() }).strict();

const queryLoggingSchema = z
  .object({
    destinations: z
      .array(
        z
          .object({
            cloudWatchLogs: z.object({ logGroupArn: logGroupArnSchema }).strict(),
            filters: z.object({ qspThreshold: z.number().int().min(0) }).strict(),
          })
          .strict(),
      )
      .min(1)
      .max(1),
    clientToken: clientTokenSchema.optional(),
  })
  .strict();

/** registerLoggingRoutes adds the workspace logging and query logging Create/Describe/Update/Delete operations. */
export function registerLoggingRoutes(app: FastifyInstance, ctx: RouteContext, cp: ControlPlane): void {

  const liveWorkspace = (id: string): void => {
    const w = cp.workspaces.describe(id);
    if (w.status === 'DELETING') throw conflict(WORKSPACE_TYPE, id, `Workspace ${id} is being deleted`);
  };

  const parseConfig = (kind: LoggingKind, body: unknown): LoggingConfig => {
    switch (kind) {
      case 'workspace':
        return { kind, logGroupArn: parseJsonBody(body, workspaceLoggingSchema).logGroupArn };
      case 'query':
        return { kind, destinations: parseJsonBody(body, queryLoggingSchema).destinations };
      default: {
        const never: never = kind;
        throw new Error(`unknown logging kind ${String(never)}`);
      }
    }
  };

  const describeBody = (id: string, kind: LoggingKind): Record<string, unknown> => {
    const r = cp.logging.describe(id, kind);
    const common = { status: { statusCode: r.status }, workspace: r.workspaceId, createdAt: epochSeconds(r.createdAt), modifiedAt: epochSeconds(r.modifiedAt) };
    return r.config.kind === 'workspace'
      ? { loggingConfiguration: { ...common, logGroupArn: r.config.logGroupArn } }
      : { queryLoggingConfiguration: { ...common, destinations: r.config.destinations } };
  };

  const variants: readonly { kind: LoggingKind; url: string }[] = [
    { kind: 'workspace', url: '/workspaces/:workspaceId/logging' },
    { kind: 'query', url: '/workspaces/:workspaceId/logging/query' },
  ];

  for (const { kind, url } of variants) {
    ampRoute(app, ctx, {
      method: 'POST',
      url,
      handler: (req) => {
        const id = workspaceIdParam(req);
        const config = parseConfig(kind, req.body);
        liveWorkspace(id);
        return { status: 202, body: { status: { statusCode: cp.logging.create(id, config) } } };
      },
    });
    ampRoute(app, ctx, {
      method: 'GET',
      url,
      handler: (req) => {
        const id = workspaceIdParam(req);
        cp.workspaces.describe(id);
        return { status: 200, body: describeBody(id, kind) };
      },
    });
    ampRoute(app, ctx, {
      method: 'PUT',
      url,
      handler: (req) => {
        const id = workspaceIdParam(req);
        const config = parseConfig(kind, req.body);
        liveWorkspace(id);
        return { status: 202, body: { status: { statusCode: cp.logging.update(id, config) } } };
      },
    });
    ampRoute(app, ctx, {
      method: 'DELETE',
      url,
      handler: (req) => {
        const id = workspaceIdParam(req);
        const token = queryString((req.query as Record<string, unknown>)['clientToken']);
        if (token !== undefined && !clientTokenSchema.safeParse(token).success) throw validationError([{ name: 'clientToken', message: 'must be 1-64 printable ASCII characters' }]);
        liveWorkspace(id);
        cp.logging.delete(id, kind);
        return { status: 202 };
      },
    });
  }
}
