import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest, type onRequestHookHandler } from 'fastify';
import { checkRouteAuth } from '../auth/actions.js';
import type { TlsOptions } from 'node:tls';
import { authErrorHandler, installAuthHooks, type AuthHooks } from '../auth/authn/hook.js';
import { errorResponseXml } from '../auth/authn/errors.js';
import { truncateEcho } from '../auth/sigv4/redact.js';
import { BodyTooLargeError, bodyLimitFor, DEFAULT_BODY_LIMITS } from './body-limits.js';
import type { Logger } from '../model/logger.js';
import type { StorageStatus } from '../storage/workspaces.js';
import './route-auth.js';

/** RoutePlugin registers one module's routes (control plane, IAM/STS, remote write, query API ...). */
export type RoutePlugin = (app: FastifyInstance) => void | Promise<void>;

/** ServerDeps are the modules the HTTP layer serves. */
export interface ServerDeps {
  /** storage tells readiness which blocks are corrupt. */
  storage: Pick<StorageStatus, 'corruptBlocks'>;
  logger: Logger;
  /** bodyLimit caps request bodies of paths that match no route, in bytes (413 beyond); routes get theirs from bodyLimitFor unless they set their own. */
  bodyLimit?: number;
  /** authenticate are the hooks that authenticate every request (SigV4 on the headers before the body is read) and authorise it per the route's `config.auth`. */
  authenticate?: AuthHooks;
  /** plugins register the modules' routes. */
  plugins?: readonly RoutePlugin[];
  /**
   * target names the role this process runs when it is not the whole service ('write', 'read',
   * 'backend'): requests for routes it does not serve answer 404 naming it, instead of 501.
   */
  target?: string;
  /** https makes the listener speak TLS only (src/http/tls/options.ts loadTls); absent: plain HTTP. */
  https?: TlsOptions;
  /** browserHome redirects a browser's plain `GET /` to the console before authentication (src/http/console/routes.ts). */
  browserHome?: onRequestHookHandler;
  /** anyPublic lets any route be public (tests that serve API routes without the identity module); otherwise only PUBLIC_ENDPOINTS. */
  anyPublic?: boolean;
}

/**
 * buildServer wires the HTTP routes. Every request body arrives as the raw Buffer (SigV4
 * hashes the exact bytes; each module parses JSON, forms or protobuf itself). Routes
 * of modules not built yet answer a clear error in the client's error shape.
 */
export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: deps.bodyLimit ?? DEFAULT_BODY_LIMITS.other, return503OnClosing: true, ...(deps.https ? { https: deps.https } : {}) }) as unknown as FastifyInstance;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  // A declared length over the route's cap answers 413 before authentication reads anything (the rest is discarded unread).
  app.addHook('onRequest', async (req) => {
    const limit = req.routeOptions.bodyLimit ?? DEFAULT_BODY_LIMITS.other;
    if (Number(req.headers['content-length'] ?? 0) > limit) throw new BodyTooLargeError(limit);
  });
  if (deps.browserHome) app.addHook('onRequest', deps.browserHome);
  if (deps.authenticate) installAuthHooks(app, deps.authenticate);
  // Start-up check: every route takes its IAM action and resource from the one route table.
  // Each route's body cap follows its kind (IAM/STS and control plane small) unless the route sets its own.
  app.addHook('onRoute', (route) => {
    route.bodyLimit ??= bodyLimitFor(route.config?.auth);
    for (const method of [route.method].flat()) checkRouteAuth(method, route.url, route.config?.auth, { anyPublic: deps.anyPublic ?? false });
  });
  app.setErrorHandler(authErrorHandler((err, req, reply) => renderError(deps.logger, err, req, reply)));

  app.get('/-/healthy', { config: { auth: 'public' } }, async (_req, reply) => reply.type('text/plain').send('Amphora is Healthy.\n'));

  app.get('/-/ready', { config: { auth: 'public' } }, async (_req, reply) => {
    const corruptBlocks = await deps.storage.corruptBlocks();
    return reply.send({ status: 'ready', corruptBlocks });
  });

  for (const plugin of deps.plugins ?? []) await plugin(app);

  app.setNotFoundHandler((req, reply) => {
    // Only authenticated callers get here (the authentication hooks run for unmatched paths too).
    const path = truncateEcho(req.url.split('?')[0]!);
    if (deps.target !== undefined) return notServed(reply, req.method, path, deps.target);
    deps.logger.info({ method: req.method, path, principal: req.principal?.arn }, 'request for an API that is not built yet');
    if (/^\/workspaces\/[^/]+\/(api|alertmanager)\//.test(path)) {
      return reply.code(501).send({ status: 'error', errorType: 'unavailable', error: `${req.method} ${path} is not implemented yet in this Amphora build` });
    }
    return reply
      .code(501)
      .header('x-amzn-errortype', 'NotImplementedException')
      .send({ message: `${req.method} ${path} is not implemented yet in this Amphora build` });
  });

  return app;
}

/** notServed answers 404 for a route this process's target does not serve, in the shape its clients parse. */
function notServed(reply: FastifyReply, method: string, path: string, target: string): FastifyReply {
  const message = `${method} ${path} is not served by this Amphora process (target ${target}); send it to a process running target all or the role that serves it`;
  if (/^\/workspaces\/[^/]+\/(api|alertmanager)\//.test(path)) return reply.code(404).send({ status: 'error', errorType: 'not_found', error: message });
  return reply.code(404).header('x-amzn-errortype', 'ResourceNotFoundException').send({ message });
}

/** renderError answers an error no route handled in the shape the route's clients parse (413 for oversized bodies). */
function renderError(logger: Logger, err: FastifyError, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
  const path = truncateEcho(req.url.split('?')[0]!);
  if (status >= 500) logger.error({ method: req.method, path, err: truncateEcho(err.message) }, 'request failed');
  else logger.warn({ method: req.method, path, err: truncateEcho(err.message) }, 'bad request');
  const message = status >= 500 ? 'internal error' : status === 413 ? tooLargeMessage(err, req) : err.message;
  const auth = req.routeOptions.config?.auth;
  const shape = auth && auth !== 'public' ? auth.errorShape : req.url.split('?')[0] === '/' ? 'aws-xml' : 'aws-json';
  if (shape === 'prometheus') {
    const errorType = status >= 500 ? 'internal' : 'bad_data';
    return reply.code(status).send({ status: 'error', errorType, error: message });
  }
  if (shape === 'aws-xml') {
    const code = status === 413 ? 'RequestEntityTooLarge' : status >= 500 ? 'ServiceFailure' : 'ValidationError';
    const service = req.sigv4?.service === 'iam' ? 'iam' : 'sts';
    return reply.code(status).type('text/xml').send(errorResponseXml(service, code, message, status, randomUUID()));
  }
  const type = status === 413 ? 'PayloadTooLargeException' : status >= 500 ? 'InternalServerException' : 'ValidationException';
  return reply.code(status).header('x-amzn-errortype', type).send({ message });
}

/** tooLargeMessage names the body cap that was exceeded. */
function tooLargeMessage(err: FastifyError, req: FastifyRequest): string {
  if (err.name === 'BodyTooLargeError') return err.message;
  return `request body is larger than the ${req.routeOptions.bodyLimit ?? DEFAULT_BODY_LIMITS.other}-byte limit of this API`;
}
