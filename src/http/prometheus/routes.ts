import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RoutePlugin } from '../server.js';
import { ApiError } from './api-error.js';
import type { PrometheusApiDeps } from './deps.js';
import { SigV4Error } from '../../auth/sigv4/errors.js';
import { federatedWorkspaces } from './federation.js';
import { buildInfo, formatQuery, metadata, parseQuery, queryExemplars } from './info.js';
import { readForm, type Form } from './params.js';
import { toApiError } from './query.js';
import { sendBody, sendError, sendJSON, successJSON } from './respond.js';
import { tsdbStatus } from './tsdb-status.js';
import { openWorkspace } from './workspace.js';
import type { WorkspaceTSDB } from '../../storage/workspaces.js';
import type { QueryKind } from '../../query/protocol.js';

/** HandlerResult is a handler's rendered data (null = 204 No Content) with annotations. */
interface HandlerResult {
  readonly data: string | null;
  readonly warnings?: readonly string[];
  readonly infos?: readonly string[];
}

interface HandlerCtx {
  readonly req: FastifyRequest;
  readonly workspaceId: string;
  readonly form: Form;
  readonly signal: AbortSignal;
  /** db opens the workspace's TSDB (404 for unknown workspaces). */
  db(): Promise<WorkspaceTSDB>;
}

/** BodyResult is a response body rendered elsewhere (by a query worker), in pieces. */
interface BodyResult {
  readonly chunks: readonly Uint8Array[];
}

type Handler = (ctx: HandlerCtx) => HandlerResult | BodyResult | Promise<HandlerResult | BodyResult>;

function isBody(r: HandlerResult | BodyResult): r is BodyResult {
  return 'chunks' in r;
}

/** runQuery hands a query, series or label request to the query service; query logging sees every evaluated query. */
async function runQuery(deps: PrometheusApiDeps, c: HandlerCtx, kind: QueryKind, labelName?: string): Promise<BodyResult> {
  await c.db();
  const workspaces = await federatedWorkspaces(deps, c.req, c.form, c.workspaceId);
  const now = (deps.now ?? Date.now)();
  const answer = await deps.queries.run({ kind, workspaceId: c.workspaceId, form: c.form, now, signal: c.signal, ...(labelName !== undefined ? { labelName } : {}), ...(workspaces ? { workspaces } : {}) });
  if (answer.log) deps.onQuery?.(c.workspaceId, answer.log);
  if (answer.status === 'error') throw answer.error;
  return { chunks: answer.chunks };
}

/** Endpoint describes one route of the query API (its IAM action and resource come from the route table). */
interface Endpoint {
  readonly path: string;
  readonly methods: readonly ('GET' | 'POST')[];
  readonly handler: Handler;
}

/**
 * prometheusApiRoutes registers the Prometheus HTTP query API of every workspace under
 * `/workspaces/:workspaceId/api/v1/`, with Prometheus's JSON, errors and GET/POST forms.
 */
export function prometheusApiRoutes(deps: PrometheusApiDeps): RoutePlugin {
  const endpoints: Endpoint[] = [
    { path: 'query', methods: ['GET', 'POST'], handler: (c) => runQuery(deps, c, 'instant') },
    { path: 'query_range', methods: ['GET', 'POST'], handler: (c) => runQuery(deps, c, 'range') },
    { path: 'query_exemplars', methods: ['GET', 'POST'], handler: async (c) => {
        await c.db();
        return { data: await queryExemplars(deps.exemplars, c.workspaceId, c.form) };
      } },
    { path: 'format_query', methods: ['GET', 'POST'], handler: async (c) => {
        await c.db();
        return { data: formatQuery(c.form) };
      } },
    { path: 'parse_query', methods: ['GET', 'POST'], handler: async (c) => {
        await c.db();
        return { data: parseQuery(c.form) };
      } },
    { path: 'series', methods: ['GET', 'POST'], handler: (c) => runQuery(deps, c, 'series') },
    { path: 'labels', methods: ['GET', 'POST'], handler: (c) => runQuery(deps, c, 'labels') },
    { path: 'label/:labelName/values', methods: ['GET'], handler: (c) => runQuery(deps, c, 'labelValues', (c.req.params as { labelName: string }).labelName) },
    { path: 'metadata', methods: ['GET'], handler: async (c) => {
        await c.db();
        return { data: await metadata(deps.metadata, c.workspaceId, c.form) };
      } },
    { path: 'status/buildinfo', methods: ['GET'], handler: async (c) => {
        await c.db();
        return { data: buildInfo(deps) };
      } },
    { path: 'status/tsdb', methods: ['GET'], handler: async (c) => ({ data: await tsdbStatus(await c.db(), c.form) }) },
  ];

  const prefix = deps.prefix ?? '/workspaces/:workspaceId/api/v1';

  return (app: FastifyInstance) => {
    for (const ep of endpoints) {
      const run = async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
        const workspaceId = (req.params as { workspaceId: string }).workspaceId;
        const ac = new AbortController();
        const onClose = (): void => {
          if (!reply.raw.writableEnded) ac.abort();
        };
        req.raw.socket?.once('close', onClose);
        try {
          const ctx: HandlerCtx = { req, workspaceId, form: readForm(req), signal: ac.signal, db: () => openWorkspace(deps, workspaceId) };
          const res = await ep.handler(ctx);
          if (isBody(res)) return await sendBody(req, reply, 200, res.chunks);
          if (res.data === null) return await reply.code(204).send();
          return await sendJSON(req, reply, 200, successJSON(res.data, res.warnings, res.infos));
        } catch (err) {
          // A cross-workspace query denied on one of its workspaces: the auth error handler answers 403 in the route's shape.
          if (err instanceof SigV4Error) throw err;
          const ae = toApiError(err);
          if (ae.type === 'internal') deps.logger.error({ err, path: ep.path, workspaceId }, 'query API internal error');
          return await sendError(req, reply, ae instanceof ApiError ? ae : toApiError(ae));
        } finally {
          req.raw.socket?.off('close', onClose);
        }
      };
      for (const method of ep.methods) {
        const url = `${prefix}/${ep.path}`;
        app.route({ method, url, config: { auth: deps.auth(method, url) }, handler: run });
      }
    }
  };
}
