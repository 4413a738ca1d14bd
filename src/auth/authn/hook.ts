import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  onRequestAbortAsyncHookHandler,
  onRequestAsyncHookHandler,
  onResponseAsyncHookHandler,
  preHandlerAsyncHookHandler,
  preParsingAsyncHookHandler,
} from 'fastify';
import { BodyTooLargeError, DEFAULT_BODY_LIMITS } from '../../http/body-limits.js';
import type { ErrorShape, Principal, RouteAuth } from '../../http/route-auth.js';
import type { Logger } from '../../model/logger.js';
import { sha256Hex } from '../sigv4/canonical.js';
import { SigV4Error } from '../sigv4/errors.js';
import { truncateEcho } from '../sigv4/redact.js';
import { contentSha256Mismatch, parseAuthorization, verifyAfterBody, verifyBeforeBody, type VerifyOptions } from '../sigv4/verify.js';
import { resolveAccessKey, verifyOptionsOf, type Authenticated } from './authenticate.js';
import { createAuthorizer, type AuthorizerDeps, type RequestFacts } from './authorize.js';
import { HashingStream } from './body-hash.js';
import { sendAuthError, type QueryService } from './errors.js';
import type { IdentityStore } from './identity-store.js';
import { PendingBodies, type PendingLimits } from './pending.js';
import { isSigned, queryProtocolParams, toHeaderRequest } from './request.js';
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
  /** clientCertPrincipal names the principal of an unsigned aps request's verified client certificate (mTLS; src/auth/authn/client-cert.ts), or null. */
  clientCertPrincipal?: (req: FastifyRequest) => Principal | null;
  /** skewMs is the allowed signing clock skew (default 5 minutes). */
  skewMs?: number;
  /** pending bounds the bodies read before authentication completes (default DEFAULT_PENDING_LIMITS). */
  pending?: PendingLimits;
  /** unsignedBodyLimit caps an unsigned STS body (default 64 KiB). */
  unsignedBodyLimit?: number;
  /** serviceCredentials authenticates HTTP Basic/Bearer service-specific credentials (data plane only); without it only SigV4 is accepted. */
  serviceCredentials?: ServiceCredentialAuthenticator;
}

/** AuthHooks are the Fastify hooks that authenticate before the body is read and authorise once it is (install with installAuthHooks). */
export interface AuthHooks {
  readonly onRequest: onRequestAsyncHookHandler;
  readonly preParsing: preParsingAsyncHookHandler;
  readonly preHandler: preHandlerAsyncHookHandler;
  readonly onResponse: onResponseAsyncHookHandler;
  readonly onRequestAbort: onRequestAbortAsyncHookHandler;
  /** pending is the account of bodies being read before authentication (for tests and metrics). */
  readonly pending: PendingBodies;
}

/** installAuthHooks adds the authentication hooks to a Fastify instance (before its routes and not-found handler). */
export function installAuthHooks(app: FastifyInstance, hooks: AuthHooks): void {
  app.addHook('onRequest', hooks.onRequest);
  app.addHook('preParsing', hooks.preParsing);
  app.addHook('preHandler', hooks.preHandler);
  app.addHook('onResponse', hooks.onResponse);
  app.addHook('onRequestAbort', hooks.onRequestAbort);
}

/** Endpoint is how a request is authenticated: its route's declared auth, or for paths that match no route, any signed service. */
interface Endpoint {
  readonly route: RouteAuth | null;
  readonly errorShape: ErrorShape;
  readonly queryApi: boolean;
  readonly allowedServices: readonly string[];
}

/** AuthState is what onRequest learnt, for the later hooks of the same request. */
type AuthState =
  | { readonly kind: 'header-auth'; readonly principal: Principal; readonly sigv4?: { service: string; temporary: boolean }; readonly endpoint: Endpoint; stream?: HashingStream }
  | { readonly kind: 'verified'; readonly a: Authenticated; readonly bodySha256: string | null; readonly endpoint: Endpoint; stream?: HashingStream }
  | { readonly kind: 'deferred'; readonly a: Authenticated; readonly opts: VerifyOptions; readonly endpoint: Endpoint; readonly release: () => void; stream?: HashingStream }
  | { readonly kind: 'unsigned-sts'; readonly endpoint: Endpoint; readonly limit: number; readonly release: () => void; stream?: HashingStream };

