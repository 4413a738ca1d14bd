import type { Principal } from '../../http/route-auth.js';
import { expiredToken, invalidClientTokenId } from '../sigv4/errors.js';
import { parseAuthorization, verifySignature, type ParsedAuth, type SigV4Request, type VerifyOptions } from '../sigv4/verify.js';
import type { AccessKeyRecord, IdentityStore } from './identity-store.js';

/** Authenticated is a request whose SigV4 signature verified with an active key. */
export interface Authenticated {
  principal: Principal;
  auth: ParsedAuth;
  /** temporary is true for session credentials (AssumeRole*, GetSessionToken). */
  temporary: boolean;
  record: AccessKeyRecord;
}

/** AuthenticateOptions configure authenticateSigV4. */
export interface AuthenticateOptions {
  store: Pick<IdentityStore, 'findAccessKey'>;
  region: string;
  now: () => number;
  /** allowedServices are the credential-scope services of the endpoint (['aps'] or ['iam', 'sts']). */
  allowedServices: readonly string[];
  /** protocol picks the error code family (json: InvalidSignatureException, query: SignatureDoesNotMatch). */
  protocol: 'json' | 'query';
  skewMs?: number;
}

/** verifyOptionsOf returns the verifier's options for an endpoint's authentication options. */
export function verifyOptionsOf(o: AuthenticateOptions): VerifyOptions {
  return {
    now: o.now,
    expectedRegion: o.region,
    allowedServices: o.allowedServices,
    protocol: o.protocol,
    ...(o.skewMs !== undefined ? { skewMs: o.skewMs } : {}),
  };
}

/**
 * resolveAccessKey parses the request's SigV4 authentication and resolves its access key, before any
 * signature is checked: unknown or inactive key: InvalidClientTokenId; session token missing, wrong or
 * sent with a long-term key: InvalidClientTokenId; temporary credentials past expiry: ExpiredToken.
 * Throws SigV4Error. The result is not authenticated until its signature verifies.
 */
export function resolveAccessKey(req: SigV4Request, o: Pick<AuthenticateOptions, 'store' | 'now'>): Authenticated {
  const auth = parseAuthorization(req);
  const record = o.store.findAccessKey(auth.accessKeyId);
  if (!record || record.status !== 'Active') throw invalidClientTokenId();
  const temporary = record.sessionToken !== undefined || record.expiresAt !== undefined;
  if (temporary) {
    if (auth.securityToken === undefined || auth.securityToken !== record.sessionToken) throw invalidClientTokenId();
    if (record.expiresAt !== undefined && o.now() >= record.expiresAt) throw expiredToken();
  } else if (auth.securityToken !== undefined && auth.securityToken !== '') {
    throw invalidClientTokenId();
  }
  return { principal: { ...record.principal, accessKeyId: record.accessKeyId }, auth, temporary, record };
}

/**
 * authenticateSigV4 resolves the request's access key (resolveAccessKey) and verifies the signature over
 * the whole body (req.body). Throws SigV4Error.
 */
export function authenticateSigV4(req: SigV4Request, o: AuthenticateOptions): Authenticated {
  const a = resolveAccessKey(req, o);
  verifySignature(req, a.auth, a.record.secretAccessKey, verifyOptionsOf(o));
  return a;
}
