import type { Principal } from '../../http/route-auth.js';
import { expiredToken, invalidClientTokenId } from '../sigv4/errors.js';
import { parseAuthorization, verifySignature, type ParsedAuth, type SigV4Request } from '../sigv4/verify.js';
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

/**
 * authenticateSigV4 parses the request's SigV4 authentication, resolves the access key (unknown or
 * inactive: InvalidClientTokenId; session token missing, wrong or sent with a long-term key:
 * InvalidClientTokenId; temporary credentials past expiry: ExpiredToken) and verifies the signature.
 * Throws SigV4Error.
 */
export function authenticateSigV4(req: SigV4Request, o: AuthenticateOptions): Authenticated {
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
  verifySignature(req, auth, record.secretAccessKey, {
    now: o.now,
    expectedRegion: o.region,
    allowedServices: o.allowedServices,
    protocol: o.protocol,
    ...(o.skewMs !== undefined ? { skewMs: o.skewMs } : {}),
  });
  return { principal: { ...record.principal, accessKeyId: record.accessKeyId }, auth, temporary, record };
}