function facts(req: FastifyRequest): RequestFacts {
  const url = req.raw.url ?? req.url;
  const q = url.indexOf('?');
  return { sourceIp: req.ip, secureTransport: req.protocol === 'https', method: req.method, path: q < 0 ? url : url.slice(0, q) };
}

function pathOf(req: FastifyRequest): string {
  return (req.raw.url ?? req.url).split('?')[0]!;
}

function scopeService(req: FastifyRequest): QueryService {
  const auth = req.headers['authorization'];
  const m = /Credential=[^/,]*\/\d{8}\/[^/,]*\/(iam|sts)\//.exec(typeof auth === 'string' ? auth : '');
  if (m) return m[1] as QueryService;
  const url = req.raw.url ?? req.url;
  return /X-Amz-Credential=[^&]*%2Fiam%2F/i.test(url) ? 'iam' : 'sts';
}

/** endpointOf tells how a request authenticates: its route's auth, or (no route matched) any service, answering in the shape its path's clients parse. */
function endpointOf(req: FastifyRequest, route: RouteAuth | null): Endpoint {
  if (route) {
    const queryApi = route.service === 'iam-sts';
    return { route, errorShape: route.errorShape, queryApi, allowedServices: queryApi ? ['iam', 'sts'] : [route.service] };
  }
  const path = pathOf(req);
  const errorShape: ErrorShape = /^\/workspaces\/[^/]+\/(api|alertmanager)\//.test(path) ? 'prometheus' : path === '/' ? 'aws-xml' : 'aws-json';
  return { route: null, errorShape, queryApi: path === '/', allowedServices: ['aps', 'eks', 'iam', 'sts'] };
}

