import { randomUUID } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import type { ErrorShape, Principal } from '../../http/route-auth.js';
import type { Logger } from '../../model/logger.js';
import { tagsToRecord } from '../store/context.js';
import type { SqliteIdentityStore } from '../store/identity-store.js';
import { errorResponseXml, type QueryService } from './errors.js';
import { FailureLimiter } from './failure-limiter.js';

/** CREDENTIAL_SERVICE is the IAM service name whose service-specific credentials open Amphora's data plane. */
export const CREDENTIAL_SERVICE = 'aps.amazonaws.com';

/** BASIC_REALM is the realm Amphora's 401 answers name in WWW-Authenticate. */
export const BASIC_REALM = 'amphora';

/** PresentedCredential is a service user name and password taken from an Authorization header. */
export interface PresentedCredential {
  scheme: 'Basic' | 'Bearer';
  serviceUserName: string;
  password: string;
}

/**
 * presentedCredential reads `Authorization: Basic base64(<ServiceUserName>:<ServicePassword>)` or
 * `Authorization: Bearer <ServiceUserName>:<ServicePassword>`; null for any other scheme (SigV4),
 * 'malformed' for a Basic/Bearer value without a user name and password.
 */
export function presentedCredential(authorization: string | readonly string[] | undefined): PresentedCredential | 'malformed' | null {
  const h = (typeof authorization === 'string' ? authorization : authorization?.[0])?.trim();
  if (h === undefined) return null;
  const sp = h.indexOf(' ');
  const scheme = (sp < 0 ? h : h.slice(0, sp)).toLowerCase();
  if (scheme !== 'basic' && scheme !== 'bearer') return null;
  const value = sp < 0 ? '' : h.slice(sp + 1).trim();
  const pair = scheme === 'basic' ? Buffer.from(value, 'base64').toString('utf8') : value;
  const colon = pair.indexOf(':');
  if (colon <= 0 || colon === pair.length - 1) return 'malformed';
  return { scheme: scheme === 'basic' ? 'Basic' : 'Bearer', serviceUserName: pair.slice(0, colon), password: pair.slice(colon + 1) };
}

/** ServiceCredentialErrorCode names why a service-specific credential was refused. */
export type ServiceCredentialErrorCode = 'InvalidServiceCredential' | 'ServiceCredentialNotAccepted' | 'TooManyAuthenticationFailures';

const STATUS: Record<ServiceCredentialErrorCode, number> = { InvalidServiceCredential: 401, ServiceCredentialNotAccepted: 403, TooManyAuthenticationFailures: 429 };

/** ServiceCredentialError is a refused service-specific credential: 401 (wrong, inactive, expired), 403 (not on this endpoint), 429 (too many failures). */
export class ServiceCredentialError extends Error {
  override name = 'ServiceCredentialError';
  readonly httpStatus: number;
  constructor(
    readonly code: ServiceCredentialErrorCode,
    message: string,
    readonly retryAfterSec?: number,
  ) {
    super(message);
    this.httpStatus = STATUS[code];
  }
}

/** ServiceAuthenticated is a request authenticated by a service-specific credential, as the authentication hook records it. */
export interface ServiceAuthenticated {
  principal: Principal;
  /** auth mirrors the SigV4 facts the hook keeps: the credential id stands in for the access key id. */
  auth: { accessKeyId: string; service: 'aps' };
  temporary: false;
}

/** ServiceCredentialAuthOptions configure ServiceCredentialAuthenticator. */
export interface ServiceCredentialAuthOptions {
  store: Pick<SqliteIdentityStore, 'serviceCredentials' | 'users' | 'accountId'>;
  logger: Logger;
  now: () => number;
  /** perIpFailures / perUserFailures are the failures allowed per source IP / per service user name in windowMs (defaults 10 and 20 per minute). */
  perIpFailures?: number;
  perUserFailures?: number;
  windowMs?: number;
}

/** AuthenticateInput is what the authenticator needs of one request. */
export interface AuthenticateInput {
  credential: PresentedCredential | 'malformed';
  /** dataPlane is true for the Prometheus-API routes (remote write, queries, OTLP, remote read, Alertmanager, rules). */
  dataPlane: boolean;
  sourceIp: string;
  method: string;
  path: string;
}

/**
 * ServiceCredentialAuthenticator authenticates data-plane requests with a service-specific
 * credential: the password's SHA-256 compared in constant time, status and expiry checked,
 * failures rate-limited per source IP and per service user name, logged without the secret.
 * The resulting principal is the IAM user, so the same policy evaluation as SigV4 follows.
 */
export class ServiceCredentialAuthenticator {
  private readonly byIp: FailureLimiter;
  private readonly byUser: FailureLimiter;

