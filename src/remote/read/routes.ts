import type { FastifyInstance } from 'fastify';
import type { RouteAuthLookup } from '../../http/route-auth.js';
import type { RoutePlugin } from '../../http/server.js';
import { RemoteReadHandler, type RemoteReadDeps } from './handler.js';

/** RemoteReadRouteDeps are remoteReadRoutes' inputs. */
export interface RemoteReadRouteDeps extends RemoteReadDeps {
  /** auth gives the route its auth from the route → IAM action table (aps:RemoteRead), or 'public' in tests. */
  readonly auth: RouteAuthLookup;
}

/** REMOTE_READ_PATH is AMP's remote-read path. */
export const REMOTE_READ_PATH = '/workspaces/:workspaceId/api/v1/read';

/** remoteReadRoutes registers POST /workspaces/:workspaceId/api/v1/read (aps:RemoteRead on the workspace, from the route table). */
export function remoteReadRoutes(deps: RemoteReadRouteDeps): RoutePlugin & { handler: RemoteReadHandler } {
  const handler = new RemoteReadHandler(deps);
  const plugin = (app: FastifyInstance): void => {
    app.post(REMOTE_READ_PATH, { bodyLimit: 32 * 1024 * 1024, config: { auth: deps.auth('POST', REMOTE_READ_PATH) } }, async (req, reply) => {
      // A client that goes away cancels its read on the worker (as the query API does).
      const ac = new AbortController();
      const onClose = (): void => {
        if (!reply.raw.writableEnded) ac.abort();
      };
      req.raw.socket?.once('close', onClose);
      try {
        const res = await handler.handle({ workspaceId: (req.params as { workspaceId: string }).workspaceId, body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0), signal: ac.signal });
        return await reply.code(res.status).headers(res.headers).send(res.body);
      } finally {
        req.raw.socket?.off('close', onClose);
      }
    });
  };
  return Object.assign(plugin, { handler });
}