function contentLength(req: FastifyRequest): number | null {
  const cl = req.headers['content-length'];
  if (cl === undefined) return req.headers['transfer-encoding'] === undefined ? 0 : null;
  const n = Number(cl);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

function routeBodyLimit(req: FastifyRequest): number {
  return req.routeOptions.bodyLimit ?? DEFAULT_BODY_LIMITS.other;
}

function throttled(): SigV4Error {
  return new SigV4Error('ServiceUnavailable', 'Too many request bodies are being received from this address before their authentication completes; retry shortly');
}

/**
 * createAuthHook returns the hooks that authenticate and authorise every request per its route's
 * `config.auth` ('public' passes), in this order:
 * - onRequest, before any body byte is read: parses SigV4, resolves the key, checks scope, time and
 *   signed headers, and verifies the signature when the payload hash is known from the headers
 *   (x-amz-content-sha256, or no body). UNSIGNED-PAYLOAD is refused (aps, iam and sts hash the body).
 *   Unsigned requests are refused here, except an unsigned STS call (AssumeRoleWithWebIdentity), whose
 *   body is capped small. Bodies still to be authenticated are admitted against per-source and total
 *   budgets (503 beyond). Paths that match no route authenticate too, so only signed callers learn
 *   that a route does not exist.
 * - preParsing: hashes the body as it streams.
 * - preHandler: checks the streamed hash against the declared one (XAmzContentSHA256Mismatch) or
 *   verifies the deferred signature with it, then sets request.principal and request.authorize and
 *   checks the route's action (whose resource may come from the body).
 * A route without `config.auth` answers 500. Failures answer in the route's errorShape and are logged
 * with principal, action and resource (never secrets, signatures or whole Authorization headers).
 */
export function createAuthHook(deps: AuthHookDeps): AuthHooks {
  const authorizer = createAuthorizer(deps);
  const scope = { region: deps.region, accountId: deps.store.accountId };
  const pending = new PendingBodies(deps.pending);
  const unsignedLimit = deps.unsignedBodyLimit ?? DEFAULT_BODY_LIMITS.unsignedSts;
  const states = new WeakMap<FastifyRequest, AuthState>();

  const fail = (request: FastifyRequest, reply: FastifyReply, endpoint: Endpoint, e: SigV4Error, keyId?: string): FastifyReply => {
    if (e.code !== 'AccessDenied') {
      const principal = keyId !== undefined ? deps.store.findAccessKey(keyId)?.principal.arn : undefined;
      logAuthFailure(deps.logger, request, endpoint.route, e, keyId, principal);
    }
    if (e.code === 'ServiceUnavailable') reply.header('retry-after', '1');
    return sendAuthError(reply, endpoint.errorShape, e, scopeService(request));
  };

  const onRequest: onRequestAsyncHookHandler = async (request, reply) => {
    const declared = request.routeOptions.config?.auth;
    if (declared === 'public') return;
    if (declared === undefined && !request.is404) {
      deps.logger.error({ method: request.method, route: request.routeOptions.url }, 'route declares no config.auth; refusing the request');
      await reply
        .code(500)
        .header('x-amzn-errortype', 'InternalServerException')
        .send({ message: `route ${request.method} ${request.routeOptions.url ?? truncateEcho(pathOf(request))} declares no authentication (config.auth)` });
      return reply;
    }
    request.arnScope = scope;
    const endpoint = endpointOf(request, declared ?? null);
    const sreq = toHeaderRequest(request);
    let keyId: string | undefined;
    try {
      const length = contentLength(request);
      if (endpoint.queryApi && !isSigned(sreq)) {
        const queryAction = new URLSearchParams(sreq.query).get('Action');
        if ((queryAction === null && length !== 0) || (queryAction !== null && UNSIGNED_STS_ACTIONS.has(queryAction))) {
          const limit = Math.min(unsignedLimit, routeBodyLimit(request));
          if (length !== null && length > limit) throw new BodyTooLargeError(limit, 'an unsigned request body');
          const release = length === 0 ? () => {} : pending.admit(request.ip, length ?? limit);
          if (release === null) throw throttled();
          states.set(request, { kind: 'unsigned-sts', endpoint, limit, release });
          return;
        }
      }
      // Service-specific credentials (HTTP Basic or Bearer) need only the headers; data plane only.
      const presented = deps.serviceCredentials && presentedCredential(sreq.headers['authorization']);
      if (presented) {
        const path = pathOf(request);
        const s = deps.serviceCredentials!.authenticate({ credential: presented, dataPlane: endpoint.errorShape === 'prometheus', sourceIp: request.ip, method: request.method, path });
        states.set(request, { kind: 'header-auth', principal: s.principal, sigv4: { service: s.auth.service, temporary: s.temporary }, endpoint });
        return;
      }
      // mTLS: an unsigned data-plane or control-plane request is its verified client certificate's principal.
      const certPrincipal = !endpoint.queryApi && !isSigned(sreq) ? (deps.clientCertPrincipal?.(request) ?? null) : null;
      if (certPrincipal) {
        states.set(request, { kind: 'header-auth', principal: certPrincipal, endpoint });
        return;
      }
      const a = resolveAccessKey(sreq, { store: deps.store, now: deps.now });
      keyId = a.auth.accessKeyId;
      const opts = verifyOptionsOf({
        store: deps.store,
        region: deps.region,
        now: deps.now,
        allowedServices: endpoint.allowedServices,
        protocol: endpoint.queryApi ? 'query' : 'json',
        ...(deps.skewMs !== undefined ? { skewMs: deps.skewMs } : {}),
      });
      const verdict = verifyBeforeBody(sreq, a.auth, a.record.secretAccessKey, opts);
      if (verdict.kind === 'verified') {
        states.set(request, { kind: 'verified', a, bodySha256: verdict.bodySha256, endpoint });
        return;
      }
      const release = pending.admit(request.ip, Math.min(length ?? Infinity, routeBodyLimit(request)));
      if (release === null) throw throttled();
      states.set(request, { kind: 'deferred', a, opts, endpoint, release });
    } catch (e) {
      if (e instanceof ServiceCredentialError) return sendServiceCredentialError(reply, endpoint.errorShape, e, scopeService(request));
      if (!(e instanceof SigV4Error)) throw e;
      return fail(request, reply, endpoint, e, keyId ?? parsedKeyId(sreq.headers['authorization'], sreq.query));
    }
  };

  const preParsing: preParsingAsyncHookHandler = async (request, _reply, payload) => {
    const st = states.get(request);
    if (!st || st.kind === 'header-auth') return payload;
    const stream = new HashingStream(st.kind === 'unsigned-sts' ? st.limit : Infinity);
    st.stream = stream;
    payload.on('error', (err) => stream.destroy(err));
    return payload.pipe(stream);
  };

  const preHandler: preHandlerAsyncHookHandler = async (request, reply) => {
    const st = states.get(request);
    if (!st) return undefined;
    const { endpoint } = st;
    const keyId = st.kind === 'unsigned-sts' || st.kind === 'header-auth' ? undefined : st.a.auth.accessKeyId;
    try {
      // The streamed hash, or (no body was streamed) the hash of what was parsed; only signed requests need it.
      const bodySha256 = (): string => st.stream?.sha256Hex ?? sha256Hex(Buffer.isBuffer(request.body) ? request.body : new Uint8Array(0));
      if (st.kind === 'unsigned-sts') {
        st.release();
        if (UNSIGNED_STS_ACTIONS.has(queryProtocolParams(request).get('Action') ?? '')) return undefined;
        parseAuthorization(toHeaderRequest(request)); // throws MissingAuthenticationToken
        return undefined;
      }
      if (st.kind === 'verified' && st.bodySha256 !== null && bodySha256() !== st.bodySha256) throw contentSha256Mismatch();
      if (st.kind === 'deferred') {
        st.release();
        verifyAfterBody(toHeaderRequest(request), st.a.auth, st.a.record.secretAccessKey, st.opts, bodySha256());
      }
      const principal = st.kind === 'header-auth' ? st.principal : st.a.principal;
      const f = facts(request);
      request.principal = principal;
      if (st.kind !== 'header-auth') request.sigv4 = { service: st.a.auth.service, temporary: st.a.temporary };
      else if (st.sigv4) request.sigv4 = st.sigv4;
      request.authorize = (act, res, keys) => authorizer.authorize(principal, f, act, res, keys);
      const route = endpoint.route;
      if (route && route.action !== null) {
        const action = typeof route.action === 'function' ? route.action(request) : route.action;
        const resource = route.resource(request);
        const keys = route.conditionKeys?.(request);
        request.authorize(action, resource, keys);
        for (const dependent of route.dependentActions?.(request) ?? []) request.authorize(dependent, resource, keys);
      }
      return undefined;
    } catch (e) {
      if (!(e instanceof SigV4Error)) throw e;
      return fail(request, reply, endpoint, e, keyId);
    }
  };

  const release = async (request: FastifyRequest): Promise<void> => {
    const st = states.get(request);
    if (st && (st.kind === 'deferred' || st.kind === 'unsigned-sts')) st.release();
  };

  return { onRequest, preParsing, preHandler, onResponse: release, onRequestAbort: release, pending };
}

function parsedKeyId(authorization: string | string[] | undefined, query: string): string | undefined {
  const h = Array.isArray(authorization) ? authorization[0] : authorization;
  const m = /Credential=([^/,\s]+)\//.exec(h ?? '') ?? /X-Amz-Credential=([^%&/]+)/i.exec(query);
  return m?.[1] !== undefined ? truncateEcho(m[1], 128) : undefined;
}

function logAuthFailure(logger: Logger, req: FastifyRequest, auth: RouteAuth | null, e: SigV4Error, accessKeyId: string | undefined, principal: string | undefined): void {
  let action: string | undefined;
  let resource: string | undefined;
  try {
    if (auth && auth.action !== null) {
      action = typeof auth.action === 'function' ? auth.action(req) : auth.action;
      resource = auth.resource(req);
    }
  } catch {
    // the route's resource may need parameters (or a body) the failed request lacks
  }
  logger.warn(
    {
      event: 'authentication_failed',
      code: e.code,
      reason: e.message,
      principal,
      accessKeyId,
      action,
      resource: resource !== undefined ? truncateEcho(resource) : undefined,
      sourceIp: req.ip,
      method: req.method,
      path: truncateEcho(pathOf(req)),
    },
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
