import type { FastifyInstance } from 'fastify';
import type { RoutePlugin } from '../http/server.js';
import type { RouteAuthLookup } from '../http/route-auth.js';
import { OtlpHandler, type OtlpDeps } from './handler.js';

/** OtlpRouteDeps are otlpRoutes' inputs. */
export interface OtlpRouteDeps extends OtlpDeps {
  /** auth gives the route its auth from the route → IAM action table (aps:RemoteWrite), or 'public' in tests. */
  readonly auth: RouteAuthLookup;
  /** maxCompressedBytes caps the HTTP body as sent (413; default 64 MiB). */
  readonly maxCompressedBytes?: number;
}

/** OTLP_METRICS_PATH is AMP's OTLP metrics path. */
export const OTLP_METRICS_PATH = '/workspaces/:workspaceId/api/v1/otlp/v1/metrics';

/**
 * otlpRoutes registers POST /workspaces/:workspaceId/api/v1/otlp/v1/metrics (aps:RemoteWrite on the
 * workspace, from the route table). The server hands every body over raw, so the handler
 * answers unsupported content types with 415 itself.
 */
export function otlpRoutes(deps: OtlpRouteDeps): RoutePlugin & { handler: OtlpHandler } {
  const handler = new OtlpHandler(deps);
  const bodyLimit = deps.maxCompressedBytes ?? 64 * 1024 * 1024;
  const plugin = (app: FastifyInstance): void => {
    app.post(
      OTLP_METRICS_PATH,
      {
        bodyLimit,
        config: { auth: deps.auth('POST', OTLP_METRICS_PATH) },
        errorHandler: (err, _req, reply) => {
          const code = (err as { statusCode?: number }).statusCode ?? 500;
          if (code === 413) return reply.code(413).type('text/plain; charset=utf-8').send(`request body of more than ${bodyLimit} bytes is too large\n`);
          if (code >= 500) deps.logger.error({ err: err.message }, 'OTLP export failed');
          return reply.code(code).type('text/plain; charset=utf-8').send(`${code >= 500 ? 'internal error: ' : ''}${err.message}\n`);
        },
      },
      async (req, reply) => {
        const id = (req.params as { workspaceId: string }).workspaceId;
        const res = await handler.handle({
          workspaceId: id,
          contentType: header(req.headers['content-type']),
          contentEncoding: header(req.headers['content-encoding']),
          body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
        });
        return reply.code(res.status).headers(res.headers).send(typeof res.body === 'string' ? res.body : Buffer.from(res.body.buffer, res.body.byteOffset, res.body.length));
      },
    );
  };
  return Object.assign(plugin, { handler });
}

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
