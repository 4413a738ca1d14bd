import type { FastifyError, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { RouteAuth } from '../../http/route-auth.js';
import type { Logger } from '../../model/logger.js';
import { SigV4Error } from '../sigv4/errors.js';
import { authenticateSigV4 } from './authenticate.js';
import { createAuthorizer, type AuthorizerDeps, type RequestFacts } from './authorize.js';
import { sendAuthError, type QueryService } from './errors.js';
import type { IdentityStore } from './identity-store.js';
import { isSigned, queryProtocolParams, toSigV4Request } from './request.js';
import { presentedCredential, sendServiceCredentialError, ServiceCredentialError, type ServiceCredentialAuthenticator } from './service-credentials.js';

/** SigV4Facts are what the hook learnt from a request's verified signature. */
export interface SigV4Facts {
  /** service is the credential scope's service ('aps', 'iam', 'sts'). */
  readonly service: string;
  /** temporary is true for session credentials. */
  readonly temporary: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** sigv4 is set by the authentication hook for signed requests (the IAM/STS route dispatches on its service). */
    sigv4?: SigV4Facts;
  }
}

/** UNSIGNED_STS_ACTIONS are the STS actions AWS accepts without a signature. */
export const UNSIGNED_STS_ACTIONS: ReadonlySet<string> = new Set(['AssumeRoleWithWebIdentity']);

/** AuthHookDeps are the dependencies of the authentication hook. */
export interface AuthHookDeps extends Omit<AuthorizerDeps, 'store'> {
  store: Pick<IdentityStore, 'accountId' | 'findAccessKey' | 'identityPolicies'>;
  region: string;
  logger: Logger;
  now: () => number;
  /** skewMs is the allowed signing clock skew (default 5 minutes). */
  skewMs?: number;
  /** serviceCredentials authenticates HTTP Basic/Bearer service-specific credentials (data plane only); without it only SigV4 is accepted. */
  serviceCredentials?: ServiceCredentialAuthenticator;
}

function facts(req: FastifyRequest): RequestFacts {
  const url = req.raw.url ?? req.url;
  const q = url.indexOf('?');
  return { sourceIp: req.ip, secureTransport: req.protocol === 'https', method: req.method, path: q < 0 ? url : url.slice(0, q) };
}

function scopeService(req: FastifyRequest): QueryService {
  const auth = req.headers['authorization'];
  const m = /Credential=[^/,]*\/\d{8}\/[^/,]*\/(iam|sts)\//.exec(typeof auth === 'string' ? auth : '');
  if (m) return m[1] as QueryService;
  const url = req.raw.url ?? req.url;
  return /X-Amz-Credential=[^&]*%2Fiam%2F/i.test(url) ? 'iam' : 'sts';
}

/**
 * createAuthHook returns the Fastify preHandler that authenticates and authorises every request per
 * its route's `config.auth`: 'public' passes; a RouteAuth verifies SigV4 over the raw body, resolves
 * the key in the identity store, sets request.principal and request.authorize, and checks
 * RouteAuth.action when set. Unsigned AssumeRoleWithWebIdentity passes on the IAM/STS route (no
 * principal). A route without `config.auth` answers 500. Failures answer in the route's errorShape
 * and are logged with principal, action and resource (never secrets or signatures).
 */
