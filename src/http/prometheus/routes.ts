import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RoutePlugin } from '../server.js';
import { ApiError } from './api-error.js';
import type { PrometheusApiDeps } from './deps.js';
import { buildInfo, formatQuery, metadata, parseQuery, queryExemplars } from './info.js';
import { readForm, type Form } from './params.js';
import { instantQuery, rangeQuery, toApiError } from './query.js';
import { sendError, sendJSON, successJSON } from './respond.js';
import { labelNames, labelValues, series } from './series-labels.js';
import { tsdbStatus } from './tsdb-status.js';
import { openWorkspace } from './workspace.js';
import type { WorkspaceTSDB } from '../../storage/workspaces.js';

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

type Handler = (ctx: HandlerCtx) => HandlerResult | Promise<HandlerResult>;

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
    { path: 'query', methods: ['GET', 'POST'], handler: async (c) => {
        const db = await c.db();
        await yieldToEventLoop();
        return instantQuery({ deps, workspaceId: c.workspaceId, queryable: db, form: c.form, signal: c.signal });
      } },
    { path: 'query_range', methods: ['GET', 'POST'], handler: async (c) => {
        const db = await c.db();
        await yieldToEventLoop();
        return rangeQuery({ deps, workspaceId: c.workspaceId, queryable: db, form: c.form, signal: c.signal });
      } },
    { path: 'query_exemplars', methods: ['GET', 'POST'], handler: async (c) => {
        await c.db();
        return { data: queryExemplars(deps.exemplars, c.workspaceId, c.form) };
      } },
    { path: 'format_query', methods: ['GET', 'POST'], handler: async (c) => {
        await c.db();
        return { data: formatQuery(c.form) };
      } },
    { path: 'parse_query', methods: ['GET', 'POST'], handler: async (c) => {
        await c.db();
        return { data: parseQuery(c.form) };
      } },
    { path: 'series', methods: ['GET', 'POST'], handler: async (c) => series(await c.db(), c.form) },
    { path: 'labels', methods: ['GET', 'POST'], handler: async (c) => labelNames(await c.db(), c.form) },
    { path: 'label/:labelName/values', methods: ['GET'], handler: async (c) => {
        const name = (c.req.params as { labelName: string }).labelName;
        return labelValues(await c.db(), name, c.form);
      } },
    { path: 'metadata', methods: ['GET'], handler: async (c) => {
        await c.db();
        return { data: metadata(deps.metadata, c.workspaceId, c.form) };
      } },
    { path: 'status/buildinfo', methods: ['GET'], handler: async (c) => {
        await c.db();
        return { data: buildInfo(deps) };
      } },
    { path: 'status/tsdb', methods: ['GET'], handler: async (c) => ({ data: tsdbStatus(await c.db(), c.form) }) },
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
          if (res.data === null) return await reply.code(204).send();
          return await sendJSON(req, reply, 200, successJSON(res.data, res.warnings, res.infos));
        } catch (err) {
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

/** yieldToEventLoop lets pending socket events (a client that went away) run before a synchronous query starts. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
