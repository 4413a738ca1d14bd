import type { FastifyInstance } from 'fastify';
import type { RoutePlugin } from '../http/server.js';
import type { RouteAuthLookup } from '../http/route-auth.js';
import { RemoteWriteHandler, type RemoteWriteDeps } from './handler.js';

/** RemoteWriteRouteDeps are remoteWriteRoutes' inputs. */
export interface RemoteWriteRouteDeps extends RemoteWriteDeps {
  /** auth gives the route its auth from the route → IAM action table (routeAuth), or 'public' in tests. */
  auth: RouteAuthLookup;
  /** maxCompressedBytes caps the HTTP body before decompression (413; default 64 MiB). */
  maxCompressedBytes?: number;
}

/** REMOTE_WRITE_PATH is the AMP remote-write path. */
export const REMOTE_WRITE_PATH = '/workspaces/:workspaceId/api/v1/remote_write';

/**
 * remoteWriteRoutes registers POST /workspaces/:workspaceId/api/v1/remote_write (its IAM action and
 * resource from the route table: aps:RemoteWrite on the workspace ARN). Unknown workspaces answer 404 with the AWS error shape
 * (x-amzn-errortype: ResourceNotFoundException); protocol errors answer text/plain as Prometheus does.
 */
export function remoteWriteRoutes(deps: RemoteWriteRouteDeps): RoutePlugin & { handler: RemoteWriteHandler } {
  const handler = new RemoteWriteHandler(deps);
  const bodyLimit = deps.maxCompressedBytes ?? 64 * 1024 * 1024;
  const plugin = (app: FastifyInstance): void => {
    app.post(
      REMOTE_WRITE_PATH,
      {
        bodyLimit,
        config: { auth: deps.auth('POST', REMOTE_WRITE_PATH) },
        errorHandler: (err, _req, reply) => {
          const code = (err as { statusCode?: number }).statusCode ?? 500;
          if (code === 413) return reply.code(413).type('text/plain; charset=utf-8').send(`request body of more than ${bodyLimit} bytes is too large\n`);
          if (code >= 500) deps.logger.error({ err: err.message }, 'remote write failed');
          return reply.code(code).type('text/plain; charset=utf-8').send(`${code >= 500 ? 'internal error: ' : ''}${err.message}\n`);
        },
      },
      async (req, reply) => {
        const id = (req.params as { workspaceId: string }).workspaceId;
        const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const res = await handler.handle({
          workspaceId: id,
          contentType: header(req.headers['content-type']),
          contentEncoding: header(req.headers['content-encoding']),
          body,
        });
        reply.code(res.status).headers(res.headers);
        return res.status === 204 ? reply.send() : reply.send(res.body);
      },
    );
  };
  return Object.assign(plugin, { handler });
}

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