export function createAuthHook(deps: AuthHookDeps): preHandlerAsyncHookHandler {
  const authorizer = createAuthorizer(deps);
  const scope = { region: deps.region, accountId: deps.store.accountId };
  return async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    const auth = request.routeOptions.config?.auth;
    // Unknown paths reach the not-found handler, which only says the API does not exist.
    if (auth === 'public' || request.is404) return undefined;
    if (auth === undefined) {
      deps.logger.error({ method: request.method, route: request.routeOptions.url }, 'route declares no config.auth; refusing the request');
      return reply
        .code(500)
        .header('x-amzn-errortype', 'InternalServerException')
        .send({ message: `route ${request.method} ${request.routeOptions.url ?? request.url} declares no authentication (config.auth)` });
    }
    request.arnScope = scope;
    const sreq = toSigV4Request(request);
    const queryApi = auth.service === 'iam-sts';
    let accessKeyId: string | undefined;
    let action: string | undefined;
    let resource: string | undefined;
    try {
      if (queryApi && !isSigned(sreq) && UNSIGNED_STS_ACTIONS.has(queryProtocolParams(request).get('Action') ?? '')) return undefined;
      const presented = deps.serviceCredentials && presentedCredential(sreq.headers['authorization']);
      const a = presented
        ? deps.serviceCredentials!.authenticate({ credential: presented, dataPlane: auth.errorShape === 'prometheus', sourceIp: request.ip, method: request.method, path: facts(request).path })
        : authenticateSigV4(sreq, {
        store: deps.store,
        region: deps.region,
        now: deps.now,
        allowedServices: queryApi ? ['iam', 'sts'] : ['aps'],
        protocol: queryApi ? 'query' : 'json',
        ...(deps.skewMs !== undefined ? { skewMs: deps.skewMs } : {}),
      });
      accessKeyId = a.auth.accessKeyId;
      const principal = a.principal;
      const f = facts(request);
      request.principal = principal;
      request.sigv4 = { service: a.auth.service, temporary: a.temporary };
      request.authorize = (act, res, keys) => authorizer.authorize(principal, f, act, res, keys);
      if (auth.action !== null) {
        action = typeof auth.action === 'function' ? auth.action(request) : auth.action;
        resource = auth.resource(request);
        request.authorize(action, resource, auth.conditionKeys?.(request));
      }
      return undefined;
    } catch (e) {
      if (e instanceof ServiceCredentialError) return sendServiceCredentialError(reply, auth.errorShape, e, scopeService(request));
      if (!(e instanceof SigV4Error)) throw e;
      if (e.code !== 'AccessDenied') {
        const keyId = accessKeyId ?? parsedKeyId(sreq.headers['authorization'], sreq.query);
        const principal = keyId !== undefined ? deps.store.findAccessKey(keyId)?.principal.arn : undefined;
        logAuthFailure(deps.logger, request, auth, e, keyId, principal);
      }
      return sendAuthError(reply, auth.errorShape, e, scopeService(request));
    }
  };
}

function parsedKeyId(authorization: string | string[] | undefined, query: string): string | undefined {
  const h = Array.isArray(authorization) ? authorization[0] : authorization;
  const m = /Credential=([^/,\s]+)\//.exec(h ?? '') ?? /X-Amz-Credential=([^%&/]+)/i.exec(query);
  return m?.[1];
}

function logAuthFailure(logger: Logger, req: FastifyRequest, auth: RouteAuth, e: SigV4Error, accessKeyId: string | undefined, principal: string | undefined): void {
  let action: string | undefined;
  let resource: string | undefined;
  try {
    if (auth.action !== null) {
      action = typeof auth.action === 'function' ? auth.action(req) : auth.action;
      resource = auth.resource(req);
    }
  } catch {
    // the route's resource may need parameters the failed request lacks
  }
  logger.warn(
    { event: 'authentication_failed', code: e.code, reason: e.message, principal, accessKeyId, action, resource, sourceIp: req.ip, method: req.method, path: (req.raw.url ?? req.url).split('?')[0] },
    'request authentication failed',
  );
}

/**
 * authErrorHandler renders SigV4Errors thrown by request.authorize() inside route handlers in the
 * route's errorShape, and hands every other error to `fallback` (install with app.setErrorHandler).
 */
export function authErrorHandler(fallback: (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => unknown) {
  return (err: FastifyError, req: FastifyRequest, reply: FastifyReply): unknown => {
    const auth = req.routeOptions.config?.auth;
    if (err instanceof SigV4Error && auth && auth !== 'public') return sendAuthError(reply, auth.errorShape, err, scopeService(req));
    return fallback(err, req, reply);
  };
}