  constructor(private readonly o: ServiceCredentialAuthOptions) {
    const windowMs = o.windowMs ?? 60_000;
    this.byIp = new FailureLimiter({ maxFailures: o.perIpFailures ?? 10, windowMs, now: o.now });
    this.byUser = new FailureLimiter({ maxFailures: o.perUserFailures ?? 20, windowMs, now: o.now });
  }

  private refuse(input: AuthenticateInput, code: ServiceCredentialErrorCode, reason: string, message: string, retryAfterSec?: number): ServiceCredentialError {
    const c = input.credential;
    this.o.logger.warn(
      { event: 'authentication_failed', code, reason, scheme: c === 'malformed' ? undefined : c.scheme, serviceUserName: c === 'malformed' ? undefined : c.serviceUserName, sourceIp: input.sourceIp, method: input.method, path: input.path },
      'service-specific credential refused',
    );
    return new ServiceCredentialError(code, message, retryAfterSec);
  }

  /** authenticate returns the credential's user as the principal, or throws ServiceCredentialError. */
  authenticate(input: AuthenticateInput): ServiceAuthenticated {
    if (!input.dataPlane) {
      throw this.refuse(input, 'ServiceCredentialNotAccepted', 'not a data-plane endpoint',
        'Service-specific credentials (HTTP Basic or Bearer) are accepted only on the data plane (remote write, queries, OTLP, remote read, rules, alerts); sign control-plane, IAM and STS requests with AWS Signature Version 4.');
    }
    const c = input.credential;
    const ipKey = input.sourceIp;
    const userKey = c === 'malformed' ? '' : c.serviceUserName.toLowerCase();
    const wait = Math.max(this.byIp.retryAfterMs(ipKey), userKey ? this.byUser.retryAfterMs(userKey) : 0);
    if (wait > 0) {
      const sec = Math.ceil(wait / 1000);
      throw this.refuse(input, 'TooManyAuthenticationFailures', 'rate limited', `Too many failed authentication attempts; retry in ${sec} s.`, sec);
    }
    const invalid = 'The service-specific credential is invalid, inactive or expired.';
    if (c === 'malformed') {
      this.byIp.fail(ipKey);
      throw this.refuse(input, 'InvalidServiceCredential', 'malformed Authorization value', 'The Authorization header must be "Basic base64(<ServiceUserName>:<ServicePassword>)" or "Bearer <ServiceUserName>:<ServicePassword>".');
    }
    const cred = this.o.store.serviceCredentials.verify(c.serviceUserName, c.password, CREDENTIAL_SERVICE);
    if (!cred) {
      this.byIp.fail(ipKey);
      this.byUser.fail(userKey);
      throw this.refuse(input, 'InvalidServiceCredential', 'unknown user name or wrong password', invalid);
    }
    if (cred.status !== 'Active') throw this.refuse(input, 'InvalidServiceCredential', `credential ${cred.serviceSpecificCredentialId} is inactive`, invalid);
    if (cred.expiresAt !== undefined && this.o.now() >= cred.expiresAt) throw this.refuse(input, 'InvalidServiceCredential', `credential ${cred.serviceSpecificCredentialId} expired`, invalid);
    const user = this.o.store.users.byId(cred.userId);
    if (!user) throw this.refuse(input, 'InvalidServiceCredential', 'user no longer exists', invalid);
    const principal: Principal = {
      type: 'user',
      arn: user.arn,
      userId: user.userId,
      accountId: this.o.store.accountId,
      accessKeyId: cred.serviceSpecificCredentialId,
      username: user.userName,
      tags: tagsToRecord(user.tags),
    };
    return { principal, auth: { accessKeyId: cred.serviceSpecificCredentialId, service: 'aps' }, temporary: false };
  }
}

/** sendServiceCredentialError renders a refused service-specific credential in the route's error shape, with WWW-Authenticate on 401 and Retry-After on 429. */
export function sendServiceCredentialError(reply: FastifyReply, shape: ErrorShape, err: ServiceCredentialError, service: QueryService = 'sts'): FastifyReply {
  const requestId = randomUUID();
  reply.code(err.httpStatus).header('x-amzn-requestid', requestId);
  if (err.httpStatus === 401) reply.header('www-authenticate', `Basic realm="${BASIC_REALM}"`);
  if (err.retryAfterSec !== undefined) reply.header('retry-after', String(err.retryAfterSec));
  const type = `${err.code}Exception`;
  switch (shape) {
    case 'aws-json':
      return reply.header('x-amzn-errortype', type).type('application/json').send({ message: err.message });
    case 'aws-xml':
      return reply.type('text/xml').send(errorResponseXml(service, err.code, err.message, err.httpStatus, requestId));
    case 'prometheus':
      return reply.header('x-amzn-errortype', type).type('application/json').send({ status: 'error', errorType: type, error: err.message });
    default:
      return assertNever(shape);
  }
}

function assertNever(x: never): never {
  throw new Error(`unhandled error shape ${String(x)}`);
}
